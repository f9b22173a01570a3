// Seller profile (issue 13, part 1): the seller's legal identity — names,
// USCC, customs code, address, contact — and its numbers per destination
// market, each with a valid/invalid badge from the server's own checks
// (checks[] of GET /v1/sellers/{code}/identity); the identity as of a past
// time (?at=); the history of versions with who and when; and for the
// seller's own key or an admin a form that records a new version (PUT),
// showing a refused number beside its field.
// Routes: #/seller (a seller key: its own) · #/seller?seller=S[&at=ISO] (admin, operator)

import { api, listPage, idemKeeper } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, kv } from '../ui.js';
import { filterBar, sellerSelect, q } from './filters.js';

const MARKET_FIELDS = ['eori', 'vat', 'ioss', 'ioss_intermediary', 'ior'];

function identityPath(seller, tail = '') {
    return `/v1/sellers/${encodeURIComponent(seller)}/identity${tail}`;
}

// field -> check ({valid, problem, rule}) from the answer's checks[]
function checksByField(identity) {
    const m = new Map();
    for (const c of identity.checks || []) m.set(c.field, c);
    return m;
}

function validity(check) {
    if (!check) return null;
    return h('span', {
        class: `badge ${check.valid ? 'badge-valid' : 'badge-invalid'}`,
        'data-test': 'number-check',
        'data-valid': check.valid ? 'true' : 'false',
        title: check.valid ? check.rule : `${check.rule}: ${check.problem}`,
    }, check.valid ? t('seller.valid') : t('seller.invalid'));
}

function number(value, check) {
    if (!value) return '—';
    return h('span', { class: 'id-number' }, h('span', { class: 'mono' }, value), ' ', validity(check));
}

function identityCard(id) {
    const checks = checksByField(id);
    const c = id.contact || {};
    return card(`${t('seller.identity')} · ${t('seller.version')} ${id.version}`,
        h('p', { class: 'muted small', 'data-test': 'identity-recorded' },
            t('seller.recorded', { at: fmtTime(id.recorded_at), by: id.recorded_by })),
        h('div', { 'data-test': 'identity' }, kv([
            [t('seller.legal_name_zh'), id.legal_name_zh],
            [t('seller.legal_name_en'), id.legal_name_en],
            [t('seller.uscc'), number(id.uscc, checks.get('uscc'))],
            [t('seller.customs_code'), number(id.customs_code, checks.get('customs_code'))],
            [t('seller.address'), id.registered_address],
            [t('seller.contact'), [c.name, c.phone, c.email].filter(Boolean).join(' · ') || '—'],
        ])));
}

function marketsCard(id) {
    const checks = checksByField(id);
    const markets = Object.keys(id.markets || {}).sort();
    const cols = ['eori', 'vat', 'ioss', 'ior'];
    const rows = markets.map((cc) => {
        const m = id.markets[cc];
        return h('tr', { 'data-test': 'market-row', 'data-market': cc },
            h('td', { 'data-label': t('seller.market'), class: 'strong' }, cc),
            cols.map((f) => {
                const cell = f === 'ioss' && m.ioss_intermediary
                    ? [number(m.ioss, checks.get(`markets.${cc}.ioss`)), h('br'), h('span', { class: 'muted small' }, t('seller.intermediary')), ' ',
                        number(m.ioss_intermediary, checks.get(`markets.${cc}.ioss_intermediary`))]
                    : number(m[f], checks.get(`markets.${cc}.${f}`));
                return h('td', { 'data-label': t(`seller.${f}`) }, cell);
            }));
    });
    return card(t('seller.markets'),
        h('p', { class: 'muted small' }, t('seller.markets_hint')),
        rows.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'markets-table' },
                h('thead', null, h('tr', null, h('th', null, t('seller.market')), cols.map((f) => h('th', null, t(`seller.${f}`))))),
                h('tbody', null, rows)))
            : h('p', { class: 'muted', 'data-test': 'no-markets' }, t('seller.no_markets')));
}

// "YYYY-MM-DDTHH:MM" of a datetime-local input (local time) -> ISO UTC.
function localToIso(v) {
    const d = new Date(v);
    return isNaN(d) ? '' : d.toISOString();
}

