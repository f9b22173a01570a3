// Browser tests of the Webhooks page (web/js/pages/webhooks.js, issue 12
// part 7), on the demo's data (SZ-ANKO's ERP subscription and the DE-DUI
// operator's bridge, both at names that never resolve, with the outbox the
// demo's orders filled): the seller sees its own subscription only, opens its
// delivery log (the rows the API lists), sends a delivery again, subscribes a
// private address (refused, url named) and then a public name (the secret
// shown once), and deletes it; the demo's stock.low subscription logs a
// stock.low delivery of its SKU with the available units and the threshold
// it crossed; a stock.low subscription's thresholds are edited (a SKU named
// twice refused with the field named and nothing stored, then saved), in zh
// at 390 px; the operator sees its warehouse's only; zh at 390 px without
// sideways scrolling. run.sh passes HC_BASE, the keys and HC_SELLER.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, SELLER, call, go, launchBrowser, overflow, signIn, uniq, withPage } from './lib.mjs';

let browser;

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

test('seller: its subscription, the delivery log, send again, a refused URL, subscribe and delete', async () => {
    await withPage(browser, 'webhooks-seller', {}, async (page) => {
        const mine = await call('seller', 'GET', '/v1/webhooks');
        assert.ok(mine.items.length >= 1, 'the demo subscribed the seller');
        assert.ok(mine.items.every((w) => w.seller === SELLER), 'the API lists the seller its own only');
        const w = mine.items[mine.items.length - 1];
        await signIn(page, 'seller');
        await go(page, '#/webhooks');
        await page.waitForSelector('[data-test=webhook-row]');
        const ids = await page.locator('[data-test=webhook-row]').evaluateAll((rs) => rs.map((r) => r.dataset.id));
        assert.deepEqual(ids, mine.items.map((x) => x.id));
        // the delivery log: the rows the API lists, newest first
        await page.click(`[data-test=webhook-row][data-id="${w.id}"] [data-test=webhook-log]`);
        await page.waitForSelector('[data-test=delivery-row]');
        const log = await call('seller', 'GET', `/v1/webhooks/${encodeURIComponent(w.id)}/deliveries?limit=20`);
        const shown = await page.locator('[data-test=delivery-row]').evaluateAll((rs) => rs.map((r) => r.dataset.id));
        assert.deepEqual(shown.slice(0, 5), log.items.slice(0, 5).map((d) => d.id));
        const first = log.items[0];
        const state = await page.getAttribute(`[data-test=delivery-row][data-id="${first.id}"]`, 'data-state');
        assert.ok(['pending', 'failed', 'delivered'].includes(state), state);
        await page.screenshot({ path: path.join(ART, 'webhooks-1280.png'), fullPage: true });
        // send one again: a new delivery of the same event
        await page.click(`[data-test=delivery-row][data-id="${first.id}"] [data-test=redeliver]`);
        await page.waitForSelector('[data-test=redelivered]');
        const after = await call('seller', 'GET', `/v1/webhooks/${encodeURIComponent(w.id)}/deliveries?limit=5`);
        const again = after.items.find((d) => d.redelivery_of === first.id);
        assert.ok(again, 'a redelivery of the clicked one was stored');
        assert.equal(again.event_id, first.event_id);
        // a private address is refused, naming url; nothing stored
        page.allowed = [/POST \S*\/v1\/webhooks -> 400$/, /status of 400/];
        await page.fill('[data-test=webhook-url-input]', 'http://10.0.0.1/hook');
        await page.click('[data-test=webhook-submit]');
        await page.waitForSelector('text=private');
        assert.ok((await page.textContent('main')).includes('url'));
        assert.equal((await call('seller', 'GET', '/v1/webhooks')).items.length, mine.items.length);
        // a public name: stored, its secret shown once
        const url = `https://bt-${uniq().toLowerCase()}.example.invalid/hook`;
        await page.fill('[data-test=webhook-url-input]', url);
        await page.check('[data-test="event-inbound.received"]');
        await page.click('[data-test=webhook-submit]');
        await page.waitForSelector('[data-test=webhook-secret]');
        assert.match((await page.textContent('[data-test=webhook-secret]')).trim(), /^whsec_[0-9a-f]{64}$/);
        const made = (await call('seller', 'GET', '/v1/webhooks')).items.find((x) => x.url === url);
        assert.ok(made, 'stored');
        assert.deepEqual(made.events, ['order.shipped', 'order.delivered', 'inbound.received']);
        assert.equal(made.secret, undefined, 'the secret is not read back');
        // delete it (two-step)
        await go(page, '#/webhooks');
        await page.waitForSelector(`[data-test=webhook-row][data-id="${made.id}"]`);
        await page.click(`[data-test=webhook-row][data-id="${made.id}"] [data-test=webhook-delete]`);
        await page.click(`[data-test=webhook-row][data-id="${made.id}"] [data-test=webhook-delete]`);
        await page.waitForSelector(`[data-test=webhook-row][data-id="${made.id}"]`, { state: 'detached' });
        assert.ok(!(await call('seller', 'GET', '/v1/webhooks')).items.some((x) => x.id === made.id));
    });
});

