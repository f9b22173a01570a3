// In transit (head-haul, issue 9): the shipments list (GET /v1/shipments),
// one shipment with its legs on a timeline (planned / estimated / actual),
// a route picture (inline SVG), containers and their cartons, goods and the
// DCSA events (GET /v1/shipments/{id}/events); a warehouse's arrivals per
// day (GET /v1/warehouses/{wh}/arrivals); and the SKU page's card of stock
// on the way (skuTransitCard).

import { api, listPage } from '../api.js';
import { t, tv, getLang, fmtNum, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, kv, select, badge } from '../ui.js';
import { filterBar, warehouseSelect, q } from './filters.js';
import { warehouses } from '../refdata.js';
import { barChart } from '../charts.js';

// Places of the demo timetable (data/head-haul/unlocodes.tsv): [en, zh].
const PLACES = {
    CNZZU: ['Zhengzhou', '郑州'], CNXIY: ["Xi'an", '西安'], CNCTU: ['Chengdu', '成都'],
    CNCKG: ['Chongqing', '重庆'], CNYIW: ['Yiwu', '义乌'], CNSHA: ['Shanghai', '上海'],
    CNYTN: ['Yantian', '盐田'], CNSZX: ['Shenzhen', '深圳'], CNCGO: ['Zhengzhou (air)', '郑州(航空)'],
    DEHAM: ['Hamburg', '汉堡'], DEDUI: ['Duisburg', '杜伊斯堡'], DEFRA: ['Frankfurt', '法兰克福'],
    CZPRG: ['Prague', '布拉格'], PLLOD: ['Lodz', '罗兹'], ESMAD: ['Madrid', '马德里'],
    NLRTM: ['Rotterdam', '鹿特丹'], USLAX: ['Los Angeles', '洛杉矶'], USNYC: ['New York', '纽约'],
};
const MODES = ['rail', 'sea', 'air', 'truck', 'multimodal'];
const STATUSES = ['booked', 'departed', 'arrived'];
const SVGNS = 'http://www.w3.org/2000/svg';

export function placeName(code) {
    const p = PLACES[code];
    return p ? p[getLang() === 'zh' ? 1 : 0] : '';
}

function s(tag, attrs, ...children) {
    return h(tag, { __svg: true, ...attrs }, ...children);
}

const ms = (iso) => (iso ? Date.parse(iso) : NaN);
const day = (iso) => (iso ? fmtTime(iso) : '—');

function modeLabel(m) {
    return h('span', { class: `mode mode-${m}`, 'data-mode': m }, modeGlyph(m), ' ', tv('mode', m));
}

// A small inline icon of the mode (no icon font, no emoji).
function modeGlyph(m, size = 14) {
    return s('svg', { viewBox: '0 0 16 16', width: size, height: size, class: 'mode-icon', 'aria-hidden': 'true' }, modePath(m));
}

function modePath(m) {
    switch (m) {
    case 'rail':
        return s('g', null, s('rect', { x: 3, y: 1.5, width: 10, height: 10, rx: 2.5 }), s('rect', { x: 5, y: 3.5, width: 6, height: 3, rx: .8, class: 'hole' }),
            s('path', { d: 'M5 12.5 3 15M11 12.5l2 2.5', class: 'stroke' }));
    case 'sea':
        return s('g', null, s('path', { d: 'M1.5 9h13l-2 5h-9z' }), s('rect', { x: 5, y: 4, width: 5, height: 4 }), s('rect', { x: 7, y: 1.5, width: 1.5, height: 2.5 }));
    case 'air':
        return s('path', { d: 'M8 1c.8 0 1.2.8 1.2 1.6V6l5.8 3.4v1.6L9.2 9.4v3l1.8 1.4V15L8 14.2 5 15v-1.2l1.8-1.4v-3L1 11V9.4L6.8 6V2.6C6.8 1.8 7.2 1 8 1z' });
    case 'truck':
        return s('g', null, s('rect', { x: 1, y: 4, width: 9, height: 7, rx: 1 }), s('path', { d: 'M10 6.5h3l2 2.5V11h-5z' }),
            s('circle', { cx: 4, cy: 12.5, r: 1.6 }), s('circle', { cx: 12, cy: 12.5, r: 1.6 }));
    default:
        return s('g', null, s('circle', { cx: 4, cy: 8, r: 2.5 }), s('circle', { cx: 12, cy: 8, r: 2.5 }), s('path', { d: 'M6.5 8h3', class: 'stroke' }));
    }
}

