// Brands (issue 13, parts 5 and 6): a seller's brands with their standing
// today, trademark registrations with their expiry, authorisations to sell,
// the SKUs flagged (held from sale) and a form to record an authorisation;
// the brand report (infringement inquiry, admins and operators) and the EPR
// report, each viewable here and downloadable as CSV or XLSX.
// Route: #/brands (?seller=S for admin and operator keys)

import { api, listPage, idemKeeper } from '../api.js';
import { t, fmtTime, fmtNum, getLang } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy } from '../ui.js';
import { filterBar, sellerSelect, q } from './filters.js';
import { download } from './money.js';

const STANDING_CLASS = {
    owner: 'badge-delivered', authorised: 'badge-allocated', expired: 'badge-backordered',
    unauthorised: 'badge-cancelled', unrecorded: 'badge-expected',
};

function standingBadge(s) {
    return h('span', { class: `badge ${STANDING_CLASS[s] || ''}`, 'data-test': 'standing' }, t(`brands.standing.${s}`));
}

function today() {
    return new Date().toISOString().slice(0, 10);
}

function lang() {
    return getLang() === 'zh' ? 'zh' : 'en';
}

// One brand's trademarks and authorisations, read when its row is opened.
function brandDetails(seller, name) {
    const err = errorBox();
    const body = h('div', { 'data-test': 'brand-details' }, h('p', { class: 'muted' }, t('common.loading')));
    api('GET', `/v1/brands/${encodeURIComponent(seller)}/${encodeURIComponent(name)}`).then((b) => {
        const tms = b.trademarks.map((x) => h('tr', { 'data-test': 'trademark-row' },
            h('td', { 'data-label': t('brands.office') }, x.office),
            h('td', { class: 'mono', 'data-label': t('brands.number') }, x.number),
            h('td', { 'data-label': t('brands.classes') }, x.classes.join(', ')),
            h('td', { 'data-label': t('brands.valid_until') }, x.valid_until, ' ',
                x.expired ? h('span', { class: 'badge badge-backordered' }, t('brands.expired')) : null)));
        const auths = b.authorisations.map((x) => h('tr', { 'data-test': 'auth-row' },
            h('td', { class: 'mono', 'data-label': t('brands.document') }, x.document_ref),
            h('td', { 'data-label': t('brands.markets') }, x.markets.length ? x.markets.join(', ') : t('brands.all_markets')),
            h('td', { 'data-label': t('brands.period') }, `${x.valid_from} – ${x.valid_until}`),
            h('td', { 'data-label': t('brands.state') }, h('span', { class: `badge ${x.state === 'valid' ? 'badge-allocated' : 'badge-backordered'}` }, t(`brands.auth_state.${x.state}`)))));
        const table = (heads, rows, empty, test) => (rows.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': test },
                h('thead', null, h('tr', null, heads.map((k) => h('th', null, t(k))))), h('tbody', null, rows)))
            : h('p', { class: 'muted' }, t(empty)));
        body.replaceChildren(
            h('h4', null, t('brands.trademarks')),
            table(['brands.office', 'brands.number', 'brands.classes', 'brands.valid_until'], tms, 'brands.no_trademarks', 'trademarks-table'),
            h('h4', null, t('brands.authorisations')),
            table(['brands.document', 'brands.markets', 'brands.period', 'brands.state'], auths, 'brands.no_auths', 'auths-table'));
    }).catch((e) => showProblem(err, e));
    return h('div', { class: 'brand-details' }, err, body);
}

function brandsCard(seller) {
    const table = pagedTable({
        testId: 'brands-table',
        columns: [
            { label: t('brands.brand'), render: (b) => {
                const btn = h('button', { type: 'button', class: 'btn btn-link strong', 'data-test': 'brand-open', 'aria-expanded': 'false' }, b.name);
                btn.addEventListener('click', () => {
                    const row = btn.closest('tr');
                    const next = row.nextElementSibling;
                    if (next && next.classList.contains('details-row')) {
                        next.remove();
                        btn.setAttribute('aria-expanded', 'false');
                        return;
                    }
                    btn.setAttribute('aria-expanded', 'true');
                    row.after(h('tr', { class: 'details-row' }, h('td', { colspan: 5 }, brandDetails(b.seller, b.name))));
                });
                return btn;
            } },
            { label: t('field.seller'), render: (b) => b.seller },
            { label: t('brands.owner'), wide: true, render: (b) => (b.seller_is_owner ? `${b.owner} (${t('brands.the_seller')})` : b.owner) },
            { label: t('brands.standing_label'), render: (b) => standingBadge(b.standing) },
            { label: t('brands.until'), render: (b) => b.authorised_until || '—' },
        ],
        fetchPage: (cursor) => listPage('/v1/brands', { seller: seller || undefined }, cursor, 25),
        emptyText: t('brands.none'),
    });
    return { node: card(t('brands.brands'), table), ready: table.ready };
}

