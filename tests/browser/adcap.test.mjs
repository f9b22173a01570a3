// Browser tests of the advertising deduction cap on the Money page
// (web/js/pages/adcap.js): a seller sees last year's report first with the
// years it carries from (the figures the API gives), switches to the running
// year, records a month's spend (a bad amount refused with the field marked,
// then a good one that the report and the spend table show); an operator sees
// no such section; zh at 390 px without sideways scrolling. run.sh passes
// HC_BASE, the keys and HC_SELLER as for dashboard.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, SELLER, call, openMoney, overflow, useBrowser } from './lib.mjs';

const suite = useBrowser(['admin', 'operator', 'seller']);

const runningYear = () => new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();

// the page's report rows against the API's report of year
async function sameAsApi(page, year) {
    const rep = await call('seller', 'GET', `/v1/sellers/${encodeURIComponent(SELLER)}/ad-cap/${year}`);
    await page.waitForSelector(`[data-test=adcap-row][data-year="${year}"]`);
    const rows = page.locator('[data-test=adcap-row]');
    assert.equal(await rows.count(), rep.history.length, 'one row per year of the chain');
    for (const y of rep.history) {
        const text = await page.textContent(`[data-test=adcap-row][data-year="${y.year}"]`);
        for (const k of ['revenue', 'spend', 'carried_in', 'cap', 'allowed', 'carried_out']) {
            assert.ok(text.includes(`${y[k].amount} CNY`), `${y.year} ${k} ${y[k].amount}: ${text}`);
        }
    }
    return rep;
}


test('seller: last year\'s cap first, the running year, a month of spend recorded', async () => {
    await suite.withPage('adcap-seller', {}, async (page) => {
        page.allowed = [/POST \S*\/ad-spend -> 400$/, /status of 400/];
        await openMoney(page, 'seller', { sel: '[data-test=adcap-table]' });
        const y = runningYear();
        assert.equal(await page.inputValue('[data-test=adcap-year]'), String(y - 1), 'the last ended year first');
        await sameAsApi(page, y - 1);
        await page.selectOption('[data-test=adcap-year]', String(y));
        await sameAsApi(page, y);
        // a negative amount: refused, the field marked, nothing stored
        const month = `${y - 1}-03`;
        await page.selectOption('[data-test=adcap-channel]', 'pinterest');
        await page.fill('[data-test=adcap-month]', month);
        await page.fill('[data-test=adcap-amount]', '-5');
        await page.click('[data-test=adcap-save]');
        await page.waitForSelector('[data-test=adcap-form] .alert-error [data-field="spend[0].amount"]');
        assert.equal(await page.locator('[data-test=adcap-form] .field-error').count(), 1);
        const before = await call('seller', 'GET', `/v1/sellers/${encodeURIComponent(SELLER)}/ad-spend?year=${y - 1}`);
        assert.ok(!before.items.some((x) => x.channel === 'pinterest' && x.month === month && x.amount.amount.startsWith('-')));
        // a good one: shown in last year's spend, and the report moves with it
        await page.fill('[data-test=adcap-amount]', '123.45');
        await page.click('[data-test=adcap-save]');
        await page.waitForSelector('[data-test=adcap-spend-row]:has-text("pinterest")');
        assert.equal(await page.inputValue('[data-test=adcap-year]'), String(y - 1), 'the year of the month recorded');
        const row = await page.textContent('[data-test=adcap-spend-row]:has-text("pinterest")');
        assert.ok(row.includes(month) && row.includes('123.45 CNY'), row);
        const rep = await sameAsApi(page, y - 1);
        const list = await call('seller', 'GET', `/v1/sellers/${encodeURIComponent(SELLER)}/ad-spend?year=${y - 1}`);
        const total = list.items.reduce((s, x) => s + Math.round(Number(x.amount_cny.amount) * 100), 0);
        assert.equal(Math.round(Number(rep.spend.amount) * 100), total, 'the year\'s spend is the sum of its rows');
        await page.screenshot({ path: path.join(ART, 'adcap-seller-1280.png'), fullPage: true });
    });
});

test('operator: no advertising cap on a seller\'s Money page', async () => {
    await suite.withPage('adcap-operator', {}, async (page) => {
        await openMoney(page, 'operator', { seller: SELLER, sel: '[data-test=wallet-row]' });
        assert.equal(await page.locator('[data-test=adcap]').count(), 0);
    });
});

test('zh at 390 px: the advertising cap fits the phone', async () => {
    await suite.withPage('adcap-390-zh', { width: 390, locale: 'zh-CN' }, async (page) => {
        await openMoney(page, 'seller', { zh: true, sel: '[data-test=adcap-table]' });
        assert.ok((await page.textContent('main#main')).includes('广告费扣除限额'));
        assert.ok((await page.textContent('[data-test=adcap-table]')).includes('结转以后年度'));
        const over = await overflow(page);
        assert.ok(over <= 0, `no sideways scrolling at 390 px (${over} px)`);
        await page.locator('[data-test=adcap]').screenshot({ path: path.join(ART, 'adcap-seller-390-zh.png') });
    });
});