function lateBadge(late) {
    return late ? h('span', { class: 'badge badge-late', 'data-test': 'late' }, t('transit.late')) : null;
}

function shipLink(id) {
    return h('a', { href: `#/transit/${encodeURIComponent(id)}`, class: 'mono strong', 'data-test': 'shipment-link' }, id);
}

function routeText(sh) {
    const legs = sh.legs || [];
    if (!legs.length) return '—';
    const stops = [legs[0].from, ...legs.map((l) => l.to)];
    return h('span', { class: 'mono nowrap' }, stops.join(' → '));
}

function etaCell(sh) {
    return h('span', { class: 'nowrap' }, day(sh.eta), ' ', lateBadge(sh.late));
}

// A static table in the style of pagedTable (cards on a phone).
function table(columns, rows, testId, emptyText) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': testId },
        h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)))),
        h('tbody', null, rows.length
            ? rows.map((r) => h('tr', null, columns.map((c) => h('td', { class: [c.num && 'num', c.wide && 'wide'].filter(Boolean).join(' ') || null, 'data-label': c.label }, c.render(r)))))
            : h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, emptyText || t('common.empty'))))));
}

/* ---- list ------------------------------------------------------------------------ */

export async function transitPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.transit'));
    const f = { status: q(query, 'status'), mode: q(query, 'mode'), warehouse: q(query, 'warehouse'), late: q(query, 'late') };
    main.append(pageHeader(t('transit.title'),
        h('a', { class: 'btn btn-secondary', href: '#/transit/arrivals', 'data-test': 'arrivals-link' }, t('transit.arrivals'))));
    main.append(h('p', { class: 'muted page-lead' }, t('transit.lead')));
    main.append(filterBar('transit', [
        [t('field.status'), select('status', [['', t('filter.all_statuses')], ...STATUSES.map((x) => [x, tv('shipment', x)])], f.status, { 'data-test': 'filter-status' })],
        [t('transit.mode'), select('mode', [['', t('transit.all_modes')], ...MODES.map((x) => [x, tv('mode', x)])], f.mode, { 'data-test': 'filter-mode' })],
        [t('field.warehouse'), warehouseSelect('warehouse', f.warehouse, { me })],
        [t('transit.late'), select('late', [['', t('transit.all_shipments')], ['1', t('transit.late_only')]], f.late, { 'data-test': 'filter-late' })],
    ], query));
    const api_q = { status: f.status, mode: f.mode, warehouse: f.warehouse };
    const tbl = pagedTable({
        testId: 'shipments-table',
        columns: [
            { label: t('transit.shipment'), render: (r) => shipLink(r.id) },
            { label: t('field.status'), render: (r) => badge('shipment', r.status) },
            { label: t('transit.mode'), render: (r) => modeLabel(r.mode) },
            { label: t('transit.route'), wide: true, render: routeText },
            { label: t('field.warehouse'), render: (r) => r.warehouse },
            { label: t('transit.reference'), render: (r) => r.reference || '—' },
            { label: t('transit.etd'), render: (r) => day(r.legs?.[0]?.atd || r.legs?.[0]?.etd_planned) },
            { label: t('transit.eta'), render: etaCell },
        ],
        rowAttrs: (r) => ({ 'data-id': r.id, class: r.late ? 'is-late' : null }),
        fetchPage: async (cursor) => {
            const p = await listPage('/v1/shipments', api_q, cursor, 50);
            if (f.late === '1') p.items = (p.items || []).filter((x) => x.late);
            return p;
        },
        emptyText: t('transit.empty'),
    });
    main.append(card(null, tbl));
    await tbl.ready;
}

/* ---- one shipment ---------------------------------------------------------------- */

