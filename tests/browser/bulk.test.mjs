// Browser tests of the bulk actions on the orders list (web/js/pages/orders.js,
// issue 12 part 8): tick rows (or all shown), cancel the selected, and see per
// order whether it was cancelled or refused with the API's detail; print the
// selected orders' labels (one PDF, a page per parcel, in the order shown; an
// order without parcels refused naming orders[i]), and on the dispatch screen
// the labels of the ticked parcel rows' orders. Orders are
// made through the API with a channel order prefix of this run, so the list can
// be narrowed to them with the search box. zh at 390 px: the checkbox column
// and the action bar fit without sideways scrolling. run.sh passes HC_BASE and
// the keys.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ART, BASE, KEYS, SELLER, WAREHOUSE, call, go, launchBrowser, signIn, uniq, withPage } from './lib.mjs';

let browser;
let sku;

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    const inv = await call('admin', 'GET', `/v1/inventory?seller=${encodeURIComponent(SELLER)}&warehouse=${encodeURIComponent(WAREHOUSE)}&sort=-available&limit=20`);
    const row = (inv.items || []).find((r) => Number(r.available) >= 4);
    assert.ok(row, `the demo data has no stock of seller ${SELLER} in ${WAREHOUSE}`);
    sku = row.sku;
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

// n new orders whose channel order ids start with prefix
async function ordersWith(prefix, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
        out.push(await call('admin', 'POST', '/v1/orders', {
            seller: SELLER, channel: 'web', channel_order_id: `${prefix}-${i}`,
            ship_to: { name: 'Bulk Test', country: 'DE', postcode: '47051', city: 'Duisburg', line1: 'Königstraße 1' },
            lines: [{ sku, qty: 1, unit_price: { amount: '9.90', currency: 'EUR' } }],
        }));
    }
    return out;
}

async function listOf(page, prefix) {
    await go(page, `#/orders?q=${encodeURIComponent(prefix)}`);
    await page.waitForSelector('[data-test=orders-table] [data-test=bulk-pick]');
}

test('operator: select all shown, cancel: two cancelled, one refused with its detail', async () => {
    const prefix = `BULK-${uniq()}`;
    const [a, b, c] = await ordersWith(prefix, 3);
    await call('admin', 'POST', `/v1/orders/${c.id}/cancel`, {}); // already cancelled: the API refuses it again
    await withPage(browser, 'bulk-operator', {}, async (page) => {
        page.allowed = [/\/cancel -> 409$/, /status of 409/];
        await signIn(page, 'operator');
        await listOf(page, prefix);
        assert.equal(await page.locator('[data-test=bulk-pick]').count(), 3);
        assert.ok(await page.isDisabled('[data-test=bulk-cancel]'), 'nothing selected: the action is off');
        await page.check('[data-test=bulk-all]');
        assert.match(await page.textContent('[data-test=bulk-count]'), /3 selected/);
        await page.uncheck(`[data-test=bulk-pick][data-order="${b.id}"]`);
        assert.match(await page.textContent('[data-test=bulk-count]'), /2 selected/);
        assert.equal(await page.isChecked('[data-test=bulk-all]'), false);
        await page.check(`[data-test=bulk-pick][data-order="${b.id}"]`);
        await page.click('[data-test=bulk-cancel]'); // arms
        await page.click('[data-test=bulk-cancel]'); // confirms
        await page.waitForFunction(() => document.querySelectorAll('[data-test=bulk-results] li').length === 3);
        const ok = await page.locator('[data-test=bulk-ok]').evaluateAll((ls) => ls.map((l) => l.dataset.order).sort());
        assert.deepEqual(ok, [a.id, b.id].sort());
        const refused = page.locator(`[data-test=bulk-refused][data-order="${c.id}"]`);
        assert.match(await refused.textContent(), /no longer be cancelled/);
        for (const o of [a, b]) assert.equal((await call('admin', 'GET', `/v1/orders/${o.id}`)).status, 'cancelled');
        // the rows show the new status; the cancelled ones are no longer ticked
        assert.equal(await page.getAttribute(`[data-status-of="${a.id}"] .badge`, 'data-status'), 'cancelled');
        assert.equal(await page.isChecked(`[data-test=bulk-pick][data-order="${a.id}"]`), false);
        assert.match(await page.textContent('[data-test=bulk-count]'), /1 selected/);
        await page.screenshot({ path: path.join(ART, 'bulk-1280.png'), fullPage: true });
    });
});

