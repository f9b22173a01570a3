// Webhooks (issue 12, part 7): the subscriptions the key may see
// (GET /v1/webhooks) with their delivery counts, a form to subscribe a URL
// (POST /v1/webhooks: the secret is shown once; a refused URL is named),
// delete (DELETE /v1/webhooks/{id}), and a subscription's delivery log with
// every attempt (GET /v1/webhooks/{id}/deliveries; a stock.low one shows the
// available units and the threshold it crossed) and "send again"
// (POST .../deliveries/{did}/redeliver); a stock.low subscription's
// thresholds edited (PUT /v1/webhooks/{id}/thresholds).
// Routes: #/webhooks (?id=WEBHOOK: its delivery log)

import { api, listPage } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, field, notice, badge, confirmButton, link, intValue } from '../ui.js';
import { sellerSelect, warehouseSelect } from './filters.js';

const EVENTS = ['order.created', 'order.allocated', 'order.packed', 'order.shipped', 'order.delivered',
    'order.exception', 'inbound.received', 'transfer.shipped', 'stock.low'];

function ownerOf(w) {
    return w.seller ? `${t('field.seller')} ${w.seller}` : `${t('field.warehouse')} ${w.warehouse}`;
}

function countsOf(w) {
    const d = w.deliveries;
    return h('span', { class: 'nowrap', 'data-test': 'webhook-counts' },
        `${t('webhooks.delivered')} ${d.delivered} · ${t('webhooks.pending')} ${d.pending} · ${t('webhooks.failed')} ${d.failed}`);
}

// "below 20 · MUG-01 5" of a stock.low subscription, null for others.
function thresholdsText(w) {
    if (!w.events.includes('stock.low')) return null;
    const parts = [];
    if (w.stock_threshold !== null && w.stock_threshold !== undefined) parts.push(t('webhooks.below_all', { n: w.stock_threshold }));
    for (const x of w.thresholds || []) parts.push(`${x.sku} ${x.below}`);
    return parts.join(' · ');
}

function eventsOf(w) {
    const low = thresholdsText(w);
    return h('span', null, w.events.join(', '),
        low ? h('br') : null, low ? h('span', { class: 'muted small', 'data-test': 'webhook-thresholds-text' }, `stock.low: ${low}`) : null);
}

function listCard(selected) {
    const table = pagedTable({
        testId: 'webhooks',
        rowAttrs: (w) => ({ 'data-test': 'webhook-row', 'data-id': w.id, class: w.id === selected ? 'row-chosen' : null }),
        emptyText: t('webhooks.none'),
        columns: [
            { label: t('webhooks.url'), render: (w) => h('span', null, h('span', { class: 'mono break', 'data-test': 'webhook-url' }, w.url),
                w.description ? h('br') : null, w.description ? h('span', { class: 'muted small' }, w.description) : null) },
            { label: t('webhooks.owner'), render: ownerOf },
            { label: t('webhooks.events'), render: eventsOf },
            { label: t('webhooks.deliveries'), render: countsOf },
            { label: '', render: (w) => h('span', { class: 'nowrap' },
                link(`#/webhooks?id=${encodeURIComponent(w.id)}`, t('webhooks.log'), { 'data-test': 'webhook-log', class: 'btn btn-secondary btn-small' }), ' ',
                confirmButton(t('webhooks.delete'), t('webhooks.delete_confirm'), async () => {
                    await api('DELETE', `/v1/webhooks/${encodeURIComponent(w.id)}`);
                    location.hash = '#/webhooks';
                    window.dispatchEvent(new HashChangeEvent('hashchange'));
                }, { 'data-test': 'webhook-delete', class: 'btn btn-danger btn-small' })) },
        ],
        fetchPage: (cursor) => listPage('/v1/webhooks', {}, cursor),
    });
    return { node: card(t('webhooks.subscriptions'), table), ready: table.ready };
}

