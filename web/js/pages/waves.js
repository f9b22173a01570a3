// Waves: list, release (operators) and the pick list, printable
// (css/print.css hides everything but the list).

import { api, listPage } from '../api.js';
import { t, fmtNum, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, isOperator } from '../ui.js';
import { filterBar, warehouseSelect, q } from './filters.js';
import { waveForm, orderLink } from './orders.js';

function meters(mm) {
    if (mm === undefined || mm === null) return '—';
    return `${(Number(mm) / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} m`;
}

// A wave's trips (batches): each with its route length, its totes (order ->
// tote) and its walk: picks by seq with the turn points between them.
function batchesCard(w) {
    const batches = w.batches || [];
    if (!batches.length) return '';
    const bySeq = new Map((w.picks || []).map((p) => [p.seq, p]));
    return card(`${t('waves.batches')} · ${fmtNum(batches.length)}`, h('div', { class: 'batches', 'data-test': 'batches' },
        batches.map((b) => h('section', { class: 'batch', 'data-test': 'batch' },
            h('h3', { class: 'batch-title' }, `${t('waves.batch')} ${b.batch}`, ' ',
                h('span', { class: 'muted' }, `${meters(b.route_length_mm)} · ${fmtNum(b.lines)} ${t('waves.lines')} · ${fmtNum((b.totes || []).length)} ${t('waves.totes')}`)),
            h('div', { class: 'table-wrap' }, h('table', { class: 'data totes', 'data-test': 'totes' },
                h('thead', null, h('tr', null, h('th', { class: 'num' }, t('waves.tote')), h('th', null, t('waves.order')))),
                h('tbody', null, (b.totes || []).map((x) => h('tr', null,
                    h('td', { class: 'num strong', 'data-label': t('waves.tote') }, x.tote),
                    h('td', { 'data-label': t('waves.order') }, orderLink(x.order))))))),
            h('ol', { class: 'route-steps', 'data-test': 'route' }, (b.route || []).map((st) => {
                if (st.kind === 'turn') {
                    return h('li', { class: 'turn muted' }, `↩ ${t('waves.turn')} ${st.aisle} · ${meters(st.y_mm)}`);
                }
                const p = bySeq.get(st.seq) || {};
                return h('li', { class: 'pick' }, h('span', { class: 'num' }, `#${st.seq} `), h('span', { class: 'mono strong' }, p.location || ''),
                    ` ${p.sku || ''} × ${fmtNum(p.qty || 0)}`);
            }))))));
}

export async function wavesPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.waves'));
    const f = { warehouse: q(query, 'warehouse') };
    main.append(pageHeader(t('waves.title')));
    if (isOperator(me)) main.append(waveForm(ctx, f.warehouse));
    main.append(filterBar('waves', [[t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })]], query));
    const table = pagedTable({
        testId: 'waves-table',
        columns: [
            { label: t('field.id'), render: (w) => h('a', { href: `#/waves/${encodeURIComponent(w.id)}`, class: 'mono strong' }, w.id) },
            { label: t('field.warehouse'), render: (w) => w.warehouse },
            { label: t('waves.orders'), num: true, render: (w) => fmtNum((w.orders || []).length) },
            { label: t('waves.picks'), num: true, render: (w) => fmtNum((w.picks || []).length) },
            { label: t('waves.batches'), num: true, render: (w) => fmtNum((w.batches || []).length || 1) },
            { label: t('waves.route'), num: true, render: (w) => meters(w.route_length_mm) },
            { label: t('field.created'), wide: true, render: (w) => h('span', { class: 'nowrap', title: w.created_at }, fmtTime(w.created_at)) },
        ],
        fetchPage: (cursor) => listPage('/v1/waves', f, cursor, 25),
        emptyText: t('waves.empty'),
    });
    main.append(card(null, table));
    await table.ready;
}

export async function wavePage(ctx) {
    const { main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(`${t('waves.pick_list')} ${id}`);
    const w = await api('GET', `/v1/waves/${encodeURIComponent(id)}`);
    if (!ctx.alive()) return;
    const picks = [...(w.picks || [])].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    const unitsTotal = picks.reduce((a, p) => a + (Number(p.qty) || 0), 0);
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('waves.pick_list')} `), h('span', { class: 'mono' }, w.id)),
        h('button', { type: 'button', class: 'btn btn-primary no-print', 'data-test': 'print', onclick: () => window.print() }, t('waves.print')),
        h('a', { class: 'btn btn-secondary no-print', 'data-test': 'wave-pick', href: `#/waves/${encodeURIComponent(w.id)}/pick` }, t('scan.picking')),
        h('a', { class: 'btn btn-secondary no-print', 'data-test': 'wave-print-barcodes', href: `#/waves/${encodeURIComponent(w.id)}/print` }, t('scan.print_list')),
        h('a', { class: 'btn btn-secondary no-print', href: '#/waves' }, t('common.back'))));
    main.append(h('div', { class: 'pick-sheet', 'data-test': 'pick-list' },
        h('div', { class: 'print-only print-title' }, h('strong', null, `${t('app.name')} · ${t('waves.pick_list')}`), h('span', { class: 'mono' }, w.id)),
        card(null, kv([
            [t('field.warehouse'), w.warehouse],
            [t('field.created'), fmtTime(w.created_at)],
            [t('waves.orders'), h('span', { class: 'order-list' }, (w.orders || []).map((o) => orderLink(o)))],
            [t('waves.picks'), `${fmtNum(picks.length)} · ${fmtNum(unitsTotal)} ${t('waves.units')}`],
            [t('waves.route'), meters(w.route_length_mm)],
        ])),
        batchesCard(w),
        card(t('waves.picks'), h('div', { class: 'table-wrap' }, h('table', { class: 'data picks', 'data-test': 'picks' },
            h('thead', null, h('tr', null,
                h('th', { class: 'num' }, '#'), h('th', null, t('field.location')), h('th', null, t('field.sku')),
                h('th', { class: 'num' }, t('field.qty')), h('th', null, t('waves.order')), h('th', { class: 'check' }, '✓'))),
            h('tbody', null, picks.length ? picks.map((p) => h('tr', null,
                h('td', { class: 'num', 'data-label': '#' }, p.seq),
                h('td', { class: 'mono strong loc', 'data-label': t('field.location') }, p.location),
                h('td', { class: 'mono', 'data-label': t('field.sku') }, p.sku),
                h('td', { class: 'num strong', 'data-label': t('field.qty') }, fmtNum(p.qty)),
                h('td', { 'data-label': t('waves.order') }, orderLink(p.order)),
                h('td', { class: 'check', 'data-label': '✓' }, h('span', { class: 'checkbox' }))))
                : h('tr', { class: 'empty' }, h('td', { colspan: 6 }, t('common.empty'))))))),
        h('div', { class: 'print-only sign-line' }, h('span', null, `${t('waves.picker')}: ____________`), h('span', null, `${t('waves.checked_by')}: ____________`))));
}
