// Money (issue 10): a seller's wallet and its postings, monthly statements
// with downloads (PDF, XLSX, CSV in the page's language), the rate cards a
// seller is charged by (read-only), and for operators the receivables of
// their warehouse by seller with the invoices issued, and a form to issue one
// (POST /v1/invoices: seller, the operator's own warehouse, an ended month).
// Routes: #/money (?seller=S for admin and operator keys, ?warehouse=W)

import { api, listPage, getKey, ApiError, idemKeeper } from '../api.js';
import { t, tv, fmtTime, fmtMoney, getLang } from '../i18n.js';
import { h, card, pageHeader, pagedTable, errorBox, showProblem, busy, select, kv } from '../ui.js';
import { filterBar, warehouseSelect, sellerSelect, q } from './filters.js';
import { adcapCard } from './adcap.js';
import { rateCardImportCard } from './ratecard_import.js';
import { refundCard } from './refund.js';
import { settlementCard } from './settlement.js';

// The last `n` Beijing months that have ended, newest first ("YYYY-MM"):
// a statement is made only for a month that is over.
export function endedMonths(n, now = new Date()) {
    const bj = new Date(now.getTime() + 8 * 3600 * 1000);
    let y = bj.getUTCFullYear();
    let m = bj.getUTCMonth() + 1;
    const out = [];
    for (let i = 0; i < n; i++) {
        m -= 1;
        if (m < 1) { m = 12; y -= 1; }
        out.push(`${y}-${String(m).padStart(2, '0')}`);
    }
    return out;
}

