// Orders: list with filters (status, channel, country, dates), detail with
// its timeline and the actions its state allows; release a wave (operators);
// bulk actions on the rows ticked in the list (wave, print labels, cancel).

import { api, listPage, idemKeeper } from '../api.js';
import { t, tv, fmtNum, fmtTime, fmtMoney } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, badge, errorBox, showProblem, notice, isOperator, intValue, busy, select, confirmButton } from '../ui.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';
import { journalColumns } from './inventory.js';
import { holdNotice } from './compliance.js';
import { download } from './money.js';

export const ORDER_STATUSES = ['backordered', 'allocated', 'picking', 'packed', 'shipped', 'delivered', 'cancelled'];
const CANCELLABLE = ['backordered', 'allocated', 'picking', 'packed'];

const units = (lines) => (lines || []).reduce((a, l) => a + (Number(l.qty) || 0), 0);

export function orderLink(id) {
    return h('a', { href: `#/orders/${encodeURIComponent(id)}`, class: 'mono strong' }, id);
}

export async function ordersPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.orders'));
    const f = {
        q: q(query, 'q'), status: q(query, 'status'), channel: q(query, 'channel'), country: q(query, 'country'),
        from: q(query, 'from'), to: q(query, 'to'), warehouse: q(query, 'warehouse'), seller: q(query, 'seller'),
    };
    main.append(pageHeader(t('orders.title')));
    if (isOperator(me)) main.append(waveForm(ctx, f.warehouse));
    main.append(filterBar('orders', [
        [t('orders.search'), h('input', { type: 'search', name: 'q', value: f.q, placeholder: t('orders.search_hint'), 'data-test': 'filter-q', autocomplete: 'off', class: 'search-input' })],
        [t('field.status'), select('status', [['', t('filter.all_statuses')], ...ORDER_STATUSES.map((s) => [s, tv('status', s)])], f.status, { 'data-test': 'filter-status' })],
        [t('orders.channel'), h('input', { type: 'text', name: 'channel', value: f.channel, placeholder: 'amazon', 'data-test': 'filter-channel', autocomplete: 'off' })],
        [t('orders.country'), h('input', { type: 'text', name: 'country', value: f.country, placeholder: 'DE', maxlength: 2, class: 'upper short', 'data-test': 'filter-country', autocomplete: 'off' })],
        [t('filter.from'), h('input', { type: 'date', name: 'from', value: f.from, 'data-test': 'filter-from' })],
        [t('filter.to'), h('input', { type: 'date', name: 'to', value: f.to, 'data-test': 'filter-to' })],
        [t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })],
        [t('field.seller'), sellerSelect('seller', f.seller, me)],
    ], query));
    if (f.country) f.country = f.country.toUpperCase();
    const bulk = bulkActions(ctx);
    const table = pagedTable({
        testId: 'orders-table',
        rowAttrs: (o) => ({ 'data-order': o.id }),
        columns: [
            { label: t('bulk.select'), cls: 'pick-col', render: (o) => bulk.checkbox(o) },
            { label: t('field.id'), render: (o) => orderLink(o.id) },
            { label: t('orders.channel_order'), wide: true, render: (o) => h('span', null, h('span', { class: 'chip' }, o.channel), ' ', o.channel_order_id) },
            { label: t('field.seller'), render: (o) => o.seller },
            { label: t('field.warehouse'), render: (o) => o.warehouse || '—' },
            { label: t('orders.country'), render: (o) => (o.ship_to && o.ship_to.country) || '—' },
            { label: t('field.status'), render: (o) => h('span', { 'data-status-of': o.id }, badge('status', o.status)) },
            { label: t('orders.units'), num: true, render: (o) => fmtNum(units(o.lines)) },
            { label: t('field.created'), wide: true, render: (o) => h('span', { class: 'nowrap', title: o.created_at }, fmtTime(o.created_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/orders', f, cursor, 25),
        emptyText: t('orders.empty'),
    });
    main.append(card(null, bulk.bar, table));
    await table.ready;
}

// The selection over the orders list and its action bar: tick rows (or all
// shown), then cancel the selected: POST /v1/orders/{id}/cancel one by one
// (the API's roles apply: a seller key cancels only its own orders), listing
// per order whether it was cancelled or refused with the problem's detail;
// operators and admins also make a wave of exactly the selected
// (POST /v1/waves {warehouse, orders}: all or nothing, a refusal names orders[i]);
// everyone prints the selected orders' labels in the order ticked rows are
// shown (GET /v1/dispatch/labels.pdf?orders=ID,ID, at most LABELS_MAX; a refusal
// names orders or orders[i]).
const LABELS_MAX = 500;
export function labelsUrl(ids) {
    return `/v1/dispatch/labels.pdf?orders=${ids.map(encodeURIComponent).join(',')}`;
}

function bulkActions(ctx) {
    const picked = new Map(); // order id -> checkbox
    const whOf = new Map(); // order id -> its warehouse
    const err = errorBox();
    const count = h('span', { class: 'muted bulk-count', 'data-test': 'bulk-count' });
    const all = h('input', { type: 'checkbox', 'data-test': 'bulk-all' });
    const results = h('ul', { class: 'bulk-results', 'data-test': 'bulk-results', hidden: true });
    const idem = idemKeeper();
    const ticked = () => [...picked.entries()].filter(([, box]) => box.checked).map(([id]) => id);
    const cancel = confirmButton(t('bulk.cancel'), t('bulk.cancel_confirm'), async () => {
        const ids = ticked();
        results.replaceChildren();
        results.hidden = false;
        for (const id of ids) results.append(await cancelOne(id));
        resetConfirm();
        setTimeout(refresh, 0); // after busy() has given the button back
    }, { 'data-test': 'bulk-cancel' });
    const waveIdem = idemKeeper();
    const wave = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'bulk-wave' }, t('bulk.wave'));
    wave.addEventListener('click', () => busy(wave, async () => {
        const ids = ticked();
        const body = { warehouse: whOf.get(ids[0]) || '', orders: ids };
        try {
            const w = await api('POST', '/v1/waves', { body, idem: waveIdem(body) });
            ctx.go(`#/waves/${encodeURIComponent(w.id)}`);
        } catch (ex) {
            showProblem(err, ex);
        }
    }));
    const print = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'bulk-print', title: t('bulk.print_hint', { n: fmtNum(LABELS_MAX) }) }, t('bulk.print_labels'));
    print.addEventListener('click', () => busy(print, async () => {
        showProblem(err, null);
        const ids = ticked();
        try {
            await download(labelsUrl(ids), `labels-${ids.length}.pdf`);
        } catch (ex) {
            showProblem(err, ex);
        }
    }));
    const resetConfirm = () => cancel.querySelector('[data-test=confirm-no]').click();
    async function cancelOne(id) {
        try {
            const o = await api('POST', `/v1/orders/${encodeURIComponent(id)}/cancel`, { body: {}, idem: idem({ cancel: id }) });
            const cell = document.querySelector(`[data-status-of="${CSS.escape(id)}"]`);
            if (cell) cell.replaceChildren(badge('status', o.status));
            picked.get(id).checked = false;
            return h('li', { class: 'ok', 'data-test': 'bulk-ok', 'data-order': id }, h('span', { class: 'mono strong' }, id), ' ', t('bulk.cancelled'));
        } catch (ex) {
            const detail = (ex && ex.problem && (ex.problem.detail || ex.problem.title)) || String((ex && ex.message) || ex);
            return h('li', { class: 'refused', 'data-test': 'bulk-refused', 'data-order': id }, h('span', { class: 'mono strong' }, id), ' ', t('bulk.refused'), ': ', detail);
        }
    }
    function refresh() {
        const n = ticked().length;
        count.textContent = t('bulk.selected', { n: fmtNum(n) });
        cancel.querySelector('[data-test=bulk-cancel]').disabled = n === 0;
        wave.disabled = n === 0;
        print.disabled = n === 0 || n > LABELS_MAX;
        print.dataset.href = n ? labelsUrl(ticked()) : '';
        all.checked = n > 0 && n === picked.size;
    }
    all.addEventListener('change', () => {
        for (const box of picked.values()) box.checked = all.checked;
        refresh();
    });
    refresh();
    const bar = h('div', { class: 'bulk-bar inline-form', 'data-test': 'bulk-bar' },
        h('label', { class: 'check' }, all, ' ', t('bulk.all_shown')), count,
        isOperator(ctx.me) ? wave : null, print, cancel);
    return {
        bar: h('div', { class: 'bulk' }, bar, err, results),
        checkbox(o) {
            const box = h('input', { type: 'checkbox', 'aria-label': t('bulk.select_one', { id: o.id }), 'data-test': 'bulk-pick', 'data-order': o.id });
            box.addEventListener('change', refresh);
            picked.set(o.id, box);
            whOf.set(o.id, o.warehouse || '');
            queueMicrotask(refresh);
            return box;
        },
    };
}

