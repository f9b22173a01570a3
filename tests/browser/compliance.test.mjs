// Browser tests of the Compliance page (web/js/pages/compliance.js): the demo's
// SZ-ANKO matrix shows AG-0001 green and AG-0002 red in DE as the API says,
// a red cell names what is missing, the order and inbound held for it are
// listed with the same items, a held transfer order too (linked to its page); a SKU completed through the API turns green and
// its held order leaves the list; zh at 390 px without sideways scrolling of
// the page (the matrix scrolls inside its box). run.sh passes HC_BASE and
// the keys as for dashboard.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ART, KEYS, call, launchBrowser, signIn, uniq, withPage as withPageOf } from './lib.mjs';

const DEMO_SELLER = 'SZ-ANKO';
let browser;
const withPage = (name, opts, fn) => withPageOf(browser, name, opts, fn);

async function openCompliance(page, seller) {
    await page.evaluate((s) => { location.hash = `#/compliance?seller=${encodeURIComponent(s)}`; }, seller);
    await page.waitForSelector('[data-test=matrix-row]');
    await page.waitForLoadState('networkidle');
}

const cellSel = (sku, market) => `[data-test=matrix-cell][data-sku="${sku}"][data-market="${market}"]`;

// Loads further pages of the matrix until the cell is there, each click
// waited out (its rows added, or the button hidden after the last page):
// networkidle, once reached, does not wait for the next page's request.
async function loadUntilCell(page, sku, market) {
    const more = page.locator('[data-test=matrix-more]');
    for (let i = 0; i < 20 && !(await page.$(cellSel(sku, market))) && await more.isVisible(); i++) {
        const rows = await page.locator('[data-test=matrix-row]').count();
        await more.click();
        await page.waitForFunction((n) => {
            const b = document.querySelector('[data-test=matrix-more]');
            return document.querySelectorAll('[data-test=matrix-row]').length > n || !b || b.hidden;
        }, rows);
    }
    await page.waitForSelector(cellSel(sku, market));
}

before(async () => {
    assert.ok(KEYS.admin, 'HC_ADMIN_KEY is not set');
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
});

test('admin: the matrix as the API says, a red cell names what is missing, held goods listed', async () => {
    await withPage('compliance-admin', {}, async (page) => {
        await signIn(page, 'admin');
        await openCompliance(page, DEMO_SELLER);
        const api = await call('admin', 'GET', `/v1/compliance/matrix?seller=${DEMO_SELLER}&limit=50`);
        for (const c of api.items.filter((x) => ['AG-0001', 'AG-0002', 'AG-0003'].includes(x.sku))) {
            const light = await page.getAttribute(cellSel(c.sku, c.market), 'data-light');
            assert.equal(light, c.light, `${c.sku} ${c.market}`);
        }
        assert.equal(await page.getAttribute(cellSel('AG-0001', 'DE'), 'data-light'), 'green');
        // the seller's identity page exists (web/js/pages/seller.js): linked
        assert.equal(await page.getAttribute('[data-test=link-seller]', 'href'), `#/seller?seller=${DEMO_SELLER}`);
        assert.equal(await page.getAttribute(cellSel('AG-0002', 'DE'), 'data-light'), 'red');
        await page.click(cellSel('AG-0002', 'DE'));
        const detail = await page.textContent('[data-test=cell-detail]');
        assert.ok(detail.includes('skus[AG-0002].de.epr.weee'), `the missing item named: ${detail}`);
        await page.click(cellSel('AG-0001', 'DE'));
        await page.waitForSelector('[data-test=cell-complete]');
        // held: the demo's order and inbound for AG-0002, with the item
        await page.waitForSelector('[data-test=holds-table] tbody tr');
        const holds = await call('admin', 'GET', `/v1/compliance/holds?seller=${DEMO_SELLER}`);
        const text = await page.textContent('[data-test=holds-table]');
        for (const x of holds.items) {
            assert.ok(text.includes(x.id), `hold ${x.id} listed`);
            for (const m of x.missing) assert.ok(text.includes(m), `${m} listed`);
        }
        assert.ok(holds.items.some((x) => x.kind === 'order') && holds.items.some((x) => x.kind === 'inbound'), 'the demo holds an order and an inbound');
        assert.ok(/Order/.test(text) && /Inbound/.test(text), 'kinds named');
        // the rules in force, with their sources
        await page.click('[data-test=rules] summary');
        await page.waitForSelector('[data-test=rules-table] tbody tr');
        const rules = await page.textContent('[data-test=rules-table]');
        assert.ok(rules.includes('ElektroG'), `the WEEE rule and its source listed: ${rules.slice(0, 200)}`);
        // the held order's own page says why, with the items
        const held = holds.items.find((x) => x.kind === 'order');
        await page.click(`[data-test=holds-table] a[href="#/orders/${held.id}"]`);
        await page.waitForSelector('[data-test=hold-notice]');
        const notice = await page.textContent('[data-test=hold-notice]');
        assert.ok(notice.includes('compliance') || notice.includes('Compliance'), `reason shown: ${notice}`);
        for (const m of held.missing) assert.ok(notice.includes(m), `${m} on the order page`);
    });
});

