// Carriers (issue 12, parts 1-3): the carrier services of a warehouse with
// their zones and weight breaks (GET /v1/carrier-services), a rate-shopping
// form (POST /v1/rates: every service that takes the parcel, cheapest first,
// the one the warehouse's rules choose marked; a refusal names its field), and
// an order's parcels with their labels as PDF or ZPL (GET /v1/orders/{id}/parcels,
// /v1/parcels/{id}/label.pdf|.zpl); public holidays (holidays_card.js).
// Routes: #/carriers (?warehouse=W&order=ID)

import { api, listPage } from '../api.js';
import { t, fmtMoney } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, field } from '../ui.js';
import { filterBar, warehouseSelect, q } from './filters.js';
import { download } from './money.js';
import { labelsCard } from './labels_card.js';
import { holidaysCard } from './holidays_card.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function zonesOf(s) {
    const byZone = new Map();
    for (const z of s.zones) {
        const where = z.from ? `${z.country} ${z.from}–${z.to}` : z.country;
        byZone.set(z.zone, [...(byZone.get(z.zone) || []), where]);
    }
    return h('details', { class: 'service-zones', 'data-test': 'service-zones' },
        h('summary', null, t('carriers.zones_n', { n: byZone.size })),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
            h('thead', null, h('tr', null, h('th', null, t('carriers.zone')), h('th', null, t('carriers.where')),
                h('th', null, t('carriers.breaks')))),
            h('tbody', null, [...byZone].map(([zone, where]) => h('tr', null,
                h('td', { 'data-label': t('carriers.zone') }, zone),
                h('td', { 'data-label': t('carriers.where') }, where.join(', ')),
                h('td', { 'data-label': t('carriers.breaks') }, s.prices.filter((p) => p.zone === zone)
                    .map((p) => `≤ ${(p.max_weight_g / 1000).toLocaleString()} kg ${fmtMoney({ amount: p.price, currency: s.currency })}`)
                    .join(' · '))))))));
}

function servicesCard(warehouse) {
    const table = pagedTable({
        testId: 'services',
        rowAttrs: (s) => ({ 'data-test': 'service-row', 'data-code': s.code }),
        emptyText: t('carriers.none'),
        columns: [
            { label: t('carriers.service'), render: (s) => h('span', null, h('strong', null, s.carrier), ' ', s.name, h('br'), h('span', { class: 'mono muted small' }, `${s.code} v${s.version}`)) },
            { label: t('carriers.transit'), render: (s) => t('carriers.days', { n: s.transit_days }) },
            { label: t('carriers.cutoff'), render: (s) => `${s.cutoff} · ${s.pickup_days.map((d) => t(`carriers.wd.${WEEKDAYS[d - 1]}`)).join(' ')}` },
            { label: t('carriers.limits'), render: (s) => [s.max_weight_g ? `${s.max_weight_g / 1000} kg` : null,
                s.max_length_mm ? `L ≤ ${s.max_length_mm} mm` : null,
                s.max_length_girth_mm ? `L+2W+2H ≤ ${s.max_length_girth_mm} mm` : null,
                s.dim_divisor ? `÷${s.dim_divisor}` : null].filter(Boolean).join(' · ') || '—' },
            { label: t('carriers.surcharges'), render: (s) => `${t('carriers.fuel')} ${s.fuel_pct} % · ${t('carriers.residential')} ${fmtMoney({ amount: s.residential_surcharge, currency: s.currency })}` },
            { label: t('carriers.numbering'), render: (s) => `${s.numbering.kind.toUpperCase()} ${s.numbering.prefix}` },
            { label: t('carriers.zones'), wide: true, render: zonesOf },
        ],
        fetchPage: (cursor) => listPage('/v1/carrier-services', { warehouse: warehouse || undefined }, cursor),
    });
    return { node: card(t('carriers.services'), table), ready: table.ready };
}

function quotesTable(r) {
    return h('div', null,
        h('p', { class: 'muted small', 'data-test': 'rates-chosen' }, r.chosen
            ? t('carriers.chosen', { service: r.chosen.service, by: t(`carriers.by.${r.chosen.by}`) }) : t('carriers.chosen_none')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'rates' },
            h('thead', null, h('tr', null, [t('carriers.service'), t('carriers.zone'), t('carriers.billable'), t('carriers.price'),
                t('carriers.ships'), t('carriers.delivers')].map((l, i) => h('th', { class: i === 2 || i === 3 ? 'num' : null }, l)))),
            h('tbody', null, r.items.map((x) => h('tr', {
                'data-test': 'rate-row', 'data-code': x.service.code,
                class: r.chosen && r.chosen.service === x.service.code ? 'row-chosen' : null,
            },
            h('td', { 'data-label': t('carriers.service') }, `${x.service.carrier} · ${x.service.name}`),
            h('td', { 'data-label': t('carriers.zone') }, x.zone),
            h('td', { class: 'num', 'data-label': t('carriers.billable') }, `${x.billable_weight_g.toLocaleString()} g`),
            h('td', { class: 'num', 'data-label': t('carriers.price'), 'data-test': 'rate-price' }, fmtMoney(x.price)),
            h('td', { 'data-label': t('carriers.ships') }, x.ship_day),
            h('td', { 'data-label': t('carriers.delivers') }, x.deliver_day, x.calendars
                ? h('span', { class: 'muted small', 'data-test': 'rate-calendars', title: t('carriers.calendars') },
                    ` · ${x.calendars.pickup} / ${x.calendars.delivery}`) : null)))))));
}

