// Small DOM helpers: h() builds elements (text always as text, never HTML),
// pagedTable() pages a list endpoint by its cursors, showProblem() shows a
// problem+json answer with the fields it names.

import { t, tv, fmtNum } from './i18n.js';
import { ApiError } from './api.js';

export function h(tag, attrs, ...children) {
    const el = document.createElementNS(
        tag === 'svg' || attrs?.__svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml',
        tag,
    );
    for (const [k, v] of Object.entries(attrs || {})) {
        if (k === '__svg' || v === undefined || v === null || v === false) continue;
        if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k === 'value' && 'value' in el) el.value = v;
        else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = !!v;
        else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children) {
        if (c === null || c === undefined || c === false) continue;
        if (Array.isArray(c)) append(el, c);
        else if (c instanceof Node) el.appendChild(c);
        else el.appendChild(document.createTextNode(String(c)));
    }
}

export function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
}

export function badge(prefix, value) {
    return h('span', { class: `badge badge-${value}`, 'data-status': value }, tv(prefix, value));
}

export function pageHeader(title, ...extra) {
    return h('div', { class: 'page-head' }, h('h1', null, title), h('div', { class: 'page-actions' }, ...extra));
}

export function card(title, ...body) {
    return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, ...body);
}

export function link(href, text, attrs) {
    return h('a', { href, ...attrs }, text);
}

export function loading() {
    return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), t('common.loading'));
}

// Show an error (ApiError with its problem+json, or any Error) in `box`,
// naming each field; mark the matching inputs of `form` (data-field="lines[0].qty"
// or name="...") as invalid with the message beside them.
export function showProblem(box, err, form) {
    clear(box);
    if (form) {
        form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
        form.querySelectorAll('.field-error').forEach((e) => e.remove());
    }
    if (!err) {
        box.hidden = true;
        return;
    }
    const p = err instanceof ApiError ? err.problem : { title: t('common.error'), detail: String(err.message || err) };
    const status = err instanceof ApiError && err.status ? ` (${err.status})` : '';
    const fields = err instanceof ApiError ? err.fieldErrors : [];
    box.hidden = false;
    box.className = 'alert alert-error';
    box.setAttribute('role', 'alert');
    append(box, [
        h('strong', { class: 'alert-title' }, (p.title || t('common.error')) + status),
        p.detail && p.detail !== p.title && !fields.some((f) => f.message === p.detail) ? h('div', { class: 'alert-detail' }, p.detail) : null,
        fields.length
            ? h('ul', { class: 'alert-fields' },
                fields.map((f) => h('li', { 'data-field': f.field }, h('code', null, f.field || '—'), ': ', f.message || '')))
            : null,
    ]);
    if (form) {
        for (const f of fields) {
            if (!f.field) continue;
            const input = form.querySelector(`[data-field="${CSS.escape(f.field)}"]`) || form.querySelector(`[name="${CSS.escape(f.field)}"]`);
            if (input) {
                input.classList.add('invalid');
                input.insertAdjacentElement('afterend', h('div', { class: 'field-error' }, f.message || ''));
            }
        }
    }
}

export function errorBox() {
    return h('div', { class: 'alert alert-error', hidden: true });
}

export function notice(text, kind = 'success') {
    return h('div', { class: `alert alert-${kind}`, role: 'status' }, text);
}

// A table over a list endpoint. fetchPage(cursor) -> {items, next_cursor}.
// Shows the first page, then a "load more" button while next_cursor is set.
// columns: [{label, render(row) -> Node|string, num?, cls?}]
export function pagedTable({ columns, fetchPage, emptyText, testId, rowAttrs }) {
    const tbody = h('tbody');
    const err = errorBox();
    const count = h('span', { class: 'muted table-count' });
    const more = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'load-more', hidden: true }, t('common.load_more'));
    const table = h('table', { class: 'data', 'data-test': testId },
        h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : c.cls }, c.label)))),
        tbody);
    const wrap = h('div', { class: 'table-block' },
        err,
        h('div', { class: 'table-wrap' }, table),
        h('div', { class: 'table-foot' }, count, more));
    let cursor = null;
    let rows = 0;
    async function load() {
        more.disabled = true;
        more.textContent = t('common.loading');
        try {
            const page = await fetchPage(cursor);
            const items = (page && page.items) || [];
            for (const row of items) {
                tbody.appendChild(h('tr', rowAttrs ? rowAttrs(row) : null,
                    columns.map((c) => h('td', { class: [c.num && 'num', c.cls, c.wide && 'wide'].filter(Boolean).join(' ') || null, 'data-label': c.label }, c.render(row)))));
            }
            rows += items.length;
            if (rows === 0) {
                tbody.appendChild(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, emptyText || t('common.empty'))));
            }
            cursor = page ? page.next_cursor : null;
            more.hidden = !cursor;
            count.textContent = t('common.showing', { n: fmtNum(rows) });
            showProblem(err, null);
        } catch (e) {
            showProblem(err, e);
        } finally {
            more.disabled = false;
            more.textContent = t('common.load_more');
        }
    }
    more.addEventListener('click', load);
    wrap.ready = load();
    return wrap;
}

