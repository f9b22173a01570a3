// Browser tests of the Labels card on the Carriers page (web/js/pages/labels_card.js,
// issue 12 part 3), on the demo's data: the operator downloads an inbound's
// carton labels and a SKU's product labels as PDF (the uploaded-label form is
// not driven here: test_labels.py covers that route); the connectors list shows the built-in haicang numbering as the one in
// use; a bad FNSKU is refused naming fnsku; zh at 390 px without sideways
// scrolling. run.sh passes HC_BASE and the keys.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
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

async function pdfOf(dl) {
    const p = await dl.path();
    return fs.readFileSync(p);
}

test('operator: carton and product labels download; connectors listed', async () => {
    await withPage(browser, 'labels-operator', {}, async (page) => {
        const inbounds = await call('operator', 'GET', '/v1/inbounds?warehouse=DE-DUI&limit=1');
        assert.ok(inbounds.items.length, 'the demo has a DE-DUI inbound');
        const inb = inbounds.items[0];
        const skus = await call('admin', 'GET', '/v1/skus?limit=1');
        const sku = skus.items[0];
        await signIn(page, 'operator');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=connector-row]');
        const names = await page.locator('[data-test=connector-row]').evaluateAll((rs) => rs.map((r) => r.dataset.name));
        assert.equal(names[0], 'haicang');
        await page.fill('[data-test=lbl-inbound]', inb.id);
        await page.fill('[data-test=lbl-cartons]', '2');
        let [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=carton-labels-pdf]')]);
        assert.equal(dl.suggestedFilename(), `cartons-${inb.id}.pdf`);
        assert.equal((await pdfOf(dl)).subarray(0, 5).toString(), '%PDF-');
        await page.fill('[data-test=lbl-seller]', sku.seller);
        await page.fill('[data-test=lbl-sku]', sku.sku);
        [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=product-labels-pdf]')]);
        assert.equal(dl.suggestedFilename(), `labels-${sku.sku}.pdf`);
        assert.equal((await pdfOf(dl)).subarray(0, 5).toString(), '%PDF-');
        // a bad FNSKU: refused, naming it
        page.allowed = [/GET \S*labels\.pdf\S* -> 400$/, /status of 400/];
        await page.selectOption('[data-test=lbl-code]', 'fnsku');
        await page.fill('[data-test=lbl-fnsku]', 'bad');
        await page.click('[data-test=product-labels-pdf]');
        await page.waitForSelector('text=fnsku');
        await page.screenshot({ path: path.join(ART, 'labels-1280.png'), fullPage: true });
    });
});

test('zh at 390 px: the labels card in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'labels-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=connector-row]');
        const text = await page.textContent('main');
        assert.ok(text.includes('入库箱唛') && text.includes('内置编号'), 'the card in Chinese');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.screenshot({ path: path.join(ART, 'labels-zh-390.png'), fullPage: true });
    });
});
