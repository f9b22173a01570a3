// Browser tests of the export VAT refund on the Money page
// (web/js/pages/refund.js), on the demo's data (SZ-ANKO: a manufacturer with
// released, CEB792-numbered 9810 lists; one pre-refund repaid at the April
// reconciliation, one granted and open, the rest to file): the seller sees the
// report as the API gives it, an earlier day shows fewer items to file, the
// ready items are filed with one click and leave the "to file" list, the
// new filing is granted from its row, the month's reconciliation is recorded,
// every item exported by the day is listed a page at a time (load more)
// (a period that is no month refused); an
// operator sees no refund; zh at 390 px without sideways scrolling. run.sh
// passes HC_BASE, the keys and HC_SELLER.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, SELLER, call, loadMore, openMoney, overflow, useBrowser } from './lib.mjs';

const suite = useBrowser(['admin', 'operator', 'seller']);

const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() + 8 * 3600 * 1000 - n * 86400000).toISOString().slice(0, 10);
const report = (date) => call('seller', 'GET', `/v1/refunds/report?date=${date}`);
const itemKey = (x) => (x.entry_id ? `${x.entry_id}/${x.entry_gnum}` : '—');

// the first pages of GET /v1/refunds/items at date, limit items each
async function itemPages(date, limit, pages) {
    const out = [];
    let cursor = '';
    for (let i = 0; i < pages; i++) {
        const r = await call('seller', 'GET', `/v1/refunds/items?date=${date}&limit=${limit}${cursor}`);
        out.push(...r.items);
        if (!r.next_cursor) break;
        cursor = `&cursor=${encodeURIComponent(r.next_cursor)}`;
    }
    return out;
}