function addCard(me) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'webhook-created' });
    const checks = EVENTS.map((ev) => h('label', { class: 'field field-check' },
        h('input', { type: 'checkbox', name: 'events', value: ev, checked: ev === 'order.shipped' || ev === 'order.delivered', 'data-test': `event-${ev}` }), ' ', ev));
    const form = h('form', { novalidate: true, class: 'inline-form', 'data-test': 'webhook-form' },
        field(t('webhooks.url'), h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://erp.example.com/haicang', 'data-test': 'webhook-url-input', size: 40 })),
        field(t('webhooks.description'), h('input', { name: 'description', maxlength: 200, 'data-test': 'webhook-description' })),
        field(t('webhooks.stock_threshold'), h('input', { name: 'stock_threshold', type: 'number', min: 0, step: 1, inputmode: 'numeric', 'data-test': 'webhook-stock-threshold' })),
        me.role === 'admin' ? field(t('field.seller'), sellerSelect('seller', '', me)) : null,
        me.role === 'admin' ? field(t('field.warehouse'), warehouseSelect('warehouse', '', { me })) : null,
        h('fieldset', { class: 'event-choices', name: 'events-set' }, h('legend', null, t('webhooks.events')), checks));
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'webhook-submit' }, t('webhooks.subscribe'));
    form.append(h('div', { class: 'form-actions' }, btn));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const el = form.elements;
            const body = { url: el.url.value.trim(), events: checks.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value) };
            if (el.description.value.trim()) body.description = el.description.value.trim();
            if (el.stock_threshold.value.trim() !== '') body.stock_threshold = Number(el.stock_threshold.value);
            if (el.seller && el.seller.value) body.seller = el.seller.value;
            if (el.warehouse && el.warehouse.value) body.warehouse = el.warehouse.value;
            try {
                const w = await api('POST', '/v1/webhooks', { body });
                out.append(notice(t('webhooks.created', { id: w.id })),
                    h('p', null, t('webhooks.secret_once')), h('pre', { class: 'mono break', 'data-test': 'webhook-secret' }, w.secret),
                    link(`#/webhooks?id=${encodeURIComponent(w.id)}`, t('webhooks.log')));
                form.reset();
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('webhooks.add'), h('p', { class: 'muted small' }, t('webhooks.add_note')), form, err, out);
}

// The thresholds form of stock.low subscription w: the default (blank: none)
// and one row per SKU; both replace what is stored. saved(w) after a 200.
function thresholdsCard(w, saved) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'thresholds-saved' });
    const all = h('input', { name: 'stock_threshold', type: 'number', min: 0, step: 1, inputmode: 'numeric', 'data-field': 'stock_threshold', 'data-test': 'threshold-all' });
    const tbody = h('tbody');
    let rows = [];
    function addRow(sku, below) {
        const r = {
            sku: h('input', { type: 'text', class: 'mono', value: sku, maxlength: 64, autocomplete: 'off', 'data-test': 'threshold-sku' }),
            below: h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', class: 'qty-input', value: below, 'data-test': 'threshold-below' }),
        };
        const remove = h('button', { type: 'button', class: 'btn btn-link', 'data-test': 'threshold-remove' }, t('webhooks.remove'));
        r.tr = h('tr', { 'data-test': 'threshold-row' }, h('td', { 'data-label': t('field.sku') }, r.sku),
            h('td', { 'data-label': t('webhooks.below') }, r.below), h('td', null, remove));
        remove.addEventListener('click', () => { r.tr.remove(); rows = rows.filter((x) => x !== r); });
        rows.push(r);
        tbody.appendChild(r.tr);
    }
    function fill(x) {
        all.value = x.stock_threshold ?? '';
        tbody.replaceChildren();
        rows = [];
        for (const th of x.thresholds || []) addRow(th.sku, th.below);
    }
    fill(w);
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'thresholds-submit' }, t('webhooks.save_thresholds'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'thresholds-form' },
        h('div', { class: 'inline-form' }, field(t('webhooks.below_every'), all)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
            h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', null, t('webhooks.below')), h('th', null, ''))), tbody)),
        h('div', { class: 'form-actions' },
            h('button', { type: 'button', class: 'btn btn-link', 'data-test': 'threshold-add', onclick: () => addRow('', '') }, t('webhooks.add_sku')), btn));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const body = { thresholds: [] };
            if (all.value.trim() !== '') {
                const n = intValue(all);
                body.stock_threshold = Number.isNaN(n) ? all.value : n;
            }
            for (const r of rows) {
                if (!r.sku.value.trim() && !r.below.value.trim()) continue;
                const i = body.thresholds.length;
                r.sku.setAttribute('data-field', `thresholds[${i}].sku`);
                r.below.setAttribute('data-field', `thresholds[${i}].below`);
                const n = intValue(r.below);
                body.thresholds.push({ sku: r.sku.value.trim(), below: Number.isNaN(n) ? r.below.value : n });
            }
            try {
                const now = await api('PUT', `/v1/webhooks/${encodeURIComponent(w.id)}/thresholds`, { body });
                fill(now);
                out.append(notice(t('webhooks.thresholds_saved')));
                saved(now);
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('webhooks.thresholds_title', { id: w.id }), h('p', { class: 'muted small' }, t('webhooks.thresholds_note')), form, err, out);
}

