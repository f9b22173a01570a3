// A stand-in for `haicang serve`, for working on the dashboard without the C
// server: the routes the dashboard uses, from docs/api.md, over a small
// in-memory data set. The browser tests run against the real server; this is
// only for development:  node tests/browser/mock/server.mjs 8099
// Keys: admin-key, op-key (operator, DE-DUI), seller-key (seller SZ-ANKO).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
const port = Number(process.argv[2] || 8099);
let seq = 1000;
const id = (p) => `${p}_${7410032417931264 + ++seq}`;
const now = () => new Date().toISOString();
const daysAgo = (d) => new Date(Date.now() - d * 86400e3).toISOString();

const keys = {
    'admin-key': { role: 'admin', seller: null, warehouse: null },
    'op-key': { role: 'operator', seller: null, warehouse: 'DE-DUI' },
    'seller-key': { role: 'seller', seller: 'SZ-ANKO', warehouse: null },
};
const sellers = [
    { code: 'SZ-ANKO', name: 'Shenzhen Anko Electronics', country: 'CN' },
    { code: 'YW-LUMA', name: 'Yiwu Luma Home', country: 'CN' },
];
const warehouses = [
    { code: 'DE-DUI', name: 'Duisburg', country: 'DE', timezone: 'Europe/Berlin' },
    { code: 'US-LAX', name: 'Los Angeles', country: 'US', timezone: 'America/Los_Angeles' },
];
const skus = [];
const inv = new Map(); // seller|wh|sku -> {on_hand, allocated, in_transit}
const journal = [];
function addSku(seller, sku, name, name_zh) {
    skus.push({ seller, sku, name, name_zh, hs_code: '8504409999', declared_value: { amount: '12.50', currency: 'USD' }, origin_country: 'CN', dims_mm: [120, 80, 40], weight_g: 350, barcode: '69' + Math.floor(Math.random() * 1e11), brand: 'Anko', created_at: daysAgo(100) });
}
function stock(seller, wh, sku) {
    const k = `${seller}|${wh}|${sku}`;
    if (!inv.has(k)) inv.set(k, { seller, warehouse: wh, sku, on_hand: 0, allocated: 0, in_transit: 0 });
    return inv.get(k);
}
function post(kind, seller, sku, qty, from, to, ref, at) {
    journal.push({ id: id('pst'), at: at || now(), kind, seller, sku, qty, from, to, ref, actor: 'demo' });
}
for (let i = 1; i <= 30; i++) addSku('SZ-ANKO', `ANK-${String(i).padStart(3, '0')}`, `USB-C charger ${i}0W`, `USB-C 充电器 ${i}0W`);
for (let i = 1; i <= 12; i++) addSku('YW-LUMA', `LUMA-${String(i).padStart(3, '0')}`, `Ceramic mug ${i}`, `陶瓷杯 ${i}`);
skus.forEach((s, i) => {
    for (const wh of ['DE-DUI', 'US-LAX']) {
        if ((i + wh.length) % 3 === 0) continue;
        const st = stock(s.seller, wh, s.sku);
        const q = 20 + ((i * 37) % 180);
        st.on_hand += q;
        post('move', s.seller, s.sku, q, `transit/shp_1`, `wh/${wh}/A-0${1 + (i % 5)}-${1 + (i % 3)}`, 'inb_7410032417900001', daysAgo(40 - (i % 30)));
    }
});
const inbounds = [];
const mkInbound = (seller, wh, status, n, d) => {
    const ss = skus.filter((s) => s.seller === seller).slice(n, n + 3);
    const ib = { id: id('inb'), seller, warehouse: wh, reference: `ASN-${seq}`, status, lines: ss.map((s) => ({ sku: s.sku, expected: 50, received: status === 'expected' ? 0 : 50, put_away: status === 'putaway' ? 50 : 0 })), created_at: daysAgo(d) };
    inbounds.unshift(ib);
};
mkInbound('SZ-ANKO', 'DE-DUI', 'putaway', 0, 9); inbounds[0].id = 'inb_7410032417900001'; mkInbound('YW-LUMA', 'DE-DUI', 'received', 2, 3); mkInbound('SZ-ANKO', 'US-LAX', 'expected', 3, 2);
mkInbound('SZ-ANKO', 'DE-DUI', 'expected', 5, 1); mkInbound('YW-LUMA', 'DE-DUI', 'expected', 1, 0);
const orders = [];
const STAT = ['allocated', 'allocated', 'allocated', 'backordered', 'picking', 'packed', 'shipped', 'delivered', 'cancelled'];
for (let i = 0; i < 60; i++) {
    const seller = i % 3 === 2 ? 'YW-LUMA' : 'SZ-ANKO';
    const wh = i % 4 === 3 ? 'US-LAX' : 'DE-DUI';
    const ss = skus.filter((s) => s.seller === seller);
    const status = STAT[i % STAT.length];
    const created = daysAgo((i * 7) % 14 + (i % 5) / 10);
    const o = {
        id: id('ord'), seller, channel: ['amazon', 'shopify', 'tiktok'][i % 3], channel_order_id: `${302 + i}-${1000000 + i * 7919}`, status, warehouse: wh,
        ship_to: { name: ['Anna Schmidt', 'Luca Rossi', 'John Park', 'Marie Dubois'][i % 4], country: ['DE', 'IT', 'US', 'FR'][i % 4], postcode: '47051', city: ['Duisburg', 'Milano', 'Los Angeles', 'Paris'][i % 4], line1: 'Hauptstraße 1' },
        lines: [{ sku: ss[i % ss.length].sku, qty: 1 + (i % 3), unit_price: { amount: '19.99', currency: 'EUR' }, allocated: status === 'backordered' ? 0 : 1 + (i % 3) }],
        carrier: ['shipped', 'delivered'].includes(status) ? 'DHL' : null, tracking_no: ['shipped', 'delivered'].includes(status) ? `JD0146${i}` : null,
        wave: null, created_at: created, updated_at: created, history: [{ status: status === 'backordered' ? 'backordered' : 'allocated', at: created }],
    };
    const chain = ['allocated', 'picking', 'packed', 'shipped', 'delivered'];
    if (chain.includes(status)) for (const s of chain.slice(1, chain.indexOf(status) + 1)) o.history.push({ status: s, at: created });
    if (status === 'cancelled') o.history.push({ status: 'cancelled', at: created });
    if (['allocated', 'picking', 'packed'].includes(status)) stock(seller, wh, o.lines[0].sku).allocated += o.lines[0].qty;
    post('allocate', seller, o.lines[0].sku, o.lines[0].qty, `wh/${wh}/A-01-1`, `order/${o.id}`, o.id, created);
    orders.push(o);
}
orders.sort((a, b) => b.created_at.localeCompare(a.created_at));
const waves = [];
const returns = [];

