// Browser tests of the Brands page (web/js/pages/brands.js): an admin sees
// the demo seller YW-HOMA's brands with their standing (KETTLO's licence
// ended: expired; LUMORA authorised), opens KETTLO's trademarks and
// authorisations, finds HM-KT01 among the flagged SKUs, and views the brand
// report and the EPR report with the rows the API gives; a seller records an
// authorisation (an end before the start refused with the field marked, then
// a good one that lifts the flag) and gets no brand report; zh at 390 px
// without sideways scrolling. run.sh passes HC_BASE, the keys and HC_SELLER.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SELLER, call, go, launchBrowser, signIn, uniq, withPage } from './lib.mjs';

let browser;

before(async () => {
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

test('admin: brands with standing, trademarks, flagged SKUs, the two reports', async () => {
    await withPage(browser, 'brands-admin', {}, async (page) => {
        await signIn(page, 'admin');
        await go(page, '#/brands?seller=YW-HOMA');
        await page.waitForSelector('[data-test=brands-table] tbody tr');
        const row = (name) => page.locator('[data-test=brands-table] tbody tr', { hasText: name }).first();
        assert.match(await row('KETTLO').textContent(), /expired/);
        assert.match(await row('LUMORA').textContent(), /authorised/);
        assert.match(await row('LUMORA').textContent(), /2027-06-30/);
        await row('KETTLO').locator('[data-test=brand-open]').click();
        await page.waitForSelector('[data-test=trademarks-table]');
        assert.match(await page.textContent('[data-test=trademarks-table]'), /DPMA.*302019012345/s);
        assert.match(await page.textContent('[data-test=auths-table]'), /KET-DIST-2023-004.*expired/s);
        const flagged = await page.textContent('[data-test=flagged-table]');
        assert.match(flagged, /HM-KT01/);
        assert.match(flagged, /skus\[HM-KT01\]\.brand_authorisation/);

        // the brand report shows the rows the API answers
        const rep = await call('admin', 'GET', '/v1/compliance/brand-report?brand=ANKO');
        assert.ok(rep.items.length > 0, 'the demo has ANKO holdings');
        await page.fill('[data-test=report-brand]', 'ANKO');
        await page.click('[data-test=report-view]');
        await page.waitForSelector('[data-test=report-row]');
        assert.equal(await page.locator('[data-test=report-row]').count(), rep.items.length);
        assert.match(await page.textContent('[data-test=report-table]'), new RegExp(rep.items[0].sku));

        // the EPR report over the last 30 days
        const from = day(-30);
        const to = day(0);
        const epr = await call('admin', 'GET', `/v1/compliance/epr-report?from=${from}&to=${to}&seller=YW-HOMA`);
        await page.fill('[data-test=epr-from]', from);
        await page.fill('[data-test=epr-to]', to);
        await page.click('[data-test=epr-view]');
        const n = epr.packaging.length + epr.batteries.length + epr.electronics.length;
        if (n > 0) {
            await page.waitForSelector('[data-test=epr-row]');
            assert.equal(await page.locator('[data-test=epr-row]').count(), n);
            assert.match(await page.textContent('[data-test=epr-table]'), new RegExp(epr.packaging[0].grams.replace('.', '\\.')));
        } else {
            await page.waitForSelector('[data-test=epr-empty]');
        }
    });
});

test('seller: records an authorisation (a bad one refused naming the field), no brand report', async () => {
    const brand = `BT${uniq()}`;
    const sku = `BT-${uniq()}`;
    await call('admin', 'POST', '/v1/brands', { seller: SELLER, name: brand, owner: 'Browser Test Brand GmbH' });
    await call('admin', 'POST', '/v1/skus', {
        seller: SELLER, sku, name: 'Browser test kettle', hs_code: '8516710000', declared_value: { amount: '19.00', currency: 'USD' },
        origin_country: 'CN', dims_mm: [240, 200, 180], weight_g: 1300, brand,
    });
    await withPage(browser, 'brands-seller', {}, async (page) => {
        page.allowed = [/POST \S*\/authorisations -> 400$/, /status of 400/];
        await signIn(page, 'seller');
        await go(page, '#/brands');
        await page.waitForSelector('[data-test=flagged-table] tbody tr');
        assert.match(await page.textContent('[data-test=flagged-table]'), new RegExp(sku));
        assert.equal(await page.locator('[data-test=report-brand]').count(), 0, 'no brand report for a seller');
        await page.fill('[data-test=auth-brand]', brand);
        await page.fill('[data-test=auth-document_ref]', 'BT-LIC-1');
        await page.fill('[data-test=auth-valid_from]', day(0));
        await page.fill('[data-test=auth-valid_until]', day(-1));
        await page.click('[data-test=auth-submit]');
        await page.waitForSelector('[data-test=auth-form] .alert-error [data-field=valid_until]');
        assert.ok(await page.locator('[data-test=auth-valid_until].invalid').count(), 'the field is marked');
        await page.fill('[data-test=auth-valid_until]', day(365));
        await page.click('[data-test=auth-submit]');
        await page.waitForSelector('[data-test=auth-recorded]');
        assert.match(await page.textContent('[data-test=auth-recorded]'), /authorised/);
        const left = await call('seller', 'GET', '/v1/compliance/brand-skus');
        assert.ok(!left.items.some((k) => k.sku === sku), 'no longer flagged');
    });
});

test('zh at 390 px: the Brands page fits the phone', async () => {
    await withPage(browser, 'brands-390-zh', { width: 390, locale: 'zh-CN' }, async (page) => {
        await page.goto(BASE);
        await page.click('[data-test=lang-zh]');
        await signIn(page, 'admin');
        await go(page, '#/brands?seller=YW-HOMA');
        await page.waitForSelector('[data-test=brands-table] tbody tr');
        assert.match(await page.textContent('main'), /品牌/);
        assert.match(await page.textContent('[data-test=brands-table]'), /授权已过期/);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `no sideways scrolling at 390 px (${over} px)`);
    });
});