// Release a wave: POST /v1/waves {warehouse, max_orders?, cart?, cutoff_window_min?},
// then show its pick list. The cart fields are optional (empty: no limit);
// volume is asked in litres and weight in kg, sent as mm³ and g.
export function waveForm(ctx, warehouse) {
    const { me } = ctx;
    const err = errorBox();
    const wh = warehouseSelect('warehouse', warehouse || me.warehouse || '', { me, all: false, required: true });
    wh.setAttribute('data-field', 'warehouse');
    wh.setAttribute('data-test', 'wave-warehouse');
    const max = h('input', { type: 'number', name: 'max_orders', min: 1, step: 1, placeholder: '20', class: 'short', 'data-field': 'max_orders', 'data-test': 'wave-max' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'wave-release' }, t('waves.release'));
    const idem = idemKeeper();
    // [api field, label, placeholder, scale (litres/kg to mm³/g), step]
    const cartFields = [
        ['max_orders', 'waves.cart_orders', '8', 1, 1],
        ['max_lines', 'waves.cart_lines', '24', 1, 1],
        ['max_volume_mm3', 'waves.cart_volume', '240', 1e6, 'any'],
        ['max_weight_g', 'waves.cart_weight', '30', 1000, 'any'],
        ['totes', 'waves.cart_totes', '8', 1, 1],
    ].map(([name, label, ph, scale, step]) => ({
        name, label, scale,
        input: h('input', { type: 'number', name: `cart_${name}`, min: 0, step, placeholder: ph, inputmode: scale === 1 ? 'numeric' : 'decimal', class: 'short', 'data-field': `cart.${name}`, 'data-test': `wave-cart-${name.replace(/_/g, '-')}` }),
    }));
    const windowIn = h('input', { type: 'number', name: 'cutoff_window_min', min: 1, step: 1, placeholder: '60', inputmode: 'numeric', class: 'short', 'data-field': 'cutoff_window_min', 'data-test': 'wave-cutoff-window' });
    const field = (label, input) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(label)), input);
    const cart = h('details', { class: 'manual wave-cart', 'data-test': 'wave-cart' },
        h('summary', null, t('waves.cart')),
        h('p', { class: 'field-hint' }, t('waves.cart_hint'), ' ', t('waves.cutoff_hint')),
        h('div', { class: 'inline-form' }, ...cartFields.map((f) => field(f.label, f.input)), field('waves.cutoff_window', windowIn)));
    const form = h('form', { novalidate: true, class: 'wave-form inline-form', 'data-test': 'wave-form' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.warehouse')), wh),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('waves.max_orders')), max),
        h('div', { class: 'form-actions' }, btn),
        cart);
    // a number as typed (scaled, rounded) or, when it is not one, the text itself
    // so the API's 400 names the field
    const numberOf = (input, scale) => {
        const v = input.value.trim();
        if (scale === 1) {
            const n = intValue(input);
            return Number.isNaN(n) ? v : n;
        }
        return /^\d+(\.\d*)?$|^\.\d+$/.test(v) ? Math.round(parseFloat(v) * scale) : v;
    };
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            const body = { warehouse: wh.value };
            if (max.value.trim() !== '') body.max_orders = numberOf(max, 1);
            const c = {};
            for (const f of cartFields) if (f.input.value.trim() !== '') c[f.name] = numberOf(f.input, f.scale);
            // a cut-off window alone still splits the wave into trips, window by window
            if (windowIn.value.trim() !== '') body.cutoff_window_min = numberOf(windowIn, 1);
            if (Object.keys(c).length || body.cutoff_window_min !== undefined) body.cart = c;
            try {
                const wave = await api('POST', '/v1/waves', { body, idem: idem(body) });
                ctx.go(`#/waves/${encodeURIComponent(wave.id)}`);
            } catch (ex) {
                if (ex && ex.fieldErrors && ex.fieldErrors.some((f) => /^(cart\.|cutoff_window_min)/.test(f.field || ''))) cart.open = true;
                showProblem(err, ex, form);
            }
        });
    });
    return h('section', { class: 'card card-action' },
        h('div', { class: 'card-action-text' }, h('h2', { class: 'card-title' }, t('waves.release_title')), h('p', { class: 'muted small' }, t('waves.release_hint'))),
        form, err);
}

