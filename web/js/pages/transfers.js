// Transfer orders (issue 12, part 6: B2B outbound, FBA replenishment): the
// transfers the key may see (GET /v1/transfers) with status and destination;
// one transfer (?id=): its lines with FNSKU (to a haicang warehouse, once
// shipped: received, in transit and lost per SKU), the compliance items it waits
// for, work orders (operators complete them: the charge is booked), cartons
// with their marketplace ids and pallets (SSCC), the labels PDF, ship with
// the LTL booking reference, cancel.
// Routes: #/transfers (?id=TRANSFER)

import { api, listPage } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, field, badge, link, kv, isOperator } from '../ui.js';
import { download } from './money.js';

function destOf(x) {
    const d = x.destination;
    const where = d.warehouse || [d.address && d.address.fc_code, d.country].filter(Boolean).join(' ');
    return `${t(`transfers.dest.${d.type}`)} · ${where}`;
}

function reload(id) {
    location.hash = id ? `#/transfers?id=${encodeURIComponent(id)}` : '#/transfers';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function listCard(selected) {
    const table = pagedTable({
        testId: 'transfers',
        rowAttrs: (x) => ({ 'data-test': 'transfer-row', 'data-id': x.id, class: x.id === selected ? 'row-chosen' : null }),
        emptyText: t('transfers.none'),
        columns: [
            { label: t('transfers.id'), render: (x) => link(`#/transfers?id=${encodeURIComponent(x.id)}`, x.id, { class: 'mono', 'data-test': 'transfer-open' }) },
            { label: t('transfers.status'), render: (x) => badge('transfers.status', x.status) },
            { label: t('transfers.destination'), render: destOf },
            { label: t('transfers.shipment'), render: (x) => h('span', { class: 'mono break' }, x.shipment_id) },
            { label: t('transfers.units'), render: (x) => String(x.lines.reduce((s, l) => s + l.qty, 0)) },
            { label: t('transfers.created'), render: (x) => h('span', { class: 'nowrap' }, fmtTime(x.created_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/transfers', {}, cursor),
    });
    return { node: card(t('transfers.list'), table), ready: table.ready };
}

function actionButton(label, testId, err, fn, cls = 'btn btn-secondary btn-small') {
    const b = h('button', { type: 'button', class: cls, 'data-test': testId }, label);
    b.addEventListener('click', () => busy(b, async () => {
        showProblem(err, null);
        try { await fn(); } catch (e) { showProblem(err, e); }
    }));
    return b;
}

function workCard(x, me, err) {
    const rows = x.work_orders.map((w) => h('tr', { 'data-test': 'work-row', 'data-id': w.id, 'data-status': w.status },
        h('td', null, t(`transfers.service.${w.service}`)), h('td', null, String(w.units)),
        h('td', null, badge('transfers.work', w.status)),
        h('td', null, w.charge ? `${w.charge.amount} ${w.charge.currency}` : '—'),
        h('td', null, w.status === 'open' && isOperator(me)
            ? actionButton(t('transfers.complete'), 'work-complete', err, async () => {
                await api('POST', `/v1/transfers/${encodeURIComponent(x.id)}/work-orders/${encodeURIComponent(w.id)}/complete`, { body: {} });
                reload(x.id);
            }) : '')));
    return card(t('transfers.work_orders'), x.work_orders.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
            h('thead', null, h('tr', null, [t('transfers.service'), t('transfers.units'), t('transfers.status'), t('transfers.charge'), ''].map((c) => h('th', null, c)))),
            h('tbody', null, rows)))
        : h('p', { class: 'muted' }, t('transfers.no_work')));
}

function cartonsCard(x, err) {
    if (!x.cartons.length) return card(t('transfers.cartons'), h('p', { class: 'muted' }, t('transfers.no_cartons')));
    const rows = x.cartons.map((c) => h('tr', { 'data-test': 'carton-row' },
        h('td', { class: 'mono break', 'data-test': 'carton-id' }, c.carton_id),
        h('td', null, `${(c.weight_g / 1000).toFixed(1)} kg`),
        h('td', null, c.items.map((i) => `${i.sku} × ${i.qty}`).join(', ')),
        h('td', null, c.pallet ? String(c.pallet) : '—')));
    const pallets = x.pallets.map((p) => h('li', { 'data-test': 'pallet', class: 'mono break' }, `${p.pallet_no}: (00) ${p.sscc} · ${p.cartons} ${t('transfers.cartons_n')}`));
    const dl = actionButton(t('transfers.labels'), 'labels-download', err,
        () => download(x.labels, `${x.shipment_id}-labels.pdf`), 'btn btn-primary btn-small');
    return card(t('transfers.cartons'), h('div', { class: 'form-actions' }, dl),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
            h('thead', null, h('tr', null, [t('transfers.carton_id'), t('transfers.weight'), t('transfers.items'), t('transfers.pallet')].map((c) => h('th', null, c)))),
            h('tbody', null, rows))),
        pallets.length ? h('ul', { class: 'plain' }, pallets) : null);
}

function actionsCard(x, me, err) {
    const parts = [];
    if (x.status === 'packed' && isOperator(me)) {
        const input = h('input', { name: 'freight_ref', maxlength: 64, value: x.freight_ref || '', 'data-test': 'freight-ref' });
        parts.push(field(t('transfers.freight_ref'), input),
            actionButton(t('transfers.ship'), 'transfer-ship', err, async () => {
                const body = input.value.trim() ? { freight_ref: input.value.trim() } : {};
                await api('POST', `/v1/transfers/${encodeURIComponent(x.id)}/ship`, { body });
                reload(x.id);
            }, 'btn btn-primary'));
    }
    if (['on_hold', 'open', 'packed'].includes(x.status))
        parts.push(' ', actionButton(t('transfers.cancel'), 'transfer-cancel', err, async () => {
            await api('POST', `/v1/transfers/${encodeURIComponent(x.id)}/cancel`, { body: {} });
            reload(x.id);
        }, 'btn btn-danger'));
    return parts.length ? card(t('transfers.actions'), h('div', { class: 'inline-form' }, ...parts)) : null;
}

// A shipped transfer to a haicang warehouse: per SKU shipped / received /
// in transit / lost (lost: written off when its inbound was closed short).
function linesTable(x) {
    const arrival = Boolean(x.inbound);
    const cols = ['SKU', 'FNSKU', t(arrival ? 'transfers.shipped_units' : 'transfers.units')]
        .concat(arrival ? [t('transfers.received'), t('transfers.in_transit'), t('transfers.lost')] : []);
    const num = (n, test) => h('td', { 'data-test': test }, n === null || n === undefined ? '—' : String(n));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, cols.map((c) => h('th', null, c)))),
        h('tbody', null, x.lines.map((l) => h('tr', { 'data-test': 'line-row', 'data-sku': l.sku },
            h('td', null, l.sku), h('td', { class: 'mono' }, l.fnsku || '—'), num(l.qty, 'line-qty'),
            ...(arrival ? [num(l.received, 'line-received'), num(l.in_transit, 'line-in-transit'),
                num(l.lost, 'line-lost')] : []))))));
}

