// Browser tests of the slotting page (web/js/pages/slotting.js): propose,
// accept one move, a stale move refused with its 409, a stored proposal by
// id and by journal ref, 390 px without sideways scrolling, and who sees the
// page. run.sh passes HC_BASE, the keys, HC_SELLER and HC_WAREHOUSE as for
// dashboard.test.mjs.
//
// The setup makes a warehouse of its own (so its wave takes only these
// orders, whatever the other test files do at the same time), stocks three
// SKUs of HC_SELLER in it (the most picked one far from the depot, the least
// picked one in the nearest bin) and packs their orders: the pick lines that
// slotting counts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ART, KEYS, SELLER, TIMEOUT, WAREHOUSE, call, go, launchBrowser, overflow, signIn, uniq } from './lib.mjs';

const OP_WH = WAREHOUSE;

let browser;
const SUF = uniq();
const WH = `SL-${SUF.slice(-6)}`;
const SKU = { hot: `SLOT-HOT-${SUF}`, warm: `SLOT-WARM-${SUF}`, cold: `SLOT-COLD-${SUF}` };
// sku -> [bin, units, orders of one unit]
const PLAN = { hot: ['C-04-1', 12, 4], warm: ['B-04-1', 8, 2], cold: ['A-01-1', 6, 1] };
const fix = {};

const order = (sku) => call('admin', 'POST', '/v1/orders', {
    seller: SELLER, channel: 'web', channel_order_id: `BT-SLOT-${uniq()}`,
    ship_to: { name: 'Sanne de Vries', country: 'NL', postcode: '5911', city: 'Venlo', line1: 'Markt 1' },
    lines: [{ sku, qty: 1, unit_price: { amount: '9.90', currency: 'EUR' } }],
});

// orders of skus, waved in WH and packed: each a pick line out of its bin
async function pickLines(skus) {
    const ids = [];
    for (const s of skus) {
        const o = await order(s);
        assert.equal(o.warehouse, WH, `order of ${s} routed to ${WH}`);
        ids.push(o.id);
    }
    const w = await call('admin', 'POST', '/v1/waves', { warehouse: WH });
    for (const id of ids) assert.ok(w.orders.includes(id), `wave ${w.id} takes ${id}`);
    for (const id of ids) await call('admin', 'POST', `/v1/orders/${encodeURIComponent(id)}/pack`, {});
}

async function openPage({ width = 1280, locale = 'en-US', allow = [] } = {}) {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const problems = [];
    const allowed = (s) => allow.some((re) => re.test(s));
    page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && allowed(m.location().url || '')) return;
        const s = `console: ${m.text()} @ ${m.location().url || ''}`;
        if (!allowed(s)) problems.push(s);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
        const s = `${r.request().method()} ${r.url()} -> ${r.status()}`;
        if (r.status() >= 400 && !allowed(s)) problems.push(`response: ${s}`);
    });
    page.problems = problems;
    return page;
}

async function withPage(name, opts, fn) {
    const page = await openPage(opts);
    try {
        await fn(page);
        await page.waitForLoadState('networkidle').catch(() => {});
        assert.deepEqual(page.problems, [], `${name}: errors in the page`);
    } catch (e) {
        await page.screenshot({ path: path.join(ART, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
        throw e;
    } finally {
        await page.context().close().catch(() => {});
    }
}

async function shot(page, name) {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(ART, `${name}.png`), fullPage: true });
}

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    assert.ok(SELLER, 'HC_SELLER is not set');
    browser = await launchBrowser();
    await call('admin', 'POST', '/v1/warehouses', {
        code: WH, name: 'Slotting test', country: 'NL', timezone: 'Europe/Amsterdam',
        address: { line1: 'Edisonstraat 2', city: 'Venlo', postcode: '5928', country: 'NL' },
        layout: { aisle_pitch_mm: 3000, bay_pitch_mm: 1000, depot_aisle: 1 },
    });
    // walk from the depot (aisle 1): A-01 1 m, B-01 7 m, B-04 13 m, C-03 17 m, C-04 19 m. The hot
    // SKU gains most by swapping with the cold one (3 x 18 m a day) rather than taking the
    // empty B-01 (4 x 12 m); the warm one then takes B-01: a swap and a move into an empty bin.
    const locations = [['A', 1], ['B', 1], ['B', 4], ['C', 3], ['C', 4]].map(([a, b]) => ({
        code: `${a}-0${b}-1`, zone: 'PICK', dims_mm: [1200, 800, 1000], max_weight_g: 500000, aisle: 'ABC'.indexOf(a) + 1, bay: b, level: 1,
    }));
    await call('admin', 'POST', `/v1/warehouses/${WH}/locations`, { locations });
    for (const [k, sku] of Object.entries(SKU)) {
        await call('admin', 'POST', '/v1/skus', {
            seller: SELLER, sku, name: `Slotting ${k}`, name_zh: '储位测试', hs_code: '8517130000',
            declared_value: { amount: '12.50', currency: 'USD' }, origin_country: 'CN', dims_mm: [200, 150, 100], weight_g: 500,
        });
    }
    const lines = Object.entries(SKU).map(([k, sku]) => ({ sku, qty: PLAN[k][1] }));
    const ib = await call('admin', 'POST', '/v1/inbounds', { seller: SELLER, warehouse: WH, reference: `BT-SLOT-${SUF}`, lines });
    await call('admin', 'POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/receipts`, { lines });
    await call('admin', 'POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/putaway`, {
        moves: Object.entries(SKU).map(([k, sku]) => ({ sku, qty: PLAN[k][1], location: PLAN[k][0] })),
    });
    await pickLines(Object.entries(SKU).flatMap(([k, sku]) => Array(PLAN[k][2]).fill(sku)));
});

