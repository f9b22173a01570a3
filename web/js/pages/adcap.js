// Advertising deduction cap (EIT Art. 44; issue 10 item 9), a section of the
// Money page for a seller's own key and admins: the year's report with the
// years it carries from (GET /v1/sellers/{code}/ad-cap/{year}), the spend
// recorded for that year (GET .../ad-spend?year=), and a form to record one
// month's spend on a channel (POST .../ad-spend), its problem named by field.
// The year offered first is the last one ended: the one filed in spring.

import { api, idemKeeper } from '../api.js';
import { t, fmtMoney } from '../i18n.js';
import { h, card, errorBox, showProblem, busy, select } from '../ui.js';

// The running Beijing year and the five before it, the last ended first.
export function adcapYears(now = new Date()) {
    const y = new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear();
    return [y - 1, y, y - 2, y - 3, y - 4, y - 5];
}

const FIGURES = ['revenue', 'spend', 'carried_in', 'cap', 'allowed', 'carried_out'];
const CHANNELS = ['amazon', 'ebay', 'temu', 'tiktok', 'shein', 'aliexpress', 'walmart', 'otto', 'allegro',
    'shopify', 'google', 'meta', 'microsoft', 'pinterest', 'criteo', 'douyin'];

function reportTable(rep) {
    const head = h('tr', null, h('th', null, t('adcap.year')), h('th', null, t('adcap.category')),
        ...FIGURES.map((k) => h('th', { class: 'num' }, t(`adcap.${k}`))));
    const rows = rep.history.map((y) => h('tr', { 'data-test': 'adcap-row', 'data-year': String(y.year), class: y.year === rep.year ? 'strong' : null },
        h('td', { 'data-label': t('adcap.year') }, String(y.year)),
        h('td', { 'data-label': t('adcap.category') }, `${t(`adcap.cat.${y.category}`)} ${y.rate_pct} %`),
        ...FIGURES.map((k) => h('td', { class: 'num', 'data-label': t(`adcap.${k}`) }, fmtMoney(y[k])))));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'adcap-table' },
        h('thead', null, head), h('tbody', null, rows)));
}

function spendTable(items) {
    if (!items.length) return h('p', { class: 'muted', 'data-test': 'adcap-no-spend' }, t('adcap.no_spend'));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': 'adcap-spend' },
        h('thead', null, h('tr', null, h('th', null, t('adcap.month')), h('th', null, t('adcap.channel')),
            h('th', { class: 'num' }, t('adcap.amount')), h('th', { class: 'num' }, t('adcap.amount_cny')), h('th', null, t('adcap.rate')))),
        h('tbody', null, items.map((x) => h('tr', { 'data-test': 'adcap-spend-row' },
            h('td', { 'data-label': t('adcap.month') }, x.month),
            h('td', { 'data-label': t('adcap.channel') }, x.channel),
            h('td', { class: 'num', 'data-label': t('adcap.amount') }, fmtMoney(x.amount)),
            h('td', { class: 'num', 'data-label': t('adcap.amount_cny') }, fmtMoney(x.amount_cny)),
            h('td', { 'data-label': t('adcap.rate') }, x.amount.currency === 'CNY' ? '—' : `${x.fx.rate} (${x.fx.day})`))))));
}

function spendForm(seller, onSaved) {
    const err = errorBox();
    const channel = select('channel', CHANNELS.map((c) => [c, c]), 'amazon', { 'data-test': 'adcap-channel', 'data-field': 'spend[0].channel' });
    const month = h('input', { name: 'month', placeholder: 'YYYY-MM', size: 8, 'data-test': 'adcap-month', 'data-field': 'spend[0].month' });
    const amount = h('input', { name: 'amount', inputmode: 'decimal', size: 10, 'data-test': 'adcap-amount', 'data-field': 'spend[0].amount' });
    const currency = h('input', { name: 'currency', value: 'CNY', size: 4, 'data-test': 'adcap-currency', 'data-field': 'spend[0].currency' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'adcap-save' }, t('adcap.record'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'adcap-form' },
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('adcap.channel')), channel),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('adcap.month')), month),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('adcap.amount')), amount),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('money.currency')), currency),
            h('div', { class: 'form-actions' }, btn)),
        err);
    const idem = idemKeeper();
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            const body = { spend: [{ channel: channel.value, month: month.value.trim(), amount: amount.value.trim(), currency: currency.value.trim().toUpperCase() }] };
            try {
                await api('POST', `/v1/sellers/${encodeURIComponent(seller)}/ad-spend`, { body, idem: idem(body) });
                amount.value = '';
                onSaved(body.spend[0].month.slice(0, 4));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return form;
}

export function adcapCard(seller) {
    const err = errorBox();
    const years = adcapYears();
    const year = select('year', years.map((y) => [y, String(y)]), years[0], { 'data-test': 'adcap-year' });
    const out = h('div', { 'data-test': 'adcap' }, h('p', { class: 'muted' }, t('common.loading')));
    const base = `/v1/sellers/${encodeURIComponent(seller)}`;
    const load = async () => {
        showProblem(err, null);
        try {
            const [rep, spend] = await Promise.all([
                api('GET', `${base}/ad-cap/${year.value}`),
                api('GET', `${base}/ad-spend`, { query: { year: year.value } }),
            ]);
            out.replaceChildren(reportTable(rep),
                h('p', { class: 'muted small', 'data-test': 'adcap-summary' }, t('adcap.summary', {
                    year: rep.year, allowed: fmtMoney(rep.allowed), carried: fmtMoney(rep.carried_out), orders: rep.orders })),
                h('h3', null, t('adcap.spend_of', { year: rep.year })), spendTable(spend.items));
        } catch (e) {
            out.replaceChildren();
            showProblem(err, e);
        }
    };
    year.addEventListener('change', () => load());
    load();
    const form = spendForm(seller, (y) => {
        if (years.map(String).includes(y)) year.value = y;
        load();
    });
    return card(t('adcap.title'),
        h('p', { class: 'muted small' }, t('adcap.hint')),
        h('div', { class: 'inline-form' }, h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('adcap.year')), year)),
        err, out,
        h('h3', null, t('adcap.record_title')), form);
}
