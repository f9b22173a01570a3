// Dispatch (issue 12, parts 4 and 8): the day's parcels of a warehouse by
// carrier service with its cut-off and the time left (GET /v1/dispatch), the
// waiting parcels' labels in one PDF (GET /v1/dispatch/labels.pdf; with rows
// ticked, the labels of those rows' orders: ?orders=ID,ID), closing a
// service's manifest (POST /v1/manifests: the parcels freeze, the orders ship
// when the warehouse ships at manifest), the manifests closed that day with
// their PDF and CSV (GET /v1/manifests/{id}.pdf|.csv), and when orders ship
// (PUT /v1/warehouses/{wh}/dispatch-settings).
// Routes: #/dispatch (?warehouse=W)

import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, card, pageHeader, errorBox, showProblem, busy, notice, link, select, field } from '../ui.js';
import { filterBar, warehouseSelect, q } from './filters.js';
import { download } from './money.js';
import { labelsUrl } from './orders.js';

function kg(g) {
    return `${(g / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 })} kg`;
}

function timeLeft(s) {
    if (s.minutes_to_cutoff === null) return t('dispatch.next_pickup', { day: s.pickup_day });
    if (s.minutes_to_cutoff <= 0) return t('dispatch.cutoff_passed');
    return t('dispatch.left', { h: Math.floor(s.minutes_to_cutoff / 60), m: s.minutes_to_cutoff % 60 });
}

function lang() {
    return getLang() === 'zh' ? 'zh' : 'en';
}

// The orders of the ticked parcel rows, each once, in row order.
function tickedOrders(boxes) {
    return [...new Set(boxes.filter((b) => b.checked).map((b) => b.dataset.order))];
}

function serviceCard(d, s, reload) {
    const err = errorBox();
    const labels = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'print-labels', disabled: s.parcel_count === 0 }, t('dispatch.print_labels'));
    const boxes = s.parcels.map((p) => h('input', { type: 'checkbox', 'data-test': 'parcel-pick', 'data-order': p.order, 'aria-label': t('dispatch.select_parcel', { id: p.tracking_no }) }));
    const pickupUrl = `/v1/dispatch/labels.pdf?warehouse=${encodeURIComponent(d.warehouse)}&service=${encodeURIComponent(s.code)}&day=${s.pickup_day}`;
    const refresh = () => {
        const ids = tickedOrders(boxes);
        labels.textContent = ids.length ? t('dispatch.print_selected', { n: ids.length }) : t('dispatch.print_labels');
        labels.dataset.href = ids.length ? labelsUrl(ids) : pickupUrl;
    };
    boxes.forEach((b) => b.addEventListener('change', refresh));
    refresh();
    labels.addEventListener('click', () => busy(labels, () => {
        const ids = tickedOrders(boxes);
        showProblem(err, null);
        return download(labels.dataset.href, ids.length ? `labels-${s.code}-${ids.length}.pdf` : `labels-${s.code}-${s.pickup_day}.pdf`)
            .catch((e) => showProblem(err, e));
    }));
    const close = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'close-manifest', disabled: s.parcel_count === 0 }, t('dispatch.close'));
    close.addEventListener('click', () => busy(close, async () => {
        try {
            const m = await api('POST', '/v1/manifests', { body: { warehouse: d.warehouse, service: s.code, day: s.pickup_day } });
            await reload(t('dispatch.closed', { id: m.id, n: m.parcel_count }));
        } catch (e) {
            showProblem(err, e);
        }
    }));
    const rows = s.parcels.map((p, i) => h('tr', { 'data-test': 'parcel-row', 'data-id': p.id },
        h('td', { class: 'pick-col' }, boxes[i]),
        h('td', { 'data-label': t('dispatch.tracking_no'), class: 'mono' }, p.tracking_no),
        h('td', { 'data-label': t('dispatch.order') }, link(`#/orders/${encodeURIComponent(p.order)}`, p.order)),
        h('td', { 'data-label': t('dispatch.weight'), class: 'num' }, kg(p.weight_g))));
    return h('section', { class: 'card', 'data-test': 'service-card', 'data-code': s.code },
        h('h2', null, `${s.carrier} · ${s.name}`, ' ', h('span', { class: 'mono muted small' }, s.code)),
        h('p', { 'data-test': 'cutoff' }, `${t('dispatch.cutoff')} ${s.cutoff} · `,
            h('strong', { 'data-test': 'time-left', class: s.minutes_to_cutoff !== null && s.minutes_to_cutoff <= 60 ? 'warn' : null }, timeLeft(s))),
        h('p', { 'data-test': 'service-count', 'data-n': String(s.parcel_count) }, t('dispatch.waiting', { n: s.parcel_count, w: kg(s.weight_g) })),
        h('div', { class: 'actions' }, labels, ' ', close), err,
        rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
            h('thead', null, h('tr', null, h('th', { class: 'pick-col' }, t('bulk.select')), h('th', null, t('dispatch.tracking_no')), h('th', null, t('dispatch.order')), h('th', { class: 'num' }, t('dispatch.weight')))),
            h('tbody', null, rows))) : null);
}