// How far along a leg is, 0..1, from its actual and estimated times.
function legProgress(l, now = Date.now()) {
    if (l.ata) return 1;
    const dep = ms(l.atd);
    if (Number.isNaN(dep)) return 0;
    const arr = ms(l.eta_estimated || l.eta_planned);
    if (Number.isNaN(arr) || arr <= dep) return 0.5;
    return Math.min(0.95, Math.max(0.05, (now - dep) / (arr - dep)));
}

// The route: stops (UN/LOCODEs) joined by the legs, drawn across on a wide
// screen and down on a narrow one; the travelled part solid, the rest dashed.
export function routeSvg(sh, vertical) {
    const legs = sh.legs || [];
    const stops = legs.length ? [legs[0].from, ...legs.map((l) => l.to)] : [];
    const n = stops.length;
    const W = vertical ? 340 : 760;
    const step = vertical ? 92 : (W - 120) / Math.max(1, n - 1);
    const H = vertical ? 40 + step * Math.max(1, n - 1) + 40 : 150;
    const pos = (i) => (vertical ? { x: 40, y: 34 + i * step } : { x: 60 + i * step, y: 76 });
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', class: 'route-svg', role: 'img', 'data-test': 'route-svg', 'aria-label': `${t('transit.route')}: ${stops.join(' → ')} → ${sh.warehouse}`, preserveAspectRatio: 'xMinYMin meet' });
    if (!vertical) svg.setAttribute('style', `max-height:${H}px`);
    const reached = (i) => (i === 0 ? !!legs[0]?.atd : !!legs[i - 1]?.ata);
    legs.forEach((l, i) => {
        const a = pos(i);
        const b = pos(i + 1);
        const p = legProgress(l);
        const mx = a.x + (b.x - a.x) * p;
        const my = a.y + (b.y - a.y) * p;
        const g = s('g', { class: 'route-leg', 'data-test': 'route-leg', 'data-seq': l.seq, 'data-progress': p.toFixed(2) });
        g.appendChild(s('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'route-ahead' }));
        if (p > 0) g.appendChild(s('line', { x1: a.x, y1: a.y, x2: mx, y2: my, class: 'route-done' }));
        // the mode, halfway
        const cx = (a.x + b.x) / 2;
        const cy = (a.y + b.y) / 2;
        const ic = vertical ? { x: cx + 22, y: cy - 10 } : { x: cx - 10, y: cy - 36 };
        const icon = modeGlyph(l.mode, 20);
        icon.setAttribute('x', ic.x);
        icon.setAttribute('y', ic.y);
        g.appendChild(icon);
        const label = [tv('mode', l.mode), l.service || l.carrier].filter(Boolean).join(' · ');
        g.appendChild(s('text', vertical ? { x: ic.x + 26, y: cy + 5, class: 'route-mode' } : { x: cx, y: cy - 42, 'text-anchor': 'middle', class: 'route-mode' }, label));
        if (p > 0 && p < 1) g.appendChild(s('circle', { cx: mx, cy: my, r: 7, class: 'route-now', 'data-test': 'route-now' }, s('title', null, t('transit.now'))));
        svg.appendChild(g);
    });
    stops.forEach((code, i) => {
        const { x, y } = pos(i);
        const last = i === n - 1;
        const g = s('g', { class: `route-stop${reached(i) ? ' reached' : ''}`, 'data-test': 'route-stop', 'data-code': code });
        g.appendChild(s('circle', { cx: x, cy: y, r: last ? 9 : 7 }));
        const name = placeName(code);
        const sub = last ? `${sh.warehouse}` : (i === 0 && sh.site ? sh.site : '');
        if (vertical) {
            g.appendChild(s('text', { x: x + 22, y: y - 14, class: 'route-code' }, code));
            if (name || sub) g.appendChild(s('text', { x: x + 22, y: y + 2, class: 'route-name' }, [name, sub].filter(Boolean).join(' · ')));
        } else {
            g.appendChild(s('text', { x, y: y + 28, 'text-anchor': 'middle', class: 'route-code' }, code));
            if (name) g.appendChild(s('text', { x, y: y + 46, 'text-anchor': 'middle', class: 'route-name' }, name));
            if (sub) g.appendChild(s('text', { x, y: y + 62, 'text-anchor': 'middle', class: 'route-name' }, sub));
        }
        svg.appendChild(g);
    });
    return svg;
}

// Legs on a time axis: per leg three bars (planned, estimated, actual),
// positioned in percent so that the labels keep their size on a phone.
export function timeline(sh) {
    const legs = sh.legs || [];
    const now = Date.now();
    const times = [];
    for (const l of legs) {
        for (const k of ['etd_planned', 'eta_planned', 'etd_estimated', 'eta_estimated', 'atd', 'ata']) {
            const v = ms(l[k]);
            if (!Number.isNaN(v)) times.push(v);
        }
    }
    if (!times.length) return h('p', { class: 'muted' }, t('common.empty'));
    let lo = Math.min(...times);
    let hi = Math.max(...times);
    if (legs.some((l) => l.atd && !l.ata)) hi = Math.max(hi, now);
    const pad = Math.max((hi - lo) * 0.03, 3600e3);
    lo -= pad;
    hi += pad;
    const pct = (v) => ((v - lo) / (hi - lo)) * 100;
    const nowMark = () => {
        const x = pct(now);
        return x >= 0 && x <= 100 ? h('span', { class: 'tl-now', style: `left:${x.toFixed(2)}%`, title: t('transit.now') }) : null;
    };
    const bar = (kind, from, to, open) => {
        const a = ms(from);
        let b = ms(to);
        if (Number.isNaN(a) && Number.isNaN(b)) return h('div', { class: 'tl-track' }, h('span', { class: 'tl-none muted small' }, '—'), nowMark());
        if (Number.isNaN(b) && open) b = now;
        const x0 = pct(Number.isNaN(a) ? b : a);
        const x1 = pct(Number.isNaN(b) ? a : b);
        return h('div', { class: 'tl-track' },
            h('span', { class: `tl-bar tl-${kind}${Number.isNaN(b) || (open && !to) ? ' tl-open' : ''}`, 'data-test': `tl-${kind}`, style: `left:${x0.toFixed(2)}%;width:${Math.max(0.8, x1 - x0).toFixed(2)}%`, title: `${day(from)} → ${day(to)}` }), nowMark());
    };
    const row = (kind, from, to, open) => h('div', { class: 'tl-row' },
        h('span', { class: 'tl-label' }, t(`transit.${kind}`)),
        bar(kind, from, to, open),
        h('span', { class: 'tl-dates small' }, `${day(from)} → ${day(to)}`));
    return h('div', { class: 'timeline', 'data-test': 'timeline' },
        h('div', { class: 'tl-axis small muted' }, h('span', null, fmtTime(new Date(lo).toISOString())), h('span', null, fmtTime(new Date(hi).toISOString()))),
        legs.map((l) => h('div', { class: 'tl-leg', 'data-test': 'tl-leg', 'data-seq': l.seq },
            h('div', { class: 'tl-head' }, h('b', null, `${l.seq + 1}. `), h('span', { class: 'mono' }, `${l.from} → ${l.to}`), ' ', modeLabel(l.mode),
                l.carrier || l.service ? h('span', { class: 'muted small' }, ` ${[l.carrier, l.service, l.voyage].filter(Boolean).join(' · ')}`) : null),
            h('div', { class: 'tl-rows' },
                row('planned', l.etd_planned, l.eta_planned, false),
                row('estimated', l.etd_estimated || l.atd || l.etd_planned, l.eta_estimated, false),
                row('actual', l.atd, l.ata, !!l.atd)))),
        h('div', { class: 'tl-legend small muted' },
            ['planned', 'estimated', 'actual'].map((k) => h('span', null, h('i', { class: `tl-${k}` }), t(`transit.${k}`))),
            h('span', null, h('i', { class: 'tl-now-key' }), t('transit.now'))));
}

function eventCode(e) {
    const p = e.payload || {};
    return p.equipmentEventTypeCode || p.transportEventTypeCode || p.shipmentEventTypeCode || '';
}

function eventColumns() {
    return [
        { label: t('transit.event_time'), render: (e) => h('span', { class: 'nowrap', title: e.payload?.eventDateTime }, fmtTime(e.payload?.eventDateTime)) },
        { label: t('transit.event'), render: (e) => h('span', null, h('b', { class: 'mono' }, eventCode(e)), ' ', h('span', { class: 'muted small' }, tv('evcode', eventCode(e)))) },
        { label: t('transit.event_class'), render: (e) => h('span', { class: `chip ev-${e.payload?.eventClassifierCode}` }, tv('evclass', e.payload?.eventClassifierCode)) },
        { label: t('transit.event_type'), render: (e) => tv('evtype', e.payload?.eventType) },
        { label: t('transit.where'), render: (e) => {
            const p = e.payload || {};
            const loc = p.transportCall?.location?.UNLocationCode;
            return h('span', { class: 'mono' }, [p.equipmentReference, loc].filter(Boolean).join(' · ') || '—');
        } },
        { label: t('transit.publisher'), render: (e) => (e.milestone ? h('span', { class: 'chip' }, tv('milestone', e.milestone)) : (e.metadata?.publisher?.partyName || '—')) },
        { label: t('transit.received'), render: (e) => h('span', { class: 'muted nowrap' }, fmtTime(e.receivedDateTime)) },
    ];
}

export async function shipmentPage(ctx) {
    const { main } = ctx;
    const [id] = ctx.params;
    ctx.setTitle(id);
    const head = pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('transit.shipment')} `), h('span', { class: 'mono', 'data-test': 'shipment-id' }, id)),
        h('a', { class: 'btn btn-secondary', href: '#/transit' }, t('common.back')));
    main.append(head);
    const [sh, ev] = await Promise.all([
        api('GET', `/v1/shipments/${encodeURIComponent(id)}`),
        api('GET', `/v1/shipments/${encodeURIComponent(id)}/events`, { query: { limit: 1 } }),
    ]);
    if (!ctx.alive()) return;
    head.querySelector('h1').append(badge('shipment', sh.status), lateBadge(sh.late) || '');
    const tot = sh.totals || {};
    main.append(h('section', { class: 'card', 'data-test': 'shipment-summary' }, kv([
        [t('transit.mode'), modeLabel(sh.mode)],
        [t('field.warehouse'), sh.warehouse],
        [t('transit.site'), sh.site || '—'],
        [t('transit.reference'), sh.reference || '—'],
        [t('transit.eta'), h('span', null, day(sh.eta), ' ', lateBadge(sh.late))],
        [t('transit.departed_at'), day(sh.departed_at)],
        [t('transit.arrived_at'), day(sh.arrived_at)],
        [t('transit.units'), `${fmtNum(tot.planned)} / ${fmtNum(tot.departed)} / ${fmtNum(tot.arrived)} / ${fmtNum(tot.received)}`],
    ]), h('p', { class: 'muted small' }, t('transit.units_hint'))));

    const routeBox = h('div', { class: 'route-box' });
    main.append(card(t('transit.route'), routeBox));
    const drawRoute = () => routeBox.replaceChildren(routeSvg(sh, routeBox.clientWidth > 0 && routeBox.clientWidth < 560));
    drawRoute();
    if (typeof ResizeObserver === 'function') {
        let wasVertical = routeBox.clientWidth < 560;
        new ResizeObserver(() => {
            const v = routeBox.clientWidth < 560;
            if (v !== wasVertical) { wasVertical = v; drawRoute(); }
        }).observe(routeBox);
    }

    main.append(card(t('transit.timeline'), timeline(sh), table([
        { label: t('transit.leg'), render: (l) => h('span', { class: 'mono' }, `${l.seq + 1}. ${l.from} → ${l.to}`) },
        { label: t('transit.etd_planned'), render: (l) => day(l.etd_planned) },
        { label: t('transit.etd_estimated'), render: (l) => day(l.etd_estimated) },
        { label: t('transit.atd'), render: (l) => day(l.atd) },
        { label: t('transit.eta_planned'), render: (l) => day(l.eta_planned) },
        { label: t('transit.eta_estimated'), render: (l) => day(l.eta_estimated) },
        { label: t('transit.ata'), render: (l) => day(l.ata) },
    ], sh.legs || [], 'legs-table')));

    const states = new Map((ev.equipment || []).map((e) => [e.equipmentReference, e]));
    const containers = (sh.containers || []).map((c) => h('div', { class: 'container-box', 'data-test': 'container', 'data-number': c.number || '' },
        h('div', { class: 'container-head' },
            h('b', { class: 'mono' }, c.loose ? t('transit.loose') : c.number),
            c.size_type ? h('span', { class: 'chip', title: t('transit.size_type') }, c.size_type) : null,
            h('span', { class: `badge badge-c-${c.status}` }, tv('container', c.status)),
            states.get(c.number) ? h('span', { class: 'chip', 'data-test': 'container-state' }, `${states.get(c.number).equipmentEventTypeCode} · ${fmtTime(states.get(c.number).eventDateTime)}`) : null,
            h('span', { class: 'muted small' }, t('transit.cartons_n', { n: fmtNum(c.cartons) }))),
        c.seals?.length || c.bill_no ? h('div', { class: 'muted small' },
            c.seals?.length ? `${t('transit.seals')}: ${c.seals.join(', ')}` : '', c.seals?.length && c.bill_no ? ' · ' : '',
            c.bill_no ? `${t('transit.bill_no')}: ${c.bill_no}` : '') : null,
        table([
            { label: t('field.seller'), render: (x) => x.seller },
            { label: t('transit.inbound'), render: (x) => h('a', { class: 'mono', href: `#/inbounds/${encodeURIComponent(x.inbound)}` }, x.inbound) },
            { label: t('transit.cartons'), num: true, render: (x) => fmtNum(x.cartons) },
        ], c.contents || [], 'container-contents')));
    main.append(card(t('transit.containers'), containers.length ? containers : h('p', { class: 'muted' }, t('common.empty'))));

    main.append(card(t('transit.goods'), table([
        { label: t('field.sku'), render: (g) => h('a', { class: 'mono strong', href: `#/sku/${encodeURIComponent(g.seller)}/${encodeURIComponent(g.sku)}` }, g.sku) },
        { label: t('field.seller'), render: (g) => g.seller },
        { label: t('transit.planned'), num: true, render: (g) => fmtNum(g.planned) },
        { label: t('transit.departed'), num: true, render: (g) => fmtNum(g.departed) },
        { label: t('transit.arrived'), num: true, render: (g) => fmtNum(g.arrived) },
        { label: t('transit.received_qty'), num: true, render: (g) => fmtNum(g.received) },
        { label: t('transit.difference'), num: true, render: (g) => h('span', { class: g.difference < 0 ? 'neg' : g.difference > 0 ? 'pos' : null }, fmtNum(g.difference)) },
    ], sh.goods || [], 'goods-table')));

    const events = pagedTable({
        testId: 'events-table',
        columns: eventColumns(),
        fetchPage: (cursor) => listPage(`/v1/shipments/${encodeURIComponent(id)}/events`, {}, cursor, 50),
        emptyText: t('transit.no_events'),
    });
    main.append(card(t('transit.events'), h('p', { class: 'muted small' }, t('transit.events_hint')), events));
    await events.ready;
}