export async function orderPage(ctx, flash) {
    const { me, main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(id);
    const o = await api('GET', `/v1/orders/${encodeURIComponent(id)}`);
    if (!ctx.alive()) return;
    const reload = (msg) => orderPage(ctx, notice(msg, 'success'));
    main.replaceChildren();

    const actions = [];
    if (CANCELLABLE.includes(o.status)) {
        const err = errorBox();
        const idem = idemKeeper();
        actions.push(h('div', { class: 'action' },
            confirmButton(t('orders.cancel'), t('orders.cancel_confirm'), async () => {
                try {
                    await api('POST', `/v1/orders/${encodeURIComponent(o.id)}/cancel`, { body: {}, idem: idem({}) });
                    await reload(t('orders.cancelled_ok'));
                } catch (ex) {
                    showProblem(err, ex);
                }
            }, { 'data-test': 'order-cancel' }), err));
    }
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('orders.one')} `), h('span', { class: 'mono' }, o.id), ' ', badge('status', o.status)),
        ...actions.map((a) => a),
        h('a', { class: 'btn btn-secondary', href: '#/orders' }, t('common.back'))));
    if (flash) main.append(flash);
    if (o.status === 'on_hold' && o.hold_reason) main.append(holdNotice(o));

    const st = o.ship_to || {};
    main.append(h('div', { class: 'grid-3' },
        card(t('common.details'), kv([
            [t('orders.channel'), o.channel],
            [t('orders.channel_order_id'), o.channel_order_id],
            [t('field.seller'), o.seller],
            [t('field.warehouse'), o.warehouse || '—'],
            o.wave && [t('orders.wave'), isOperator(me) ? h('a', { class: 'mono', href: `#/waves/${encodeURIComponent(o.wave)}` }, o.wave) : h('span', { class: 'mono' }, o.wave)],
            o.carrier && [t('orders.carrier'), o.carrier],
            o.tracking_no && [t('orders.tracking_no'), h('span', { class: 'mono' }, o.tracking_no)],
            [t('field.created'), fmtTime(o.created_at)],
        ])),
        card(t('orders.ship_to'), h('address', { class: 'address' },
            h('strong', null, st.name || '—'), h('br'), st.line1 || '', st.line1 ? h('br') : null,
            [st.postcode, st.city].filter(Boolean).join(' '), h('br'), st.country || '')),
        card(t('orders.timeline'), timeline(o))));

    // per line: allocated until packing, then how far the goods went
    const steps = ['allocated', 'picked', 'packed', 'shipped', 'delivered'];
    main.append(card(t('orders.lines'), h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'order-lines' },
        h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', { class: 'num' }, t('field.qty')),
            steps.map((k) => h('th', { class: 'num' }, t(`orders.${k}`))), h('th', { class: 'num' }, t('orders.unit_price')))),
        h('tbody', null, (o.lines || []).map((l) => h('tr', null,
            h('td', { 'data-label': t('field.sku') }, h('a', { class: 'mono', href: `#/sku/${encodeURIComponent(o.seller)}/${encodeURIComponent(l.sku)}` }, l.sku)),
            h('td', { class: 'num', 'data-label': t('field.qty') }, fmtNum(l.qty)),
            steps.map((k) => h('td', { class: 'num', 'data-label': t(`orders.${k}`), 'data-test': `line-${k}` }, fmtNum(l[k] || 0))),
            h('td', { class: 'num', 'data-label': t('orders.unit_price') }, fmtMoney(l.unit_price)))))))));

    if ((o.parcels || []).length) {
        main.append(card(t('orders.parcels'), h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'order-parcels' },
            h('thead', null, h('tr', null, h('th', null, '#'), h('th', { class: 'num' }, t('orders.parcel_weight')), h('th', { class: 'num' }, t('orders.parcel_dims')))),
            h('tbody', null, o.parcels.map((p, i) => h('tr', null,
                h('td', { 'data-label': '#' }, String(i + 1)),
                h('td', { class: 'num', 'data-label': t('orders.parcel_weight') }, `${fmtNum(p.weight_g)} g`),
                h('td', { class: 'num', 'data-label': t('orders.parcel_dims') }, `${(p.dims_mm || []).map(fmtNum).join(' × ')} mm`))))))));
    }

    const ops = orderActions(o, reload, isOperator(me));
    if (ops) main.append(ops);

    const journal = pagedTable({
        testId: 'journal',
        columns: journalColumns(true),
        fetchPage: (cursor) => listPage('/v1/journal', { ref: o.id }, cursor, 50),
        emptyText: t('journal.empty'),
    });
    main.append(card(t('common.journal'), journal));
    await journal.ready;
}