function flaggedCard(seller) {
    const table = pagedTable({
        testId: 'flagged-table',
        columns: [
            { label: 'SKU', render: (k) => h('a', { class: 'mono', href: `#/sku/${encodeURIComponent(k.seller)}/${encodeURIComponent(k.sku)}` }, k.sku) },
            { label: t('brands.brand'), render: (k) => k.brand },
            { label: t('brands.standing_label'), render: (k) => standingBadge(k.standing) },
            { label: t('brands.until'), render: (k) => k.authorised_until || '—' },
            { label: t('brands.missing'), wide: true, render: (k) => h('span', { class: 'mono small' }, k.item) },
        ],
        fetchPage: (cursor) => listPage('/v1/compliance/brand-skus', { seller: seller || undefined, flagged: 'true' }, cursor, 25),
        emptyText: t('brands.no_flagged'),
    });
    return { node: card(t('brands.flagged'), h('p', { class: 'muted small' }, t('brands.flagged_hint')), table), ready: table.ready };
}

// Record an authorisation (admin or the seller): refusals show the field.
function authoriseCard(seller) {
    const err = errorBox();
    const out = h('div');
    const input = (name, attrs = {}) => h('input', { name, 'data-field': name, 'data-test': `auth-${name}`, ...attrs });
    const brand = input('brand', { required: true });
    const doc = input('document_ref', { required: true });
    const markets = input('markets', { placeholder: 'DE,FR / EU' });
    const from = input('valid_from', { type: 'date', value: today() });
    const until = input('valid_until', { type: 'date' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'auth-submit' }, t('brands.record'));
    const lbl = (k, el) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(k)), el);
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'auth-form' },
        h('div', { class: 'inline-form' }, lbl('brands.brand', brand), lbl('brands.document', doc),
            lbl('brands.markets', markets), lbl('brands.valid_from', from), lbl('brands.valid_until', until),
            h('div', { class: 'form-actions' }, btn)), err, out);
    const idem = idemKeeper();
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const body = { document_ref: doc.value.trim(), valid_from: from.value, valid_until: until.value };
            const m = markets.value.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
            if (m.length) body.markets = m;
            try {
                const b = await api('POST', `/v1/brands/${encodeURIComponent(seller)}/${encodeURIComponent(brand.value.trim())}/authorisations`,
                    { body, idem: idem({ brand: brand.value, ...body }) });
                out.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'auth-recorded' },
                    t('brands.recorded', { brand: b.name, standing: t(`brands.standing.${b.standing}`), n: b.released_orders || 0 })));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('brands.record_auth'), form);
}

function fileButtons(err, path, query, name) {
    return ['csv', 'xlsx'].map((ext) => {
        const b = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': `${name}-${ext}` }, ext.toUpperCase());
        b.addEventListener('click', () => busy(b, async () => {
            showProblem(err, null);
            const qs = new URLSearchParams({ ...query(), format: ext, lang: lang() });
            try {
                await download(`${path}?${qs}`, `${name}.${ext}`);
            } catch (e) {
                showProblem(err, e);
            }
        }));
        return b;
    });
}

function brandReportCard(initial) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'brand-report' });
    const brand = h('input', { name: 'brand', value: initial || '', 'data-test': 'report-brand', required: true });
    const query = () => ({ brand: brand.value.trim() });
    const view = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'report-view' }, t('brands.view'));
    view.addEventListener('click', () => busy(view, async () => {
        showProblem(err, null);
        try {
            const r = await api('GET', '/v1/compliance/brand-report', { query: query() });
            const rows = r.items.map((x) => h('tr', { 'data-test': 'report-row' },
                h('td', { 'data-label': t('field.seller') }, x.seller, h('div', { class: 'muted small' }, x.seller_identity.name)),
                h('td', { 'data-label': t('field.warehouse') }, x.warehouse),
                h('td', { class: 'mono', 'data-label': 'SKU' }, x.sku),
                h('td', { 'data-label': t('brands.first_received') }, x.first_received_at ? fmtTime(x.first_received_at) : '—'),
                h('td', { 'data-label': t('brands.last_held') }, x.held_now ? t('brands.held_now') : fmtTime(x.last_held_at)),
                ...['received', 'sold', 'returned', 'on_hand'].map((k) => h('td', { class: 'num', 'data-label': t(`brands.${k}`) }, fmtNum(x[k])))));
            out.replaceChildren(rows.length
                ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'report-table' },
                    h('thead', null, h('tr', null, [t('field.seller'), t('field.warehouse'), 'SKU', t('brands.first_received'), t('brands.last_held')].map((x) => h('th', null, x)),
                        ['received', 'sold', 'returned', 'on_hand'].map((k) => h('th', { class: 'num' }, t(`brands.${k}`))))),
                    h('tbody', null, rows)))
                : h('p', { class: 'muted', 'data-test': 'report-empty' }, t('brands.report_empty')));
        } catch (e) {
            showProblem(err, e);
        }
    }));
    return card(t('brands.report'), h('p', { class: 'muted small' }, t('brands.report_hint')),
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('brands.brand')), brand),
            h('div', { class: 'form-actions' }, view, ...fileButtons(err, '/v1/compliance/brand-report', query, 'brand-report'))),
        err, out);
}

