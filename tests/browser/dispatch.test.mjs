// Browser tests of the Dispatch page (web/js/pages/dispatch.js, issue 12
// parts 4 and 8), on the demo's data (parcels recorded for packed orders of
// DE-DUI wait for today's pickups): the operator sees each carrier service
// with its cut-off, time left and waiting parcels as the API lists them,
// prints the waiting labels as one PDF, closes a service's manifest (the row
// appears with its PDF and CSV, the service has nothing waiting, its orders
// are shipped); a seller has no dispatch page; zh at 390 px without
// sideways scrolling. run.sh passes HC_BASE and the keys.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ART, KEYS, call, go, launchBrowser, signIn, withPage } from './lib.mjs';

let browser;

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

test('operator: services with cut-off, labels in one PDF, close a manifest', async () => {
    await withPage(browser, 'dispatch-operator', {}, async (page) => {
        const d = await call('operator', 'GET', '/v1/dispatch');
        await signIn(page, 'operator');
        await go(page, '#/dispatch');
        await page.waitForSelector('[data-test=dispatch-summary]');
        const codes = await page.locator('[data-test=service-card]').evaluateAll((cs) => cs.map((c) => c.dataset.code));
        assert.deepEqual(codes, d.services.map((s) => s.code), 'a card per service, as the API lists them');
        for (const s of d.services) {
            const n = await page.locator(`[data-test=service-card][data-code="${s.code}"] [data-test=service-count]`).getAttribute('data-n');
            assert.equal(Number(n), s.parcel_count, `${s.code}: waiting parcels`);
            assert.equal(await page.locator(`[data-test=service-card][data-code="${s.code}"] [data-test=parcel-row]`).count(), s.parcels.length);
        }
        const s = d.services.find((x) => x.parcel_count > 0);
        assert.ok(s, 'the demo leaves parcels waiting for a pickup today');
        const cardSel = `[data-test=service-card][data-code="${s.code}"]`;
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`${cardSel} [data-test=print-labels]`)]);
        const file = path.join(ART, `dispatch-labels-${s.code}.pdf`);
        await dl.saveAs(file);
        const pdf = fs.readFileSync(file);
        assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        assert.equal(pages, s.parcels.length, 'one label page per waiting parcel');
        await page.click(`${cardSel} [data-test=close-manifest]`);
        await page.waitForSelector(`[data-test=manifest-row][data-code="${s.code}"]`);
        assert.equal(await page.locator(`${cardSel} [data-test=service-count]`).getAttribute('data-n'), '0');
        const m = (await call('operator', 'GET', `/v1/manifests?service=${encodeURIComponent(s.code)}`)).items[0];
        const got = await call('operator', 'GET', `/v1/manifests/${encodeURIComponent(m.id)}`);
        assert.deepEqual(got.parcels.map((p) => p.id).sort(), s.parcels.map((p) => p.id).sort(), 'the manifest took the waiting parcels');
        if (m.ship_at === 'manifest') {
            const o = await call('operator', 'GET', `/v1/orders/${encodeURIComponent(s.parcels[0].order)}`);
            assert.equal(o.status, 'shipped', 'closing the manifest shipped the order');
        }
        const [csv] = await Promise.all([page.waitForEvent('download'),
            page.click(`[data-test=manifest-row][data-id="${m.id}"] [data-test=manifest-csv]`)]);
        const csvFile = path.join(ART, `${m.id}.csv`);
        await csv.saveAs(csvFile);
        assert.ok(fs.readFileSync(csvFile, 'utf8').includes(s.parcels[0].tracking_no), 'the CSV lists the parcels');
    });
});

test('seller: no dispatch page in the menu, the API refuses', async () => {
    await withPage(browser, 'dispatch-seller', {}, async (page) => {
        await signIn(page, 'seller');
        assert.equal(await page.locator('a[data-nav=dispatch]').count(), 0);
        await assert.rejects(call('seller', 'GET', '/v1/dispatch?warehouse=DE-DUI'));
    });
});

test('zh at 390 px: the page in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'dispatch-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'operator');
        await go(page, '#/dispatch');
        await page.waitForSelector('[data-test=dispatch-summary]');
        assert.match(await page.locator('h1').first().innerText(), /发运/);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 1, `no sideways scrolling (${over} px)`);
        await page.screenshot({ path: path.join(ART, 'dispatch-zh-390.png'), fullPage: true });
    });
});
