// Browser tests of the holidays section of the Carriers page
// (web/js/pages/holidays_card.js, issue 12), on the demo's data (the demo
// imports data/holidays and closes DE-DUI on 31 December 2026): the operator
// sees the next holidays of each country as the API's calendar lists them,
// the warehouse's closed day, the calendars each quote used; a CSV with a bad
// date is refused naming its line and field and stores nothing; a good one is
// imported and shows at once; zh at 390 px without sideways scrolling.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, call, go, launchBrowser, signIn, uniq, withPage } from './lib.mjs';

let browser;

before(async () => {
    for (const k of ['admin', 'operator']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

const csv = (text) => ({ name: 'holidays.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

/* The dates the page lists for country cc, in its order. */
const shownDays = (page, cc) => page.locator(`[data-test=holiday-country][data-country=${cc}] [data-test=holiday-day]`)
    .evaluateAll((ls) => ls.map((l) => l.dataset.date));

test('operator: next holidays as the API lists them, calendars of the quotes, import refused and done', async () => {
    await withPage(browser, 'holidays-operator', {}, async (page) => {
        const cal = await call('operator', 'GET', '/v1/warehouses/DE-DUI/calendar');
        const de = cal.upcoming.find((u) => u.country === 'DE');
        assert.ok(de && de.holidays.length, 'the demo loaded German holidays');
        await signIn(page, 'operator');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=holiday-country][data-country=DE] [data-test=holiday-day]');
        assert.deepEqual(await shownDays(page, 'DE'), de.holidays.map((x) => x.date));
        assert.equal(await page.locator('[data-test=holiday-country]').count(), cal.upcoming.length);
        assert.ok((await page.textContent('[data-test=closed-days]')).includes('2026-12-31'), 'the demo closed day');
        // a quote names its calendars
        await page.fill('[data-test=rates-ship_to-postcode]', '10115');
        await page.click('[data-test=rates-submit]');
        await page.waitForSelector('[data-test=rate-row] [data-test=rate-calendars]');
        assert.match(await page.locator('[data-test=rate-calendars]').first().textContent(), /DE.* \/ DE/);
        // a bad date: refused naming line and field, nothing stored
        const cc = 'AT';
        const before = (await call('operator', 'GET', `/v1/holidays?country=${cc}&limit=1000`)).items.length;
        page.allowed = [/POST \S*\/v1\/holidays -> 400$/, /status of 400/];
        await page.setInputFiles('[data-test=holiday-file]', csv('country,region,date,name\nAT,,2027-12-08,Mariä Empfängnis\nAT,,2027-02-30,Kein Tag\n'));
        await page.click('[data-test=holiday-import]');
        await page.waitForSelector('text=line 3: date');
        assert.equal((await call('operator', 'GET', `/v1/holidays?country=${cc}&limit=1000`)).items.length, before);
        // a good file (a holiday of DE tomorrow-ish would move promises; AT only shows in the list)
        const name = `Testtag ${uniq()}`;
        await page.setInputFiles('[data-test=holiday-file]', csv(`AT,,2027-12-08,Mariä Empfängnis\nAT,,2027-10-26,${name}\n`));
        await page.click('[data-test=holiday-import]');
        await page.waitForSelector('[data-test=holiday-imported]');
        assert.match(await page.textContent('[data-test=holiday-imported]'), /2 rows imported/);
        const rows = (await call('operator', 'GET', '/v1/holidays?country=AT&from=2027-10-26&to=2027-10-26')).items;
        assert.deepEqual(rows.map((r) => r.name), [name]);
        await page.screenshot({ path: path.join(ART, 'holidays-1280.png'), fullPage: true });
    });
});

test('zh at 390 px: the holidays section in Chinese, no sideways scrolling', async () => {
    await withPage(browser, 'holidays-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'operator');
        await page.click('[data-test=lang-zh]');
        await go(page, '#/carriers');
        await page.waitForSelector('[data-test=holiday-country][data-country=DE] [data-test=holiday-day]');
        const text = await page.textContent('main');
        assert.ok(text.includes('公共假日') && text.includes('仓库停业日'), 'Chinese headings');
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `the page scrolls sideways by ${over} px`);
        await page.locator('[data-test=holiday-calendar]').screenshot({ path: path.join(ART, 'holidays-zh-390.png') });
    });
});
