// Browser tests of the netting settlement section of the Money page
// (web/js/pages/settlement.js): a seller views this month's statement (the
// demo's sales with their own and external fees), whose totals per currency
// are the API's, opens an order's fee lines and customs lists, and downloads
// the CSV and the signed JSON document; an operator sees no such section; zh
// at 390 px without sideways scrolling. run.sh passes HC_BASE, the keys and
// HC_SELLER as for dashboard.test.mjs, and a signing key to the server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, SELLER, call, downloaded, openMoney, overflow, useBrowser } from './lib.mjs';

const suite = useBrowser(['admin', 'operator', 'seller']);

function period() {
    const bj = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    return { from: `${bj.slice(0, 8)}01`, to: bj };
}


test('seller: this month\'s settlement, an order\'s fees and lists, CSV and signed downloads', async () => {
    const p = period();
    const api = await call('seller', 'GET', `/v1/settlements?seller=${encodeURIComponent(SELLER)}&from=${p.from}&to=${p.to}`);
    assert.ok(api.orders.length > 0, 'the demo sold something this month');
    await suite.withPage('settlement-seller', {}, async (page) => {
        await openMoney(page, 'seller');
        assert.equal(await page.inputValue('[data-test=settle-from]'), p.from);
        assert.equal(await page.inputValue('[data-test=settle-to]'), p.to);
        await page.click('[data-test=settle-view]');
        await page.waitForSelector('[data-test=settle-total]');
        for (const x of api.totals) {
            const text = await page.textContent(`[data-test=settle-total][data-currency=${x.currency}]`);
            for (const v of [x.gross, x.fees.last_mile, x.fees.head_haul, x.fees.advertising, x.fees_total, x.net, x.net_without_advertising]) {
                assert.ok(text.includes(`${v.amount} ${v.currency}`), `${x.currency} ${v.amount}: ${text}`);
            }
        }
        const shown = Math.min(100, api.orders.length);
        assert.equal(await page.locator('[data-test=settle-order]').count(), shown, 'the first orders drawn');
        const o = api.orders[0];
        await page.click(`[data-test=settle-order][data-order="${o.id}"]`);
        const detail = page.locator('[data-test=settle-detail]:visible');
        await detail.waitFor();
        assert.equal(await detail.locator('[data-test=settle-fee]').count(), o.fee_lines.length, 'one line per fee netted');
        assert.equal(await detail.locator('[data-test=settle-customs]').count(), Math.max(o.customs.length, 0), 'one line per customs item');
        const csv = await downloaded(page, '[data-test=settle-csv]');
        assert.match(csv.name, /^settlement-.*\.csv$/);
        assert.ok(csv.bytes.toString('utf8').includes(o.id), 'the CSV lists the orders');
        const signed = await downloaded(page, '[data-test=settle-signed]');
        const env = JSON.parse(signed.bytes.toString('utf8'));
        assert.ok(env.signature && env.signature.value && env.signature.certificate.includes('BEGIN CERTIFICATE'), 'a signed envelope');
        assert.equal(JSON.parse(env.document).seller, SELLER);
        await page.locator('[data-test=settle-totals]').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(ART, 'settlement-seller.png') });
    });
});

test('operator: no settlement section', async () => {
    await suite.withPage('settlement-operator', {}, async (page) => {
        await openMoney(page, 'operator', { seller: SELLER, sel: '[data-test=wallet]' });
        assert.equal(await page.locator('[data-test=settle-view]').count(), 0);
    });
});

test('zh at 390 px: the settlement fits the phone', async () => {
    await suite.withPage('settlement-390-zh', { width: 390, locale: 'zh-CN' }, async (page) => {
        await openMoney(page, 'seller', { zh: true });
        await page.click('[data-test=settle-view]');
        await page.waitForSelector('[data-test=settle-total]');
        assert.ok((await page.textContent('main#main')).includes('轧差结算'));
        assert.ok((await page.textContent('[data-test=settle-totals]')).includes('销售全额'));
        await page.locator('[data-test=settle-order]').first().click();
        await page.locator('[data-test=settle-detail]:visible').waitFor();
        assert.ok(await overflow(page) <= 0, `no sideways scrolling at 390 px (${await overflow(page)} px)`);
        await page.locator('[data-test=settle-totals]').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(ART, 'settlement-390-zh.png') });
    });
});