// A file from the API (the key goes in the Authorization header, so a plain
// link cannot fetch it): fetched as a blob and saved under `name`.
export async function download(path, name) {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${getKey()}` } });
    if (!res.ok) {
        let p = null;
        try { p = await res.json(); } catch { p = null; }
        throw new ApiError(res.status, p || { status: res.status, title: `HTTP ${res.status}` });
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return blob.size;
}

function walletCard(seller) {
    const body = h('div', { 'data-test': 'wallet' }, h('p', { class: 'muted' }, t('common.loading')));
    const err = errorBox();
    api('GET', `/v1/sellers/${encodeURIComponent(seller)}/wallet`).then((w) => {
        const rows = (w.balances || []).map((b) => h('tr', { 'data-test': 'wallet-row' },
            h('td', { 'data-label': t('money.currency') }, b.currency),
            h('td', { class: 'num strong', 'data-label': t('money.balance') }, fmtMoney(b.balance)),
            h('td', { class: 'num', 'data-label': t('money.credit_limit') }, b.credit_limit ? fmtMoney(b.credit_limit) : '—'),
            h('td', { 'data-label': t('money.status') }, b.over_limit ? h('span', { class: 'badge badge-backordered' }, t('money.over_limit')) : t('money.ok'))));
        body.replaceChildren(...[
            rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
                h('thead', null, h('tr', null, h('th', null, t('money.currency')), h('th', { class: 'num' }, t('money.balance')),
                    h('th', { class: 'num' }, t('money.credit_limit')), h('th', null, t('money.status')))),
                h('tbody', null, rows))) : h('p', { class: 'muted' }, t('money.no_balance')),
            w.held ? h('div', { class: 'alert alert-info', 'data-test': 'wallet-held' }, t('money.held', { n: w.held_orders })) : null,
        ].filter(Boolean));
    }).catch((e) => showProblem(err, e));
    return card(`${t('money.wallet')} · ${seller}`, err, body);
}

function postingsCard(seller) {
    const table = pagedTable({
        testId: 'postings-table',
        columns: [
            { label: t('money.at'), render: (p) => h('span', { class: 'nowrap', title: p.at }, fmtTime(p.at)) },
            { label: t('money.type'), render: (p) => tv('money.kind', p.cause.kind) },
            { label: t('money.cause'), wide: true, render: (p) => h('span', { class: 'mono' }, p.cause.id) },
            { label: t('field.warehouse'), render: (p) => p.warehouse || '—' },
            // the wallet is the operator's debt to the seller: a credit adds to it
            { label: t('money.amount'), num: true, render: (p) => h('span', { class: p.side === 'credit' ? 'pos' : 'neg' }, `${p.side === 'credit' ? '+' : '−'}${fmtMoney(p.amount)}`) },
        ],
        fetchPage: (cursor) => listPage('/v1/money/postings', { account: `seller/${seller}/wallet` }, cursor, 25),
        emptyText: t('money.no_postings'),
    });
    return { node: card(t('money.postings'), table), ready: table.ready };
}

function statementsCard(seller) {
    const err = errorBox();
    const months = endedMonths(12);
    const month = select('month', months.map((m) => [m, m]), months[0], { 'data-test': 'statement-month' });
    const out = h('div', { 'data-test': 'statement' });
    const base = () => `/v1/sellers/${encodeURIComponent(seller)}/statements/${month.value}`;
    const lang = () => (getLang() === 'zh' ? 'zh' : 'en');
    const fileBtn = (ext) => {
        const b = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': `statement-${ext}` }, ext.toUpperCase());
        b.addEventListener('click', () => busy(b, async () => {
            showProblem(err, null);
            try {
                await download(`${base()}.${ext}?lang=${lang()}`, `statement-${seller}-${month.value}.${ext}`);
            } catch (e) {
                showProblem(err, e);
            }
        }));
        return b;
    };
    const view = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'statement-view' }, t('money.view'));
    view.addEventListener('click', () => busy(view, async () => {
        showProblem(err, null);
        try {
            // one line is enough: the totals are the month's on every page
            const s = await api('GET', base(), { query: { limit: 1 } });
            const count = s.totals.reduce((n, x) => n + x.lines, 0);
            out.replaceChildren(
                h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'statement-totals' },
                    h('thead', null, h('tr', null, ['currency', 'opening', 'credits', 'debits', 'closing'].map((k) => h('th', { class: k === 'currency' ? null : 'num' }, t(`money.${k}`))))),
                    h('tbody', null, s.totals.length ? s.totals.map((x) => h('tr', null,
                        h('td', { 'data-label': t('money.currency') }, x.currency),
                        ...['opening', 'credits', 'debits', 'closing'].map((k) => h('td', { class: 'num', 'data-label': t(`money.${k}`) }, fmtMoney(x[k])))))
                        : h('tr', { class: 'empty' }, h('td', { colspan: 5 }, t('money.no_lines')))))),
                h('p', { class: 'muted small', 'data-test': 'statement-count' }, t('money.lines_count', { n: count, month: s.month })));
        } catch (e) {
            showProblem(err, e);
        }
    }));
    return card(t('money.statements'),
        h('p', { class: 'muted small' }, t('money.statements_hint')),
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('money.month')), month),
            h('div', { class: 'form-actions' }, view, fileBtn('pdf'), fileBtn('xlsx'), fileBtn('csv'))),
        err, out);
}

function rateCardsCard(query) {
    const table = pagedTable({
        testId: 'ratecards-table',
        columns: [
            { label: t('field.id'), render: (c) => h('span', { class: 'mono' }, c.id) },
            { label: t('field.warehouse'), render: (c) => c.warehouse },
            { label: t('field.seller'), render: (c) => c.seller || t('money.all_sellers') },
            { label: t('money.currency'), render: (c) => c.currency },
            { label: t('money.effective'), wide: true, render: (c) => `${c.effective_from} – ${c.effective_to || '…'}` },
            { label: t('money.storage'), wide: true, render: (c) => ((c.storage && c.storage.tiers) || []).map((x) => `${x.from_day}–${x.to_day ?? '…'}: ${x.rate}`).join(', ') },
        ],
        fetchPage: (cursor) => listPage('/v1/rate-cards', query, cursor, 25),
        emptyText: t('money.no_cards'),
    });
    return { node: card(t('money.rate_cards'), h('p', { class: 'muted small' }, t('money.rate_cards_hint')), table), ready: table.ready };
}

function receivablesCard(me, wh, month) {
    const err = errorBox();
    const body = h('div', { 'data-test': 'receivables' }, h('p', { class: 'muted' }, t('common.loading')));
    api('GET', `/v1/warehouses/${encodeURIComponent(wh)}/receivables`, { query: { month } }).then((r) => {
        body.replaceChildren(r.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'receivables-table' },
            h('thead', null, h('tr', null, h('th', null, t('field.seller')), h('th', { class: 'num' }, t('money.charged')),
                h('th', { class: 'num' }, t('money.invoiced')), h('th', { class: 'num' }, t('money.uninvoiced')))),
            h('tbody', null, r.items.map((x) => h('tr', { 'data-test': 'receivable-row' },
                h('td', { 'data-label': t('field.seller') }, h('a', { href: `#/money?seller=${encodeURIComponent(x.seller)}` }, x.seller)),
                h('td', { class: 'num', 'data-label': t('money.charged') }, fmtMoney(x.charged)),
                h('td', { class: 'num', 'data-label': t('money.invoiced') }, fmtMoney(x.invoiced)),
                h('td', { class: 'num strong', 'data-label': t('money.uninvoiced') }, fmtMoney(x.uninvoiced)))))))
            : h('p', { class: 'muted' }, t('money.no_receivables')));
    }).catch((e) => showProblem(err, e));
    const invoices = pagedTable({
        testId: 'invoices-table',
        columns: [
            { label: t('money.invoice_no'), render: (i) => h('span', { class: 'mono strong' }, i.number) },
            { label: t('field.seller'), render: (i) => i.seller },
            { label: t('money.month'), render: (i) => i.month },
            { label: t('money.total'), num: true, render: (i) => (i.totals || []).map(fmtMoney).join(', ') },
            { label: '', render: (i) => {
                const b = h('button', { type: 'button', class: 'btn btn-link', 'data-test': 'invoice-pdf' }, 'PDF');
                b.addEventListener('click', () => busy(b, () => download(`/v1/invoices/${encodeURIComponent(i.id)}.pdf?lang=${getLang() === 'zh' ? 'zh' : 'en'}`, `${i.number}.pdf`).catch((e) => showProblem(err, e))));
                return b;
            } },
        ],
        fetchPage: (cursor) => listPage('/v1/invoices', { warehouse: wh }, cursor, 25),
        emptyText: t('money.no_invoices'),
    });
    return card(`${t('money.receivables')} · ${wh}${month ? ` · ${month}` : ''}`, err, body,
        h('h3', null, t('money.invoices')), invoices);
}

