// Browser tests of the Money area (web/js/pages/money.js): a seller sees its
// wallet and postings (with the top-up made here), its statements of ended
// Beijing months and downloads them as PDF, XLSX and CSV, and the rate cards;
// an operator sees its warehouse's receivables by seller (the figures the API
// gives) and a seller's wallet, but no statements, and issues an invoice (the
// new number, or the problem named by its field); zh at 390 px without
// sideways scrolling. run.sh passes HC_BASE, the keys, HC_SELLER and
// HC_WAREHOUSE as for dashboard.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, SELLER, WAREHOUSE, call, downloaded, go, launchBrowser, openMoney, overflow, signIn, uniq, withPage } from './lib.mjs';

const OP_WH = WAREHOUSE;

let browser;
const REF = `BT-TOPUP-${uniq()}`;

// the last Beijing month that has ended, as the page offers it first
function lastMonth() {
    const bj = new Date(Date.now() + 8 * 3600 * 1000);
    let y = bj.getUTCFullYear();
    let m = bj.getUTCMonth();
    if (m < 1) { m = 12; y -= 1; }
    return `${y}-${String(m).padStart(2, '0')}`;
}

before(async () => {
    for (const k of ['admin', 'operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    assert.ok(SELLER, 'HC_SELLER is not set');
    browser = await launchBrowser();
    await call('admin', 'POST', `/v1/sellers/${encodeURIComponent(SELLER)}/topups`, { amount: '123.45', currency: 'EUR', reference: REF });
});

after(async () => {
    await browser?.close();
});

test('seller: wallet, postings with the top-up, statements downloaded as PDF, XLSX and CSV, rate cards', async () => {
    await withPage(browser, 'money-seller', { failedRequests: true }, async (page) => {
        await signIn(page, 'seller');
        await page.click('.nav a[data-nav=money]');
        await page.waitForSelector('[data-test=wallet-row]');
        const w = await call('seller', 'GET', `/v1/sellers/${encodeURIComponent(SELLER)}/wallet`);
        const eur = w.balances.find((b) => b.currency === 'EUR');
        const walletText = await page.textContent('[data-test=wallet]');
        assert.ok(!/\bnull\b|undefined/.test(walletText), `no null or undefined shown: ${walletText}`);
        assert.ok(walletText.includes(`${eur.balance.amount} EUR`), `wallet shows ${eur.balance.amount} EUR: ${walletText}`);
        // the top-up is among the wallet's postings (newest last: load every page)
        await page.waitForSelector('[data-test=postings-table] tbody tr');
        const more = page.locator('.table-block:has([data-test=postings-table]) [data-test=load-more]');
        for (let i = 0; i < 200 && await more.isVisible(); i++) {
            const rows = await page.locator('[data-test=postings-table] tbody tr').count();
            // the button may hide itself between isVisible and click when the page
            // before brought the last rows: then there is nothing more to load
            try { await more.click({ timeout: 3000 }); } catch { break; }
            await page.waitForFunction((n) => {
                const b = document.querySelector('.table-block:has([data-test=postings-table]) [data-test=load-more]');
                return document.querySelectorAll('[data-test=postings-table] tbody tr').length > n || !b || b.hidden;
            }, rows);
        }
        await page.waitForLoadState('networkidle');
        const postings = await page.textContent('[data-test=postings-table]');
        assert.ok(postings.includes(REF), 'the top-up is listed with its reference');
        assert.ok(postings.includes('+123.45 EUR'), 'as a credit of 123.45 EUR');
        // statements: the months that have ended, newest first
        const months = await page.$$eval('[data-test=statement-month] option', (os) => os.map((o) => o.value));
        assert.equal(months.length, 12);
        assert.equal(months[0], lastMonth());
        await page.click('[data-test=statement-view]');
        await page.waitForSelector('[data-test=statement-totals]');
        const st = await call('seller', 'GET', `/v1/sellers/${encodeURIComponent(SELLER)}/statements/${months[0]}`);
        const count = await page.textContent('[data-test=statement-count]');
        assert.ok(count.includes(String(st.lines.length)), `the page counts ${st.lines.length} postings: ${count}`);
        for (const x of st.totals) {
            assert.ok((await page.textContent('[data-test=statement-totals]')).includes(`${x.closing.amount} ${x.currency}`), `closing ${x.closing.amount} ${x.currency}`);
        }
        const pdf = await downloaded(page, '[data-test=statement-pdf]');
        assert.equal(pdf.name, `statement-${SELLER}-${months[0]}.pdf`);
        assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
        const xlsx = await downloaded(page, '[data-test=statement-xlsx]');
        assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
        const csv = await downloaded(page, '[data-test=statement-csv]');
        const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
        assert.ok(text.startsWith(`Seller,${SELLER}\r\nMonth,${months[0]}\r\n`), `CSV head: ${text.slice(0, 80)}`);
        // rate cards, read-only: no form to change them
        await page.waitForSelector('[data-test=ratecards-table]');
        assert.equal(await page.locator('form[data-test=ratecard-form]').count(), 0);
        assert.equal(await page.locator('[data-test=receivables]').count(), 0, 'a seller sees no receivables');
        // the viewport only: with every posting loaded the page is thousands of rows long, and a
        // full-page capture of it outlasts the timeout on a busy machine
        await page.screenshot({ path: path.join(ART, 'money-seller-1280.png') });
    });
});

test('operator: receivables of its warehouse by seller, a seller\'s wallet, no statements', async () => {
    await withPage(browser, 'money-operator', { failedRequests: true }, async (page) => {
        await openMoney(page, 'operator');
        await page.waitForSelector('[data-test=receivables] table, [data-test=receivables] p:not(:has-text("…"))');
        const r = await call('operator', 'GET', `/v1/warehouses/${OP_WH}/receivables`);
        const rows = page.locator('[data-test=receivable-row]');
        assert.equal(await rows.count(), r.items.length, 'one row per seller and currency');
        for (const it of r.items) {
            const row = rows.filter({ hasText: it.seller }).filter({ hasText: it.charged.currency }).first();
            const t = await row.textContent();
            for (const k of ['charged', 'invoiced', 'uninvoiced']) assert.ok(t.includes(`${it[k].amount} ${it[k].currency}`), `${it.seller} ${k} ${it[k].amount}: ${t}`);
        }
        await page.waitForSelector('[data-test=money-pick]');
        await go(page, `#/money?seller=${encodeURIComponent(SELLER)}`);
        await page.waitForSelector('[data-test=wallet-row]');
        assert.equal(await page.locator('[data-test=statement-view]').count(), 0, 'statements are the seller\'s papers');
        await page.screenshot({ path: path.join(ART, 'money-operator-1280.png'), fullPage: true });
    });
});

test('operator: issue an invoice (own warehouse, an ended month), the problem named by its field', async () => {
    await withPage(browser, 'money-issue-invoice', { failedRequests: true }, async (page) => {
        page.allowed = [/POST \S*\/v1\/invoices -> 4\d\d$/, /status of 4\d\d .*\/v1\/invoices$/];
        await openMoney(page, 'operator', { sel: '[data-test=invoice-form]' });
        // an operator's own warehouse only; the months that have ended, newest first
        assert.deepEqual(await page.$$eval('[data-test=invoice-warehouse] option', (os) => os.map((o) => o.value)), [OP_WH]);
        assert.equal(await page.inputValue('[data-test=invoice-month]'), lastMonth());
        // no seller chosen: the API's problem, its field shown beside the input
        await page.click('[data-test=invoice-issue]');
        await page.waitForSelector('[data-test=invoice-form] .alert-error [data-field=seller]');
        assert.equal(await page.locator('[data-test=invoice-form] .field-error').count(), 1);
        // the seller: issued (the new number, listed by the API) or refused naming the month
        await page.waitForFunction(() => document.querySelectorAll('[data-test=invoice-seller] option').length > 1);
        await page.selectOption('[data-test=invoice-seller]', SELLER);
        const [res] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/invoices')),
            page.click('[data-test=invoice-issue]'),
        ]);
        const body = await res.json();
        if (res.status() === 201) {
            await page.waitForSelector('[data-test=invoice-issued]');
            assert.equal((await page.textContent('[data-test=invoice-number]')).trim(), body.number);
            assert.equal(await page.locator('[data-test=invoice-form] .alert-error:not([hidden])').count(), 0);
            const list = await call('operator', 'GET', `/v1/invoices?warehouse=${OP_WH}&limit=100`);
            assert.ok(list.items.some((i) => i.number === body.number && i.seller === SELLER && i.month === lastMonth()), 'the API lists it');
        } else {
            assert.equal(res.status(), 409, JSON.stringify(body));
            await page.waitForSelector('[data-test=invoice-form] .alert-error [data-field=month]');
            assert.equal(await page.locator('[data-test=invoice-issued]').count(), 0);
        }
        await page.screenshot({ path: path.join(ART, 'money-issue-invoice-1280.png'), fullPage: true });
    });
});