/* ---- arrivals per day ------------------------------------------------------------- */

export async function arrivalsPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('transit.arrivals'));
    let wh = q(query, 'warehouse') || (me.role === 'operator' ? me.warehouse : '');
    const days = q(query, 'days') || '28';
    main.append(pageHeader(t('transit.arrivals_title'), h('a', { class: 'btn btn-secondary', href: '#/transit' }, t('common.back'))));
    if (!wh) {
        const list = await warehouses();
        wh = list[0]?.code || '';
    }
    main.append(filterBar('transit/arrivals', [
        [t('field.warehouse'), warehouseSelect('warehouse', wh, { me, all: false })],
        [t('transit.days'), select('days', [['14', '14'], ['28', '28'], ['56', '56'], ['91', '91']], days, { 'data-test': 'filter-days' })],
    ], query));
    if (!wh) {
        main.append(card(null, h('p', { class: 'muted' }, t('common.empty'))));
        return;
    }
    const r = await api('GET', `/v1/warehouses/${encodeURIComponent(wh)}/arrivals`, { query: { days } });
    if (!ctx.alive()) return;
    const list = r.days || [];
    const total = list.reduce((a, d) => ({ s: a.s + d.shipments, c: a.c + d.containers, u: a.u + d.units }), { s: 0, c: 0, u: 0 });
    main.append(h('div', { class: 'kpis kpis-3' },
        [[t('transit.shipments'), total.s, 'kpi-blue'], [t('transit.containers'), total.c, 'kpi-indigo'], [t('transit.units_total'), total.u, 'kpi-teal']].map(([l, v, c]) =>
            h('div', { class: `kpi ${c}` }, h('span', { class: 'kpi-label' }, l), h('span', { class: 'kpi-value' }, fmtNum(v))))));
    main.append(card(t('transit.arrivals_chart', { wh }), barChart({
        categories: list.map((d) => d.day.slice(5)),
        series: [{ name: t('transit.units_total'), color: '#0d9488', values: list.map((d) => d.units) }],
        testId: 'arrivals-chart',
        label: t('transit.arrivals_chart', { wh }),
        valueLabels: false,
    })));
    main.append(card(t('transit.arrival_days'), table([
        { label: t('transit.day'), render: (d) => h('span', { class: 'nowrap strong' }, d.day) },
        { label: t('transit.shipments'), num: true, render: (d) => fmtNum(d.shipments) },
        { label: t('transit.containers'), num: true, render: (d) => fmtNum(d.containers) },
        { label: t('transit.units_total'), num: true, render: (d) => fmtNum(d.units) },
        { label: t('transit.shipment'), wide: true, render: (d) => h('span', { class: 'id-list' }, d.ids.map((x) => shipLink(x))) },
    ], list.filter((d) => d.shipments > 0), 'arrivals-table', t('transit.no_arrivals'))));
}

