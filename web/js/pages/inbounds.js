// Inbounds (ASNs): list with filters, detail with its lines, and for
// operators the receive and putaway forms.

import { api, listPage, idemKeeper } from '../api.js';
import { t, fmtNum, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, badge, errorBox, showProblem, notice, isOperator, intValue, busy, select } from '../ui.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';
import { journalColumns } from './inventory.js';
import { holdNotice } from './compliance.js';

const STATUSES = ['expected', 'receiving', 'received', 'putaway'];

const total = (lines, f) => (lines || []).reduce((a, l) => a + (Number(l[f]) || 0), 0);

export async function inboundsPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.inbounds'));
    const f = { status: q(query, 'status'), warehouse: q(query, 'warehouse'), seller: q(query, 'seller') };
    main.append(pageHeader(t('inbounds.title')));
    main.append(newInboundForm(ctx));
    main.append(filterBar('inbounds', [
        [t('field.status'), select('status', [['', t('filter.all_statuses')], ...STATUSES.map((s) => [s, t(`istatus.${s}`)])], f.status, { 'data-test': 'filter-status' })],
        [t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })],
        [t('field.seller'), sellerSelect('seller', f.seller, me)],
    ], query));
    const table = pagedTable({
        testId: 'inbounds-table',
        columns: [
            { label: t('field.id'), render: (r) => h('a', { href: `#/inbounds/${encodeURIComponent(r.id)}`, class: 'mono strong' }, r.id) },
            { label: t('inbounds.reference'), wide: true, render: (r) => r.reference },
            { label: t('field.seller'), render: (r) => r.seller },
            { label: t('field.warehouse'), render: (r) => r.warehouse },
            { label: t('field.status'), render: (r) => badge('istatus', r.status) },
            { label: t('inbounds.expected'), num: true, render: (r) => fmtNum(total(r.lines, 'expected')) },
            { label: t('inbounds.received'), num: true, render: (r) => fmtNum(total(r.lines, 'received')) },
            { label: t('inbounds.put_away'), num: true, render: (r) => fmtNum(total(r.lines, 'put_away')) },
            { label: t('field.created'), wide: true, render: (r) => h('span', { class: 'nowrap', title: r.created_at }, fmtTime(r.created_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/inbounds', f, cursor, 25),
        emptyText: t('inbounds.empty'),
    });
    main.append(card(null, table));
    await table.ready;
}

export async function inboundPage(ctx, flash) {
    const { me, main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(id);
    const ib = await api('GET', `/v1/inbounds/${encodeURIComponent(id)}`);
    if (!ctx.alive()) return;
    main.replaceChildren();
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('inbounds.one')} `), h('span', { class: 'mono' }, ib.id), ' ', badge('istatus', ib.status)),
        h('a', { class: 'btn btn-secondary', href: '#/inbounds' }, t('common.back'))));
    if (flash) main.append(flash);
    if (ib.status === 'on_hold' && ib.hold_reason) main.append(holdNotice(ib));

    const lines = ib.lines || [];
    main.append(h('div', { class: 'grid-2' },
        card(t('common.details'), kv([
            [t('inbounds.reference'), ib.reference],
            [t('field.seller'), ib.seller],
            [t('field.warehouse'), ib.warehouse],
            [t('field.status'), badge('istatus', ib.status)],
            [t('field.created'), fmtTime(ib.created_at)],
            ib.closed && [t('inbounds.closed'), h('span', { 'data-test': 'inbound-closed' }, fmtTime(ib.closed.at), ' · ', ib.closed.by,
                ib.closed.reason ? h('span', { class: 'muted' }, ` · ${ib.closed.reason}`) : null)],
        ])),
        card(t('inbounds.progress'), progress(lines))));

    main.append(card(t('inbounds.lines'), h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'inbound-lines' },
        h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', { class: 'num' }, t('inbounds.expected')),
            h('th', { class: 'num' }, t('inbounds.received')), h('th', { class: 'num' }, t('inbounds.difference')), h('th', { class: 'num' }, t('inbounds.put_away')))),
        h('tbody', null, lines.map((l) => h('tr', null,
            h('td', { 'data-label': t('field.sku') }, h('a', { class: 'mono', href: `#/sku/${encodeURIComponent(ib.seller)}/${encodeURIComponent(l.sku)}` }, l.sku)),
            h('td', { class: 'num', 'data-label': t('inbounds.expected') }, fmtNum(l.expected)),
            h('td', { class: 'num', 'data-label': t('inbounds.received') }, fmtNum(l.received)),
            h('td', { class: 'num', 'data-label': t('inbounds.difference'), 'data-test': `difference-${l.sku}` }, diff(l)),
            h('td', { class: 'num', 'data-label': t('inbounds.put_away') }, fmtNum(l.put_away)))))))));

    if (isOperator(me)) {
        const toReceive = lines.some((l) => (Number(l.received) || 0) < (Number(l.expected) || 0));
        const toPut = lines.some((l) => (Number(l.received) || 0) > (Number(l.put_away) || 0));
        const actions = h('div', { class: 'grid-2' });
        actions.append(receiveForm(ctx, ib, toReceive && !ib.closed));
        actions.append(putawayCard(ctx, ib, toPut));
        main.append(actions);
        const differs = lines.some((l) => (Number(l.received) || 0) !== (Number(l.expected) || 0));
        if (!ib.closed && ib.status !== 'putaway' && differs) main.append(closeCard(ctx, ib));
    }

    const journal = pagedTable({
        testId: 'journal',
        columns: journalColumns(true),
        fetchPage: (cursor) => listPage('/v1/journal', { ref: ib.id }, cursor, 50),
        emptyText: t('journal.empty'),
    });
    main.append(card(t('common.journal'), journal));
    await journal.ready;
}