test('seller: the demo\'s stock.low subscription logs a stock.low delivery of its SKU', async () => {
    const mine = await call('seller', 'GET', '/v1/webhooks');
    const w = mine.items.find((x) => x.events.includes('stock.low'));
    assert.ok(w, 'the demo subscribed the seller to stock.low');
    assert.equal(w.thresholds.length, 1, 'a threshold on one SKU');
    const sku = w.thresholds[0].sku;
    const log = await call('seller', 'GET', `/v1/webhooks/${encodeURIComponent(w.id)}/deliveries?limit=20`);
    const low = log.items.find((d) => d.type === 'stock.low');
    assert.ok(low, 'the FBA replenishment crossed the threshold');
    assert.equal(low.data.subject, sku);
    await withPage(browser, 'webhooks-stock-low', {}, async (page) => {
        await signIn(page, 'seller');
        await go(page, `#/webhooks?id=${encodeURIComponent(w.id)}`);
        const row = `[data-test=delivery-row][data-id="${low.id}"]`;
        await page.waitForSelector(row);
        const text = await page.textContent(row);
        assert.ok(text.includes('stock.low') && text.includes(sku), `the row names the event and the SKU: ${text}`);
        assert.equal(typeof low.data.available, 'number', 'the API gives the available units');
        const crossed = await page.textContent(`${row} [data-test=delivery-stock]`);
        assert.equal(crossed.trim(), `available ${low.data.available} · below ${low.data.threshold}`);
        assert.ok(low.data.available < low.data.threshold, 'a fall below the threshold');
        // the form shows the subscription's thresholds as stored
        await page.waitForSelector('[data-test=thresholds-form]');
        assert.deepEqual(await page.locator('[data-test=threshold-sku]').evaluateAll((es) => es.map((e) => e.value)), [sku]);
        assert.deepEqual(await page.locator('[data-test=threshold-below]').evaluateAll((es) => es.map((e) => e.value)), [String(w.thresholds[0].below)]);
    });
});

test('seller, zh at 390 px: a stock.low subscription\'s thresholds edited; a SKU named twice is refused', async () => {
    const made = await call('seller', 'POST', '/v1/webhooks', {
        url: `https://bt-${uniq().toLowerCase()}.example.invalid/low`, events: ['stock.low'], stock_threshold: 10 });
    const id = encodeURIComponent(made.id);
    try {
        await withPage(browser, 'webhooks-thresholds-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
            await signIn(page, 'seller');
            await page.click('[data-test=lang-zh]');
            await go(page, `#/webhooks?id=${id}`);
            await page.waitForSelector('[data-test=thresholds-form]');
            assert.equal(await page.inputValue('[data-test=threshold-all]'), '10');
            assert.ok((await page.textContent('main')).includes('保存阈值'), 'Chinese labels');
            // per SKU instead of every SKU, one SKU twice: 400 naming thresholds[1].sku
            await page.fill('[data-test=threshold-all]', '');
            for (const [sku, below] of [['AK-0001', '5'], ['AK-0001', '7']]) {
                const n = await page.locator('[data-test=threshold-row]').count();
                await page.click('[data-test=threshold-add]');
                await page.waitForSelector(`[data-test=threshold-row] >> nth=${n}`);
                await page.locator('[data-test=threshold-sku]').nth(n).fill(sku);
                await page.locator('[data-test=threshold-below]').nth(n).fill(below);
            }
            page.allowed = [/PUT \S*\/v1\/webhooks\/\S*\/thresholds -> 400$/, /status of 400/];
            await page.click('[data-test=thresholds-submit]');
            await page.waitForSelector('[data-test=thresholds-form] .field-error');
            assert.ok((await page.textContent('main')).includes('thresholds[1].sku'), 'the field is named');
            const kept = await call('seller', 'GET', `/v1/webhooks/${id}`);
            assert.deepEqual([kept.stock_threshold, kept.thresholds], [10, []], 'nothing stored');
            // the second row removed: saved, the form and the list show it
            await page.locator('[data-test=threshold-remove]').nth(1).click();
            await page.click('[data-test=thresholds-submit]');
            await page.waitForSelector('[data-test=thresholds-saved] [role=status]');
            const now = await call('seller', 'GET', `/v1/webhooks/${id}`);
            assert.deepEqual([now.stock_threshold, now.thresholds], [null, [{ sku: 'AK-0001', below: 5 }]]);
            assert.equal(await page.inputValue('[data-test=threshold-all]'), '');
            const listed = `[data-test=webhook-row][data-id="${made.id}"] [data-test=webhook-thresholds-text]`;
            await page.waitForSelector(`${listed} >> text=AK-0001 5`);
            assert.ok((await overflow(page)) <= 0, 'no sideways scrolling at 390 px');
            await page.screenshot({ path: path.join(ART, 'webhooks-thresholds-zh-390.png'), fullPage: true });
        });
    } finally {
        await call('seller', 'DELETE', `/v1/webhooks/${id}`);
    }
});

test('operator: its warehouse\'s subscriptions only', async () => {
    await withPage(browser, 'webhooks-operator', {}, async (page) => {
        const api = await call('operator', 'GET', '/v1/webhooks');
        assert.ok(api.items.length >= 1 && api.items.every((w) => w.warehouse === 'DE-DUI'));
        await signIn(page, 'operator');
        await go(page, '#/webhooks');
        await page.waitForSelector('[data-test=webhook-row]');
        const ids = await page.locator('[data-test=webhook-row]').evaluateAll((rs) => rs.map((r) => r.dataset.id));
        assert.deepEqual(ids, api.items.map((w) => w.id));
        const seller = await call('admin', 'GET', `/v1/webhooks?seller=${SELLER}`);
        for (const w of seller.items) assert.ok(!ids.includes(w.id), 'a seller\'s subscription is not the operator\'s');
    });
});

test('zh at 390 px: the page and the log in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'webhooks-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        const w = (await call('operator', 'GET', '/v1/webhooks')).items[0];
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await go(page, `#/webhooks?id=${encodeURIComponent(w.id)}`);
        await page.waitForSelector('[data-test=delivery-row]');
        const text = await page.textContent('main');
        assert.ok(text.includes('投递日志') && text.includes('订阅一个 URL'), 'Chinese labels');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.screenshot({ path: path.join(ART, 'webhooks-zh-390.png'), fullPage: true });
    });
});
