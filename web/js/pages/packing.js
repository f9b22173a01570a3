// Pack station: scan an order (its id), then every unit into the parcel;
// each scan (POST /v1/orders/{id}/pack-scans) is checked against the
// order's lines, and "pack" is enabled only when every unit is scanned.

import { api, ApiError } from '../api.js';
import { t, fmtNum } from '../i18n.js';
import { h, clear, card, pageHeader } from '../ui.js';

function linesTable(pp) {
    return h('table', { class: 'data', 'data-test': 'pack-lines' },
        h('thead', null, h('tr', null, h('th', null, t('field.sku')), h('th', null, t('scan.name')),
            h('th', { class: 'num' }, t('scan.scanned')))),
        h('tbody', null, pp.lines.map((l) => h('tr', { class: l.scanned >= l.qty ? 'done' : '', 'data-sku': l.sku },
            h('td', { class: 'mono', 'data-label': t('field.sku') }, l.sku),
            h('td', { 'data-label': t('scan.name') }, h('div', { lang: 'zh' }, l.name_zh || ''), h('div', { lang: 'en', class: 'muted' }, l.name || '')),
            h('td', { class: 'num strong', 'data-label': t('scan.scanned') }, `${fmtNum(l.scanned)} / ${fmtNum(l.qty)}`)))));
}

function errText(e) {
    return e instanceof ApiError && e.fieldErrors.length
        ? e.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') : String(e.message || e);
}

export async function packingPage(ctx) {
    const { main } = ctx;
    let order = ctx.params[0] || null;
    ctx.setTitle(t('scan.pack_station'));
    const input = h('input', { type: 'text', class: 'scan-input', 'data-test': 'pack-input', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'done' });
    const msg = h('div', { class: 'scan-msg', 'data-test': 'pack-msg', role: 'status' });
    const body = h('div');
    const packBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'pack-submit', disabled: true }, t('scan.pack'));
    let pp = null;
    let busy = false;

    function draw() {
        clear(body);
        input.placeholder = order ? t('scan.scan_item') : t('scan.scan_order');
        input.setAttribute('aria-label', input.placeholder);
        if (!pp) return;
        body.append(
            h('div', { class: 'scan-progress', 'data-test': 'pack-progress' },
                h('div', { class: 'scan-progress-bar' }, h('span', { style: `width:${pp.units ? Math.round((100 * pp.scanned) / pp.units) : 100}%` })),
                h('span', null, `${fmtNum(pp.scanned)} / ${fmtNum(pp.units)} ${t('waves.units')}`)),
            card(`${t('waves.order')} ${pp.order}`, linesTable(pp)));
        packBtn.disabled = !(pp.complete && pp.status === 'picking');
    }
    async function load(id) {
        pp = await api('GET', `/v1/orders/${encodeURIComponent(id)}/pack-progress`);
        order = id;
        if (pp.status !== 'picking') {
            msg.className = 'scan-msg bad';
            msg.textContent = `${t('scan.not_picking')}: ${t(`status.${pp.status}`)}`;
        }
        draw();
    }
    async function run(fn) {
        if (busy) return;
        busy = true;
        try {
            await fn();
        } catch (e) {
            msg.className = 'scan-msg bad';
            msg.textContent = errText(e);
            if (navigator.vibrate) navigator.vibrate(200);
        } finally {
            busy = false;
            input.value = '';
            input.focus();
        }
    }
    input.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Enter') return;
        ev.preventDefault();
        const code = input.value.trim();
        if (!code) return;
        run(async () => {
            if (!order) {
                await load(code);
                msg.className = 'scan-msg ok';
                msg.textContent = `${t('waves.order')} ${code}`;
                return;
            }
            pp = await api('POST', `/v1/orders/${encodeURIComponent(order)}/pack-scans`, { body: { code, qty: 1 } });
            msg.className = 'scan-msg ok';
            msg.textContent = pp.complete ? t('scan.all_scanned') : `✓ ${code}`;
            draw();
        });
    });
    input.addEventListener('blur', () => setTimeout(() => {
        if (ctx.alive() && !document.activeElement?.matches('button, a')) input.focus();
    }, 0));
    packBtn.addEventListener('click', () => run(async () => {
        const o = await api('POST', `/v1/orders/${encodeURIComponent(order)}/pack`, { body: {} });
        msg.className = 'scan-msg ok';
        msg.textContent = `${t('scan.packed')} ${o.id}`;
        packBtn.disabled = true;
        pp.status = o.status;
        const next = h('a', { class: 'btn btn-secondary', href: '#/pack', 'data-test': 'pack-next' }, t('scan.next_order'));
        body.append(next);
    }));

    main.append(pageHeader(t('scan.pack_station'), order ? h('a', { class: 'btn btn-secondary', href: `#/orders/${encodeURIComponent(order)}` }, t('common.details')) : null));
    main.append(h('div', { class: 'scan-screen', 'data-test': 'packing' },
        h('div', { class: 'scan-row' }, input, packBtn), msg, body));
    if (order) await load(order);
    else draw();
    if (!ctx.alive()) return;
    input.focus();
}
