// Browser tests of the "In transit" pages (web/js/pages/transit.js): a
// multimodal shipment (rail Xi'an -> Hamburg, truck Hamburg -> Duisburg)
// with a container of one inbound and tracking events, set up through the
// API; the list, the shipment's timeline, route SVG, containers and events
// at 1280 px and 390 px (no sideways scrolling), the warehouse's arrivals,
// the inventory buckets and the SKU page's stock on the way. run.sh passes
// HC_BASE, the keys, HC_SELLER and HC_WAREHOUSE as for dashboard.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ART, BASE, KEYS, SELLER, TIMEOUT, WAREHOUSE, call, go, launchBrowser, uniq } from './lib.mjs';

const WH = WAREHOUSE;
const DAY = 86400e3;

let browser;
const S = {};

// ISO 6346: owner code + category + 6 digits, then the check digit
function iso6346(prefix10) {
    const vals = {};
    let v = 10;
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
        if (v % 11 === 0) v++;
        vals[ch] = v++;
    }
    let sum = 0;
    [...prefix10].forEach((c, i) => { sum += (/[A-Z]/.test(c) ? vals[c] : Number(c)) * 2 ** i; });
    return prefix10 + String((sum % 11) % 10);
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function ev(id, type, code, at, { classifier = 'ACT', equipment, loc, created } = {}) {
    const payload = { eventType: type, eventClassifierCode: classifier, eventDateTime: at };
    if (type === 'EQUIPMENT') Object.assign(payload, { equipmentEventTypeCode: code, equipmentReference: equipment });
    else if (type === 'TRANSPORT') Object.assign(payload, { transportEventTypeCode: code, transportCall: { modeOfTransport: 'RAIL', location: { locationType: 'UNLO', UNLocationCode: loc } } });
    else Object.assign(payload, { shipmentEventTypeCode: code, documentTypeCode: 'BKG' });
    return { metadata: { eventID: id, eventCreatedDateTime: created || at, eventType: type, publisher: { partyName: 'CR Express' } }, payload };
}

async function openPage(width, role = 'operator') {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.request().method()} ${r.url()} -> ${r.status()}`); });
    page.problems = problems;
    await page.goto(BASE);
    await page.fill('[data-test=key]', KEYS[role]);
    await page.click('[data-test=signin]');
    await page.waitForSelector('header.topbar [data-test=whoami]', { state: 'attached' });
    return page;
}

async function noSideways(page, name, width) {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    const wide = w <= width ? [] : await page.evaluate((W) => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > W + 0.5).slice(-5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}[${e.textContent.slice(0, 30)}]`), width);
    assert.ok(w <= width, `${name}: no sideways scrolling at ${width} px (scrollWidth ${w}; ${wide.join(', ')})`);
    await page.screenshot({ path: path.join(ART, `${name}.png`), fullPage: true });
}