// received - expected: "−3" short, "+2" over, "0"
function diff(l) {
    const d = (Number(l.received) || 0) - (Number(l.expected) || 0);
    return h('span', { class: d < 0 ? 'text-danger' : d > 0 ? 'text-warn' : 'muted' }, d > 0 ? `+${fmtNum(d)}` : d < 0 ? `−${fmtNum(-d)}` : '0');
}

// Close an inbound that arrived short or over: POST /v1/inbounds/{id}/close {reason?}
function closeCard(ctx, ib) {
    const err = errorBox();
    const idem = idemKeeper();
    const reason = h('input', { type: 'text', name: 'reason', maxlength: 200, 'data-field': 'reason', 'data-test': 'close-reason', autocomplete: 'off', placeholder: t('inbounds.close_reason_hint') });
    const btn = h('button', { type: 'submit', class: 'btn btn-danger', 'data-test': 'close-submit' }, t('inbounds.close'));
    const form = h('form', { novalidate: true, class: 'action-form inline-form', 'data-test': 'close-form' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('inbounds.close_reason')), reason),
        h('div', { class: 'form-actions' }, btn));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
        busy(btn, async () => {
            try {
                await api('POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/close`, { body, idem: idem(body) });
                await inboundPage(ctx, notice(t('inbounds.closed_ok'), 'success'));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('inbounds.close_title'), h('p', { class: 'muted small' }, t('inbounds.close_hint')), form, err);
}

function progress(lines) {
    const exp = total(lines, 'expected');
    const rec = total(lines, 'received');
    const put = total(lines, 'put_away');
    const pct = (n) => (exp > 0 ? Math.min(100, Math.round((n / exp) * 100)) : 0);
    const bar = (label, n, cls) => h('div', { class: 'progress-row' },
        h('div', { class: 'progress-label' }, h('span', null, label), h('span', { class: 'muted' }, `${fmtNum(n)} / ${fmtNum(exp)}`)),
        h('div', { class: 'progress' }, h('div', { class: `progress-fill ${cls}`, style: `width:${pct(n)}%` })));
    return h('div', null, bar(t('inbounds.received'), rec, 'fill-teal'), bar(t('inbounds.put_away'), put, 'fill-green'));
}

function receiveForm(ctx, ib, open) {
    const err = errorBox();
    const idem = idemKeeper();
    const rows = (ib.lines || []).map((l, i) => {
        const remaining = Math.max(0, (Number(l.expected) || 0) - (Number(l.received) || 0));
        // counted, not expected: the field starts empty so nobody books the ASN's figure unseen
        const input = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', value: '', placeholder: '0', 'data-field': `lines[${i}].qty`, 'data-sku': l.sku, 'data-test': `receive-qty-${l.sku}`, class: 'qty-input' });
        return { l, input, row: h('tr', null, h('td', { class: 'mono', 'data-label': t('field.sku') }, l.sku), h('td', { class: 'num', 'data-label': t('inbounds.remaining') }, fmtNum(remaining)), h('td', { 'data-label': t('inbounds.receive_now') }, input)) };
    });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'receive-submit', disabled: !open }, t('inbounds.receive'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'receive-form' },
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
            h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', { class: 'num' }, t('inbounds.remaining')), h('th', null, t('inbounds.receive_now')))),
            h('tbody', null, rows.map((r) => r.row)))),
        err,
        h('div', { class: 'form-actions' }, btn));
    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const body = { lines: [] };
        for (const r of rows) {
            const n = intValue(r.input);
            if (r.input.value.trim() === '' || n === 0) continue;
            body.lines.push({ sku: r.l.sku, qty: Number.isNaN(n) ? r.input.value : n });
        }
        if (!body.lines.length) {
            showProblem(err, new Error(t('inbounds.nothing_to_receive')), form);
            return;
        }
        // renumber data-field so the server's lines[i] matches the sent lines
        rows.forEach((r) => r.input.removeAttribute('data-field'));
        let i = 0;
        for (const r of rows) {
            const n = intValue(r.input);
            if (r.input.value.trim() === '' || n === 0) continue;
            r.input.setAttribute('data-field', `lines[${i++}].qty`);
        }
        await busy(btn, async () => {
            try {
                await api('POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/receipts`, { body, idem: idem(body) });
                await inboundPage(ctx, notice(t('inbounds.received_ok'), 'success'));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('inbounds.receive_title'), open ? h('p', { class: 'muted small' }, t('inbounds.receive_hint')) : h('p', { class: 'muted small' }, t('inbounds.all_received')), form);
}

function putawayCard(ctx, ib, open) {
    const err = errorBox();
    const result = h('div');
    const autoBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'putaway-auto', disabled: !open }, t('inbounds.putaway_auto'));
    const idemAuto = idemKeeper();
    autoBtn.addEventListener('click', () => busy(autoBtn, async () => {
        try {
            const res = await api('POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/putaway`, { body: {}, idem: idemAuto({}) });
            await inboundPage(ctx, movesNotice(res));
        } catch (ex) {
            showProblem(err, ex);
        }
    }));

    // manual putaway: one move at a time, location from the warehouse's list
    const pending = (ib.lines || []).filter((l) => (Number(l.received) || 0) > (Number(l.put_away) || 0));
    const skuSel = select('sku', pending.map((l) => [l.sku, `${l.sku} (${fmtNum(l.received - l.put_away)})`]), pending[0]?.sku, { 'data-field': 'moves[0].sku', 'data-test': 'putaway-sku' });
    const qty = h('input', { type: 'number', min: 1, step: 1, inputmode: 'numeric', name: 'qty', value: pending[0] ? pending[0].received - pending[0].put_away : '', 'data-field': 'moves[0].qty', 'data-test': 'putaway-qty' });
    const dl = h('datalist', { id: `locs-${ib.id}` });
    const loc = h('input', { type: 'text', name: 'location', list: dl.id, autocomplete: 'off', placeholder: 'A-01-1', 'data-field': 'moves[0].location', 'data-test': 'putaway-location' });
    let locsLoaded = false;
    loc.addEventListener('focus', async () => {
        if (locsLoaded) return;
        locsLoaded = true;
        try {
            const page = await api('GET', `/v1/warehouses/${encodeURIComponent(ib.warehouse)}/locations`, { query: { limit: 200 } });
            for (const l of page.items || []) if (l.zone !== 'RECEIVING' && l.zone !== 'RETURNS') dl.appendChild(h('option', { value: l.code }, l.zone));
        } catch { /* suggestions only */ }
    });
    skuSel.addEventListener('change', () => {
        const l = pending.find((x) => x.sku === skuSel.value);
        if (l) qty.value = l.received - l.put_away;
    });
    const manBtn = h('button', { type: 'submit', class: 'btn btn-secondary', 'data-test': 'putaway-manual' }, t('inbounds.putaway_manual'));
    const idemMan = idemKeeper();
    const form = h('form', { novalidate: true, class: 'action-form inline-form' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.sku')), skuSel),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.qty')), qty),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.location')), loc, dl),
        h('div', { class: 'form-actions' }, manBtn));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(manBtn, async () => {
            try {
                const n = intValue(qty);
                const body = { moves: [{ sku: skuSel.value, qty: Number.isNaN(n) ? qty.value : n, location: loc.value.trim() }] };
                const res = await api('POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/putaway`, { body, idem: idemMan(body) });
                await inboundPage(ctx, movesNotice(res));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('inbounds.putaway_title'),
        h('p', { class: 'muted small' }, open ? t('inbounds.putaway_hint') : t('inbounds.nothing_to_put')),
        h('div', { class: 'form-actions' }, autoBtn),
        open ? h('details', { class: 'manual' }, h('summary', null, t('inbounds.putaway_manual_title')), form) : null,
        err, result);
}

function movesNotice(res) {
    const moves = (res && res.moves) || [];
    return h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'putaway-result' },
        h('strong', null, t('inbounds.putaway_ok', { n: moves.length })),
        moves.length ? h('ul', { class: 'moves' }, moves.map((m) => h('li', null, h('span', { class: 'mono' }, m.sku), ` × ${fmtNum(m.qty)} → `, h('span', { class: 'mono strong' }, m.location)))) : null);
}