test('operator: a wave of exactly the selected; a cancelled one refuses the wave naming it', async () => {
    const prefix = `BULK-${uniq()}`;
    const [a, b, c] = await ordersWith(prefix, 3);
    await call('admin', 'POST', `/v1/orders/${c.id}/cancel`, {});
    await withPage(browser, 'bulk-wave', {}, async (page) => {
        page.allowed = [/\/v1\/waves -> 409$/, /status of 409/];
        await signIn(page, 'operator');
        await listOf(page, prefix);
        await page.check(`[data-test=bulk-pick][data-order="${a.id}"]`);
        await page.check(`[data-test=bulk-pick][data-order="${c.id}"]`);
        await page.click('[data-test=bulk-wave]');
        // the refusal names the cancelled order by its place in the list sent (orders[i])
        const named = page.locator('.bulk .alert [data-field^="orders["]');
        await named.waitFor();
        assert.match(await named.textContent(), new RegExp(`${c.id}.*cancelled`));
        assert.equal((await call('admin', 'GET', `/v1/orders/${a.id}`)).status, 'allocated', 'nothing written');
        await page.uncheck(`[data-test=bulk-pick][data-order="${c.id}"]`);
        await page.check(`[data-test=bulk-pick][data-order="${b.id}"]`);
        await page.click('[data-test=bulk-wave]');
        await page.waitForFunction(() => location.hash.startsWith('#/waves/wav'));
        const id = decodeURIComponent((await page.evaluate(() => location.hash)).slice('#/waves/'.length));
        const w = await call('admin', 'GET', `/v1/waves/${encodeURIComponent(id)}`);
        assert.deepEqual([...w.orders].sort(), [a.id, b.id].sort());
        for (const o of [a, b]) assert.equal((await call('admin', 'GET', `/v1/orders/${o.id}`)).status, 'picking');
    });
});

test('seller: no wave button; cancels its own selected order (the API lets seller keys cancel theirs)', async () => {
    const prefix = `BULK-${uniq()}`;
    const [a] = await ordersWith(prefix, 1);
    await withPage(browser, 'bulk-seller', {}, async (page) => {
        await signIn(page, 'seller');
        await listOf(page, prefix);
        assert.equal(await page.locator('[data-test=bulk-wave]').count(), 0, 'waves are for operators');
        await page.check(`[data-test=bulk-pick][data-order="${a.id}"]`);
        await page.click('[data-test=bulk-cancel]');
        await page.click('[data-test=bulk-cancel]');
        await page.waitForSelector(`[data-test=bulk-ok][data-order="${a.id}"]`);
        assert.equal((await call('admin', 'GET', `/v1/orders/${a.id}`)).status, 'cancelled');
    });
});

// Orders with a parcel each recorded through the API (a wave of them, then a
// parcel with the service the warehouse's rule picks); packed when pack is set.
// Their tracking numbers by order id, and the service of the last.
async function withParcels(orders, pack) {
    await call('admin', 'POST', '/v1/waves', { warehouse: WAREHOUSE, orders: orders.map((o) => o.id) });
    const tracking = {};
    let service = null;
    for (const o of orders) {
        const r = await call('operator', 'POST', `/v1/orders/${encodeURIComponent(o.id)}/parcels`, {
            parcels: [{ dims_mm: [200, 150, 80], weight_g: 500, items: [{ sku, qty: 1 }] }],
        });
        tracking[o.id] = r.items.map((p) => p.tracking_no);
        service = r.items[0].service.code;
        if (pack) await call('operator', 'POST', `/v1/orders/${encodeURIComponent(o.id)}/pack`, {});
    }
    return { tracking, service };
}

// Pages of a PDF file, each /Type /Page object once.
const pagesOf = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;