async function done(page, name) {
    try {
        assert.deepEqual(page.problems, [], `${name}: no console errors or failed requests`);
    } catch (e) {
        await page.screenshot({ path: path.join(ART, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
        throw e;
    } finally {
        await page.context().close();
    }
}

before(async () => {
    assert.ok(KEYS.admin && KEYS.operator && KEYS.seller && SELLER, 'keys are not set');
    browser = await launchBrowser();
    // a SKU of the seller, an inbound of it, a shipment carrying it
    const inv = await call('admin', 'GET', `/v1/inventory?seller=${encodeURIComponent(SELLER)}&limit=1`);
    const sku = inv.items?.[0]?.sku || (await call('admin', 'GET', `/v1/skus?seller=${encodeURIComponent(SELLER)}&limit=1`)).items[0].sku;
    S.sku = sku;
    const u = Date.now().toString(36).toUpperCase();
    S.inbound = (await call('admin', 'POST', '/v1/inbounds', { seller: SELLER, warehouse: WH, reference: `BT-HH-${u}`, lines: [{ sku, qty: 24 }] })).id;
    S.container = iso6346(`TGHU${String(Date.now() % 1e6).padStart(6, '0')}`);
    const now = Date.now();
    S.etd = now - 5 * DAY;
    const sh = await call('admin', 'POST', '/v1/shipments', {
        mode: 'multimodal', warehouse: WH, site: 'CNXIY-HUB', reference: `X9020-${u}`,
        legs: [
            { from: 'CNXIY', to: 'DEHAM', mode: 'rail', carrier: 'CR Express', service: 'X9020', etd: iso(S.etd), eta: iso(now + 6 * DAY) },
            { from: 'DEHAM', to: 'DEDUI', mode: 'truck', carrier: 'Haulier', etd: iso(now + 6.5 * DAY), eta: iso(now + 7 * DAY) },
        ],
        containers: [{ number: S.container, size_type: '45G1', seals: ['XY000777'], contents: [{ inbound: S.inbound, cartons: 6 }] }],
    });
    S.id = sh.id;
    await call('operator', 'POST', `/v1/shipments/${encodeURIComponent(S.id)}/events`, {
        events: [
            ev(`bt-load-${u}`, 'EQUIPMENT', 'LOAD', iso(S.etd - 3 * 3600e3), { equipment: S.container, loc: 'CNXIY' }),
            ev(`bt-depa-${u}`, 'TRANSPORT', 'DEPA', iso(S.etd + 2 * 3600e3), { loc: 'CNXIY' }),
            ev(`bt-esta-${u}`, 'TRANSPORT', 'ARRI', iso(now + 7 * DAY), { classifier: 'EST', loc: 'DEHAM', created: iso(now - DAY) }),
        ],
    });
    S.full = await call('admin', 'GET', `/v1/shipments/${encodeURIComponent(S.id)}`);
});
after(async () => { await browser?.close(); });

test('the API answers the shipment the pages draw', () => {
    const l0 = S.full.legs[0];
    assert.ok(l0.atd, 'ACT DEPA set the actual departure');
    assert.ok(l0.eta_estimated, 'EST ARRI set the estimate');
    assert.equal(S.full.containers[0].number, S.container);
});

for (const width of [1280, 390]) {
    test(`shipments list and one shipment at ${width} px: timeline, route SVG, containers, events`, async () => {
        const page = await openPage(width);
        try {
            await go(page, '#/transit', '[data-test=shipments-table] tbody tr[data-id]');
            assert.equal(await page.getAttribute('[data-nav=transit]', 'aria-current'), 'page');
            const row = page.locator(`[data-test=shipments-table] tr[data-id="${S.id}"]`);
            assert.equal(await row.count(), 1, 'the shipment is listed');
            assert.match(await row.textContent(), /CNXIY → DEHAM → DEDUI/);
            await noSideways(page, `transit-list-${width}`, width);
            // filters: mode rail hides a multimodal shipment, multimodal shows it
            await go(page, '#/transit?mode=rail', '[data-test=shipments-table] tbody tr');
            assert.equal(await page.locator(`[data-test=shipments-table] tr[data-id="${S.id}"]`).count(), 0, 'mode filter');
            await go(page, '#/transit?mode=multimodal&status=booked', `[data-test=shipments-table] tr[data-id="${S.id}"]`);

            await page.click(`[data-test=shipments-table] tr[data-id="${S.id}"] [data-test=shipment-link]`);
            await page.waitForSelector('[data-test=events-table] tbody tr');
            assert.equal((await page.textContent('[data-test=shipment-id]')).trim(), S.id);
            // timeline: two legs, each with its planned bar; the rail leg has estimated and actual bars
            assert.equal(await page.locator('[data-test=tl-leg]').count(), 2);
            const rail = page.locator('[data-test=tl-leg][data-seq="0"]');
            for (const k of ['planned', 'estimated', 'actual']) assert.equal(await rail.locator(`[data-test=tl-${k}]`).count(), 1, `rail leg has a ${k} bar`);
            const truck = page.locator('[data-test=tl-leg][data-seq="1"]');
            assert.equal(await truck.locator('[data-test=tl-actual]').count(), 0, 'the truck leg has not started');
            // the actual bar starts where the planned one does (left %), both inside the track
            const box = async (sel) => rail.locator(sel).boundingBox();
            const pl = await box('[data-test=tl-planned]');
            const ac = await box('[data-test=tl-actual]');
            assert.ok(Math.abs(pl.x - ac.x) < pl.width * 0.1 + 4, 'planned and actual departures line up');
            // route SVG: three stops, two legs, the rail leg under way
            const svg = page.locator('[data-test=route-svg]');
            assert.equal(await svg.count(), 1);
            assert.deepEqual(await svg.locator('[data-test=route-stop]').evaluateAll((els) => els.map((e) => e.dataset.code)), ['CNXIY', 'DEHAM', 'DEDUI']);
            assert.equal(await svg.locator('[data-test=route-leg]').count(), 2);
            const prog = Number(await svg.locator('[data-test=route-leg][data-seq="0"]').getAttribute('data-progress'));
            assert.ok(prog > 0 && prog < 1, `rail leg under way (${prog})`);
            assert.equal(await svg.locator('[data-test=route-now]').count(), 1, 'a marker where the goods are');
            assert.equal(await svg.locator('.route-stop.reached').count(), 1, 'the origin is left behind');
            const sb = await svg.boundingBox();
            assert.ok(sb.width <= width && sb.height > 60, `the route fits (${sb.width}x${sb.height})`);
            // containers and contents
            const c = page.locator(`[data-test=container][data-number="${S.container}"]`);
            assert.equal(await c.count(), 1);
            assert.match(await c.textContent(), /45G1/);
            assert.match(await c.locator('[data-test=container-contents]').textContent(), new RegExp(S.inbound));
            assert.match(await c.locator('[data-test=container-state]').textContent(), /LOAD/);
            // events in arrival order, with haicang's booked milestone first
            const evs = await page.locator('[data-test=events-table] tbody tr').allTextContents();
            assert.ok(evs.length >= 4, `events and milestones shown (${evs.length})`);
            assert.ok(evs.some((x) => /DEPA/.test(x)) && evs.some((x) => /ARRI/.test(x)) && evs.some((x) => /LOAD/.test(x)));
            assert.match(evs[0], /Booked/);
            await noSideways(page, `transit-shipment-${width}`, width);
            // Chinese
            await page.click('[data-test=lang-zh]');
            // the page is drawn again in Chinese: wait for that, not for the English one still there
            await page.waitForFunction(() => /计划/.test(document.querySelector('[data-test=timeline]')?.textContent || ''),
                null, { timeout: 15000 });
            assert.match(await page.textContent('[data-test=timeline]'), /计划/);
            await page.waitForSelector('[data-test=events-table] tbody tr');
            await noSideways(page, `transit-shipment-zh-${width}`, width);
            await page.click('[data-test=lang-en]');
        } catch (e) {
            await page.screenshot({ path: path.join(ART, `FAILED-transit-${width}.png`), fullPage: true }).catch(() => {});
            throw e;
        }
        await done(page, `transit-${width}`);
    });
}

test('warehouse arrivals per day, inventory buckets and the SKU page at 390 px', async () => {
    const page = await openPage(390);
    try {
        await go(page, `#/transit/arrivals?warehouse=${encodeURIComponent(WH)}&days=28`, '[data-test=arrivals-table]');
        const due = new Date(S.full.eta).toISOString().slice(0, 10);
        const api = await call('operator', 'GET', `/v1/warehouses/${encodeURIComponent(WH)}/arrivals?days=28`);
        const d = api.days.find((x) => x.ids.includes(S.id));
        assert.ok(d, `the shipment is expected (${due})`);
        const text = await page.textContent('[data-test=arrivals-table]');
        assert.ok(text.includes(d.day) && text.includes(S.id), 'its day lists it');
        assert.equal(await page.locator('[data-test=arrivals-chart] svg').count(), 1);
        await noSideways(page, 'transit-arrivals-390', 390);

        await go(page, `#/inventory?seller=${encodeURIComponent(SELLER)}&q=${encodeURIComponent(S.sku)}`, '[data-test=inventory-table] tbody tr');
        const inv = await call('operator', 'GET', `/v1/inventory?seller=${encodeURIComponent(SELLER)}&warehouse=${encodeURIComponent(WH)}&sku=${encodeURIComponent(S.sku)}`);
        const it = inv.items.find((x) => x.sku === S.sku && x.warehouse === WH);
        assert.ok(it && it.inbound_planned >= 24, `inbound_planned counts the booked shipment (${JSON.stringify(it)})`);
        const labels = await page.locator('[data-test=inventory-table] tbody tr:first-child td').evaluateAll((tds) => tds.map((td) => td.dataset.label));
        for (const l of ['Planned', 'In transit', 'At dock']) assert.ok(labels.includes(l), `inventory shows ${l}`);
        await noSideways(page, 'transit-inventory-390', 390);

        await go(page, `#/sku/${encodeURIComponent(SELLER)}/${encodeURIComponent(S.sku)}`, '[data-test=sku-transit-table]');
        const row = page.locator('[data-test=sku-transit-table] tbody tr', { hasText: S.id });
        assert.equal(await row.count(), 1, 'the SKU page shows the shipment carrying it');
        assert.match(await row.textContent(), /24/);
        await noSideways(page, 'transit-sku-390', 390);
    } catch (e) {
        await page.screenshot({ path: path.join(ART, 'FAILED-transit-arrivals.png'), fullPage: true }).catch(() => {});
        throw e;
    }
    await done(page, 'transit-arrivals');
});

test('a seller sees the shipment with its goods at 390 px', async () => {
    const page = await openPage(390, 'seller');
    try {
        await go(page, `#/transit/${encodeURIComponent(S.id)}`, '[data-test=events-table] tbody tr');
        assert.equal(await page.locator('[data-test=container]').count(), 1);
        const sellers = await page.locator('[data-test=container-contents] tbody tr td:first-child').allTextContents();
        assert.deepEqual([...new Set(sellers.map((x) => x.trim()))], [SELLER], 'only its own cartons');
        await noSideways(page, 'transit-seller-390', 390);
    } catch (e) {
        await page.screenshot({ path: path.join(ART, 'FAILED-transit-seller.png'), fullPage: true }).catch(() => {});
        throw e;
    }
    await done(page, 'transit-seller');
});