function timeline(o) {
    const hist = Array.isArray(o.history) && o.history.length ? o.history : [{ status: o.status, at: o.updated_at || o.created_at }];
    return h('ol', { class: 'timeline', 'data-test': 'timeline' },
        hist.map((e, i) => h('li', { class: i === hist.length - 1 ? 'current' : '' },
            h('span', { class: `dot dot-${e.status}` }),
            h('div', null, badge('status', e.status), h('div', { class: 'muted small', title: e.at }, fmtTime(e.at))))));
}

// Pack (picking), ship (packed), deliver (shipped): operator and admin keys.
// Record a return (shipped/delivered): every role, as POST /v1/returns allows.
function orderActions(o, reload, operator) {
    const err = errorBox();
    const path = (verb) => `/v1/orders/${encodeURIComponent(o.id)}/${verb}`;
    if (!operator && o.status !== 'shipped' && o.status !== 'delivered') return null;
    if (o.status === 'picking') {
        const btn = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'order-pack' }, t('orders.pack'));
        const idem = idemKeeper();
        btn.addEventListener('click', () => busy(btn, async () => {
            try {
                await api('POST', path('pack'), { body: {}, idem: idem({}) });
                await reload(t('orders.packed_ok'));
            } catch (ex) {
                showProblem(err, ex);
            }
        }));
        return card(t('orders.pack_title'), h('p', { class: 'muted small' }, t('orders.pack_hint')), h('div', { class: 'form-actions' }, btn), err);
    }
    if (o.status === 'packed') {
        const idem = idemKeeper();
        const carrier = h('input', { type: 'text', name: 'carrier', 'data-field': 'carrier', placeholder: 'DHL', 'data-test': 'ship-carrier' });
        const tracking = h('input', { type: 'text', name: 'tracking_no', 'data-field': 'tracking_no', 'data-test': 'ship-tracking' });
        const weight = h('input', { type: 'number', min: 1, step: 1, name: 'weight_g', 'data-field': 'parcels[0].weight_g', placeholder: '1200', 'data-test': 'ship-weight' });
        const dims = h('input', { type: 'text', name: 'dims', 'data-field': 'parcels[0].dims_mm', placeholder: '300×200×100', 'data-test': 'ship-dims' });
        const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'ship-submit' }, t('orders.ship'));
        const form = h('form', { novalidate: true, class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('orders.carrier')), carrier),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('orders.tracking_no')), tracking),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('orders.weight_g')), weight),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('orders.dims_mm')), dims),
            h('div', { class: 'form-actions' }, btn));
        form.addEventListener('submit', (e) => {
            e.preventDefault();
            busy(btn, async () => {
                const w = intValue(weight);
                const d = dims.value.split(/[^0-9]+/).filter(Boolean).map(Number);
                const body = { carrier: carrier.value.trim(), tracking_no: tracking.value.trim(), parcels: [{ weight_g: Number.isNaN(w) ? weight.value : w, dims_mm: d }] };
                try {
                    await api('POST', path('ship'), { body, idem: idem(body) });
                    await reload(t('orders.shipped_ok'));
                } catch (ex) {
                    showProblem(err, ex, form);
                }
            });
        });
        return card(t('orders.ship_title'), form, err);
    }
    if (o.status === 'shipped' || o.status === 'delivered') {
        const parts = [];
        if (o.status === 'shipped' && operator) {
            const btn = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'order-deliver' }, t('orders.deliver'));
            const idem = idemKeeper();
            btn.addEventListener('click', () => busy(btn, async () => {
                try {
                    await api('POST', path('deliver'), { body: {}, idem: idem({}) });
                    await reload(t('orders.delivered_ok'));
                } catch (ex) {
                    showProblem(err, ex);
                }
            }));
            parts.push(btn);
        }
        parts.push(h('a', { class: 'btn btn-secondary', href: `#/returns?order=${encodeURIComponent(o.id)}`, 'data-test': 'order-return' }, t('returns.record')));
        return card(t('orders.next_steps'), h('div', { class: 'form-actions' }, parts), err);
    }
    return null;
}