// Issue an invoice (operators and admins): seller, warehouse (an operator's
// own, fixed), an ended Beijing month; shows the new number or the problem
// with its field.
function issueInvoiceCard(me, wh, seller) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'invoice-issued-box' });
    const sel = sellerSelect('seller', seller, me);
    sel.setAttribute('data-test', 'invoice-seller');
    sel.setAttribute('data-field', 'seller');
    sel.options[0].textContent = t('money.choose_seller');
    const whSel = warehouseSelect('warehouse', wh, { all: me.role !== 'operator', me });
    whSel.setAttribute('data-test', 'invoice-warehouse');
    whSel.setAttribute('data-field', 'warehouse');
    if (me.role !== 'operator') whSel.options[0].textContent = t('money.choose_warehouse');
    const months = endedMonths(12);
    const month = select('month', months.map((m) => [m, m]), months[0], { 'data-test': 'invoice-month', 'data-field': 'month' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'invoice-issue' }, t('money.issue_invoice'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'invoice-form' },
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.seller')), sel),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('field.warehouse')), whSel),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('money.month')), month),
            h('div', { class: 'form-actions' }, btn)),
        err, out);
    const idem = idemKeeper();
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const body = { seller: sel.value, warehouse: whSel.value, month: month.value };
            try {
                const inv = await api('POST', '/v1/invoices', { body, idem: idem(body) });
                out.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'invoice-issued' },
                    t('money.invoice_issued', { number: inv.number, seller: inv.seller, month: inv.month }),
                    ' ', h('span', { class: 'mono strong', 'data-test': 'invoice-number' }, inv.number)));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return h('details', { class: 'card card-collapsible', 'data-test': 'invoice-new', open: true },
        h('summary', null, h('span', { class: 'card-title' }, t('money.issue_invoice')), h('span', { class: 'muted small' }, t('money.issue_invoice_hint'))),
        form);
}

export async function moneyPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.money'));
    main.replaceChildren(pageHeader(t('money.title')));
    const seller = me.role === 'seller' ? me.seller : q(query, 'seller');
    const wh = me.role === 'operator' ? me.warehouse : q(query, 'warehouse');
    const month = q(query, 'month');
    if (me.role !== 'seller') {
        main.append(filterBar('money', [
            [t('field.seller'), sellerSelect('seller', seller, me)],
            [t('field.warehouse'), warehouseSelect('warehouse', wh, { me })],
            [t('money.month'), select('month', [['', t('money.all_months')], ...endedMonths(12).map((m) => [m, m])], month, { 'data-test': 'filter-month' })],
        ], query));
    }
    const waits = [];
    if (me.role !== 'seller' && wh) main.append(receivablesCard(me, wh, month));
    if (me.role === 'operator' || me.role === 'admin') main.append(issueInvoiceCard(me, wh, seller));
    if (seller) {
        main.append(walletCard(seller));
        // statements are the seller's own papers (admin or the seller's key)
        if (me.role !== 'operator') main.append(statementsCard(seller));
        // the netting settlement a bank is shown (admin or the seller's key)
        if (me.role !== 'operator') main.append(settlementCard(seller));
        // the advertising cap is the seller's tax matter too
        if (me.role !== 'operator') main.append(adcapCard(seller));
        // and so is the export VAT refund
        if (me.role !== 'operator') main.append(refundCard(seller, me));
        const p = postingsCard(seller);
        main.append(p.node);
        waits.push(p.ready);
    } else if (me.role !== 'seller') {
        main.append(h('p', { class: 'muted', 'data-test': 'money-pick' }, t('money.pick_seller')));
    }
    const rc = rateCardsCard(me.role === 'seller' ? {} : { warehouse: wh || undefined, seller: seller || undefined });
    main.append(rc.node);
    if (me.role === 'operator' || me.role === 'admin') main.append(rateCardImportCard());
    waits.push(rc.ready);
    await Promise.all(waits);
}
