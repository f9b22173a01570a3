// Browser tests of the Carriers page (web/js/pages/carriers.js, issue 12
// parts 1-3), on the demo's data (DE-DUI's and US-LAX's carrier services,
// boxes, parcels of some orders): the operator sees the warehouse's services
// as the API lists them, shops rates for a parcel and gets the API's answer
// (cheapest first, the rules' choice marked), a parcel over every limit is
// refused naming its weight, an order's parcels are listed and a label
// downloads as PDF; zh at 390 px without sideways scrolling. run.sh passes
// HC_BASE and the keys.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, call, go, launchBrowser, signIn, withPage } from './lib.mjs';

let browser;

before(async () => {
    for (const k of ['admin', 'operator']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

/* An order of DE-DUI with parcels (the demo records some). */
async function orderWithParcels() {
    for (const status of ['packed', 'picking', 'allocated']) {
        const orders = await call('admin', 'GET', `/v1/orders?warehouse=DE-DUI&status=${status}&limit=200`);
        for (const o of orders.items) {
            const ps = await call('admin', 'GET', `/v1/orders/${encodeURIComponent(o.id)}/parcels`);
            if (ps.items.length) return { id: o.id, parcels: ps.items };
        }
    }
    return null;
}

async function shop(page, postcode, weight) {
    await page.fill('[data-test=rates-ship_to-postcode]', postcode);
    await page.fill('[data-test=rates-parcels-0-weight_g]', String(weight));
    await page.click('[data-test=rates-submit]');
}

test('operator: services as the API lists them, rate shopping, a refusal named, parcels and a label', async () => {
    await withPage(browser, 'carriers-operator', {}, async (page) => {
        const services = await call('operator', 'GET', '/v1/carrier-services?warehouse=DE-DUI');
        assert.ok(services.items.length >= 5, 'the demo has DE-DUI services');
        await signIn(page, 'operator');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=service-row]');
        assert.equal(await page.locator('[data-test=service-row]').count(), services.items.length);
        assert.equal(await page.locator('[data-test=service-row][data-code=DHL-PAKET]').count(), 1);
        // rates for a 1.2 kg parcel to Berlin: the API's answer, in its order
        const want = await call('operator', 'POST', '/v1/rates', {
            warehouse: 'DE-DUI', ship_to: { country: 'DE', postcode: '10115', residential: false },
            parcels: [{ weight_g: 1200, dims_mm: [300, 200, 100] }] });
        await shop(page, '10115', 1200);
        await page.waitForSelector('[data-test=rate-row]');
        const codes = await page.locator('[data-test=rate-row]').evaluateAll((rs) => rs.map((r) => r.dataset.code));
        assert.deepEqual(codes, want.items.map((x) => x.service.code));
        const price = await page.locator('[data-test=rate-row] [data-test=rate-price]').first().textContent();
        assert.ok(price.includes(want.items[0].price.amount), `${price} shows ${want.items[0].price.amount}`);
        assert.ok((await page.textContent('[data-test=rates-chosen]')).includes(want.chosen.service));
        await page.screenshot({ path: path.join(ART, 'carriers-1280.png'), fullPage: true });
        // 60 kg is over every service's limit: refused, naming the weight
        page.allowed = [/POST \S*\/v1\/rates -> 409$/, /status of 409/];
        await shop(page, '10115', 60000);
        await page.waitForSelector('text=parcels[0].weight_g');
        assert.equal(await page.locator('[data-test=rate-row]').count(), 0);
        // an order's parcels and its PDF label
        const o = await orderWithParcels();
        assert.ok(o, 'the demo recorded parcels for some DE-DUI order');
        await page.fill('[data-test=parcels-order]', o.id);
        await page.click('[data-test=parcels-show]');
        await page.waitForSelector('[data-test=parcel-row]');
        assert.equal(await page.locator('[data-test=parcel-row]').count(), o.parcels.length);
        assert.equal((await page.textContent('[data-test=parcel-tracking]')).trim(), o.parcels[0].tracking_no);
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=label-pdf]')]);
        assert.equal(dl.suggestedFilename(), `${o.parcels[0].tracking_no}.pdf`);
    });
});

test('zh at 390 px: the page in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'carriers-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=service-row]');
        assert.ok((await page.textContent('main')).includes('承运服务'));
        await shop(page, '47051', 800);
        await page.waitForSelector('[data-test=rate-row]');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.screenshot({ path: path.join(ART, 'carriers-zh-390.png'), fullPage: true });
    });
});