/* ---- the SKU page: stock on the way ------------------------------------------------ */

// Shipments not yet received that carry this SKU, with when they arrive.
export function skuTransitCard(seller, sku) {
    const body = h('div', { class: 'loading' }, t('common.loading'));
    const box = h('section', { class: 'card', 'data-test': 'sku-transit' }, h('h2', { class: 'card-title' }, t('transit.sku_title')), body);
    box.ready = (async () => {
        const lists = await Promise.all(STATUSES.map((st) => api('GET', '/v1/shipments', { query: { seller, status: st, limit: 50 } }).then((p) => p.items || [], () => [])));
        const open = lists.flat().slice(0, 40);
        const full = await Promise.all(open.map((x) => api('GET', `/v1/shipments/${encodeURIComponent(x.id)}`).catch(() => null)));
        const rows = [];
        for (const sh of full) {
            if (!sh) continue;
            for (const g of sh.goods || []) {
                if (g.seller !== seller || g.sku !== sku) continue;
                const qty = sh.status === 'booked' ? g.planned : sh.status === 'departed' ? g.departed : g.arrived - g.received;
                if (qty > 0) rows.push({ sh, qty });
            }
        }
        rows.sort((a, b) => (ms(a.sh.eta) || 0) - (ms(b.sh.eta) || 0));
        body.replaceWith(table([
            { label: t('transit.eta'), render: (r) => etaCell(r.sh) },
            { label: t('transit.shipment'), render: (r) => shipLink(r.sh.id) },
            { label: t('field.status'), render: (r) => badge('shipment', r.sh.status) },
            { label: t('transit.mode'), render: (r) => modeLabel(r.sh.mode) },
            { label: t('field.warehouse'), render: (r) => r.sh.warehouse },
            { label: t('transit.qty'), num: true, render: (r) => fmtNum(r.qty) },
        ], rows, 'sku-transit-table', t('transit.sku_none')));
    })().catch((e) => { body.replaceWith(h('p', { class: 'muted' }, String(e.message || e))); });
    return box;
}
