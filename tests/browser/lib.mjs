// What the browser test files share: the settings run.sh passes in the
// environment, the artifacts folder, unique suffixes, API calls with a key of
// a role, and Chromium started the one way this machine allows.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ART = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
export const BASE = process.env.HC_BASE || 'http://127.0.0.1:8080/';
export const KEYS = { admin: process.env.HC_ADMIN_KEY, operator: process.env.HC_OPERATOR_KEY, seller: process.env.HC_SELLER_KEY };
export const SELLER = process.env.HC_SELLER;
export const WAREHOUSE = process.env.HC_WAREHOUSE || 'DE-DUI';
export const TIMEOUT = 15000;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

fs.mkdirSync(ART, { recursive: true });

/* A suffix no other test run has used. */
export const uniq = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

/* The API with role's key: the answer's JSON (or text), or an Error naming the
 * status and the start of the body. Writes carry a fresh Idempotency-Key. */
export async function call(role, method, p, body) {
    const headers = { Authorization: `Bearer ${KEYS[role]}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['Idempotency-Key'] = `bt-${uniq()}`;
    const res = await fetch(new URL(p.replace(/^\//, ''), BASE), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} -> ${res.status} ${text.slice(0, 400)}`);
    try { return text ? JSON.parse(text) : null; } catch { return text; }
}

/* Debian's Chromium, headless, without the background connections a closed
 * network refuses. */
export function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
}

/* Runs fn(page) on a new page of browser (width px wide, locale; downloads
 * accepted), failing on console errors, page errors and 4xx/5xx answers
 * (with failedRequests, on requests that failed too) except those matching
 * one of page.allowed (regexps fn may set); a screenshot FAILED-name.png on
 * failure. */
export async function withPage(browser, name, { width = 1280, locale = 'en-US', failedRequests = false } = {}, fn) {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale, deviceScaleFactor: 1, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} @ ${m.location().url || ''}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.request().method()} ${r.url()} -> ${r.status()}`); });
    if (failedRequests) {
        page.on('requestfailed', (r) => { if (!r.url().startsWith('blob:')) problems.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`); });
    }
    page.allowed = [];
    try {
        await fn(page);
        await page.waitForLoadState('networkidle').catch(() => {});
        const left = problems.filter((p) => !page.allowed.some((re) => re.test(p)));
        if (left.length) throw new Error(`${name}: errors in the page:\n${left.join('\n')}`);
    } catch (e) {
        await page.screenshot({ path: path.join(ART, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
        throw e;
    } finally {
        await context.close().catch(() => {});
    }
}

/* A test file's browser: registers the file's hooks (before its tests the
 * keys of roles, and HC_SELLER unless seller is false, must be set, and
 * Chromium starts; after them it closes). Returns { withPage(name, opts, fn) }
 * running fn on a page of that browser as withPage does. */
export function useBrowser(roles, { seller = true } = {}) {
    let browser;
    before(async () => {
        for (const k of roles) if (!KEYS[k]) throw new Error(`HC_${k.toUpperCase()}_KEY is not set`);
        if (seller && !SELLER) throw new Error('HC_SELLER is not set');
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
    });
    return { withPage: (name, opts, fn) => withPage(browser, name, opts, fn) };
}

/* Signs in on the sign-in page with role's key. */
export async function signIn(page, role) {
    await page.goto(BASE);
    await page.fill('[data-test=key]', KEYS[role]);
    await page.click('[data-test=signin]');
    await page.waitForSelector('header.topbar [data-test=whoami]', { state: 'attached' });
}

/* Goes to a dashboard route ("#/money") and waits until the route has drawn
 * its page: app.js puts a new main#main in place of the old one on every
 * route, so this waits for a main that is not the one before, with content
 * (or with sel inside it, when given). Going to the route already shown
 * draws it again. */
export async function go(page, hash, sel) {
    await page.evaluate((h) => {
        document.querySelector('main#main')?.setAttribute('data-left', '');
        if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = h;
    }, hash);
    await page.waitForSelector(`main#main:not([data-left]) ${sel || '> *'}`);
}

/* Clicks a "load more" button (moreSel) once and waits until there are more
 * rows (rowSel) than before or the button is gone: what a test needs before
 * counting rows. Returns the row count. */
export async function loadMore(page, rowSel, moreSel) {
    const rows = await page.locator(rowSel).count();
    await page.click(moreSel);
    await page.waitForFunction(([r, m, n]) => {
        const b = document.querySelector(m);
        return document.querySelectorAll(r).length > n || !b || b.hidden;
    }, [rowSel, moreSel, rows]);
    return page.locator(rowSel).count();
}

/* Opens the Money page as role (of seller, when given; in Chinese with zh)
 * and waits for sel there (default: the page drawn). */
export async function openMoney(page, role, { seller, zh = false, sel } = {}) {
    if (zh) {
        await page.goto(BASE);
        await page.click('[data-test=lang-zh]');
    }
    await signIn(page, role);
    await go(page, seller ? `#/money?seller=${encodeURIComponent(seller)}` : '#/money', sel);
}

/* How far the page is wider than the window (<= 0: no sideways scrolling). */
export const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/* Clicks a download button; the saved file's name and bytes. */
export async function downloaded(page, selector) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}