function asOfBar(seller, at, query) {
    const input = h('input', { type: 'datetime-local', name: 'at', 'data-test': 'asof-input' });
    const go = h('button', { type: 'submit', class: 'btn btn-secondary', 'data-test': 'asof-go' }, t('seller.show_asof'));
    const form = h('form', { class: 'inline-form', novalidate: true, 'data-test': 'asof-form' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.as_of')), input),
        h('div', { class: 'form-actions' }, go,
            at ? h('a', { class: 'btn btn-link', href: hrefFor(seller, query, ''), 'data-test': 'asof-latest' }, t('seller.latest')) : null));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        const iso = localToIso(input.value);
        if (iso) location.hash = hrefFor(seller, query, iso);
    });
    return h('div', { class: 'card' },
        at ? h('div', { class: 'alert alert-info', 'data-test': 'asof-note' }, t('seller.asof_note', { at: fmtTime(at) })) : null,
        form);
}

function hrefFor(seller, query, at) {
    const qs = new URLSearchParams();
    if (query.get('seller')) qs.set('seller', seller);
    if (at) qs.set('at', at);
    const s = qs.toString();
    return `#/seller${s ? '?' + s : ''}`;
}

function historyCard(seller, query) {
    const table = pagedTable({
        testId: 'history-table',
        columns: [
            { label: t('seller.version'), render: (v) => h('span', { class: 'strong' }, String(v.version)) },
            { label: t('seller.recorded_at'), render: (v) => h('span', { class: 'nowrap', title: v.recorded_at }, fmtTime(v.recorded_at)) },
            { label: t('seller.recorded_by'), render: (v) => v.recorded_by },
            { label: t('seller.legal_name_en'), wide: true, render: (v) => v.legal_name_en },
            { label: t('seller.uscc'), render: (v) => h('span', { class: 'mono' }, v.uscc) },
            { label: t('seller.markets'), render: (v) => Object.keys(v.markets || {}).sort().join(' ') || '—' },
            { label: '', render: (v) => h('a', { href: hrefFor(seller, query, v.recorded_at), 'data-test': 'history-view' }, t('seller.view_version')) },
        ],
        fetchPage: (cursor) => listPage(identityPath(seller, '/history'), {}, cursor, 25),
        emptyText: t('seller.no_history'),
    });
    return { node: card(t('seller.history'), h('p', { class: 'muted small' }, t('seller.history_hint')), table), ready: table.ready };
}

// ---- the form that records a new version --------------------------------------------

function input(name, value, attrs = {}) {
    return h('input', { name, 'data-field': name, value: value || '', autocomplete: 'off', spellcheck: 'false', 'data-test': `id-${name}`, ...attrs });
}

function marketRow(cc, m = {}) {
    const row = h('div', { class: 'market-edit', 'data-test': 'market-edit' },
        h('label', { class: 'field field-narrow' }, h('span', { class: 'field-label' }, t('seller.market')),
            h('input', { name: 'country', value: cc || '', maxlength: 2, class: 'mono', 'data-test': 'market-country', placeholder: 'DE' })),
        MARKET_FIELDS.map((f) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(`seller.${f}`)),
            h('input', { name: f, value: m[f] || '', class: 'mono', autocomplete: 'off', 'data-test': `market-${f}` }))));
    const drop = h('button', { type: 'button', class: 'btn btn-link', 'data-test': 'market-remove' }, t('seller.remove_market'));
    drop.addEventListener('click', () => row.remove());
    row.append(drop);
    // errors name markets.CC.field: point the inputs there
    const sync = () => {
        const c = row.querySelector('[name=country]').value.trim().toUpperCase();
        for (const f of MARKET_FIELDS) row.querySelector(`[name=${f}]`).setAttribute('data-field', `markets.${c}.${f}`);
        row.querySelector('[name=country]').setAttribute('data-field', `markets.${c}`);
    };
    row.querySelector('[name=country]').addEventListener('input', sync);
    sync();
    return row;
}

function bodyOf(form) {
    const v = (n) => form.querySelector(`[name="${n}"]`).value.trim();
    const opt = (x) => (x === '' ? undefined : x);
    const markets = {};
    for (const row of form.querySelectorAll('[data-test=market-edit]')) {
        const cc = row.querySelector('[name=country]').value.trim().toUpperCase();
        if (!cc) continue;
        const m = {};
        for (const f of MARKET_FIELDS) {
            const x = row.querySelector(`[name=${f}]`).value.trim().toUpperCase();
            if (x) m[f] = x;
        }
        markets[cc] = m;
    }
    return {
        legal_name_zh: v('legal_name_zh'),
        legal_name_en: v('legal_name_en'),
        uscc: v('uscc').toUpperCase(),
        customs_code: opt(v('customs_code').toUpperCase()),
        registered_address: v('registered_address'),
        contact: { name: opt(v('contact.name')), phone: opt(v('contact.phone')), email: opt(v('contact.email')) },
        markets,
    };
}

