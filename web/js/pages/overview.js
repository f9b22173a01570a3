// Overview: GET /v1/stats/overview — stock per warehouse and seller, orders
// per state today, backorders, inbounds expected, and three charts.

import { api } from '../api.js';
import { t, tv, fmtNum } from '../i18n.js';
import { h, card, pageHeader } from '../ui.js';
import { barChart, lineChart } from '../charts.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';

const STATUS_ORDER = ['backordered', 'allocated', 'picking', 'packed', 'shipped', 'delivered', 'cancelled'];
const STATUS_COLOR = {
    backordered: '#d97706', allocated: '#2563eb', picking: '#7c3aed', packed: '#0d9488',
    shipped: '#4f46e5', delivered: '#16a34a', cancelled: '#94a3b8',
};

function kpi(label, value, { href, tone, test } = {}) {
    const inner = [h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value' }, fmtNum(value))];
    return href
        ? h('a', { class: `kpi kpi-${tone || 'plain'}`, href, 'data-test': test }, inner)
        : h('div', { class: `kpi kpi-${tone || 'plain'}`, 'data-test': test }, inner);
}

function sum(list, f) {
    return list.reduce((a, x) => a + (Number(x[f]) || 0), 0);
}

export async function overviewPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.overview'));
    const filters = { seller: q(query, 'seller'), warehouse: q(query, 'warehouse') };
    main.append(pageHeader(t('overview.title')));
    main.append(filterBar('overview', [
        [t('field.warehouse'), warehouseSelect('warehouse', filters.warehouse, { me })],
        [t('field.seller'), sellerSelect('seller', filters.seller, me)],
    ], query));
    const body = h('div', { class: 'overview', 'data-test': 'overview' }, h('div', { class: 'loading' }, t('common.loading')));
    main.append(body);

    const st = await api('GET', '/v1/stats/overview', { query: filters });
    if (!ctx.alive()) return;
    const stock = st.stock || [];
    const today = st.orders_today || {};
    const utcDay = new Date().toISOString().slice(0, 10); // the API's "today" is the UTC day, as are from/to
    const todayTotal = Object.values(today).reduce((a, n) => a + (Number(n) || 0), 0);

    const kpis = h('div', { class: 'kpis' },
        kpi(t('stock.on_hand'), sum(stock, 'on_hand'), { test: 'kpi-on-hand' }),
        kpi(t('stock.allocated'), sum(stock, 'allocated'), { tone: 'blue' }),
        kpi(t('stock.available'), sum(stock, 'available'), { tone: 'green' }),
        kpi(t('overview.orders_today'), todayTotal, { href: `#/orders?from=${utcDay}&to=${utcDay}`, tone: 'indigo', test: 'kpi-orders-today' }),
        kpi(t('overview.backorders'), st.backorders ?? 0, { href: '#/orders?status=backordered', tone: 'amber', test: 'kpi-backorders' }),
        kpi(t('overview.inbounds_expected'), st.inbounds_expected ?? 0, { href: '#/inbounds?status=expected', tone: 'teal', test: 'kpi-inbounds' }));

    // stock by warehouse: allocated + available stacked = on hand
    const byWh = new Map();
    for (const r of stock) {
        const w = byWh.get(r.warehouse) || { allocated: 0, available: 0 };
        w.allocated += Number(r.allocated) || 0;
        w.available += Number(r.available) || 0;
        byWh.set(r.warehouse, w);
    }
    const whs = [...byWh.keys()].sort();
    const stockChart = whs.length
        ? barChart({
            categories: whs,
            series: [
                { name: t('stock.available'), color: '#16a34a', values: whs.map((w) => byWh.get(w).available) },
                { name: t('stock.allocated'), color: '#2563eb', values: whs.map((w) => byWh.get(w).allocated) },
            ],
            testId: 'chart-stock', label: t('overview.chart_stock'),
        })
        : h('p', { class: 'muted empty-chart' }, t('common.empty'));

    const perDay = st.orders_per_day || [];
    const ordersChart = perDay.length
        ? lineChart({ categories: perDay.map((d) => String(d.day).slice(5)), values: perDay.map((d) => Number(d.count) || 0), name: t('overview.orders'), testId: 'chart-orders', label: t('overview.chart_orders') })
        : h('p', { class: 'muted empty-chart' }, t('common.empty'));

    const age = st.inventory_age || [];
    const ageColors = ['#22c55e', '#84cc16', '#f59e0b', '#ef4444'];
    const ageChart = age.length
        ? barChart({
            categories: age.map((b) => t('overview.days', { b: b.bucket })),
            series: age.map((b, i) => ({ name: b.bucket, color: ageColors[i % ageColors.length], values: age.map((_, j) => (j === i ? Number(b.qty) || 0 : 0)) })),
            testId: 'chart-age', label: t('overview.chart_age'),
        })
        : h('p', { class: 'muted empty-chart' }, t('common.empty'));
    // one series per bucket only for colour; no legend needed
    ageChart.querySelector('.chart-legend')?.remove();

    // orders per state: today and all open
    const byStatus = st.orders_by_status || {};
    const statuses = STATUS_ORDER.filter((s) => s in byStatus || s in today)
        .concat(Object.keys({ ...byStatus, ...today }).filter((s) => !STATUS_ORDER.includes(s)));
    const maxAll = Math.max(1, ...statuses.map((s) => Number(byStatus[s]) || 0));
    const statusList = h('ul', { class: 'status-bars', 'data-test': 'orders-by-status' },
        statuses.map((s) => h('li', null,
            h('a', { href: `#/orders?status=${encodeURIComponent(s)}`, class: 'status-name' }, h('span', { class: `badge badge-${s}` }, tv('status', s))),
            h('span', { class: 'status-track' }, h('span', { class: 'status-fill', style: `width:${((Number(byStatus[s]) || 0) / maxAll) * 100}%;background:${STATUS_COLOR[s] || '#64748b'}` })),
            h('span', { class: 'status-num', title: t('overview.total') }, fmtNum(byStatus[s] ?? 0)),
            h('span', { class: 'status-today', title: t('overview.today') }, `+${fmtNum(today[s] ?? 0)}`))));

    const stockRows = [...stock].sort((a, b) => (a.warehouse + a.seller).localeCompare(b.warehouse + b.seller));
    const stockTable = h('div', { class: 'table-wrap' },
        h('table', { class: 'data', 'data-test': 'stock-table' },
            h('thead', null, h('tr', null,
                h('th', null, t('field.warehouse')), h('th', null, t('field.seller')),
                h('th', { class: 'num' }, t('stock.on_hand')), h('th', { class: 'num' }, t('stock.allocated')), h('th', { class: 'num' }, t('stock.available')))),
            h('tbody', null, stockRows.length
                ? stockRows.map((r) => h('tr', null,
                    h('td', { 'data-label': t('field.warehouse') }, h('a', { href: `#/inventory?warehouse=${encodeURIComponent(r.warehouse)}` }, r.warehouse)),
                    h('td', { 'data-label': t('field.seller') }, me.role === 'seller' ? r.seller : h('a', { href: `#/inventory?seller=${encodeURIComponent(r.seller)}` }, r.seller)),
                    h('td', { class: 'num', 'data-label': t('stock.on_hand') }, fmtNum(r.on_hand)),
                    h('td', { class: 'num', 'data-label': t('stock.allocated') }, fmtNum(r.allocated)),
                    h('td', { class: 'num', 'data-label': t('stock.available') }, fmtNum(r.available))))
                : h('tr', { class: 'empty' }, h('td', { colspan: 5 }, t('common.empty'))))));

    body.replaceChildren(
        kpis,
        h('div', { class: 'grid-2' },
            card(t('overview.chart_stock'), stockChart),
            card(t('overview.chart_orders'), ordersChart)),
        h('div', { class: 'grid-2' },
            card(t('overview.chart_age'), ageChart),
            card(t('overview.by_status'), h('div', { class: 'status-legend muted' }, h('span', null, t('overview.total')), h('span', null, t('overview.today'))), statusList)),
        card(t('overview.stock_table'), stockTable));
}
