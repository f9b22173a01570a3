// Compliance (issue 13, part 7): a seller's traffic-light matrix SKU x market
// (green complete, amber uncertain or a rule starting soon, red missing) with
// what is missing per cell, and the orders, inbounds and transfer orders held
// for compliance with the missing items named. Data: GET /v1/compliance/matrix and
// GET /v1/compliance/holds.
// Routes: #/compliance (?seller=S for admin and operator keys)

import { api, listPage } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem } from '../ui.js';
import { filterBar, sellerSelect, q } from './filters.js';

// Why an order or inbound is on hold, with the missing items (hold_items) and a
// link to the seller's compliance page; for their detail pages.
export function holdNotice(obj) {
    const items = obj.hold_items || [];
    return h('div', { class: 'alert alert-info', role: 'status', 'data-test': 'hold-notice' },
        h('strong', null, t('compliance.on_hold', { reason: t(`compliance.reason.${obj.hold_reason}`) })),
        items.length ? h('ul', { class: 'gap-list', 'data-test': 'hold-items' }, items.map((m) => h('li', { class: 'mono' }, m))) : null,
        obj.hold_reason === 'compliance' ? h('a', { href: `#/compliance?seller=${encodeURIComponent(obj.seller)}` }, t('compliance.open_page')) : null);
}

const LIGHT_MARK = { green: '●', amber: '▲', red: '■' };

function lightCell(seller, cell, onPick) {
    const n = cell.gaps.length;
    const btn = h('button', {
        type: 'button',
        class: `light light-${cell.light}`,
        'data-test': 'matrix-cell',
        'data-sku': cell.sku,
        'data-market': cell.market,
        'data-light': cell.light,
        title: n ? cell.gaps.map((g) => g.item).join('\n') : t('compliance.light.green'),
        'aria-label': `${cell.sku} ${cell.market}: ${t(`compliance.light.${cell.light}`)}`,
    }, h('span', { 'aria-hidden': 'true' }, LIGHT_MARK[cell.light] || '?'), n ? h('span', { class: 'light-n' }, String(n)) : null);
    btn.addEventListener('click', () => onPick(cell));
    return btn;
}

function gapList(cell) {
    if (!cell.gaps.length) return h('p', { class: 'muted', 'data-test': 'cell-complete' }, t('compliance.complete'));
    return h('ul', { class: 'gap-list', 'data-test': 'cell-gaps' }, cell.gaps.map((g) => h('li', { 'data-level': g.level },
        h('span', { class: `badge badge-gap-${g.level}` }, t(`compliance.level.${g.level}`)), ' ',
        h('span', { class: 'mono' }, g.item), ' ',
        h('span', { class: 'muted small' }, t('compliance.by_rule', { rule: g.rule })))));
}

// The matrix, a page of SKUs at a time (the API pages by SKU).
function matrixCard(seller) {
    const err = errorBox();
    const head = h('tr');
    const body = h('tbody');
    const detail = h('div', { class: 'cell-detail', 'data-test': 'cell-detail', 'aria-live': 'polite' },
        h('p', { class: 'muted small' }, t('compliance.pick_cell')));
    const more = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'matrix-more', hidden: true }, t('common.load_more'));
    const counts = { green: 0, amber: 0, red: 0 };
    const summary = h('p', { class: 'muted small', 'data-test': 'matrix-summary' });
    let cursor = null;
    let markets = null;
    const pick = (cell) => {
        detail.replaceChildren(h('h3', null, `${cell.sku} · ${cell.market} · ${t(`compliance.light.${cell.light}`)}`), gapList(cell));
        if (detail.scrollIntoView) detail.scrollIntoView({ block: 'nearest' });
    };
    async function load() {
        more.disabled = true;
        try {
            const page = await api('GET', '/v1/compliance/matrix', { query: { seller, limit: 50, cursor: cursor || undefined } });
            if (!markets) {
                markets = page.markets;
                head.replaceChildren(h('th', { class: 'sticky' }, t('field.sku')), ...markets.map((m) => h('th', { class: 'center' }, m)));
            }
            const bySku = new Map();
            for (const c of page.items) {
                if (!bySku.has(c.sku)) bySku.set(c.sku, []);
                bySku.get(c.sku).push(c);
                counts[c.light] = (counts[c.light] || 0) + 1;
            }
            for (const [sku, cells] of bySku) {
                body.appendChild(h('tr', { 'data-test': 'matrix-row', 'data-sku': sku },
                    h('th', { class: 'sticky', scope: 'row' }, h('a', { href: `#/sku/${encodeURIComponent(seller)}/${encodeURIComponent(sku)}`, class: 'mono' }, sku)),
                    ...cells.map((c) => h('td', { class: 'center' }, lightCell(seller, c, pick)))));
            }
            if (!body.children.length) body.appendChild(h('tr', { class: 'empty' }, h('td', { colspan: (markets || []).length + 1 }, t('compliance.no_skus'))));
            summary.textContent = t('compliance.summary', counts);
            cursor = page.next_cursor;
            more.hidden = !cursor;
            showProblem(err, null);
        } catch (e) {
            showProblem(err, e);
        } finally {
            more.disabled = false;
        }
    }
    more.addEventListener('click', load);
    const legend = h('p', { class: 'legend small' },
        ['green', 'amber', 'red'].map((l) => h('span', { class: 'legend-item' }, h('span', { class: `light light-${l}`, 'aria-hidden': 'true' }, LIGHT_MARK[l]), ' ', t(`compliance.light.${l}`))));
    const node = card(t('compliance.matrix'), h('p', { class: 'muted small' }, t('compliance.matrix_hint')), legend, err,
        h('div', { class: 'table-wrap matrix-wrap' }, h('table', { class: 'matrix', 'data-test': 'matrix' }, h('thead', null, head), body)),
        h('div', { class: 'table-foot' }, summary, more), detail);
    return { node, ready: load() };
}

