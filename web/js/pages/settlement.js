// Netting settlement statement (SAFE Hui Fa [2020] No. 11; issue 10 item 7),
// a section of the Money page for a seller's own key and admins: a period
// of Beijing dates (this month so far by default), the reconstructed gross
// totals per currency, the orders sold with their fees by type and net
// (a click shows the order's fee lines and the customs lists behind it), the
// pooled fees, and downloads as CSV, XLSX (in the page's language) and as
// the signed JSON document (GET /v1/settlements?format=signed).

import { api } from '../api.js';
import { t, fmtMoney, getLang } from '../i18n.js';
import { h, card, errorBox, showProblem, busy } from '../ui.js';
import { download } from './money.js';

const TYPES = ['storage', 'fulfilment', 'head_haul', 'last_mile', 'taxes', 'compensation', 'advertising'];
const SHOWN = 100; // orders drawn on the page; the files hold all

// Beijing today and the first day of its month ("YYYY-MM-DD").
export function settlementPeriod(now = new Date()) {
    const bj = new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    return { from: `${bj.slice(0, 8)}01`, to: bj };
}

const cell = (label, v, cls) => h('td', { class: cls || null, 'data-label': label }, v);

function totalsTable(s) {
    const cols = ['orders', 'gross', ...TYPES, 'fees_total', 'net', 'net_without_advertising'];
    const head = h('tr', null, h('th', null, t('money.currency')),
        ...cols.map((k) => h('th', { class: 'num' }, t(`settle.${k}`))));
    const rows = s.totals.map((x) => h('tr', { 'data-test': 'settle-total', 'data-currency': x.currency },
        cell(t('money.currency'), x.currency),
        cell(t('settle.orders'), String(x.orders), 'num'),
        cell(t('settle.gross'), fmtMoney(x.gross), 'num strong'),
        ...TYPES.map((k) => cell(t(`settle.${k}`), fmtMoney(x.fees[k]), k === 'advertising' ? 'num flag' : 'num')),
        cell(t('settle.fees_total'), fmtMoney(x.fees_total), 'num'),
        cell(t('settle.net'), fmtMoney(x.net), 'num strong'),
        cell(t('settle.net_without_advertising'), fmtMoney(x.net_without_advertising), 'num')));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'settle-totals' },
        h('thead', null, head),
        h('tbody', null, rows.length ? rows : h('tr', { class: 'empty' }, h('td', { colspan: cols.length + 1 }, t('settle.none'))))));
}

function detail(o) {
    const fees = o.fee_lines.map((f) => h('li', { 'data-test': 'settle-fee' },
        `${t(`settle.${f.type}`)} · ${t(`settle.src.${f.source}`)} · ${fmtMoney(f.amount)}`,
        f.netted.currency !== f.amount.currency ? ` → ${fmtMoney(f.netted)} (${f.fx.rate}, ${f.fx.day})` : '',
        f.basis ? ` · ${t('settle.basis')} ${fmtMoney(f.basis.gross)} / ${fmtMoney(f.basis.of)}` : '',
        f.reference ? h('span', { class: 'muted mono' }, ` ${f.reference}`) : null));
    const customs = o.customs.map((c) => h('li', { 'data-test': 'settle-customs' },
        `${c.sku} × ${c.qty} · ${t(`settle.rule.${c.rule}`)} · `,
        h('span', { class: 'mono' }, c.list ? `${c.trade_mode} ${c.list} #${c.item}` : t('settle.no_list')),
        c.entry_id ? h('span', { class: 'mono' }, ` · ${c.entry_id} #${c.entry_item}`) : null));
    return h('div', { class: 'settle-detail', 'data-test': 'settle-detail' },
        h('strong', null, t('settle.fee_lines')), h('ul', null, fees.length ? fees : h('li', { class: 'muted' }, '—')),
        h('strong', null, t('settle.customs')), h('ul', null, customs.length ? customs : h('li', { class: 'muted' }, t('settle.no_list'))));
}