after(async () => {
    await browser?.close();
});

test('admin proposes, sees the moves and the walk before and after, accepts one move', async () => {
    await withPage('slotting-propose', {}, async (page) => {
        await signIn(page, 'admin');
        await page.click('.nav a[data-nav=slotting]');
        await page.waitForSelector('[data-test=slot-form]');
        await page.waitForSelector(`[data-test=filter-warehouse] option[value="${WH}"]`, { state: 'attached' });
        await page.selectOption('[data-test=filter-warehouse]', WH);
        await page.fill('[data-test=slot-window]', '30');
        await page.fill('[data-test=slot-max]', '50');
        await page.click('[data-test=slot-propose]');
        await page.waitForSelector('[data-test=slot-moves] tbody tr');
        const id = (await page.textContent('[data-test=proposal-id]')).trim();
        assert.match(id, /^slt_/);
        const p = await call('admin', 'GET', `/v1/warehouses/${WH}/slotting/${encodeURIComponent(id)}`);
        fix.id = id;
        fix.proposal = p;
        // the hottest SKU leaves its far bin; the coldest gives up the nearest one
        const hot = p.moves.find((m) => m.sku === SKU.hot);
        assert.ok(hot && hot.from === 'C-04-1', `a move of the hot SKU: ${JSON.stringify(p.moves)}`);
        assert.ok(hot.swap_seq, `the hot SKU swaps: ${JSON.stringify(p.moves)}`);
        assert.ok(p.saved_mm_per_day > 0, 'the proposal saves walking');
        const rows = page.locator('[data-test=slot-moves] tbody tr');
        assert.equal(await rows.count(), p.moves.length, 'one row per move');
        for (const m of p.moves) {
            const row = page.locator(`[data-test=slot-moves] tbody tr[data-seq="${m.seq}"]`);
            const text = await row.textContent();
            for (const s of [m.sku, m.from, m.to]) assert.ok(text.includes(s), `row ${m.seq} shows ${s}: ${text}`);
            if (m.swap_seq) assert.ok(text.includes(`#${m.swap_seq}`), `row ${m.seq} names its swap partner`);
        }
        const m = (mm) => `${(mm / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} m`;
        assert.equal((await page.textContent('[data-test=walk-before] .kpi-value')).trim(), m(p.walk_mm_per_day.before));
        assert.equal((await page.textContent('[data-test=walk-after] .kpi-value')).trim(), m(p.walk_mm_per_day.after));
        assert.ok((await page.textContent('[data-test=walk-saved] .kpi-value')).startsWith(m(p.saved_mm_per_day)));
        await shot(page, 'slotting-proposal-1280');

        // a swap's two moves are selected together
        await page.check(`[data-test=move-check][data-seq="${hot.seq}"]`);
        assert.ok(await page.isChecked(`[data-test=move-check][data-seq="${hot.swap_seq}"]`), 'the partner of a swap is selected with it');
        assert.match(await page.textContent('[data-test=accept-selected]'), /\(2\)/);
        await page.uncheck(`[data-test=move-check][data-seq="${hot.seq}"]`);
        assert.equal(await page.isChecked(`[data-test=move-check][data-seq="${hot.swap_seq}"]`), false);
        // accept the move into an empty bin (the warm SKU's)
        const one = p.moves.find((x) => !x.swap_seq && x.sku === SKU.warm);
        assert.ok(one, `the warm SKU moves into an empty bin: ${JSON.stringify(p.moves)}`);
        fix.accepted = one;
        await page.check(`[data-test=move-check][data-seq="${one.seq}"]`);
        await page.click('[data-test=accept-selected]');
        await page.waitForSelector(`[data-test=slot-moves] tr[data-seq="${one.seq}"] [data-test=move-accepted]`);
        await page.waitForSelector('.alert-success');
        const now = await call('admin', 'GET', `/v1/warehouses/${WH}/slotting/${encodeURIComponent(id)}`);
        for (const x of now.moves) {
            const want = x.seq === one.seq || (one.swap_seq && x.seq === one.swap_seq);
            assert.equal(!!x.accepted_at, !!want, `move ${x.seq} accepted: ${x.accepted_at}`);
        }
        // the journal of the proposal lists the booked move
        await page.waitForSelector('[data-test=slot-journal] tbody tr:not(.empty)');
        const jt = await page.textContent('[data-test=slot-journal]');
        assert.ok(jt.includes(`wh/${WH}/${one.from}`) && jt.includes(one.sku), `journal shows the move: ${jt}`);
        await shot(page, 'slotting-accepted-1280');
    });
});