function manifestsCard(d) {
    const err = errorBox();
    const rows = d.manifests.map((m) => {
        const docs = ['pdf', 'csv'].map((ext) => {
            const b = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-test': `manifest-${ext}` }, ext.toUpperCase());
            b.addEventListener('click', () => busy(b, () => download(`/v1/manifests/${encodeURIComponent(m.id)}.${ext}?lang=${lang()}`,
                `${m.id}.${ext}`).catch((e) => showProblem(err, e))));
            return b;
        });
        return h('tr', { 'data-test': 'manifest-row', 'data-id': m.id, 'data-code': m.service.code },
            h('td', { 'data-label': t('dispatch.manifest'), class: 'mono' }, m.id),
            h('td', { 'data-label': t('dispatch.service') }, `${m.service.carrier} · ${m.service.code}`),
            h('td', { 'data-label': t('dispatch.pickup') }, m.pickup_day),
            h('td', { 'data-label': t('dispatch.parcels'), class: 'num' }, String(m.parcel_count)),
            h('td', { 'data-label': t('dispatch.weight'), class: 'num' }, kg(m.weight_g)),
            h('td', { 'data-label': t('dispatch.ship_at') }, t(`dispatch.ship_at.${m.ship_at}`)),
            h('td', { class: 'nowrap' }, docs[0], ' ', docs[1]));
    });
    return card(t('dispatch.manifests'), err, rows.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'manifests' },
            h('thead', null, h('tr', null, [t('dispatch.manifest'), t('dispatch.service'), t('dispatch.pickup'), t('dispatch.parcels'), t('dispatch.weight'), t('dispatch.ship_at'), ''].map((l) => h('th', null, l)))),
            h('tbody', null, rows)))
        : h('p', { class: 'muted', 'data-test': 'no-manifests' }, t('dispatch.no_manifests')));
}

function settingCard(d, reload) {
    const err = errorBox();
    const sel = select('ship_at', [['manifest', t('dispatch.ship_at.manifest')], ['scan_out', t('dispatch.ship_at.scan_out')]], d.ship_at, { 'data-test': 'ship-at' });
    sel.addEventListener('change', async () => {
        try {
            await api('PUT', `/v1/warehouses/${encodeURIComponent(d.warehouse)}/dispatch-settings`, { body: { ship_at: sel.value } });
            await reload(t('dispatch.ship_at_saved'));
        } catch (e) {
            showProblem(err, e);
        }
    });
    return card(t('dispatch.settings'), field(t('dispatch.ship_at'), sel), err);
}

export async function dispatchPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.dispatch'));
    const warehouse = me.role === 'operator' ? me.warehouse : (q(query, 'warehouse') || 'DE-DUI');
    const body = h('div', { 'data-test': 'dispatch' });
    main.replaceChildren(pageHeader(t('dispatch.title')),
        filterBar('dispatch', [[t('field.warehouse'), warehouseSelect('warehouse', warehouse, { me, all: false })]], query), body);
    const reload = async (msg) => {
        const d = await api('GET', '/v1/dispatch', { query: { warehouse } });
        const total = d.services.reduce((n, s) => n + s.parcel_count, 0);
        body.replaceChildren(
            msg ? notice(msg) : '',
            h('p', { class: 'muted', 'data-test': 'dispatch-summary' }, t('dispatch.summary', { day: d.day, n: total, s: d.services.length })),
            ...d.services.map((s) => serviceCard(d, s, reload)),
            d.services.length ? '' : h('p', { class: 'muted' }, t('dispatch.no_services')),
            manifestsCard(d), settingCard(d, reload));
    };
    try {
        await reload();
    } catch (e) {
        const err = errorBox();
        body.replaceChildren(err);
        showProblem(err, e);
    }
}