test('operator: print labels of the selected orders: one PDF in the order shown; no parcels refused naming orders[i]', async () => {
    const prefix = `BULK-${uniq()}`;
    const [a, b, c] = await ordersWith(prefix, 3);
    const { tracking } = await withParcels([a, b], false);
    await withPage(browser, 'bulk-print', {}, async (page) => {
        page.allowed = [/labels\.pdf\?orders=.* -> 409$/, /status of 409/];
        await signIn(page, 'operator');
        await listOf(page, prefix);
        assert.ok(await page.isDisabled('[data-test=bulk-print]'), 'nothing selected: print is off');
        await page.check(`[data-test=bulk-pick][data-order="${a.id}"]`);
        await page.check(`[data-test=bulk-pick][data-order="${b.id}"]`);
        const shown = await page.locator('[data-test=bulk-pick]').evaluateAll((bs) => bs.filter((x) => x.checked).map((x) => x.dataset.order));
        assert.deepEqual([...shown].sort(), [a.id, b.id].sort());
        const [res, dl] = await Promise.all([
            page.waitForResponse((r) => r.url().includes('/v1/dispatch/labels.pdf?orders=')),
            page.waitForEvent('download'),
            page.click('[data-test=bulk-print]'),
        ]);
        assert.equal(res.status(), 200);
        assert.equal(res.headers()['content-type'], 'application/pdf');
        assert.ok(decodeURIComponent(res.url()).endsWith(`orders=${shown.join(',')}`), `the selection in the order shown: ${res.url()}`);
        const file = path.join(ART, 'bulk-labels.pdf');
        await dl.saveAs(file);
        const pdf = fs.readFileSync(file);
        assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
        assert.equal(pagesOf(pdf), shown.reduce((n, id) => n + tracking[id].length, 0), 'a page per parcel of the two orders');
        // the same URL as the page built, fetched with the seller's key: the seller's own orders print too
        const href = await page.getAttribute('[data-test=bulk-print]', 'data-href');
        const mine = await fetch(new URL(href.replace(/^\//, ''), BASE), { headers: { Authorization: `Bearer ${KEYS.seller}` } });
        assert.equal(mine.status, 200);
        assert.equal(mine.headers.get('content-type'), 'application/pdf');
        assert.equal(pagesOf(Buffer.from(await mine.arrayBuffer())), 2);
        // an order without parcels: the API's 409 names its place in the selection
        await page.check(`[data-test=bulk-pick][data-order="${c.id}"]`);
        const ids = await page.locator('[data-test=bulk-pick]').evaluateAll((bs) => bs.filter((x) => x.checked).map((x) => x.dataset.order));
        await page.click('[data-test=bulk-print]');
        const named = page.locator(`.bulk .alert [data-field="orders[${ids.indexOf(c.id)}]"]`);
        await named.waitFor();
        assert.match(await named.textContent(), new RegExp(`${c.id}.*no parcels`));
    });
});

test('operator: the dispatch screen prints the ticked rows\' orders', async () => {
    const prefix = `BULK-${uniq()}`;
    const [a, b] = await ordersWith(prefix, 2);
    const { tracking, service: svc } = await withParcels([a, b], true);
    await withPage(browser, 'bulk-dispatch', {}, async (page) => {
        await signIn(page, 'operator');
        await go(page, '#/dispatch');
        const cardSel = `[data-test=service-card][data-code="${svc}"]`;
        await page.waitForSelector(`${cardSel} [data-test=parcel-pick][data-order="${b.id}"]`);
        const btn = `${cardSel} [data-test=print-labels]`;
        assert.match(await page.getAttribute(btn, 'data-href'), /service=/, 'nothing ticked: the whole pickup');
        await page.check(`${cardSel} [data-test=parcel-pick][data-order="${b.id}"]`);
        assert.match(await page.textContent(btn), /1 selected/);
        const [res, dl] = await Promise.all([
            page.waitForResponse((r) => r.url().includes('/v1/dispatch/labels.pdf?orders=')),
            page.waitForEvent('download'),
            page.click(btn),
        ]);
        assert.equal(res.headers()['content-type'], 'application/pdf');
        assert.ok(decodeURIComponent(res.url()).endsWith(`orders=${b.id}`), res.url());
        const file = path.join(ART, 'bulk-dispatch-labels.pdf');
        await dl.saveAs(file);
        assert.equal(pagesOf(fs.readFileSync(file)), tracking[b.id].length, 'only the ticked order\'s labels');
    });
});

test('zh at 390 px: checkbox column and action bar in Chinese, no sideways scrolling', async () => {
    const prefix = `BULK-${uniq()}`;
    await ordersWith(prefix, 2);
    await withPage(browser, 'bulk-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await listOf(page, prefix);
        await page.check('[data-test=bulk-all]');
        const text = await page.textContent('[data-test=bulk-bar]');
        assert.ok(text.includes('全选本页') && text.includes('已选 2 个') && text.includes('取消所选订单') && text.includes('打印面单'), `the bar in Chinese: ${text}`);
        const print = await page.locator('[data-test=bulk-print]').boundingBox();
        assert.ok(print && print.x >= 0 && print.x + print.width <= 390, 'the print button is on screen');
        const box = await page.locator('[data-test=bulk-pick]').first().boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the checkbox is on screen');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.screenshot({ path: path.join(ART, 'bulk-zh-390.png'), fullPage: true });
    });
});