test('a move whose bin changed since is refused with the 409 naming it', async () => {
    assert.ok(fix.proposal, 'the proposal of the first test');
    const hot = fix.proposal.moves.find((m) => m.sku === SKU.hot && !m.accepted_at && m.seq !== fix.accepted.seq);
    assert.ok(hot, 'a move of the hot SKU still to accept');
    await pickLines([SKU.hot]); // one more line out of the hot SKU's bin
    await withPage('slotting-409', { allow: [/\/accept -> 409/, /\/accept$/] }, async (page) => {
        await signIn(page, 'admin');
        await go(page, `#/slotting/${encodeURIComponent(fix.id)}?warehouse=${WH}`);
        await page.waitForSelector('[data-test=slot-moves] tbody tr');
        await page.check(`[data-test=move-check][data-seq="${hot.seq}"]`);
        await page.click('[data-test=accept-selected]');
        await page.waitForSelector('[data-test=move-conflict]');
        // the 409 names the hot SKU's move, or the other half of its swap
        const named = [hot.seq, hot.swap_seq].filter(Boolean);
        const said = await page.textContent('[data-test=move-conflict]');
        assert.ok(named.some((q) => said.includes(`#${q} `)), `the refusal names move ${named.join(' or ')}: ${said}`);
        assert.match(await page.textContent('.alert-error'), /409/);
        const marked = await page.$$eval('[data-test=slot-moves] tr.conflict', (trs) => trs.map((tr) => Number(tr.dataset.seq)));
        assert.equal(marked.length, 1, 'one move marked');
        assert.ok(named.includes(marked[0]), `the refused move is marked: ${marked}`);
        const now = await call('admin', 'GET', `/v1/warehouses/${WH}/slotting/${encodeURIComponent(fix.id)}`);
        assert.equal(now.moves.find((m) => m.seq === hot.seq).accepted_at, null, 'nothing accepted');
        await shot(page, 'slotting-409-1280');
    });
});

test('at 390 px (中文): the form, the proposal by id and by journal ref, no sideways scrolling', async () => {
    assert.ok(fix.id, 'the proposal of the first test');
    await withPage('slotting-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'admin');
        await go(page, `#/slotting?warehouse=${WH}`);
        await page.waitForSelector('[data-test=slot-form]');
        assert.equal((await page.textContent('main h1')).trim(), '储位优化');
        await page.click('[data-test=slot-propose]');
        await page.waitForSelector('[data-test=slot-view] .card');
        assert.ok(await overflow(page) <= 0, `#/slotting scrolls sideways by ${await overflow(page)}px`);
        await shot(page, 'slotting-propose-390');
        // a journal ref slt_... opens the proposal, its warehouse found from the journal
        for (const hash of [`#/slotting/${encodeURIComponent(fix.id)}?warehouse=${WH}`, `#/ref/${encodeURIComponent(fix.id)}`]) {
            await go(page, hash);
            await page.waitForSelector(`[data-test=slot-moves] tr[data-seq="${fix.accepted.seq}"] [data-test=move-accepted]`);
            await page.waitForSelector('[data-test=slot-journal] tbody tr:not(.empty)');
            const over = await overflow(page);
            assert.ok(over <= 0, `${hash} at 390 px scrolls sideways by ${over}px`);
        }
        await shot(page, 'slotting-proposal-390');
    });
});

test('operator proposes for its own warehouse only; a seller has no slotting page', async () => {
    await withPage('slotting-operator', { width: 390 }, async (page) => {
        await signIn(page, 'operator');
        assert.equal(await page.locator('.nav a[data-nav=slotting]').count(), 1, 'operator sees the nav entry');
        await go(page, '#/slotting');
        const opts = await page.$$eval('[data-test=filter-warehouse] option', (os) => os.map((o) => o.value));
        assert.deepEqual(opts, [OP_WH]);
        await page.fill('[data-test=slot-max]', '5');
        await page.click('[data-test=slot-propose]');
        await page.waitForSelector('[data-test=slot-moves], [data-test=no-moves]');
        assert.match(await page.textContent('[data-test=slot-view]'), new RegExp(OP_WH));
        assert.ok(await overflow(page) <= 0, 'operator page fits 390 px');
    });
    await withPage('slotting-seller', {}, async (page) => {
        await signIn(page, 'seller');
        assert.equal(await page.locator('.nav a[data-nav=slotting]').count(), 0, 'no slotting tab for a seller');
        await go(page, '#/slotting');
        await page.waitForURL(/#\/overview$/);
    });
});