// Under the SKU of a stock.low delivery: the units available after the fall
// and the threshold it crossed.
function crossingOf(d) {
    if (d.type !== 'stock.low' || d.data.available === undefined) return null;
    return h('span', { class: 'small', 'data-test': 'delivery-stock' },
        h('br'), t('webhooks.crossed', { available: d.data.available, threshold: d.data.threshold }));
}

function attemptsOf(d) {
    if (!d.attempt_log.length) return h('span', { class: 'muted' }, '—');
    return h('details', { 'data-test': 'delivery-attempts' },
        h('summary', null, t('webhooks.attempts_n', { n: d.attempts })),
        h('ol', { class: 'attempts' }, d.attempt_log.map((a) => h('li', { 'data-test': 'attempt' },
            `${fmtTime(a.at)} · ${a.http_status ? `HTTP ${a.http_status}` : t('webhooks.no_answer')} · ${a.ms} ms`,
            a.error ? h('span', { class: 'muted' }, ` · ${a.error}`) : null))));
}

function logCard(id) {
    const err = errorBox();
    const table = pagedTable({
        testId: 'deliveries',
        rowAttrs: (d) => ({ 'data-test': 'delivery-row', 'data-id': d.id, 'data-state': d.state }),
        emptyText: t('webhooks.no_deliveries'),
        columns: [
            { label: t('webhooks.event'), render: (d) => h('span', null, h('strong', null, d.type), h('br'),
                h('span', { class: 'mono small' }, d.data.subject), d.redelivery_of ? h('span', { class: 'muted small' }, ` · ${t('webhooks.resent')}`) : null,
                crossingOf(d)) },
            { label: t('webhooks.at'), render: (d) => h('span', { class: 'nowrap', title: d.event_at }, fmtTime(d.event_at)) },
            { label: t('webhooks.state'), render: (d) => badge('webhooks.state', d.state) },
            { label: t('webhooks.attempts'), render: attemptsOf },
            { label: t('webhooks.next'), render: (d) => d.next_attempt_at ? fmtTime(d.next_attempt_at) : '—' },
            { label: t('webhooks.last_error'), render: (d) => d.last_error || '—' },
            { label: '', render: (d) => {
                const b = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-test': 'redeliver' }, t('webhooks.redeliver'));
                b.addEventListener('click', () => busy(b, async () => {
                    showProblem(err, null);
                    try {
                        const nd = await api('POST', `/v1/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(d.id)}/redeliver`, { body: {} });
                        b.replaceWith(h('span', { class: 'muted small', 'data-test': 'redelivered' }, t('webhooks.queued', { id: nd.id })));
                    } catch (e) {
                        showProblem(err, e);
                    }
                }));
                return b;
            } },
        ],
        fetchPage: (cursor) => listPage(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`, {}, cursor),
    });
    return { node: card(t('webhooks.log_title', { id }), h('p', { class: 'muted small' }, t('webhooks.log_note')), err, table), ready: table.ready };
}

export async function webhooksPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.webhooks'));
    main.replaceChildren(pageHeader(t('webhooks.title')));
    const id = query.get('id');
    let list = listCard(id);
    main.append(list.node);
    let log = null;
    const edit = h('div', { 'data-test': 'thresholds-slot' });
    if (id) {
        log = logCard(id);
        main.append(edit, log.node);
    }
    main.append(addCard(me));
    if (id) await showThresholds(id, edit, () => { /* the list shows the new thresholds */
        const fresh = listCard(id);
        list.node.replaceWith(fresh.node);
        list = fresh;
    });
    await list.ready;
    if (log) await log.ready;
}

// The thresholds form into slot when subscription id takes stock.low.
async function showThresholds(id, slot, saved) {
    try {
        const w = await api('GET', `/v1/webhooks/${encodeURIComponent(id)}`);
        if (w.events.includes('stock.low')) slot.replaceChildren(thresholdsCard(w, saved));
    } catch (ex) {
        const err = errorBox();
        showProblem(err, ex);
        slot.replaceChildren(err);
    }
}