test('zh at 390 px: the Money page fits the phone', async () => {
    await withPage(browser, 'money-390-zh', { width: 390, locale: 'zh-CN', failedRequests: true }, async (page) => {
        await openMoney(page, 'seller', { zh: true, sel: '[data-test=wallet-row]' });
        await page.waitForSelector('[data-test=postings-table] tbody tr');
        assert.equal((await page.textContent('.nav a[data-nav=money]')).trim(), '资金');
        assert.ok((await page.textContent('main#main')).includes('月度对账单'));
        assert.ok(await overflow(page) <= 0, `no sideways scrolling at 390 px (${await overflow(page)} px)`);
        await page.screenshot({ path: path.join(ART, 'money-seller-390-zh.png'), fullPage: true });
    });
    await withPage(browser, 'money-390-zh-operator', { width: 390, locale: 'zh-CN', failedRequests: true }, async (page) => {
        await openMoney(page, 'operator', { zh: true, sel: '[data-test=invoice-form]' });
        assert.ok((await page.textContent('[data-test=invoice-new]')).includes('开具发票'));
        assert.ok(await page.locator('[data-test=invoice-issue]').isVisible());
        assert.ok(await overflow(page) <= 0, `no sideways scrolling at 390 px (${await overflow(page)} px)`);
        await page.screenshot({ path: path.join(ART, 'money-operator-390-zh.png'), fullPage: true });
    });
});