// Announce an inbound (ASN): POST /v1/inbounds {seller, warehouse, reference, lines[{sku, qty}]}.
// Open to every role; a seller key announces for itself.
function newInboundForm(ctx) {
    const { me } = ctx;
    const err = errorBox();
    const idem = idemKeeper();
    const seller = me.role === 'seller'
        ? null
        : sellerSelect('seller', '', me);
    if (seller) {
        seller.firstChild.textContent = t('inbounds.choose_seller');
        seller.setAttribute('data-field', 'seller');
        seller.setAttribute('data-test', 'new-inbound-seller');
    }
    const wh = warehouseSelect('warehouse', me.warehouse || '', { me, all: false });
    wh.setAttribute('data-field', 'warehouse');
    wh.setAttribute('data-test', 'new-inbound-warehouse');
    const ref = h('input', { type: 'text', name: 'reference', 'data-field': 'reference', placeholder: 'ASN-2026-001', 'data-test': 'new-inbound-reference', autocomplete: 'off' });
    const dl = h('datalist', { id: 'sku-suggest' });
    const tbody = h('tbody');
    const rows = [];
    let suggestFor = null;
    async function suggest() {
        const sc = me.role === 'seller' ? me.seller : seller && seller.value;
        if (!sc || suggestFor === sc) return;
        suggestFor = sc;
        dl.replaceChildren();
        try {
            const page = await api('GET', '/v1/skus', { query: { seller: sc, limit: 100 } });
            for (const k of page.items || []) dl.appendChild(h('option', { value: k.sku }, k.name || ''));
        } catch { /* suggestions only */ }
    }
    function addLine() {
        const i = rows.length;
        const sku = h('input', { type: 'text', list: dl.id, class: 'mono', 'data-field': `lines[${i}].sku`, 'data-test': 'new-inbound-sku', autocomplete: 'off', onfocus: suggest });
        const qty = h('input', { type: 'number', min: 1, step: 1, class: 'qty-input', 'data-field': `lines[${i}].qty`, 'data-test': 'new-inbound-qty' });
        rows.push({ sku, qty });
        tbody.appendChild(h('tr', null, h('td', { 'data-label': t('field.sku') }, sku), h('td', { 'data-label': t('field.qty') }, qty)));
    }
    addLine();
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'new-inbound-submit' }, t('inbounds.create'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'new-inbound-form' },
        h('div', { class: 'inline-form' },
            seller ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.seller')), seller) : null,
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.warehouse')), wh),
            h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, t('inbounds.reference')), ref)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
            h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', null, t('field.qty')))), tbody)),
        dl, err,
        h('div', { class: 'form-actions' },
            h('button', { type: 'button', class: 'btn btn-link', onclick: addLine }, t('returns.add_line')), btn));
    if (seller) seller.addEventListener('change', () => { suggestFor = null; });
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            const lines = [];
            rows.forEach((r) => {
                if (!r.sku.value.trim() && !r.qty.value.trim()) return;
                const n = intValue(r.qty);
                r.sku.setAttribute('data-field', `lines[${lines.length}].sku`);
                r.qty.setAttribute('data-field', `lines[${lines.length}].qty`);
                lines.push({ sku: r.sku.value.trim(), qty: Number.isNaN(n) ? r.qty.value : n });
            });
            const body = { seller: me.role === 'seller' ? me.seller : seller.value, warehouse: wh.value, reference: ref.value.trim(), lines };
            try {
                const ib = await api('POST', '/v1/inbounds', { body, idem: idem(body) });
                ctx.go(`#/inbounds/${encodeURIComponent(ib.id)}`);
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return h('details', { class: 'card card-collapsible', 'data-test': 'new-inbound' },
        h('summary', null, h('span', { class: 'card-title' }, t('inbounds.new')), h('span', { class: 'muted small' }, t('inbounds.new_hint'))),
        form);
}