// The page of a held order, inbound or transfer order.
function holdHref(x) {
    const id = encodeURIComponent(x.id);
    if (x.kind === 'order') return `#/orders/${id}`;
    if (x.kind === 'transfer') return `#/transfers?id=${id}`;
    return `#/inbounds/${id}`;
}

function heldCard(seller) {
    const table = pagedTable({
        testId: 'holds-table',
        columns: [
            { label: t('compliance.kind'), render: (x) => t(`compliance.kind.${x.kind}`) },
            { label: t('field.id'), render: (x) => h('a', { class: 'mono', href: holdHref(x) }, x.id) },
            { label: t('compliance.market'), render: (x) => x.market },
            { label: t('compliance.reason'), render: (x) => t(`compliance.reason.${x.reason}`) },
            { label: t('compliance.missing'), wide: true, render: (x) => h('ul', { class: 'gap-list', 'data-test': 'hold-missing' }, x.missing.map((m) => h('li', { class: 'mono' }, m))) },
            { label: t('compliance.since'), render: (x) => h('span', { class: 'nowrap', title: x.held_at }, fmtTime(x.held_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/compliance/holds', { seller }, cursor, 100),
        emptyText: t('compliance.no_holds'),
    });
    return { node: card(t('compliance.held'), h('p', { class: 'muted small' }, t('compliance.held_hint')), table), ready: table.ready };
}

// The rule table, read-only: what each market requires and on whose
// authority (operators change it with haicang compliance rules import or
// the API).
function rulesCard() {
    const today = new Date().toISOString().slice(0, 10);
    const table = pagedTable({
        testId: 'rules-table',
        columns: [
            { label: t('compliance.market'), render: (r) => r.market },
            { label: t('compliance.category'), render: (r) => (r.category === '*' ? t('compliance.every_category') : r.category) },
            { label: t('compliance.requirement'), render: (r) => h('span', { class: 'mono' }, r.condition ? `${r.requirement} (${r.condition})` : r.requirement) },
            { label: t('compliance.effective'), render: (r) => `${r.effective_from} – ${r.effective_to || '…'}` },
            { label: t('compliance.status'), render: (r) => h('span', { class: `badge badge-gap-${r.status === 'uncertain' ? 'uncertain' : 'missing'}` }, t(`compliance.rule_status.${r.status}`)) },
            { label: t('compliance.source'), wide: true, render: (r) => r.source },
        ],
        fetchPage: () => api('GET', '/v1/compliance/rules', { query: { on: today } }),
        emptyText: t('compliance.no_rules'),
    });
    const node = h('details', { class: 'card card-collapsible', 'data-test': 'rules' },
        h('summary', null, h('span', { class: 'card-title' }, t('compliance.rules')), h('span', { class: 'muted small' }, t('compliance.rules_hint'))),
        table);
    return { node, ready: table.ready };
}

export async function compliancePage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.compliance'));
    const seller = me.role === 'seller' ? me.seller : q(query, 'seller');
    const links = [];
    // the seller's identity page and the brands page, where they exist
    if (seller && ctx.hasRoute && ctx.hasRoute('/seller')) links.push(h('a', { class: 'btn btn-link', href: `#/seller?seller=${encodeURIComponent(seller)}`, 'data-test': 'link-seller' }, t('compliance.seller_identity')));
    if (ctx.hasRoute && ctx.hasRoute('/brands')) links.push(h('a', { class: 'btn btn-link', href: '#/brands', 'data-test': 'link-brands' }, t('compliance.brands')));
    main.replaceChildren(pageHeader(t('compliance.title'), ...links));
    if (me.role !== 'seller') {
        main.append(filterBar('compliance', [[t('field.seller'), sellerSelect('seller', seller, me)]], query));
    }
    if (!seller) {
        main.append(h('p', { class: 'muted', 'data-test': 'compliance-pick' }, t('compliance.pick_seller')));
        return;
    }
    const m = matrixCard(seller);
    const held = heldCard(seller);
    const rules = rulesCard();
    main.append(held.node, m.node, rules.node);
    await Promise.all([m.ready, held.ready, rules.ready]);
}
