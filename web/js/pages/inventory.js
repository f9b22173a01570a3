// Inventory (GET /v1/inventory with q, sort and cursor paging) and the SKU
// page: its master data, stock per warehouse and journal trail.

import { api, listPage } from '../api.js';
import { t, tv, getLang, fmtNum, fmtTime, fmtMoney } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, refHref, placeNode, select } from '../ui.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';
import { skuTransitCard } from './transit.js';

function skuLink(row) {
    return h('a', { href: `#/sku/${encodeURIComponent(row.seller)}/${encodeURIComponent(row.sku)}`, class: 'mono strong' }, row.sku);
}

function stockColumns(withSku = true) {
    return [
        withSku && { label: t('field.sku'), render: skuLink },
        { label: t('field.seller'), render: (r) => r.seller },
        { label: t('field.warehouse'), render: (r) => r.warehouse },
        { label: t('stock.on_hand'), num: true, render: (r) => fmtNum(r.on_hand) },
        { label: t('stock.allocated'), num: true, render: (r) => fmtNum(r.allocated) },
        { label: t('stock.available'), num: true, render: (r) => h('span', { class: Number(r.available) <= 0 ? 'neg' : 'pos' }, fmtNum(r.available)) },
        { label: t('stock.inbound_planned'), num: true, render: (r) => fmtNum(r.inbound_planned) },
        { label: t('stock.in_transit'), num: true, render: (r) => fmtNum(r.in_transit) },
        { label: t('stock.arrived'), num: true, render: (r) => fmtNum(r.arrived) },
    ].filter(Boolean);
}

export async function inventoryPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.inventory'));
    const f = { q: q(query, 'q'), warehouse: q(query, 'warehouse'), seller: q(query, 'seller'), sort: q(query, 'sort') || 'sku' };
    main.append(pageHeader(t('inventory.title')));
    main.append(filterBar('inventory', [
        [t('filter.search'), h('input', { type: 'search', name: 'q', value: f.q, placeholder: t('inventory.search_ph'), 'data-test': 'filter-q' })],
        [t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })],
        [t('field.seller'), sellerSelect('seller', f.seller, me)],
        [t('filter.sort'), select('sort', [['sku', t('sort.sku')], ['-on_hand', t('sort.on_hand')], ['-available', t('sort.available')]], f.sort, { 'data-test': 'filter-sort' })],
    ], query));
    const table = pagedTable({
        testId: 'inventory-table',
        columns: stockColumns(true),
        fetchPage: (cursor) => listPage('/v1/inventory', f, cursor, 50),
        emptyText: t('inventory.empty'),
    });
    main.append(card(null, table));
    await table.ready;
}

export async function skuPage(ctx) {
    const { me, main } = ctx;
    const [seller, sku] = ctx.params;
    ctx.setTitle(sku);
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('field.sku')} `), h('span', { class: 'mono' }, sku)),
        h('a', { class: 'btn btn-secondary', href: '#/inventory' }, t('common.back'))));
    const info = card(t('sku.details'), h('div', { class: 'loading' }, t('common.loading')));
    main.append(info);
    const stock = pagedTable({
        testId: 'sku-stock',
        columns: stockColumns(false),
        fetchPage: (cursor) => listPage('/v1/inventory', { seller, sku }, cursor, 50),
    });
    main.append(card(t('sku.stock'), stock));
    const onTheWay = skuTransitCard(seller, sku);
    main.append(onTheWay);
    const jq = { seller, sku };
    if (me.role === 'operator' && me.warehouse) jq.warehouse = me.warehouse;
    const journal = pagedTable({
        testId: 'journal',
        columns: journalColumns(false),
        fetchPage: (cursor) => listPage('/v1/journal', jq, cursor, 50),
        emptyText: t('journal.empty'),
    });
    main.append(card(t('sku.journal'), h('p', { class: 'muted small' }, t('sku.journal_hint')), journal));

    const s = await api('GET', `/v1/skus/${encodeURIComponent(seller)}/${encodeURIComponent(sku)}`);
    if (!ctx.alive()) return;
    const name = getLang() === 'zh' && s.name_zh ? s.name_zh : s.name;
    info.replaceChildren(h('h2', { class: 'card-title' }, name || sku), kv([
        [t('field.seller'), s.seller],
        [t('field.sku'), h('span', { class: 'mono' }, s.sku)],
        [t('sku.name'), s.name],
        s.name_zh && [t('sku.name_zh'), s.name_zh],
        [t('sku.hs_code'), h('span', { class: 'mono' }, s.hs_code)],
        [t('sku.declared_value'), fmtMoney(s.declared_value)],
        [t('sku.origin'), s.origin_country],
        [t('sku.dims'), Array.isArray(s.dims_mm) ? `${s.dims_mm.join(' × ')} mm` : '—'],
        [t('sku.weight'), s.weight_g !== undefined ? `${fmtNum(s.weight_g)} g` : '—'],
        s.barcode && [t('sku.barcode'), h('span', { class: 'mono' }, s.barcode)],
        s.brand && [t('sku.brand'), s.brand],
    ]));
    await Promise.all([stock.ready, journal.ready, onTheWay.ready]);
}

// Columns of a journal table; with the sku column on pages that list postings of many SKUs.
export function journalColumns(withSku = true) {
    return [
        { label: t('journal.at'), render: (p) => h('span', { title: p.at, class: 'nowrap' }, fmtTime(p.at)) },
        { label: t('journal.kind'), render: (p) => h('span', { class: `kind kind-${p.kind}` }, tv('kind', p.kind)) },
        withSku && { label: t('field.sku'), render: (p) => (p.seller ? h('a', { class: 'mono', href: `#/sku/${encodeURIComponent(p.seller)}/${encodeURIComponent(p.sku)}` }, p.sku) : p.sku) },
        { label: t('journal.qty'), num: true, render: (p) => fmtNum(p.qty) },
        { label: t('journal.from'), wide: true, render: (p) => placeNode(p.from) },
        { label: t('journal.to'), wide: true, render: (p) => placeNode(p.to) },
        { label: t('journal.ref'), wide: true, render: (p) => (p.ref ? h('a', { class: 'mono', href: refHref(p.ref), 'data-test': 'journal-ref' }, p.ref) : '—') },
        { label: t('journal.actor'), render: (p) => h('span', { class: 'muted' }, p.actor || '—') },
    ].filter(Boolean);
}
