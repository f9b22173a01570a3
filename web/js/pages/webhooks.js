// Webhooks (issue 12, part 7): the subscriptions the key may see
// (GET /v1/webhooks) with their delivery counts, a form to subscribe a URL
// (POST /v1/webhooks: the secret is shown once; a refused URL is named),
// delete (DELETE /v1/webhooks/{id}), and a subscription's delivery log with
// every attempt (GET /v1/webhooks/{id}/deliveries) and "send again"
// (POST .../deliveries/{did}/redeliver).
// Routes: #/webhooks (?id=WEBHOOK: its delivery log)

import { api, listPage } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, field, notice, badge, confirmButton, link } from '../ui.js';
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

function listCard(selected) {
    const table = pagedTable({
        testId: 'webhooks',
        rowAttrs: (w) => ({ 'data-test': 'webhook-row', 'data-id': w.id, class: w.id === selected ? 'row-chosen' : null }),
        emptyText: t('webhooks.none'),
        columns: [
            { label: t('webhooks.url'), render: (w) => h('span', null, h('span', { class: 'mono break', 'data-test': 'webhook-url' }, w.url),
                w.description ? h('br') : null, w.description ? h('span', { class: 'muted small' }, w.description) : null) },
            { label: t('webhooks.owner'), render: ownerOf },
            { label: t('webhooks.events'), render: (w) => w.events.join(', ') },
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
                h('span', { class: 'mono small' }, d.data.subject), d.redelivery_of ? h('span', { class: 'muted small' }, ` · ${t('webhooks.resent')}`) : null) },
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
    const list = listCard(id);
    main.append(list.node);
    let log = null;
    if (id) {
        log = logCard(id);
        main.append(log.node);
    }
    main.append(addCard(me));
    await list.ready;
    if (log) await log.ready;
}