// A form that sends one chosen file (upload(file) -> the answer) and shows
// done(answer) in a success note, then calls onDone(answer) when given; or
// shows the problem with the field or row it names. Test ids: <id>-import-form, <id>-file, <id>-import (the button),
// <id>-import-result, <id>-imported (the note). hint (optional) heads the form.
export function fileImportForm({ id, label, button, accept, chooseText, hint, primary = false, upload, done, onDone }) {
    const err = errorBox();
    const out = h('div', { 'data-test': `${id}-import-result` });
    const input = h('input', { type: 'file', accept, 'data-test': `${id}-file`, 'data-field': 'file' });
    const btn = h('button', { type: 'submit', class: `btn ${primary ? 'btn-primary' : 'btn-secondary'}`, 'data-test': `${id}-import` }, button);
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': `${id}-import-form` },
        hint ? h('p', { class: 'muted small' }, hint) : null,
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input),
            h('div', { class: 'form-actions' }, btn)),
        err, out);
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const file = input.files && input.files[0];
            if (!file) {
                showProblem(err, new Error(chooseText), form);
                return;
            }
            try {
                const r = await upload(file);
                out.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-test': `${id}-imported` }, ...[].concat(done(r))));
                if (onDone) onDone(r);
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return form;
}

// A labelled form field.
export function field(label, input, hint) {
    return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function select(name, options, value, attrs) {
    return h('select', { name, ...attrs },
        options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}

// Run an async action from a button: disable while running, show errors in box.
export async function busy(button, fn) {
    const old = button.disabled;
    button.disabled = true;
    button.classList.add('is-busy');
    try {
        return await fn();
    } finally {
        button.disabled = old;
        button.classList.remove('is-busy');
    }
}

// Two-step confirmation inside the page (no window.confirm): the first click
// turns the button into "Confirm?" with a cancel link.
export function confirmButton(label, confirmLabel, onConfirm, attrs = {}) {
    const wrap = h('span', { class: 'confirm-wrap' });
    const btn = h('button', { type: 'button', class: 'btn btn-danger', ...attrs }, label);
    btn.addEventListener('click', async () => {
        if (!wrap.classList.contains('armed')) {
            wrap.classList.add('armed');
            btn.textContent = confirmLabel;
            no.hidden = false;
            return;
        }
        await busy(btn, onConfirm);
    });
    const no = h('button', { type: 'button', class: 'btn btn-link', hidden: true, 'data-test': 'confirm-no' }, t('common.no'));
    no.addEventListener('click', () => {
        wrap.classList.remove('armed');
        btn.textContent = label;
        no.hidden = true;
    });
    wrap.append(btn, no);
    return wrap;
}

export function kv(pairs) {
    return h('dl', { class: 'kv' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]));
}

export function qtyCell(n) {
    return fmtNum(n);
}

// Operator actions (receive, put away, waves, pack, ship, returns) are for
// operator and admin keys only; a seller key never sees them.
export function isOperator(me) {
    return !!me && (me.role === 'operator' || me.role === 'admin');
}

// Parse a non-negative integer from an input; NaN when not one.
export function intValue(input) {
    const v = String(input.value).trim();
    return /^-?\d+$/.test(v) ? parseInt(v, 10) : NaN;
}

// Where a journal ref or place points in the dashboard: ids carry a prefix
// ("ord_...", "inb_..."); anything else goes through #/ref/ID, which looks it up.
export function refHref(ref) {
    if (!ref) return null;
    const r = String(ref);
    const e = encodeURIComponent(r);
    if (/^ord[_-]/.test(r)) return `#/orders/${e}`;
    if (/^(inb|asn)[_-]/.test(r)) return `#/inbounds/${e}`;
    if (/^(wav|wave)[_-]/.test(r)) return `#/waves/${e}`;
    if (/^ret[_-]/.test(r)) return `#/returns?id=${e}`;
    return `#/ref/${e}`;
}

// A journal place: "order/ord_1" links to the order; "wh/DE-DUI/A-01-1" shows as is.
export function placeNode(place) {
    if (!place) return '—';
    const m = /^order\/(.+)$/.exec(place);
    if (m) return h('a', { href: `#/orders/${encodeURIComponent(m[1])}`, class: 'mono' }, place);
    return h('span', { class: 'mono' }, place);
}