function editCard(seller, current, onSaved) {
    const cur = current || {};
    const c = cur.contact || {};
    const err = errorBox();
    const out = h('div', { 'data-test': 'identity-saved-box' });
    const markets = h('div', { class: 'market-list' },
        Object.keys(cur.markets || {}).sort().map((cc) => marketRow(cc, cur.markets[cc])));
    const add = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'market-add' }, t('seller.add_market'));
    add.addEventListener('click', () => markets.append(marketRow('')));
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'identity-save' }, t('seller.save'));
    const form = h('form', { novalidate: true, class: 'action-form identity-form', 'data-test': 'identity-form' },
        h('div', { class: 'form-grid' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.legal_name_zh')), input('legal_name_zh', cur.legal_name_zh)),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.legal_name_en')), input('legal_name_en', cur.legal_name_en)),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.uscc')), input('uscc', cur.uscc, { class: 'mono', maxlength: 18 })),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.customs_code')), input('customs_code', cur.customs_code, { class: 'mono', maxlength: 18 })),
            h('label', { class: 'field field-wide' }, h('span', { class: 'field-label' }, t('seller.address')), input('registered_address', cur.registered_address)),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.contact_name')), input('contact.name', c.name)),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.contact_phone')), input('contact.phone', c.phone, { type: 'tel' })),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('seller.contact_email')), input('contact.email', c.email, { type: 'email' }))),
        h('h3', null, t('seller.markets')),
        markets,
        h('div', { class: 'form-actions' }, add, btn),
        err, out);
    const idem = idemKeeper();
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const body = bodyOf(form);
            try {
                const r = await api('PUT', identityPath(seller), { body, idem: idem(body) });
                out.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'identity-saved' },
                    r.changed ? t('seller.saved', { version: r.version }) : t('seller.unchanged', { version: r.version })));
                onSaved(r);
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return h('details', { class: 'card card-collapsible', 'data-test': 'identity-edit', open: !current },
        h('summary', null, h('span', { class: 'card-title' }, current ? t('seller.edit') : t('seller.record_first')),
            h('span', { class: 'muted small' }, t('seller.edit_hint'))),
        form);
}

export async function sellerPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.seller'));
    main.replaceChildren(pageHeader(t('seller.title')));
    const seller = me.role === 'seller' ? me.seller : q(query, 'seller');
    const at = q(query, 'at');
    if (me.role !== 'seller')
        main.append(filterBar('seller', [[t('field.seller'), sellerSelect('seller', seller, me)]], query));
    if (!seller) {
        main.append(h('p', { class: 'muted', 'data-test': 'seller-pick' }, t('seller.pick_seller')));
        return;
    }
    const err = errorBox();
    const body = h('div', { 'data-test': 'identity-body' });
    main.append(asOfBar(seller, at, query), err, body);
    let current = null;
    try {
        current = await api('GET', identityPath(seller), { query: { at: at || undefined } });
    } catch (e) {
        const none = e.status === 404 && (e.fieldErrors || []).some((f) => f.field === 'identity' || f.field === 'at');
        if (!none) throw e;
        body.append(h('div', { class: 'alert alert-info', 'data-test': 'no-identity' },
            at ? t('seller.none_at', { at: fmtTime(at) }) : t('seller.none_yet')));
    }
    if (!ctx.alive()) return;
    // what a save changes is redrawn in place, so its notice stays in view
    const view = h('div', { 'data-test': 'identity-view' }, current ? [identityCard(current), marketsCard(current)] : null);
    let hist = historyCard(seller, query);
    const histSlot = h('div', null, hist.node);
    const onSaved = (r) => {
        body.querySelector('[data-test=no-identity]')?.remove();
        view.replaceChildren(identityCard(r), marketsCard(r));
        hist = historyCard(seller, query);
        histSlot.replaceChildren(hist.node);
    };
    body.append(view);
    const mayEdit = !at && (me.role === 'admin' || (me.role === 'seller' && me.seller === seller));
    if (mayEdit) body.append(editCard(seller, current, onSaved));
    body.append(histSlot);
    await hist.ready;
}
