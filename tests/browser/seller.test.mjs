// Browser tests of the seller profile (web/js/pages/seller.js, issue 13 part 1):
// a seller sees its legal identity from the demo with every number marked
// valid as the API checks it, its numbers per market and the history; it
// records a change through the form — a VAT number with a wrong check digit
// is refused with the message beside that very field and nothing is stored,
// the corrected one is saved as a new version — and reads the identity as it
// was before; an operator reads without a form; zh at 390 px without sideways
// scrolling. run.sh passes HC_BASE, the keys and HC_SELLER; the page helpers are
// lib.mjs's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, SELLER, call, go, signIn, useBrowser } from './lib.mjs';

const suite = useBrowser(['admin', 'operator', 'seller']);
const idPath = () => `/v1/sellers/${encodeURIComponent(SELLER)}/identity`;

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);


test('seller: the identity from the demo, each number with the API\'s check, markets and history', async () => {
    const id = await call('seller', 'GET', idPath());
    await suite.withPage('seller-identity', {}, async (page) => {
        await signIn(page, 'seller');
        await page.click('.nav a[data-nav=seller]');
        await page.waitForSelector('[data-test=identity]');
        const text = await page.textContent('[data-test=identity]');
        assert.ok(text.includes(id.uscc) && text.includes(id.legal_name_en), `identity shows the USCC and name: ${text}`);
        assert.ok(!/\bnull\b|undefined/.test(text), 'no null or undefined shown');
        const badges = await page.$$eval('[data-test=number-check]', (bs) => bs.map((b) => b.dataset.valid));
        assert.equal(badges.length, id.checks.length, 'a badge per number the API checked');
        assert.deepEqual(badges, id.checks.map((c) => String(c.valid)), 'badges say what the API says');
        const markets = await page.$$eval('[data-test=market-row]', (rs) => rs.map((r) => r.dataset.market));
        assert.deepEqual(markets, Object.keys(id.markets).sort(), 'a row per market');
        await page.waitForSelector('[data-test=history-table] tbody tr');
        const h = await call('seller', 'GET', `${idPath()}/history`);
        assert.equal(await page.locator('[data-test=history-table] tbody tr').count(), h.items.length, 'a history row per version');
    });
});

test('seller: a wrong VAT check digit is named beside its field, the corrected one is a new version, the old one stays readable', async () => {
    const before = await call('seller', 'GET', idPath());
    await suite.withPage('seller-edit', {}, async (page) => {
        page.allowed.push(/PUT .*\/identity -> 400/, /console: Failed to load resource: .* 400/);
        await signIn(page, 'seller');
        await go(page, '#/seller');
        await page.click('[data-test=identity-edit] > summary'); // folded while an identity exists
        await page.waitForSelector('[data-test=identity-form]');
        await page.click('[data-test=market-add]');
        const row = page.locator('[data-test=market-edit]').last();
        await row.locator('[data-test=market-country]').fill('PL');
        await row.locator('[data-test=market-vat]').fill('PL8567346216'); // stdnum pl.nip's invalid twin
        await page.click('[data-test=identity-save]');
        await page.waitForSelector('[data-test=identity-form] .field-error');
        assert.ok(await row.locator('[data-test=market-vat]').evaluate((e) => e.classList.contains('invalid')), 'the PL VAT input is marked');
        const err = await page.textContent('[data-test=identity-form] .alert-error');
        assert.ok(err.includes('markets.PL.vat'), `the problem names markets.PL.vat: ${err}`);
        assert.equal((await call('seller', 'GET', idPath())).version, before.version, 'nothing stored');
        await row.locator('[data-test=market-vat]').fill('PL8567346215');
        await page.click('[data-test=identity-save]');
        await page.waitForSelector('[data-test=identity-saved]');
        const after = await call('seller', 'GET', idPath());
        assert.equal(after.version, before.version + 1, 'a new version');
        assert.equal(after.markets.PL.vat, 'PL8567346215');
        assert.ok((await page.textContent('[data-test=identity-saved]')).includes(String(after.version)));
        await page.waitForFunction((n) => document.querySelectorAll('[data-test=history-table] tbody tr').length === n, after.version);
        assert.ok(await page.locator('[data-test=market-row][data-market=PL]').count() === 1, 'the PL row is shown');
        // the version before, as of its time
        await go(page, `#/seller?at=${encodeURIComponent(before.recorded_at)}`);
        await page.waitForSelector('[data-test=asof-note]');
        assert.ok((await page.textContent('[data-test=identity-recorded]')).length > 0);
        assert.equal(await page.locator('[data-test=market-row][data-market=PL]').count(), 0, 'no PL numbers back then');
        assert.equal(await page.locator('[data-test=identity-form]').count(), 0, 'no form on a past version');
    });
});

test('operator: reads the identity, no form', async () => {
    await suite.withPage('seller-operator', {}, async (page) => {
        await signIn(page, 'operator');
        await go(page, `#/seller?seller=${encodeURIComponent(SELLER)}`);
        await page.waitForSelector('[data-test=identity]');
        assert.equal(await page.locator('[data-test=identity-form]').count(), 0, 'operators do not record');
    });
});

test('zh at 390 px: Chinese labels, no sideways scrolling', async () => {
    await suite.withPage('seller-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'seller');
        await page.click('[data-test=lang-zh]');
        await go(page, '#/seller');
        await page.waitForSelector('[data-test=identity]');
        await page.waitForSelector('[data-test=history-table] tbody tr');
        const text = await page.textContent('main#main');
        assert.ok(text.includes('统一社会信用代码') && text.includes('变更历史'), 'Chinese labels');
        assert.ok(await overflow(page) <= 1, `no sideways scrolling: ${await overflow(page)}px`);
        await page.screenshot({ path: path.join(ART, 'seller-zh-390.png'), fullPage: true });
    });
});