function ratesCard(warehouse) {
    const input = (name, attrs) => h('input', { name, ...attrs, 'data-test': `rates-${name.replace(/\W+/g, '-')}` });
    const form = h('form', { novalidate: true, class: "inline-form rates-form", "data-test": "rates-form" },
        field(t('carriers.warehouse'), warehouseSelect('warehouse', warehouse, { all: false, required: true })),
        field(t('carriers.country'), input('ship_to.country', { value: warehouse === 'US-LAX' ? 'US' : 'DE', maxlength: 2, size: 3 })),
        field(t('carriers.postcode'), input('ship_to.postcode', { value: '', required: true, inputmode: 'text' })),
        field(t('carriers.weight_g'), input('parcels[0].weight_g', { type: 'number', min: 1, value: 1200 })),
        field(t('carriers.dims_mm'), input('parcels[0].dims_mm', { value: '300 × 200 × 100' })),
        h('label', { class: 'field field-check' }, input('ship_to.residential', { type: 'checkbox' }), ' ', t('carriers.residential_addr')));
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'rates-submit' }, t('carriers.shop'));
    form.append(h('div', { class: 'form-actions' }, btn));
    const err = errorBox();
    const out = h('div', { 'data-test': 'rates-out' });
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const el = form.elements;
            const dims = el['parcels[0].dims_mm'].value.split(/[^0-9]+/).filter(Boolean).map(Number);
            const body = {
                warehouse: el.warehouse.value,
                ship_to: { country: el['ship_to.country'].value.trim().toUpperCase(), postcode: el['ship_to.postcode'].value.trim(),
                    residential: el['ship_to.residential'].checked },
                parcels: [{ weight_g: Number(el['parcels[0].weight_g'].value), dims_mm: dims }],
            };
            try {
                out.replaceChildren(quotesTable(await api('POST', '/v1/rates', { body })));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('carriers.shop_title'), form, err, out);
}

function parcelsCard(order) {
    const err = errorBox();
    const form = h('form', { class: 'inline-form', 'data-test': 'parcels-form' },
        field(t('carriers.order'), h('input', { name: 'order', value: order || '', placeholder: 'ord_…', 'data-test': 'parcels-order' })),
        h('button', { type: 'submit', class: 'btn btn-secondary', 'data-test': 'parcels-show' }, t('carriers.show_parcels')));
    const out = h('div', { 'data-test': 'parcels-out' });
    const label = (p, ext) => {
        const b = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-test': `label-${ext}` }, ext.toUpperCase());
        b.addEventListener('click', () => busy(b, () => download(`/v1/parcels/${encodeURIComponent(p.id)}/label.${ext}`,
            `${p.tracking_no}.${ext}`).catch((e) => showProblem(err, e))));
        return b;
    };
    const load = async (id) => {
        showProblem(err, null);
        out.replaceChildren();
        if (!id) return;
        try {
            const r = await api('GET', `/v1/orders/${encodeURIComponent(id)}/parcels`);
            if (!r.items.length) {
                out.append(h('p', { class: 'muted', 'data-test': 'parcels-none' }, t('carriers.no_parcels')));
                return;
            }
            out.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'parcels' },
                h('thead', null, h('tr', null, [t('carriers.parcel'), t('carriers.tracking'), t('carriers.service'), t('carriers.box'),
                    t('carriers.weight'), t('carriers.price'), t('carriers.label')].map((l) => h('th', null, l)))),
                h('tbody', null, r.items.map((p) => h('tr', { 'data-test': 'parcel-row' },
                    h('td', { 'data-label': t('carriers.parcel') }, String(p.seq)),
                    h('td', { 'data-label': t('carriers.tracking'), class: 'mono', 'data-test': 'parcel-tracking' }, p.tracking_no),
                    h('td', { 'data-label': t('carriers.service') }, `${p.service.carrier} · ${p.service.name} (${t(`carriers.by.${p.chosen_by}`)})`),
                    h('td', { 'data-label': t('carriers.box') }, p.box || p.dims_mm.join(' × ')),
                    h('td', { 'data-label': t('carriers.weight') }, `${p.weight_g.toLocaleString()} g`),
                    h('td', { 'data-label': t('carriers.price') }, fmtMoney(p.price)),
                    h('td', { 'data-label': t('carriers.label') }, label(p, 'pdf'), ' ', label(p, 'zpl'))))))));
        } catch (e) {
            showProblem(err, e);
        }
    };
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        load(form.elements.order.value.trim());
    });
    load(order);
    return card(t('carriers.parcels_title'), form, err, out);
}

export async function carriersPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.carriers'));
    main.replaceChildren(pageHeader(t('carriers.title')));
    const warehouse = me.role === 'operator' ? me.warehouse : q(query, 'warehouse');
    main.append(filterBar('carriers', [[t('field.warehouse'), warehouseSelect('warehouse', warehouse, { me })]], query));
    const services = servicesCard(warehouse);
    main.append(h('p', { class: 'muted small' }, t('carriers.demo_note')), services.node,
        ratesCard(warehouse || 'DE-DUI'), parcelsCard(q(query, 'order')), labelsCard(me, warehouse));
    const holidays = holidaysCard(me, warehouse);
    if (holidays) main.append(holidays);
    await services.ready;
}
