// Browser tests of the Transfers page (web/js/pages/transfers.js, issue 12
// part 6) on the demo's data (SZ-ANKO's FBA replenishment from DE-DUI,
// packed onto a pallet with its relabel work order open, and a transfer to
// US-LAX shipped): the seller sees its transfers (the rows the API lists),
// opens the FBA one (carton ids as the API gives them, the labels PDF
// downloads); the operator completes the work order (its charge shown) and
// ships with the LTL booking; the transfer to US-LAX closed short shows
// shipped / received / lost per SKU; zh at 390 px without sideways scrolling.
// run.sh passes HC_BASE, the keys and HC_SELLER.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, SELLER, call, go, launchBrowser, signIn, withPage } from './lib.mjs';

let browser;

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

async function fbaTransfer() {
    const all = await call('seller', 'GET', '/v1/transfers');
    const x = all.items.find((i) => i.destination.type === 'fba' && i.status === 'packed');
    assert.ok(x, 'the demo made a packed FBA transfer');
    return call('seller', 'GET', `/v1/transfers/${encodeURIComponent(x.id)}`);
}

test('seller: its transfers, the FBA one with cartons and the labels PDF', async () => {
    await withPage(browser, 'transfers-seller', {}, async (page) => {
        const mine = await call('seller', 'GET', '/v1/transfers');
        assert.ok(mine.items.every((i) => i.seller === SELLER), 'the API lists the seller its own only');
        const x = await fbaTransfer();
        await signIn(page, 'seller');
        await go(page, '#/transfers');
        await page.waitForSelector('[data-test=transfer-row]');
        const ids = await page.locator('[data-test=transfer-row]').evaluateAll((rs) => rs.map((r) => r.dataset.id));
        assert.deepEqual(ids, mine.items.map((i) => i.id));
        await page.click(`[data-test=transfer-row][data-id="${x.id}"] [data-test=transfer-open]`);
        await page.waitForSelector('[data-test=carton-row]');
        const cartons = await page.locator('[data-test=carton-id]').allTextContents();
        assert.deepEqual(cartons, x.cartons.map((c) => c.carton_id));
        assert.ok(cartons[0].startsWith(`${x.shipment_id}U00000`), 'FBA carton ids');
        assert.equal(await page.locator('[data-test=work-complete]').count(), 0, 'a seller completes no work order');
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=labels-download]')]);
        const file = path.join(ART, 'transfer-labels.pdf');
        await dl.saveAs(file);
        const fs = await import('node:fs');
        assert.equal(fs.readFileSync(file).subarray(0, 4).toString(), '%PDF');
    });
});

test('operator: completes the relabel work order and ships with the LTL booking', async () => {
    await withPage(browser, 'transfers-operator', {}, async (page) => {
        const x = await fbaTransfer();
        const wo = x.work_orders.find((w) => w.status === 'open');
        assert.ok(wo, 'the demo left the relabel work order open');
        await signIn(page, 'operator');
        await go(page, `#/transfers?id=${encodeURIComponent(x.id)}`);
        await page.waitForSelector(`[data-test=work-row][data-id="${wo.id}"] [data-test=work-complete]`);
        await page.click(`[data-test=work-row][data-id="${wo.id}"] [data-test=work-complete]`);
        await page.waitForSelector(`[data-test=work-row][data-id="${wo.id}"][data-status=done]`);
        const after = await call('operator', 'GET', `/v1/transfers/${encodeURIComponent(x.id)}`);
        const done = after.work_orders.find((w) => w.id === wo.id);
        assert.equal(done.status, 'done');
        const row = await page.textContent(`[data-test=work-row][data-id="${wo.id}"]`);
        assert.ok(row.includes(`${done.charge.amount} ${done.charge.currency}`), 'the charge shown');
        await page.fill('[data-test=freight-ref]', 'LTL-BROWSER-1');
        await page.click('[data-test=transfer-ship]');
        await page.waitForSelector('[data-test=transfer-detail] [data-status=shipped]');
        const shipped = await call('operator', 'GET', `/v1/transfers/${encodeURIComponent(x.id)}`);
        assert.equal(shipped.status, 'shipped');
        assert.equal(shipped.freight_ref, 'LTL-BROWSER-1');
    });
});

test('seller: a transfer closed short shows shipped, received and lost per SKU', async () => {
    const all = await call('seller', 'GET', '/v1/transfers');
    const short = all.items.find((i) => i.lines.some((l) => l.lost > 0));
    assert.ok(short, 'the demo closed a transfer to US-LAX short');
    const x = await call('seller', 'GET', `/v1/transfers/${encodeURIComponent(short.id)}`);
    const l = x.lines.find((k) => k.lost > 0);
    assert.equal(l.received + l.in_transit + l.lost, l.qty, 'the API adds up');
    await withPage(browser, 'transfers-short', {}, async (page) => {
        await signIn(page, 'seller');
        await go(page, `#/transfers?id=${encodeURIComponent(x.id)}`);
        const row = `[data-test=transfer-detail] [data-test=line-row][data-sku="${l.sku}"]`;
        await page.waitForSelector(`${row} [data-test=line-lost]`);
        assert.equal(await page.textContent(`${row} [data-test=line-qty]`), String(l.qty));
        assert.equal(await page.textContent(`${row} [data-test=line-received]`), String(l.received));
        assert.equal(await page.textContent(`${row} [data-test=line-lost]`), String(l.lost));
        const note = await page.textContent('[data-test=transfer-shortage]');
        assert.ok(note.includes(String(l.lost)), 'the shortage named with its units');
        await page.click('[data-test=lang-zh]');
        await go(page, `#/transfers?id=${encodeURIComponent(x.id)}`, '[data-test=transfer-shortage]');
        assert.ok((await page.textContent('[data-test=transfer-shortage]')).includes('丢失'), 'the shortage in Chinese');
    });
});

test('zh at 390 px: the page in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'transfers-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        const x = (await call('operator', 'GET', '/v1/transfers')).items[0];
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await go(page, `#/transfers?id=${encodeURIComponent(x.id)}`);
        await page.waitForSelector('[data-test=transfer-detail]');
        await page.waitForSelector('[data-test=transfer-row]');
        const text = await page.textContent('main');
        assert.ok(text.includes('中转调拨单') && text.includes('工单'), 'Chinese labels');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.screenshot({ path: path.join(ART, 'transfers-zh-390.png'), fullPage: true });
    });
});
