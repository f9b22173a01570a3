// Picking by scan, for a phone or a handheld with a keyboard-wedge scanner:
// one input keeps the focus and takes Enter-terminated scans (a bin, then
// the items taken from it); the next stop shows with an arrow towards it.
// Also the printable pick list (route order, bin, SKU, names zh/en, qty and
// a Code 128 barcode per line). Every scan is POST /v1/waves/{id}/scans.

import { api, getKey, ApiError } from '../api.js';
import { t, fmtNum } from '../i18n.js';
import { h, clear, card, pageHeader, showProblem, errorBox } from '../ui.js';

const ARROWS = { left: '←', right: '→', forward: '↑', back: '↓', here: '●' };

// Is code the bin of an open pick ("A-01-1", or "DE-DUI/A-01-1", any case)?
function isBin(pg, code) {
    const c = code.toLowerCase();
    return pg.picks.some((p) => p.open && (p.location.toLowerCase() === c || `${pg.warehouse}/${p.location}`.toLowerCase() === c));
}

function nextCard(pg) {
    const n = pg.next;
    if (!n) return h('div', { class: 'scan-next done', 'data-test': 'scan-done' }, h('strong', null, t('scan.wave_done')));
    const left = n.qty - n.picked;
    return h('div', { class: 'scan-next', 'data-test': 'scan-next' },
        h('div', { class: 'scan-arrow', 'data-test': 'scan-arrow', 'data-direction': pg.direction || '', 'aria-label': t(`scan.dir_${pg.direction || 'here'}`) }, ARROWS[pg.direction] || '●'),
        h('div', { class: 'scan-next-body' },
            h('div', { class: 'scan-bin mono', 'data-test': 'scan-bin' }, n.location),
            h('div', { class: 'scan-sku mono', 'data-test': 'scan-sku' }, n.sku),
            h('div', { class: 'scan-name', lang: 'zh', 'data-test': 'scan-name-zh' }, n.name_zh || ''),
            h('div', { class: 'scan-name muted', lang: 'en', 'data-test': 'scan-name-en' }, n.name || ''),
            h('div', { class: 'scan-qty', 'data-test': 'scan-qty-left' }, `${t('scan.take')} ${fmtNum(left)}`),
            h('div', { class: 'muted small' }, `${t('waves.order')} ${n.order}`)));
}

function progressBar(pg) {
    const p = pg.progress;
    const pct = p.units ? Math.round((100 * p.units_done) / p.units) : 100;
    return h('div', { class: 'scan-progress', 'data-test': 'scan-progress' },
        h('div', { class: 'scan-progress-bar' }, h('span', { style: `width:${pct}%` })),
        h('span', null, `${fmtNum(p.units_done)} / ${fmtNum(p.units)} ${t('waves.units')} · ${fmtNum(p.picks_done)} / ${fmtNum(p.picks)} ${t('waves.picks')}`));
}

function picksList(pg) {
    return h('ol', { class: 'scan-picks', 'data-test': 'scan-picks' },
        pg.picks.map((p) => h('li', { class: p.open ? '' : 'done', 'data-seq': p.seq },
            h('span', { class: 'mono strong' }, p.location), ' ', h('span', { class: 'mono' }, p.sku), ' ',
            h('span', null, `${fmtNum(p.picked)}/${fmtNum(p.qty)}`))));
}