function shortageNotice(x) {
    const lost = x.lines.reduce((s, l) => s + (l.lost || 0), 0);
    return lost > 0 ? h('div', { class: 'notice notice-warning', 'data-test': 'transfer-shortage' },
        t('transfers.shortage', { n: lost })) : null;
}

async function detail(id, me) {
    const err = errorBox();
    const x = await api('GET', `/v1/transfers/${encodeURIComponent(id)}`);
    const head = card(t('transfers.one', { id: x.id }), kv([
        [t('transfers.status'), badge('transfers.status', x.status)],
        [t('transfers.destination'), destOf(x)],
        [t('transfers.shipment'), h('span', { class: 'mono break' }, x.shipment_id)],
        [t('field.seller'), x.seller], [t('field.warehouse'), x.warehouse],
        [t('transfers.freight_ref'), x.freight_ref || '—'],
        [t('transfers.inbound'), x.inbound || '—'],
    ]), x.missing.length ? h('div', { class: 'notice notice-warning', 'data-test': 'transfer-missing' },
        h('strong', null, t('transfers.held')), h('ul', null, x.missing.map((m) => h('li', { class: 'mono break' }, m)))) : null,
    shortageNotice(x), linesTable(x));
    return h('div', { 'data-test': 'transfer-detail', 'data-id': x.id }, err, head, workCard(x, me, err), cartonsCard(x, err), actionsCard(x, me, err));
}

export async function transfersPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.transfers'));
    main.replaceChildren(pageHeader(t('transfers.title')));
    const id = query.get('id');
    if (id) {
        try {
            main.append(await detail(id, me));
        } catch (e) {
            const err = errorBox();
            showProblem(err, e);
            main.append(err);
        }
    }
    const list = listCard(id);
    main.append(list.node);
    await list.ready;
}
