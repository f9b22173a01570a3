// Returns: record one (operators: POST /v1/returns) and the list of returns.

import { api, listPage, idemKeeper } from '../api.js';
import { t, tv, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, errorBox, showProblem, intValue, busy, select, clear } from '../ui.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';
import { orderLink } from './orders.js';

const CONDITIONS = ['sellable', 'damaged'];

function linesText(lines) {
    return (lines || []).map((l) => `${l.sku} × ${l.qty} (${tv('condition', l.condition)})`).join(', ');
}

export async function returnsPage(ctx, flash) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.returns'));
    const f = { warehouse: q(query, 'warehouse'), seller: q(query, 'seller') };
    main.replaceChildren();
    main.append(pageHeader(t('returns.title')));
    if (flash) main.append(flash);
    const shown = q(query, 'id');
    if (shown) {
        const r = await api('GET', `/v1/returns/${encodeURIComponent(shown)}`);
        if (!ctx.alive()) return;
        main.append(card(`${t('returns.one')} ${r.id}`, kv([
            [t('orders.one'), orderLink(r.order)],
            [t('field.seller'), r.seller],
            [t('field.warehouse'), r.warehouse],
            [t('returns.lines'), linesText(r.lines)],
            [t('field.created'), fmtTime(r.created_at)],
        ])));
    }
    // POST /v1/returns is open to every role (a seller records its own returns)
    main.append(returnForm(ctx, q(query, 'order')));
    main.append(filterBar('returns', [
        [t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })],
        [t('field.seller'), sellerSelect('seller', f.seller, me)],
    ], query));
    const table = pagedTable({
        testId: 'returns-table',
        columns: [
            { label: t('field.id'), render: (r) => h('a', { class: 'mono strong', href: `#/returns?id=${encodeURIComponent(r.id)}` }, r.id) },
            { label: t('orders.one'), wide: true, render: (r) => orderLink(r.order) },
            { label: t('field.seller'), render: (r) => r.seller },
            { label: t('field.warehouse'), render: (r) => r.warehouse },
            { label: t('returns.lines'), wide: true, render: (r) => linesText(r.lines) },
            { label: t('field.created'), wide: true, render: (r) => h('span', { class: 'nowrap', title: r.created_at }, fmtTime(r.created_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/returns', f, cursor, 25),
        emptyText: t('returns.empty'),
    });
    main.append(card(t('returns.list'), table));
    await table.ready;
}

function returnForm(ctx, orderId) {
    const err = errorBox();
    const idem = idemKeeper();
    const order = h('input', { type: 'text', name: 'order', value: orderId || '', placeholder: 'ord_…', 'data-field': 'order', 'data-test': 'return-order', autocomplete: 'off', class: 'mono' });
    const loadBtn = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'return-load' }, t('returns.load_order'));
    const tbody = h('tbody');
    const linesBox = h('div', { class: 'table-wrap', hidden: true }, h('table', { class: 'data compact', 'data-test': 'return-lines' },
        h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', null, t('field.qty')), h('th', null, t('returns.condition')))), tbody));
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'return-submit', disabled: true }, t('returns.record'));
    let rows = [];

    function addRow(sku, qty) {
        const skuIn = h('input', { type: 'text', value: sku || '', class: 'mono', 'data-test': 'return-sku' });
        const qtyIn = h('input', { type: 'number', min: 0, step: 1, value: qty ?? 1, class: 'qty-input', 'data-test': 'return-qty' });
        const cond = select('condition', CONDITIONS.map((c) => [c, tv('condition', c)]), 'sellable', { 'data-test': 'return-condition' });
        const tr = h('tr', null, h('td', { 'data-label': t('field.sku') }, skuIn), h('td', { 'data-label': t('field.qty') }, qtyIn), h('td', { 'data-label': t('returns.condition') }, cond));
        tbody.appendChild(tr);
        rows.push({ skuIn, qtyIn, cond });
        linesBox.hidden = false;
        submit.disabled = false;
    }

    async function loadOrder() {
        showProblem(err, null, form);
        const id = order.value.trim();
        if (!id) return;
        try {
            const o = await api('GET', `/v1/orders/${encodeURIComponent(id)}`);
            clear(tbody);
            rows = [];
            for (const l of o.lines || []) addRow(l.sku, l.qty);
        } catch (ex) {
            showProblem(err, ex, form);
        }
    }
    loadBtn.addEventListener('click', () => busy(loadBtn, loadOrder));

    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'return-form' },
        h('div', { class: 'inline-form' },
            h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, t('orders.one')), order),
            h('div', { class: 'form-actions' }, loadBtn)),
        linesBox,
        err,
        h('div', { class: 'form-actions' },
            h('button', { type: 'button', class: 'btn btn-link', onclick: () => addRow('', 1) }, t('returns.add_line')),
            submit));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(submit, async () => {
            const lines = [];
            rows.forEach((r) => {
                const n = intValue(r.qtyIn);
                if (n === 0) return;
                const i = lines.length;
                r.skuIn.setAttribute('data-field', `lines[${i}].sku`);
                r.qtyIn.setAttribute('data-field', `lines[${i}].qty`);
                r.cond.setAttribute('data-field', `lines[${i}].condition`);
                lines.push({ sku: r.skuIn.value.trim(), qty: Number.isNaN(n) ? r.qtyIn.value : n, condition: r.cond.value });
            });
            const body = { order: order.value.trim(), lines };
            try {
                const ret = await api('POST', '/v1/returns', { body, idem: idem(body) });
                ctx.query.delete('order');
                await returnsPage(ctx, h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'return-ok' },
                    t('returns.recorded_ok', { id: ret.id }), ' ', h('a', { href: `#/returns?id=${encodeURIComponent(ret.id)}` }, t('common.view'))));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    if (orderId) queueMicrotask(loadOrder);
    return card(t('returns.record_title'), h('p', { class: 'muted small' }, t('returns.record_hint')), form);
}