export async function pickingPage(ctx) {
    const { main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(`${t('scan.picking')} ${id}`);
    let pg = await api('GET', `/v1/waves/${encodeURIComponent(id)}/progress`);
    if (!ctx.alive()) return;
    const input = h('input', { type: 'text', class: 'scan-input', 'data-test': 'scan-input', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'done', 'aria-label': t('scan.input'), placeholder: t('scan.input') });
    const qty = h('input', { type: 'number', min: '1', value: '1', class: 'scan-qty-input', 'data-test': 'scan-qty', 'aria-label': t('field.qty') });
    const box = errorBox();
    const msg = h('div', { class: 'scan-msg', 'data-test': 'scan-msg', role: 'status' });
    const nextBox = h('div');
    const listBox = h('div');
    const barBox = h('div');
    const binNow = h('span', { class: 'mono', 'data-test': 'scan-at' });
    const shortBtn = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'scan-short' }, t('scan.short'));
    let busy = false;

    function draw() {
        clear(nextBox).append(nextCard(pg));
        clear(listBox).append(picksList(pg));
        clear(barBox).append(progressBar(pg));
        binNow.textContent = pg.bin || '—';
        shortBtn.disabled = !pg.bin || !pg.next;
        input.disabled = !pg.next;
    }
    async function send(body) {
        if (busy) return;
        busy = true;
        showProblem(box, null);
        try {
            const r = await api('POST', `/v1/waves/${encodeURIComponent(id)}/scans`, { body });
            pg = r;
            const parts = [];
            if (body.type === 'bin') parts.push(`${t('scan.at_bin')} ${r.bin}${r.scan.expected ? '' : ` (${t('scan.off_route')})`}`);
            if (body.type === 'item') parts.push(`✓ ${body.code} × ${body.qty}`);
            for (const o of r.confirmed || []) parts.push(`${t('scan.order_picked')} ${o}`);
            for (const q of r.requeued || []) parts.push(`${t('scan.short_done')} ${q.order}: ${t(`status.${q.status}`)}`);
            for (const b of r.put_back || []) parts.push(`${t('scan.put_back')} ${b.qty} × ${b.sku} → ${b.location}`);
            msg.className = 'scan-msg ok';
            msg.textContent = parts.join(' · ');
            qty.value = '1';
            draw();
        } catch (e) {
            msg.className = 'scan-msg bad';
            msg.textContent = e instanceof ApiError && e.fieldErrors.length
                ? e.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') : String(e.message || e);
            if (!(e instanceof ApiError)) showProblem(box, e);
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
        if (!pg.bin || isBin(pg, code)) send({ type: 'bin', code });
        else send({ type: 'item', code, qty: Math.max(1, parseInt(qty.value, 10) || 1) });
    });
    // the scanner types into whatever has the focus: keep it on the input
    input.addEventListener('blur', () => setTimeout(() => {
        if (ctx.alive() && document.activeElement !== qty && !input.disabled) input.focus();
    }, 0));
    qty.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); input.focus(); } });
    shortBtn.addEventListener('click', () => {
        if (!pg.next || !pg.bin) return;
        const at = pg.picks.find((p) => p.open && p.location === pg.bin) || pg.next;
        if (window.confirm(t('scan.short_confirm', { sku: at.sku, bin: pg.bin }))) send({ type: 'short', code: at.sku });
        else input.focus();
    });

    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('scan.picking')} `), h('span', { class: 'mono' }, id)),
        h('a', { class: 'btn btn-secondary', href: `#/waves/${encodeURIComponent(id)}/print` }, t('scan.print_list')),
        h('a', { class: 'btn btn-secondary', href: `#/waves/${encodeURIComponent(id)}` }, t('common.back'))));
    main.append(h('div', { class: 'scan-screen', 'data-test': 'picking' },
        barBox,
        nextBox,
        h('div', { class: 'scan-row' }, input, qty),
        h('div', { class: 'scan-row' }, h('span', { class: 'muted' }, `${t('scan.at_bin')} `), binNow, shortBtn),
        msg, box,
        card(t('waves.picks'), listBox)));
    draw();
    input.focus();
}

// ---- the printed pick list --------------------------------------------------------

// A barcode image: the SVG is fetched with the key (an <img> cannot send
// it) and shown from a blob URL.
async function barcode(data) {
    const res = await fetch(`/v1/barcodes/code128.svg?data=${encodeURIComponent(data)}`, { headers: { Authorization: `Bearer ${getKey()}` } });
    if (!res.ok) return h('span', { class: 'muted' }, '—');
    const url = URL.createObjectURL(await res.blob());
    const img = h('img', { class: 'barcode', src: url, alt: data, 'data-test': 'barcode' });
    await new Promise((ok) => { img.onload = ok; img.onerror = ok; });
    return img;
}

export async function pickPrintPage(ctx) {
    const { main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(`${t('waves.pick_list')} ${id}`);
    const pg = await api('GET', `/v1/waves/${encodeURIComponent(id)}/progress`);
    if (!ctx.alive()) return;
    const codes = await Promise.all(pg.picks.map((p) => barcode(p.barcode || p.sku)));
    const bins = await Promise.all(pg.picks.map((p) => barcode(p.location)));
    if (!ctx.alive()) return;
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('waves.pick_list')} `), h('span', { class: 'mono' }, id)),
        h('button', { type: 'button', class: 'btn btn-primary no-print', 'data-test': 'print', onclick: () => window.print() }, t('waves.print')),
        h('a', { class: 'btn btn-secondary no-print', href: `#/waves/${encodeURIComponent(id)}/pick` }, t('scan.picking'))));
    main.append(h('div', { class: 'pick-sheet', 'data-test': 'pick-print' },
        h('div', { class: 'print-only print-title' }, h('strong', null, `${t('app.name')} · ${t('waves.pick_list')}`), h('span', { class: 'mono' }, `${pg.warehouse} · ${id}`)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data picks pick-print', 'data-test': 'print-picks' },
            h('thead', null, h('tr', null,
                h('th', { class: 'num' }, '#'), h('th', null, t('field.location')), h('th', null, t('field.sku')),
                h('th', null, t('scan.name')), h('th', { class: 'num' }, t('field.qty')), h('th', { class: 'check' }, '✓'))),
            h('tbody', null, pg.picks.map((p, i) => h('tr', null,
                h('td', { class: 'num', 'data-label': '#' }, p.seq),
                h('td', { class: 'loc', 'data-label': t('field.location') }, h('div', { class: 'mono strong' }, p.location), bins[i]),
                h('td', { 'data-label': t('field.sku') }, h('div', { class: 'mono' }, p.sku), codes[i]),
                h('td', { 'data-label': t('scan.name') }, h('div', { lang: 'zh' }, p.name_zh || ''), h('div', { lang: 'en', class: 'muted' }, p.name || '')),
                h('td', { class: 'num strong', 'data-label': t('field.qty') }, fmtNum(p.qty)),
                h('td', { class: 'check', 'data-label': '✓' }, h('span', { class: 'checkbox' }))))))),
        h('div', { class: 'print-only sign-line' }, h('span', null, `${t('waves.picker')}: ____________`), h('span', null, `${t('waves.checked_by')}: ____________`))));
}
