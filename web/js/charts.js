// Charts drawn as inline SVG, sized to their box (a ResizeObserver redraws
// them when the box changes width, so text stays readable on a phone).

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...kids) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
    for (const k of kids) if (k !== null && k !== undefined) el.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
    return el;
}

// A round upper bound for an axis and its step: 0, step, 2*step, ... >= max.
function niceScale(max, ticks = 4) {
    if (!(max > 0)) return { top: ticks, step: 1 };
    const raw = max / ticks;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw) || 10 * mag;
    const st = Math.max(1, step);
    return { top: Math.ceil(max / st) * st, step: st };
}

function compact(n) {
    if (Math.abs(n) >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
    if (Math.abs(n) >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
    return String(Math.round(n));
}

function frame(width, height, top, step, m) {
    const g = s('g', { class: 'axis' });
    const ph = height - m.t - m.b;
    for (let v = 0; v <= top + 1e-9; v += step) {
        const y = m.t + ph - (v / top) * ph;
        g.appendChild(s('line', { x1: m.l, x2: width - m.r, y1: y, y2: y, class: v === 0 ? 'base' : 'grid' }));
        g.appendChild(s('text', { x: m.l - 6, y: y + 4, 'text-anchor': 'end' }, compact(v)));
    }
    return g;
}

function legend(series) {
    const el = document.createElement('div');
    el.className = 'chart-legend';
    for (const se of series) {
        const item = document.createElement('span');
        const sw = document.createElement('i');
        sw.style.background = se.color;
        item.append(sw, se.name);
        el.appendChild(item);
    }
    return el;
}

// A chart that redraws itself at its box's width. draw(width) -> <svg>.
function responsive(draw, { series, testId, label } = {}) {
    const box = document.createElement('div');
    box.className = 'chart';
    if (testId) box.dataset.test = testId;
    const holder = document.createElement('div');
    holder.className = 'chart-svg';
    box.appendChild(holder);
    if (series && series.length > 1) box.appendChild(legend(series));
    let lastW = 0;
    const render = (w) => {
        w = Math.max(260, Math.round(w));
        if (w === lastW) return;
        lastW = w;
        const svg = draw(w);
        svg.setAttribute('role', 'img');
        if (label) svg.setAttribute('aria-label', label);
        holder.replaceChildren(svg);
    };
    const ro = new ResizeObserver((entries) => {
        for (const e of entries) if (e.contentRect.width > 0) render(e.contentRect.width);
    });
    ro.observe(holder);
    render(600);
    return box;
}

// Vertical bars, stacked when several series are given.
// categories: ['DE-DUI', ...]; series: [{name, color, values:[...]}]
export function barChart({ categories, series, height = 230, testId, label, valueLabels = true }) {
    return responsive((width) => {
        const m = { l: 44, r: 10, t: 18, b: 34 };
        const n = categories.length || 1;
        const totals = categories.map((_, i) => series.reduce((a, se) => a + (Number(se.values[i]) || 0), 0));
        const { top, step } = niceScale(Math.max(0, ...totals));
        const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'svg-chart' });
        svg.appendChild(frame(width, height, top, step, m));
        const pw = width - m.l - m.r;
        const ph = height - m.t - m.b;
        const slot = pw / n;
        const bw = Math.min(56, slot * 0.62);
        const every = Math.ceil((n * 44) / pw); // label thinning on narrow screens
        categories.forEach((cat, i) => {
            const x = m.l + slot * i + (slot - bw) / 2;
            let acc = 0;
            series.forEach((se) => {
                const v = Number(se.values[i]) || 0;
                if (v <= 0) return;
                const y0 = m.t + ph - (acc / top) * ph;
                const hgt = (v / top) * ph;
                acc += v;
                const r = s('rect', { x, y: y0 - hgt, width: bw, height: Math.max(0, hgt), fill: se.color, rx: 2, class: 'bar' },
                    s('title', null, `${cat} · ${se.name}: ${v}`));
                svg.appendChild(r);
            });
            if (valueLabels && totals[i] > 0 && n <= 16) {
                svg.appendChild(s('text', { x: x + bw / 2, y: m.t + ph - (totals[i] / top) * ph - 5, 'text-anchor': 'middle', class: 'value' }, compact(totals[i])));
            }
            if (i % every === 0) {
                svg.appendChild(s('text', { x: x + bw / 2, y: height - m.b + 16, 'text-anchor': 'middle', class: 'cat' }, String(cat)));
            }
        });
        return svg;
    }, { series, testId, label });
}

// A line over an area, one point per category (e.g. orders per day).
export function lineChart({ categories, values, color = '#2563eb', height = 230, testId, label, name }) {
    return responsive((width) => {
        const m = { l: 44, r: 24, t: 18, b: 34 };
        const n = categories.length;
        const { top, step } = niceScale(Math.max(0, ...values.map(Number)));
        const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'svg-chart' });
        svg.appendChild(frame(width, height, top, step, m));
        const pw = width - m.l - m.r;
        const ph = height - m.t - m.b;
        const xs = (i) => m.l + (n <= 1 ? pw / 2 : (pw * i) / (n - 1));
        const ys = (v) => m.t + ph - (Number(v) / top) * ph;
        if (n > 0) {
            const pts = values.map((v, i) => `${xs(i).toFixed(1)},${ys(v).toFixed(1)}`);
            const gid = `g${Math.random().toString(36).slice(2, 8)}`;
            const defs = s('defs', null, s('linearGradient', { id: gid, x1: 0, y1: 0, x2: 0, y2: 1 },
                s('stop', { offset: '0%', 'stop-color': color, 'stop-opacity': 0.28 }),
                s('stop', { offset: '100%', 'stop-color': color, 'stop-opacity': 0.02 })));
            svg.appendChild(defs);
            svg.appendChild(s('path', { d: `M${xs(0)},${m.t + ph} L${pts.join(' L')} L${xs(n - 1)},${m.t + ph} Z`, fill: `url(#${gid})` }));
            svg.appendChild(s('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 2.2, 'stroke-linejoin': 'round' }));
            const every = Math.ceil((n * 46) / pw);
            values.forEach((v, i) => {
                svg.appendChild(s('circle', { cx: xs(i), cy: ys(v), r: 3.2, fill: '#fff', stroke: color, 'stroke-width': 2, class: 'dot' },
                    s('title', null, `${categories[i]}${name ? ' · ' + name : ''}: ${v}`)));
                if ((n - 1 - i) % every === 0) {
                    svg.appendChild(s('text', { x: xs(i), y: height - m.b + 16, 'text-anchor': 'middle', class: 'cat' }, String(categories[i])));
                }
            });
        }
        return svg;
    }, { testId, label });
}