function ordersTable(s) {
    const body = h('tbody');
    for (const o of s.orders.slice(0, SHOWN)) {
        const row = h('tr', { 'data-test': 'settle-order', 'data-order': o.id, class: 'clickable', tabindex: '0' },
            cell(t('settle.order'), h('span', { class: 'mono' }, o.channel_order_id || o.id)),
            cell(t('settle.sold'), o.sold_day),
            cell(t('settle.gross'), fmtMoney(o.gross), 'num'),
            cell(t('settle.fees_total'), fmtMoney(o.fees_total), 'num'),
            cell(t('settle.net'), fmtMoney(o.net), 'num strong'),
            cell(t('settle.customs'), o.customs.length ? h('span', { class: 'mono small' }, o.customs[0].list || '—') : '—'));
        const more = h('tr', { hidden: true }, h('td', { colspan: 6 }, detail(o)));
        const toggle = () => { more.hidden = !more.hidden; };
        row.addEventListener('click', toggle);
        row.addEventListener('keydown', (e) => { if (e.key === 'Enter') toggle(); });
        body.append(row, more);
    }
    return h('div', null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'settle-orders' },
            h('thead', null, h('tr', null, ...['order', 'sold', 'gross', 'fees_total', 'net', 'customs'].map((k) =>
                h('th', { class: ['gross', 'fees_total', 'net'].includes(k) ? 'num' : null }, t(`settle.${k}`))))),
            body)),
        h('p', { class: 'muted small', 'data-test': 'settle-count' },
            t('settle.count', { n: s.orders.length, shown: Math.min(SHOWN, s.orders.length) })));
}

function poolsList(s) {
    if (!s.pools.length) return null;
    return h('div', { 'data-test': 'settle-pools' }, h('strong', null, t('settle.pools')),
        h('ul', null, s.pools.map((p) => h('li', null,
            `${t(`settle.${p.type}`)} ${p.warehouse ? `(${p.warehouse}) ` : ''}${fmtMoney(p.amount)} · `,
            p.allocated ? t('settle.allocated') : h('span', { class: 'neg' }, t('settle.not_allocated'))))));
}

export function settlementCard(seller) {
    const err = errorBox();
    const def = settlementPeriod();
    const from = h('input', { type: 'date', name: 'from', value: def.from, 'data-test': 'settle-from' });
    const to = h('input', { type: 'date', name: 'to', value: def.to, max: def.to, 'data-test': 'settle-to' });
    const out = h('div', { 'data-test': 'settlement' });
    const path = (fmt) => `/v1/settlements?seller=${encodeURIComponent(seller)}&from=${from.value}&to=${to.value}` +
        (fmt ? `&format=${fmt}&lang=${getLang() === 'zh' ? 'zh' : 'en'}` : '');
    const fileBtn = (fmt, ext, label) => {
        const b = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': `settle-${fmt}` }, label);
        b.addEventListener('click', () => busy(b, async () => {
            showProblem(err, null);
            try {
                await download(path(fmt), `settlement-${seller}-${from.value}-${to.value}${ext}`);
            } catch (e) {
                showProblem(err, e);
            }
        }));
        return b;
    };
    const view = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'settle-view' }, t('money.view'));
    view.addEventListener('click', () => busy(view, async () => {
        showProblem(err, null);
        try {
            const s = await api('GET', path(null));
            out.replaceChildren(totalsTable(s), ordersTable(s), poolsList(s) || '');
        } catch (e) {
            out.replaceChildren();
            showProblem(err, e);
        }
    }));
    return card(t('settle.title'),
        h('p', { class: 'muted small' }, t('settle.hint')),
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settle.from')), from),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('settle.to')), to),
            h('div', { class: 'form-actions' }, view, fileBtn('csv', '.csv', 'CSV'), fileBtn('xlsx', '.xlsx', 'XLSX'),
                fileBtn('signed', '.signed.json', t('settle.signed')))),
        err, out);
}
