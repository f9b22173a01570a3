// Browser tests of the rate-card import on the Money page
// (web/js/pages/ratecard_import.js): an operator uploads an .xlsx (written by
// tests/cli/make_xlsx.py) and a CSV of its warehouse's cards and sees the
// cards made, which the API then lists; a bad file is refused with the row it
// names and stores nothing; a seller sees no import form. run.sh passes
// HC_BASE, the keys, HC_SELLER and HC_WAREHOUSE as for dashboard.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ART, KEYS, SELLER, WAREHOUSE, call, launchBrowser, openMoney, withPage } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let browser;
let tmp;

const HEAD = ['card', 'warehouse', 'seller', 'currency', 'effective_from', 'effective_to', 'item', 'from', 'to', 'rate'];

function xlsx(name, rows) {
    const json = path.join(tmp, `${name}.json`);
    const out = path.join(tmp, `${name}.xlsx`);
    fs.writeFileSync(json, JSON.stringify(rows));
    execFileSync('python3', [path.join(HERE, '../cli/make_xlsx.py'), out, json]);
    return out;
}

before(async () => {
    for (const k of ['operator', 'seller']) assert.ok(KEYS[k], `HC_${k.toUpperCase()}_KEY is not set`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-ratecards-'));
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('operator: an .xlsx and a CSV of rate cards imported, a bad file refused by its row', async () => {
    await withPage(browser, 'ratecards-import', {}, async (page) => {
        page.allowed = [/POST \S*\/v1\/rate-cards\/import -> 400$/, /status of 400/];
        await openMoney(page, 'operator');
        await page.waitForSelector('[data-test=ratecard-import-form]');
        // cards of one year each, so that they do not overlap
        const card = (id, from) => [
            [id, WAREHOUSE, `~${SELLER}`, 'EUR', from, from.replace('-01-01', '-12-31'), 'storage_m3', 0, '', 0.45],
            [id, WAREHOUSE, `~${SELLER}`, 'EUR', from, from.replace('-01-01', '-12-31'), 'outbound', null, null, 2.5]];
        // refused: a rate that is no number, on the sheet's row 3; nothing stored
        const before = (await call('operator', 'GET', `/v1/rate-cards?seller=${SELLER}&all=true&limit=1000`)).items.length;
        await page.setInputFiles('[data-test=ratecard-file]', xlsx('bad', [HEAD, card('b1', '2090-01-01')[0],
            [`b1`, WAREHOUSE, `~${SELLER}`, 'EUR', '2090-01-01', null, 'outbound', null, null, 'two']]));
        await page.click('[data-test=ratecard-import]');
        await page.waitForSelector('[data-test=ratecard-import-form] .alert-error [data-field="row 3: rate"]');
        assert.equal((await call('operator', 'GET', `/v1/rate-cards?seller=${SELLER}&all=true&limit=1000`)).items.length, before);
        // an .xlsx: the card made, its id shown and listed by the API
        await page.setInputFiles('[data-test=ratecard-file]', xlsx('good', [HEAD, ...card('x1', '2091-01-01')]));
        await page.click('[data-test=ratecard-import]');
        await page.waitForSelector('[data-test=ratecard-imported]');
        const id = (await page.textContent('[data-test=ratecard-imported-id]')).trim();
        const got = await call('operator', 'GET', `/v1/rate-cards/${encodeURIComponent(id)}`);
        assert.equal(got.effective_from, '2091-01-01');
        assert.equal(got.storage.tiers[0].rate, '0.450000');
        // a CSV
        const csv = path.join(tmp, 'cards.csv');
        fs.writeFileSync(csv, `${HEAD.join(',')}\nc1,${WAREHOUSE},${SELLER},EUR,2092-01-01,2092-12-31,storage_m3,0,,0.50\nc1,${WAREHOUSE},${SELLER},EUR,2092-01-01,2092-12-31,outbound,,,2.60\n`);
        await page.setInputFiles('[data-test=ratecard-file]', csv);
        await page.click('[data-test=ratecard-import]');
        await page.waitForFunction((first) => {
            const e = document.querySelector('[data-test=ratecard-imported-id]');
            return e && e.textContent.trim() !== first;
        }, id);
        assert.equal((await call('operator', 'GET', `/v1/rate-cards?seller=${SELLER}&all=true&limit=1000`)).items.length, before + 2);
        await page.locator('[data-test=ratecard-import-form]').screenshot({ path: path.join(ART, 'ratecards-import-1280.png') });
    });
});

test('seller: no rate-card import', async () => {
    await withPage(browser, 'ratecards-seller', {}, async (page) => {
        await openMoney(page, 'seller');
        await page.waitForSelector('[data-test=ratecards-table]');
        assert.equal(await page.locator('[data-test=ratecard-import-form]').count(), 0);
    });
});