test('seller: the report as the API gives it, an earlier day, the ready items filed', async () => {
    await suite.withPage('refund-seller', {}, async (page) => {
        const rep = await report(today());
        assert.ok(rep.file.ready > 0 && rep.reconcile.lines.length > 0 && rep.repay.lines.length > 0,
            'the demo has items to file, to reconcile and to repay');
        await openMoney(page, 'seller', { sel: '[data-test=refund-summary]' });
        assert.equal(await page.inputValue('[data-test=refund-date]'), today());
        const summary = await page.textContent('[data-test=refund-summary]');
        for (const s of [`${rep.file.ready} items ready`, `${rep.file.refund} CNY`, `${rep.repay.total} CNY`,
            `next in ${rep.reconcile.next_month}`]) assert.ok(summary.includes(s), `summary has ${s}: ${summary}`);
        assert.equal(await page.locator('[data-test=refund-file-row]').count(), Math.min(rep.file.items.length, 20));
        if (rep.file.items.length > 20) {
            assert.ok((await page.textContent('[data-test=refund-file-more]')).includes(String(rep.file.items.length - 20)),
                'the rows not shown are counted');
        }
        assert.equal(await page.locator('[data-test=refund-reconcile-row]').count(), Math.min(rep.reconcile.lines.length, 20));
        assert.equal(await page.locator('[data-test=refund-repay-row]').count(), Math.min(rep.repay.lines.length, 20));
        const first = rep.file.items[0];
        const row = await page.locator('[data-test=refund-file-row]').first().textContent();
        assert.ok(row.includes(`${first.entry_id}/${first.entry_gnum}`) && row.includes(`${first.sold} / ${first.qty}`), row);
        await page.screenshot({ path: path.join(ART, 'refund-seller-1280.png'), fullPage: true });
        // every item exported by today, 20 at a time: two more pages loaded
        const items = await itemPages(today(), 20, 3);
        assert.equal(items.length, 60, 'the demo has more than two pages of items');
        const rowSel = '[data-test=refund-item-row]', moreSel = '[data-test=refund] [data-test=load-more]';
        await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 20, rowSel);
        assert.equal(await loadMore(page, rowSel, moreSel), 40);
        assert.equal(await loadMore(page, rowSel, moreSel), 60);
        const shown = await page.locator(`${rowSel} td:first-child`).allTextContents();
        assert.deepEqual(shown, items.map(itemKey), 'the pages as the API gives them, in order');
        // fifty days ago the recent lists had not left China: nothing of them to file
        const earlier = await report(daysAgo(50));
        await page.fill('[data-test=refund-date]', daysAgo(50));
        await page.dispatchEvent('[data-test=refund-date]', 'change');
        await page.waitForFunction((n) => document.querySelectorAll('[data-test=refund-file-row]').length === n,
            Math.min(earlier.file.items.length, 20));
        assert.ok(earlier.file.items.length < rep.file.items.length);
        // back to today, file the ready items
        await page.fill('[data-test=refund-date]', today());
        await page.dispatchEvent('[data-test=refund-date]', 'change');
        await page.waitForFunction((n) => document.querySelectorAll('[data-test=refund-file-row]').length === n,
            Math.min(rep.file.items.length, 20));
        await page.click('[data-test=refund-file-btn]');
        await page.waitForSelector('[data-test=refund-filed]');
        const after = await report(today());
        assert.equal(after.file.ready, 0, 'every ready item filed');
        assert.ok((await page.textContent('[data-test=refund-filed]')).includes(`${rep.file.refund} CNY`),
            'the filing refunds what the report said');
        assert.ok(await page.isDisabled('[data-test=refund-file-btn]'));
        assert.ok(after.reconcile.lines.length >= rep.reconcile.lines.length, 'the new pre-refunds await their grant');
        // the new filing is listed, not granted; granting it on today's date
        const filings = await call('seller', 'GET', '/v1/refunds/filings');
        assert.equal(await page.locator('[data-test=refund-filing-row]').count(), Math.min(filings.items.length, 20));
        assert.ok(!filings.items[0].granted_on, 'the newest filing awaits its grant');
        await page.locator('[data-test=refund-grant-form]').first().locator('[data-test=refund-grant-btn]').click();
        await page.waitForFunction(() => !document.querySelector('[data-test=refund-grant-form]'));
        const granted = await call('seller', 'GET', `/v1/refunds/filings/${filings.items[0].id}`);
        assert.equal(granted.granted_on, today(), 'granted on the day given');
        // this month's reconciliation of the pre-refund granted last month
        page.allowed = [/POST \S*\/v1\/refunds\/reconciliations -> 400$/, /status of 400/];
        assert.equal(await page.inputValue('[data-test=refund-period]'), rep.reconcile.next_month);
        await page.click('[data-test=refund-reconcile-btn]');
        await page.waitForSelector('[data-test=refund-reconciled]');
        const msg = await page.textContent('[data-test=refund-reconciled]');
        assert.ok(msg.includes(rep.reconcile.next_month), msg);
        // a period that is no month: refused, the field marked
        await page.fill('[data-test=refund-period]', `${rep.reconcile.next_month.slice(0, 4)}-13`);
        await page.click('[data-test=refund-reconcile-btn]');
        await page.waitForSelector('[data-test=refund-reconcile-form] .alert-error [data-field="period"]');
    });
});

test('operator: no refund on a seller\'s Money page', async () => {
    await suite.withPage('refund-operator', {}, async (page) => {
        await openMoney(page, 'operator', { seller: SELLER, sel: '[data-test=wallet-row]' });
        assert.equal(await page.locator('[data-test=refund]').count(), 0);
    });
});

test('zh at 390 px: the refund fits the phone', async () => {
    await suite.withPage('refund-390-zh', { width: 390, locale: 'zh-CN' }, async (page) => {
        await openMoney(page, 'seller', { zh: true, sel: '[data-test=refund-summary]' });
        assert.ok((await page.textContent('main#main')).includes('出口退税（海外仓 9810）'));
        assert.ok((await page.textContent('[data-test=refund-summary]')).includes('生产企业'));
        const over = await overflow(page);
        assert.ok(over <= 0, `no sideways scrolling at 390 px (${over} px)`);
        await page.locator('[data-test=refund]').screenshot({ path: path.join(ART, 'refund-seller-390-zh.png') });
    });
});