function visible(me, o) {
    if (me.role === 'seller' && o.seller !== me.seller) return false;
    if (me.role === 'operator' && me.warehouse && o.warehouse !== me.warehouse) return false;
    return true;
}
function page(list, q) {
    const limit = Math.min(1000, Number(q.get('limit') || 100));
    const off = Number(q.get('cursor') || 0);
    const items = list.slice(off, off + limit);
    return { items, next_cursor: off + limit < list.length ? String(off + limit) : null };
}
function problem(res, status, title, errors) {
    res.writeHead(status, { 'Content-Type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title, status, detail: title, errors: errors || [] }));
}
const json = (res, status, body) => { res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }); res.end(JSON.stringify(body)); };
const filt = (list, q, me, fields) => list.filter((x) => visible(me, x) && fields.every((f) => !q.get(f) || String(x[f]) === q.get(f)));

const routes = [
    ['GET', /^\/v1\/me$/, (me) => [200, me]],
    ['GET', /^\/v1\/sellers$/, (me, q) => [200, page(sellers.filter((s) => me.role !== 'seller' || s.code === me.seller), q)]],
    ['GET', /^\/v1\/warehouses$/, (me, q) => [200, page(warehouses, q)]],
    ['GET', /^\/v1\/warehouses\/([^/]+)\/locations$/, (me, q, b, wh) => [200, page(Array.from({ length: 20 }, (_, i) => ({ code: `A-0${1 + (i % 5)}-${1 + (i % 4)}`, zone: 'STORAGE', aisle: 1 })).concat([{ code: 'RECV', zone: 'RECEIVING' }]), q)]],
    ['GET', /^\/v1\/skus$/, (me, q) => [200, page(skus.filter((k) => (me.role !== 'seller' || k.seller === me.seller) && (!q.get('seller') || k.seller === q.get('seller'))), q)]],
    ['GET', /^\/v1\/skus\/([^/]+)\/([^/]+)$/, (me, q, b, s, k) => { const x = skus.find((y) => y.seller === s && y.sku === k && (me.role !== 'seller' || s === me.seller)); return x ? [200, x] : [404, 'not found']; }],
    ['GET', /^\/v1\/inventory$/, (me, q) => {
        let l = [...inv.values()].filter((x) => visible(me, x) && ['seller', 'warehouse', 'sku'].every((f) => !q.get(f) || x[f] === q.get(f)))
            .map((x) => ({ ...x, available: x.on_hand - x.allocated }));
        if (q.get('q')) l = l.filter((x) => x.sku.toLowerCase().startsWith(q.get('q').toLowerCase()) || skus.find((s) => s.sku === x.sku).name.toLowerCase().startsWith(q.get('q').toLowerCase()));
        const s = q.get('sort') || 'sku';
        l.sort(s === 'sku' ? (a, b) => (a.sku + a.warehouse).localeCompare(b.sku + b.warehouse) : (a, b) => b[s.slice(1)] - a[s.slice(1)]);
        return [200, page(l, q)];
    }],
    ['GET', /^\/v1\/inbounds$/, (me, q) => [200, page(filt(inbounds, q, me, ['seller', 'warehouse', 'status']), q)]],
    ['GET', /^\/v1\/inbounds\/([^/]+)$/, (me, q, b, i) => { const x = inbounds.find((y) => y.id === i && visible(me, y)); return x ? [200, x] : [404, 'not found']; }],
    ['POST', /^\/v1\/inbounds\/([^/]+)\/receipts$/, (me, q, b, i) => {
        if (me.role === 'seller') return [403, 'forbidden'];
        const x = inbounds.find((y) => y.id === i && visible(me, y));
        if (!x) return [404, 'not found'];
        const errs = [];
        (b.lines || []).forEach((l, j) => { if (!Number.isInteger(l.qty) || l.qty <= 0) errs.push({ field: `lines[${j}].qty`, message: 'must be > 0' }); });
        if (errs.length) return [422, 'invalid', errs];
        for (const l of b.lines) { const ln = x.lines.find((y) => y.sku === l.sku); ln.received += l.qty; stock(x.seller, x.warehouse, l.sku).on_hand += l.qty; post('move', x.seller, l.sku, l.qty, 'origin', `wh/${x.warehouse}/RECEIVING`, x.id); }
        x.status = x.lines.every((l) => l.received >= l.expected) ? 'received' : 'receiving';
        return [200, x];
    }],
    ['POST', /^\/v1\/inbounds\/([^/]+)\/putaway$/, (me, q, b, i) => {
        const x = inbounds.find((y) => y.id === i && visible(me, y));
        if (!x) return [404, 'not found'];
        const moves = [];
        for (const l of x.lines) { const n = l.received - l.put_away; if (n > 0) { l.put_away += n; moves.push({ sku: l.sku, qty: n, location: 'A-02-3' }); post('move', x.seller, l.sku, n, `wh/${x.warehouse}/RECEIVING`, `wh/${x.warehouse}/A-02-3`, x.id); } }
        if (x.lines.every((l) => l.put_away >= l.expected)) x.status = 'putaway';
        return [200, { moves }];
    }],
    ['POST', /^\/v1\/inbounds$/, (me, q, b) => {
        const ib = { id: id('inb'), seller: b.seller, warehouse: b.warehouse, reference: b.reference, status: 'expected', lines: b.lines.map((l) => ({ sku: l.sku, expected: l.qty, received: 0, put_away: 0 })), created_at: now() };
        inbounds.unshift(ib);
        return [201, ib];
    }],
    ['POST', /^\/v1\/orders$/, (me, q, b) => {
        const o = { id: id('ord'), seller: b.seller, channel: b.channel, channel_order_id: b.channel_order_id, status: 'allocated', warehouse: 'DE-DUI', ship_to: b.ship_to,
            lines: b.lines.map((l) => ({ ...l, allocated: l.qty })), carrier: null, tracking_no: null, wave: null, created_at: now(), updated_at: now(), history: [{ status: 'allocated', at: now() }] };
        for (const l of b.lines) { stock(b.seller, 'DE-DUI', l.sku).allocated += l.qty; post('allocate', b.seller, l.sku, l.qty, 'wh/DE-DUI/A-01-1', `order/${o.id}`, o.id); }
        orders.unshift(o);
        return [201, o];
    }],
    ['GET', /^\/v1\/orders$/, (me, q) => {
        let l = filt(orders, q, me, ['seller', 'warehouse', 'status', 'channel']);
        if (q.get('country')) l = l.filter((o) => o.ship_to.country === q.get('country'));
        if (q.get('from')) l = l.filter((o) => o.created_at.slice(0, 10) >= q.get('from'));
        if (q.get('to')) l = l.filter((o) => o.created_at.slice(0, 10) <= q.get('to'));
        return [200, page(l, q)];
    }],
    ['GET', /^\/v1\/orders\/([^/]+)$/, (me, q, b, i) => { const x = orders.find((y) => y.id === i && visible(me, y)); return x ? [200, x] : [404, 'not found']; }],
    ['POST', /^\/v1\/orders\/([^/]+)\/(cancel|pack|ship|deliver)$/, (me, q, b, i, verb) => {
        const x = orders.find((y) => y.id === i && visible(me, y));
        if (!x) return [404, 'not found'];
        const to = { cancel: 'cancelled', pack: 'packed', ship: 'shipped', deliver: 'delivered' }[verb];
        if (verb === 'cancel' && ['shipped', 'delivered', 'cancelled'].includes(x.status)) return [409, 'order cannot be cancelled'];
        if (verb === 'ship' && !b.carrier) return [422, 'invalid', [{ field: 'carrier', message: 'required' }]];
        x.status = to; x.history.push({ status: to, at: now() }); x.updated_at = now();
        return [200, x];
    }],
    ['POST', /^\/v1\/waves$/, (me, q, b) => {
        if (me.role === 'seller') return [403, 'forbidden'];
        if (!b.warehouse) return [422, 'invalid', [{ field: 'warehouse', message: 'required' }]];
        const os = orders.filter((o) => o.status === 'allocated' && o.warehouse === b.warehouse).slice(0, b.max_orders || 20);
        if (!os.length) return [422, 'no allocated orders', [{ field: 'warehouse', message: 'has no allocated orders' }]];
        const w = { id: id('wav'), warehouse: b.warehouse, orders: os.map((o) => o.id), picks: os.map((o, k) => ({ seq: k + 1, location: `A-0${1 + (k % 5)}-${1 + (k % 3)}`, sku: o.lines[0].sku, qty: o.lines[0].qty, order: o.id })), route_length_mm: 48000 + os.length * 3000, created_at: now() };
        os.forEach((o) => { o.status = 'picking'; o.wave = w.id; o.history.push({ status: 'picking', at: now() }); });
        waves.unshift(w);
        return [201, w];
    }],
    ['GET', /^\/v1\/waves$/, (me, q) => [200, page(filt(waves, q, me, ['warehouse']), q)]],
    ['GET', /^\/v1\/waves\/([^/]+)$/, (me, q, b, i) => { const x = waves.find((y) => y.id === i); return x ? [200, x] : [404, 'not found']; }],
    ['GET', /^\/v1\/returns$/, (me, q) => [200, page(filt(returns, q, me, ['seller', 'warehouse']), q)]],
    ['GET', /^\/v1\/returns\/([^/]+)$/, (me, q, b, i) => { const x = returns.find((y) => y.id === i); return x ? [200, x] : [404, 'not found']; }],
    ['POST', /^\/v1\/returns$/, (me, q, b) => {
        const o = orders.find((y) => y.id === b.order && visible(me, y));
        if (!o) return [422, 'invalid', [{ field: 'order', message: 'unknown order' }]];
        const errs = [];
        (b.lines || []).forEach((l, j) => { if (!Number.isInteger(l.qty) || l.qty <= 0) errs.push({ field: `lines[${j}].qty`, message: 'must be > 0' }); });
        if (!(b.lines || []).length) errs.push({ field: 'lines', message: 'must not be empty' });
        if (errs.length) return [422, 'invalid', errs];
        const r = { id: id('ret'), order: o.id, seller: o.seller, warehouse: o.warehouse, lines: b.lines, created_at: now() };
        returns.unshift(r);
        return [201, r];
    }],
    ['GET', /^\/v1\/journal$/, (me, q) => {
        let l = journal.filter((p) => me.role !== 'seller' || p.seller === me.seller);
        if (q.get('ref')) l = l.filter((p) => p.ref === q.get('ref'));
        else l = l.filter((p) => p.seller === q.get('seller') && p.sku === q.get('sku'));
        return [200, page([...l].sort((a, b) => a.at.localeCompare(b.at)), q)];
    }],
    ['GET', /^\/v1\/stats\/overview$/, (me, q) => {
        const st = new Map();
        for (const x of inv.values()) {
            if (!visible(me, x) || (q.get('seller') && x.seller !== q.get('seller')) || (q.get('warehouse') && x.warehouse !== q.get('warehouse'))) continue;
            const k = x.warehouse + x.seller;
            const a = st.get(k) || { warehouse: x.warehouse, seller: x.seller, on_hand: 0, allocated: 0, available: 0 };
            a.on_hand += x.on_hand; a.allocated += x.allocated; a.available += x.on_hand - x.allocated; st.set(k, a);
        }
        const os = orders.filter((o) => visible(me, o));
        const by = {}; const today = {};
        os.forEach((o) => { by[o.status] = (by[o.status] || 0) + 1; if (o.created_at.slice(0, 10) === now().slice(0, 10)) today[o.status] = (today[o.status] || 0) + 1; });
        const perDay = Array.from({ length: 14 }, (_, i) => { const d = daysAgo(13 - i).slice(0, 10); return { day: d, count: os.filter((o) => o.created_at.slice(0, 10) === d).length }; });
        return [200, { stock: [...st.values()], orders_by_status: by, orders_today: today, orders_per_day: perDay, backorders: by.backordered || 0, inbounds_expected: inbounds.filter((x) => visible(me, x) && x.status === 'expected').length, inventory_age: [{ bucket: '0-30', qty: 2400 }, { bucket: '31-60', qty: 1300 }, { bucket: '61-90', qty: 520 }, { bucket: '90+', qty: 180 }] }];
    }],
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith('/v1/')) {
        const p = path.join(WEB, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
        if (!p.startsWith(WEB) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) return problem(res, 404, 'not found');
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(p)] || 'application/octet-stream' });
        return res.end(fs.readFileSync(p));
    }
    const me = keys[(req.headers.authorization || '').replace(/^Bearer /, '')];
    if (!me) return problem(res, 401, 'unauthorized');
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
        let body = {};
        try { body = raw ? JSON.parse(raw) : {}; } catch { return problem(res, 400, 'malformed JSON'); }
        for (const [m, re, fn] of routes) {
            const mm = re.exec(url.pathname);
            if (m !== req.method || !mm) continue;
            const [status, out, errs] = fn(me, url.searchParams, body, ...mm.slice(1).map(decodeURIComponent));
            return status >= 400 ? problem(res, status, out, errs) : json(res, status, out);
        }
        problem(res, 404, 'no such route');
    });
}).listen(port, '127.0.0.1', () => console.log(`mock on http://127.0.0.1:${port}/`));