function eprCard(seller) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'epr-report' });
    const d = new Date();
    const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0)).toISOString().slice(0, 10);
    const from = h('input', { type: 'date', name: 'from', value: first, 'data-test': 'epr-from', 'data-field': 'from' });
    const to = h('input', { type: 'date', name: 'to', value: last, 'data-test': 'epr-to', 'data-field': 'to' });
    const query = () => ({ from: from.value, to: to.value, ...(seller ? { seller } : {}) });
    const view = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'epr-view' }, t('brands.view'));
    view.addEventListener('click', () => busy(view, async () => {
        showProblem(err, null);
        try {
            const r = await api('GET', '/v1/compliance/epr-report', { query: query() });
            const rows = [['packaging', 'material'], ['batteries', 'category'], ['electronics', 'category']].flatMap(([stream, key]) =>
                r[stream].map((x) => h('tr', { 'data-test': 'epr-row' },
                    h('td', { 'data-label': t('brands.country') }, x.country),
                    h('td', { 'data-label': t('brands.stream') }, t(`brands.streams.${stream}`)),
                    h('td', { 'data-label': t('brands.what') }, stream === 'electronics' ? t(`brands.eee.${x[key]}`) : t(`brands.what_${stream}.${x[key]}`)),
                    h('td', { class: 'num', 'data-label': t('brands.units') }, fmtNum(x.units)),
                    h('td', { class: 'num', 'data-label': t('brands.grams') }, x.grams))));
            out.replaceChildren(
                rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'epr-table' },
                    h('thead', null, h('tr', null, ['brands.country', 'brands.stream', 'brands.what'].map((k) => h('th', null, t(k))),
                        h('th', { class: 'num' }, t('brands.units')), h('th', { class: 'num' }, t('brands.grams')))),
                    h('tbody', null, rows))) : h('p', { class: 'muted', 'data-test': 'epr-empty' }, t('brands.epr_empty')),
                r.units_without_data ? h('div', { class: 'alert alert-info', 'data-test': 'epr-missing' }, t('brands.without_data', { n: fmtNum(r.units_without_data) })) : null);
        } catch (e) {
            showProblem(err, e, view.closest('.card'));
        }
    }));
    return card(t('brands.epr'), h('p', { class: 'muted small' }, t('brands.epr_hint')),
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('brands.from')), from),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('brands.to')), to),
            h('div', { class: 'form-actions' }, view, ...fileButtons(err, '/v1/compliance/epr-report', query, 'epr-report'))),
        err, out);
}

export async function brandsPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.brands'));
    main.replaceChildren(pageHeader(t('brands.title')));
    const seller = me.role === 'seller' ? me.seller : q(query, 'seller');
    if (me.role !== 'seller') {
        main.append(filterBar('brands', [[t('field.seller'), sellerSelect('seller', seller, me)]], query));
    }
    const waits = [];
    if (seller || me.role === 'admin') {
        const b = brandsCard(seller);
        const f = flaggedCard(seller);
        main.append(b.node, f.node);
        waits.push(b.ready, f.ready);
    } else {
        main.append(h('p', { class: 'muted', 'data-test': 'brands-pick' }, t('brands.pick_seller')));
    }
    if (seller && me.role !== 'operator') main.append(authoriseCard(seller));
    // the inquiry report is the platform's: admins and operators
    if (me.role !== 'seller') main.append(brandReportCard(q(query, 'brand')));
    main.append(eprCard(me.role === 'seller' ? null : seller));
    await Promise.all(waits);
}
