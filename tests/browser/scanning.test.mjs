// Browser tests of the scanning screens (web/js/pages/picking.js and
// packing.js) at phone width, with scans typed as a keyboard-wedge scanner
// types them: into whatever has the focus, ended by Enter. run.sh passes
// HC_BASE, the keys and HC_WAREHOUSE as for dashboard.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ART, BASE, KEYS, SELLER, TIMEOUT, WAREHOUSE, call, go, launchBrowser, uniq } from './lib.mjs';

const WH = WAREHOUSE;

let browser;

// A page at phone width, watched for errors; allow: expected error answers.
async function openPage(allow = []) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    const ok = (s) => allow.some((re) => re.test(s));
    page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // every non-2xx fetch is also logged so; the answers are checked one by one below
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
        problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
        const s = `${r.request().method()} ${r.url()} -> ${r.status()}`;
        if (r.status() >= 400 && !ok(s)) problems.push(`response: ${s}`);
    });
    page.problems = problems;
    return page;
}

async function signIn(page) {
    await page.goto(BASE);
    await page.fill('[data-test=key]', KEYS.operator);
    await page.click('[data-test=signin]');
    await page.waitForSelector('header.topbar [data-test=whoami]', { state: 'attached' });
}

// the scanner: keys into the focused element, then Enter
async function wedge(page, testId, text) {
    const focused = await page.evaluate(() => document.activeElement?.dataset?.test);
    assert.equal(focused, testId, `the scan input has the focus before "${text}"`);
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
}

async function noSideways(page, name) {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= 390, `${name}: no sideways scrolling at 390 px (scrollWidth ${w})`);
    await page.screenshot({ path: path.join(ART, `${name}.png`), fullPage: true });
}