test('completed data: the cell turns green and the held order leaves the list', async () => {
    const sku = `BT-${uniq()}`;
    await call('admin', 'POST', '/v1/skus', {
        seller: DEMO_SELLER, sku, name: 'Browser test lamp', hs_code: '9405219000',
        declared_value: { amount: '9.90', currency: 'USD' }, origin_country: 'CN', dims_mm: [100, 100, 100], weight_g: 300, brand: `BT${uniq()}`,
    });
    await call('admin', 'PUT', `/v1/skus/${DEMO_SELLER}/${sku}/compliance`, { category: 'electronics', battery: { present: false } });
    const o = await call('admin', 'POST', '/v1/orders', {
        seller: DEMO_SELLER, channel: 'shop', channel_order_id: `BT-${uniq()}`,
        ship_to: { name: 'Test', country: 'DE', postcode: '10115', city: 'Berlin', line1: 'Invalidenstr. 1' },
        lines: [{ sku, qty: 1, unit_price: { amount: '9.90', currency: 'EUR' } }],
    });
    assert.equal(o.status, 'on_hold');
    await withPage('compliance-release', {}, async (page) => {
        await signIn(page, 'admin');
        await openCompliance(page, DEMO_SELLER);
        await page.waitForSelector(`[data-test=holds-table] a:text("${o.id}")`);
        // the new SKU may sit on a later page of the matrix
        await loadUntilCell(page, sku, 'DE');
        assert.equal(await page.getAttribute(cellSel(sku, 'DE'), 'data-light'), 'red');
        const r = await call('admin', 'PUT', `/v1/skus/${DEMO_SELLER}/${sku}/compliance`, {
            category: 'electronics', battery: { present: false }, marks: ['CE'],
            gpsr_operator: { name: 'EU Rep GmbH', address: { line1: 'Hafenstr. 9', postcode: '47119', city: 'Duisburg', country: 'DE' }, contact: 'rep@example.eu' },
            epr: [{ country: 'DE', kind: 'packaging', number: 'DE3279574685213' }, { country: 'DE', kind: 'weee', number: 'DE 12345678' }],
            tariffs: [{ market: 'EU', code: '94052190' }],
        });
        assert.equal(r.released, 1);
        await page.reload();
        await page.waitForSelector('[data-test=matrix-row]');
        await page.waitForSelector('[data-test=holds-table] tbody tr');
        await loadUntilCell(page, sku, 'DE');
        assert.equal(await page.getAttribute(cellSel(sku, 'DE'), 'data-light'), 'green');
        assert.ok(!(await page.textContent('[data-test=holds-table]')).includes(o.id), 'the released order is no longer held');
    });
});

test('a held transfer order is listed with its market and items and links to its page', async () => {
    // a SKU without a category moves freely: stocked first, then made electronics
    const sku = `BT-${uniq()}`;
    await call('admin', 'POST', '/v1/skus', {
        seller: DEMO_SELLER, sku, name: 'Browser test lamp', hs_code: '9405219000',
        declared_value: { amount: '9.90', currency: 'USD' }, origin_country: 'CN', dims_mm: [100, 100, 100], weight_g: 300, brand: `BT${uniq()}`,
    });
    const ib = await call('admin', 'POST', '/v1/inbounds', { seller: DEMO_SELLER, warehouse: 'DE-DUI', reference: `ASN-${uniq()}`, lines: [{ sku, qty: 2 }] });
    await call('admin', 'POST', `/v1/inbounds/${ib.id}/receipts`, { lines: [{ sku, qty: 2 }] });
    await call('admin', 'POST', `/v1/inbounds/${ib.id}/putaway`, {});
    await call('admin', 'PUT', `/v1/skus/${DEMO_SELLER}/${sku}/compliance`, { category: 'electronics', battery: { present: false } });
    const tr = await call('admin', 'POST', '/v1/transfers', {
        seller: DEMO_SELLER, warehouse: 'DE-DUI', shipment_id: `FBA15${uniq().slice(-7)}`,
        destination: { type: 'fba', address: { name: 'Amazon.de DTM2', fc_code: 'DTM2', line1: 'Kaltbandstr. 4', city: 'Dortmund', postcode: '44145', country: 'DE' } },
        lines: [{ sku, qty: 1, fnsku: `X00${uniq().slice(-7)}` }],
    });
    assert.equal(tr.status, 'on_hold');
    await withPage('compliance-transfer', {}, async (page) => {
        await signIn(page, 'admin');
        await openCompliance(page, DEMO_SELLER);
        const href = `a[href="#/transfers?id=${tr.id}"]`;
        const link = `[data-test=holds-table] ${href}`;
        await page.waitForSelector(link);
        const row = await page.textContent(`[data-test=holds-table] tr:has(${href})`);
        assert.ok(row.includes('Transfer order') && row.includes('DE'), `kind and market: ${row}`);
        for (const m of tr.missing) assert.ok(row.includes(m), `${m} listed`);
        await page.click(link);
        await page.waitForSelector(`[data-test=transfer-detail][data-id="${tr.id}"] [data-test=transfer-missing]`);
    });
});

test('zh at 390 px: Chinese labels, the page does not scroll sideways, cells still open', async () => {
    await withPage('compliance-zh-390', { width: 390, locale: 'zh-CN' }, async (page) => {
        await signIn(page, 'admin');
        await page.click('[data-test=lang-zh]');
        await openCompliance(page, DEMO_SELLER);
        const title = await page.textContent('main#main h1');
        assert.ok(title.includes('合规'), `Chinese title: ${title}`);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 1, `no sideways scroll of the page (${over}px)`);
        await page.click(cellSel('AG-0002', 'DE'));
        const detail = await page.textContent('[data-test=cell-detail]');
        assert.ok(detail.includes('缺失') && detail.includes('skus[AG-0002].de.epr.weee'), `zh detail: ${detail}`);
        await page.screenshot({ path: path.join(ART, 'compliance-zh-390.png'), fullPage: true });
    });
});