before(async () => {
    assert.ok(KEYS.admin && KEYS.operator, 'keys are not set');
    browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

test('picking screen at 390 px: bin and item scans typed into the focused input, wrong bin shown, order picked; pack station enables pack only when complete', async () => {
    // an order of two units of a SKU with stock here, then a wave of one order
    const seller = process.env.HC_SELLER;
    const inv = await call('admin', 'GET', `/v1/inventory?seller=${encodeURIComponent(seller)}&warehouse=${encodeURIComponent(WH)}&sort=-available&limit=20`);
    const row = (inv.items || []).find((r) => Number(r.available) >= 4);
    assert.ok(row, `no stock of ${seller} in ${WH}`);
    await call('admin', 'POST', '/v1/orders', {
        seller, channel: 'web', channel_order_id: `BT-SCAN-${Date.now().toString(36)}`,
        ship_to: { name: 'Test Käufer', country: 'DE', postcode: '47051', city: 'Duisburg', line1: 'Königstraße 1' },
        lines: [{ sku: row.sku, qty: 2, unit_price: { amount: '19.90', currency: 'EUR' } }],
    });
    const wave = await call('operator', 'POST', '/v1/waves', { warehouse: WH, max_orders: 1 });
    const order = wave.orders[0];
    const page = await openPage([/\/scans -> 422/, /\/pack-scans -> 422/]);
    try {
        await signIn(page);
        await go(page, `#/waves/${encodeURIComponent(wave.id)}/pick`, '[data-test=picking] [data-test=scan-next]');
        let pg = await call('operator', 'GET', `/v1/waves/${encodeURIComponent(wave.id)}/progress`);
        const first = pg.next;
        assert.equal((await page.textContent('[data-test=scan-bin]')).trim(), first.location);
        assert.equal((await page.textContent('[data-test=scan-sku]')).trim(), first.sku);
        if (first.name_zh) assert.equal((await page.textContent('[data-test=scan-name-zh]')).trim(), first.name_zh);
        assert.ok(['←', '→', '↑', '↓', '●'].includes((await page.textContent('[data-test=scan-arrow]')).trim()), 'an arrow to the next stop');
        await noSideways(page, 'picking-390');

        // a bin with nothing to pick: refused, shown, nothing counted
        await wedge(page, 'scan-input', 'ZZ-99-9');
        await page.waitForSelector('[data-test=scan-msg].bad');
        assert.match(await page.textContent('[data-test=scan-msg]'), /code/);
        // walk the route: bin, then the item with its count
        for (let guard = 0; pg.next && guard < 50; guard++) {
            const n = pg.next;
            await wedge(page, 'scan-input', n.location);
            await page.waitForFunction((b) => document.querySelector('[data-test=scan-at]')?.textContent === b, n.location);
            const left = n.qty - n.picked;
            if (left > 1) {
                await page.fill('[data-test=scan-qty]', String(left));
                await page.press('[data-test=scan-qty]', 'Enter');
            }
            await wedge(page, 'scan-input', n.barcode || n.sku);
            await page.waitForFunction((d) => document.querySelector('[data-test=scan-progress]')?.textContent.startsWith(`${d} `), pg.progress.units_done + left);
            pg = await call('operator', 'GET', `/v1/waves/${encodeURIComponent(wave.id)}/progress`);
        }
        await page.waitForSelector('[data-test=scan-done]');
        await noSideways(page, 'picking-done-390');
        const o = await call('operator', 'GET', `/v1/orders/${encodeURIComponent(order)}`);
        assert.equal(o.status, 'picking', 'picked by scan, waiting for the pack station');
        const journal = await call('admin', 'GET', `/v1/journal?ref=${encodeURIComponent(order)}`);
        assert.ok(journal.items.some((p) => p.kind === 'move' && p.to === `order/${order}` && p.from.startsWith(`wh/${WH}/`)), 'goods moved to the order by the scans');

        // pack station: pack stays disabled until every unit is scanned
        await go(page, `#/pack/${encodeURIComponent(order)}`, '[data-test=pack-lines]');
        assert.equal(await page.isDisabled('[data-test=pack-submit]'), true, 'pack disabled before the scans');
        await wedge(page, 'pack-input', 'NOT-ON-ORDER');
        await page.waitForSelector('[data-test=pack-msg].bad');
        const pp = await call('operator', 'GET', `/v1/orders/${encodeURIComponent(order)}/pack-progress`);
        const units = pp.lines.flatMap((l) => Array(l.qty).fill(l.barcode || l.sku));
        for (let i = 0; i < units.length; i++) {
            assert.equal(await page.isDisabled('[data-test=pack-submit]'), true, `pack disabled with ${i} of ${units.length} scanned`);
            await wedge(page, 'pack-input', units[i]);
            await page.waitForFunction((d) => document.querySelector('[data-test=pack-progress]')?.textContent.startsWith(`${d} `), i + 1);
        }
        await page.waitForSelector('[data-test=pack-submit]:not([disabled])');
        await noSideways(page, 'pack-390');
        await page.click('[data-test=pack-submit]');
        await page.waitForSelector('[data-test=pack-next]');
        assert.equal((await call('operator', 'GET', `/v1/orders/${encodeURIComponent(order)}`)).status, 'packed');

        // the printed pick list: names and a barcode per line
        await go(page, `#/waves/${encodeURIComponent(wave.id)}/print`, '[data-test=print-picks] tbody tr');
        const rows = await page.locator('[data-test=print-picks] tbody tr').count();
        assert.equal(rows, pg.picks.length);
        assert.equal(await page.locator('[data-test=print-picks] img.barcode').count(), rows * 2, 'a bin and an item barcode per line');
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('header.topbar').isVisible(), false, 'print hides the navigation');
        await page.screenshot({ path: path.join(ART, 'pick-print.png'), fullPage: true });
        assert.deepEqual(page.problems, [], 'errors in the page');
    } catch (e) {
        await page.screenshot({ path: path.join(ART, 'FAILED-scanning.png'), fullPage: true }).catch(() => {});
        if (page.problems.length) e.message += `\npage problems:\n  ${page.problems.join('\n  ')}`;
        throw e;
    } finally {
        await page.context().close();
    }
});

// A warehouse of its own (two blocks: a middle cross aisle), so the wave takes
// only this test's orders whatever the other test files release meanwhile.
test('wave release form at 390 px (zh): cart fields and cut-off window, a bad cart field named, trips and totes', async () => {
    const seller = process.env.HC_SELLER;
    const suf = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
    const wh = `WC-${suf.slice(-6)}`;
    const sku = `CART-${suf}`;
    await call('admin', 'POST', '/v1/warehouses', {
        code: wh, name: 'Cart test', country: 'DE', timezone: 'Europe/Berlin',
        address: { line1: 'Hafenstraße 1', city: 'Duisburg', postcode: '47119', country: 'DE' },
        layout: { aisle_pitch_mm: 3000, bay_pitch_mm: 1000, depot_aisle: 1, bays_per_aisle: 10, cross_aisles: [5] },
    });
    const bins = [['A', 2], ['B', 7], ['C', 4]];
    await call('admin', 'POST', `/v1/warehouses/${wh}/locations`, {
        locations: bins.map(([a, b]) => ({ code: `${a}-0${b}-1`, zone: 'PICK', dims_mm: [1200, 800, 1000], max_weight_g: 500000, aisle: 'ABC'.indexOf(a) + 1, bay: b, level: 1 })),
    });
    await call('admin', 'POST', '/v1/skus', {
        seller, sku, name: 'Cart test item', name_zh: '拣货车测试', hs_code: '8517130000',
        declared_value: { amount: '12.50', currency: 'USD' }, origin_country: 'CN', dims_mm: [200, 150, 100], weight_g: 500,
    });
    const ib = await call('admin', 'POST', '/v1/inbounds', { seller, warehouse: wh, reference: `BT-CART-${suf}`, lines: [{ sku, qty: 9 }] });
    await call('admin', 'POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/receipts`, { lines: [{ sku, qty: 9 }] });
    await call('admin', 'POST', `/v1/inbounds/${encodeURIComponent(ib.id)}/putaway`, { moves: bins.map(([a, b]) => ({ sku, qty: 3, location: `${a}-0${b}-1` })) });
    const ids = [];
    for (let i = 0; i < 3; i++) {
        const o = await call('admin', 'POST', '/v1/orders', {
            seller, channel: 'web', channel_order_id: `BT-CART-${suf}-${i}`,
            ship_to: { name: 'Test Käufer', country: 'DE', postcode: '47051', city: 'Duisburg', line1: 'Königstraße 1' },
            lines: [{ sku, qty: 3, unit_price: { amount: '19.90', currency: 'EUR' } }],
        });
        assert.equal(o.warehouse, wh, `order ${i} routed to ${wh}`);
        ids.push(o.id);
    }
    const page = await openPage([/POST .*\/v1\/waves -> 400/]);
    try {
        await page.goto(BASE);
        await page.fill('[data-test=key]', KEYS.admin);
        await page.click('[data-test=signin]');
        await page.waitForSelector('header.topbar [data-test=whoami]', { state: 'attached' });
        await go(page, '#/orders', '[data-test=wave-form]');
        await page.waitForSelector(`[data-test=wave-warehouse] option[value="${wh}"]`, { state: 'attached' });
        await page.selectOption('[data-test=wave-warehouse]', wh);
        await page.fill('[data-test=wave-max]', '10');
        await page.click('[data-test=wave-cart] summary');
        await page.fill('[data-test=wave-cart-max-orders]', '2');
        await page.fill('[data-test=wave-cart-max-volume-mm3]', '400');
        await page.fill('[data-test=wave-cart-max-weight-g]', '35.5');
        await page.fill('[data-test=wave-cart-totes]', '-1');
        await page.fill('[data-test=wave-cutoff-window]', '1440');
        await noSideways(page, 'wave-cart-390');
        // a bad cart field: 400 naming it, shown at the input, nothing released
        await page.click('[data-test=wave-release]');
        await page.waitForSelector('[data-test=wave-cart-totes].invalid');
        assert.equal(await page.evaluate(() => document.querySelector('[data-test=wave-cart]').open), true);
        assert.match(await page.textContent('.alert-error'), /cart\.totes/);
        assert.equal((await call('admin', 'GET', `/v1/orders/${encodeURIComponent(ids[0])}`)).status, 'allocated', 'nothing released');
        await page.fill('[data-test=wave-cart-totes]', '2');
        await page.click('[data-test=wave-release]');
        await page.waitForFunction(() => /^#\/waves\/[^/]+$/.test(location.hash));
        const id = decodeURIComponent(await page.evaluate(() => location.hash.slice('#/waves/'.length)));
        const w = await call('admin', 'GET', `/v1/waves/${encodeURIComponent(id)}`);
        assert.deepEqual([...w.orders].sort(), [...ids].sort(), 'the wave takes the three orders');
        assert.equal(w.batches.length, 2, 'three orders on a cart of two: two trips');
        for (const b of w.batches) {
            assert.ok(b.totes.length >= 1 && b.totes.length <= 2, `trip ${b.batch} takes 1..2 totes`);
            assert.ok(b.weight_g <= 35500, `trip ${b.batch} within the cart's weight`);
        }
        assert.equal(w.route_length_mm, w.batches.reduce((a, b) => a + b.route_length_mm, 0), 'the wave walks the sum of its trips');
        assert.deepEqual(page.problems, [], 'errors in the page');
    } catch (e) {
        await page.screenshot({ path: path.join(ART, 'FAILED-wave-cart.png'), fullPage: true }).catch(() => {});
        if (page.problems.length) e.message += `\npage problems:\n  ${page.problems.join('\n  ')}`;
        throw e;
    } finally {
        await page.context().close();
    }
});
