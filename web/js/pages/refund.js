// Export VAT refund, overseas-warehouse mode (STA 2025 No. 3; issue 10 item 8),
// a section of the Money page for a seller's own key and admins: the report at
// a day (GET /v1/refunds/report?date=): what to file (each 9810 item's sold and
// HWC-YT pre-refund parts, or why it is blocked), what to reconcile each month
// until April of the next year, what to repay and by when, what the tax
// office recovers; a button filing every ready item at that day
// (POST /v1/refunds/filings) and a form recording a month's reconciliation
// (POST /v1/refunds/reconciliations, done on that day); the filings, each not
// yet granted with a form for its grant day; every item exported by the day
// a page at a time (GET /v1/refunds/items, load more). Amounts are CNY.

import { api, idemKeeper, listPage } from '../api.js';
import { t, fmtMoney } from '../i18n.js';
import { h, card, errorBox, showProblem, busy, pagedTable } from '../ui.js';

const SHOWN = 20; // rows per section; the rest are counted (haicang refund report has them all)

export function beijingToday(now = new Date()) {
    return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

const cny = (amount) => fmtMoney({ amount, currency: 'CNY' });
const itemKey = (x) => (x.entry_id ? `${x.entry_id}/${x.entry_gnum}` : '—');
// an item's refund, or why it cannot be filed
const itemRefund = (x) => (x.blocked
    ? h('span', { class: 'badge badge-backordered', title: x.blocked.reason }, t('refund.blocked', { field: x.blocked.field }))
    : cny(x.total.refund));

function table(testId, heads, rows, rowTest, count = rows.length) {
    const shown = rows.slice(0, SHOWN);
    return h('div', null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-test': testId },
            h('thead', null, h('tr', null, heads.map(([label, num]) => h('th', { class: num ? 'num' : null }, label)))),
            h('tbody', null, shown.map((cells) => h('tr', { 'data-test': rowTest },
                cells.map(([label, value, num]) => h('td', { class: num ? 'num' : null, 'data-label': label }, value))))))),
        count > shown.length ? h('p', { class: 'muted small', 'data-test': `${testId}-more` }, t('refund.more', { n: count - shown.length })) : null);
}

function fileSection(rep) {
    if (!rep.file.items.length) return h('p', { class: 'muted', 'data-test': 'refund-file-none' }, t('refund.none'));
    const L = [t('refund.item'), t('field.sku'), t('refund.exported'), t('refund.sold'), t('refund.refund'), t('refund.file_by')];
    const rows = rep.file.items.map((x) => [
        [L[0], h('span', { class: 'mono' }, itemKey(x))],
        [L[1], x.sku],
        [L[2], x.exported_on],
        [L[3], `${x.sold} / ${x.qty}`, true],
        [L[4], itemRefund(x), true],
        [L[5], x.file_by || '—'],
    ]);
    return table('refund-file', L.map((l, i) => [l, i === 3 || i === 4]), rows, 'refund-file-row', rep.file.count);
}

// Every item exported by the day, filed or not, a page at a time.
function itemsSection(query) {
    return pagedTable({
        testId: 'refund-items',
        rowAttrs: () => ({ 'data-test': 'refund-item-row' }),
        emptyText: t('refund.none'),
        columns: [
            { label: t('refund.item'), render: (x) => h('span', { class: 'mono' }, itemKey(x)) },
            { label: t('field.sku'), render: (x) => x.sku },
            { label: t('field.warehouse'), render: (x) => x.warehouse },
            { label: t('refund.exported'), render: (x) => x.exported_on },
            { label: t('refund.sold'), num: true, render: (x) => `${x.sold} / ${x.qty}` },
            { label: t('refund.refund'), num: true, render: itemRefund },
            { label: t('refund.filing'), render: (x) => x.filing || '—' },
        ],
        fetchPage: (cursor) => listPage('/v1/refunds/items', query, cursor, SHOWN),
    });
}

function reconcileSection(rep) {
    if (!rep.reconcile.lines.length) return h('p', { class: 'muted', 'data-test': 'refund-reconcile-none' }, t('refund.none'));
    const L = [t('refund.item'), t('field.sku'), t('refund.sold'), t('refund.pre_refund'), t('refund.outcome'), t('refund.deadline')];
    const rows = rep.reconcile.lines.map((x) => [
        [L[0], h('span', { class: 'mono' }, itemKey(x))],
        [L[1], x.sku],
        [L[2], `${x.sold_qty} / ${x.pre_refund_qty}`, true],
        [L[3], cny(x.pre_refund), true],
        [L[4], x.granted_on ? t(`refund.outcome.${x.outcome}`) : t('refund.not_granted')],
        [L[5], x.deadline || '—'],
    ]);
    return table('refund-reconcile', L.map((l, i) => [l, i === 2 || i === 3]), rows, 'refund-reconcile-row', rep.reconcile.count);
}

function repaySection(lines, testId, count) {
    if (!lines.length) return h('p', { class: 'muted', 'data-test': `${testId}-none` }, t('refund.none'));
    const L = [t('refund.item'), t('refund.reason'), t('field.qty'), t('refund.amount'), t('refund.due')];
    const rows = lines.map((x) => [
        [L[0], h('span', { class: 'mono' }, itemKey(x))],
        [L[1], x.reason ? t(x.reason === 'returned' ? 'refund.reason.returned' : 'refund.reason.unsold') : t('refund.outcome.recovered')],
        [L[2], String(x.qty ?? x.pre_refund_qty - x.sold_qty), true],
        [L[3], cny(x.repay), true],
        [L[4], x.due || x.deadline || '—'],
    ]);
    return table(testId, L.map((l, i) => [l, i === 2 || i === 3]), rows, `${testId}-row`, count);
}

function summary(rep) {
    return h('p', { class: 'muted small', 'data-test': 'refund-summary' }, t('refund.summary', {
        company: t(`refund.company.${rep.company_type}`), ready: rep.file.ready, refund: cny(rep.file.refund),
        lines: rep.reconcile.count, month: rep.reconcile.next_month || '—',
        repay: cny(rep.repay.total), recovered: cny(rep.recovered.total) }));
}

// The seller's filings, newest first; one not granted yet takes the day the
// tax office granted it (POST /v1/refunds/filings/{id}/grant).
function filingsSection(filings, onGranted) {
    if (!filings.length) return h('p', { class: 'muted', 'data-test': 'refund-filings-none' }, t('refund.none'));
    const L = [t('refund.filing'), t('refund.filed_on'), t('refund.granted_on'), t('refund.lines'), t('refund.refund')];
    const rows = filings.slice(0, SHOWN).map((f) => {
        let granted = f.granted_on || '—';
        if (!f.granted_on) {
            const day = h('input', { type: 'date', name: 'granted_on', value: beijingToday(), 'data-test': 'refund-grant-date', 'data-field': 'granted_on' });
            const btn = h('button', { type: 'submit', class: 'btn btn-small', 'data-test': 'refund-grant-btn' }, t('refund.grant'));
            const err = errorBox();
            const form = h('form', { novalidate: true, class: 'inline-form', 'data-test': 'refund-grant-form' }, day, btn, err);
            const idem = idemKeeper();
            form.addEventListener('submit', (e) => {
                e.preventDefault();
                busy(btn, async () => {
                    showProblem(err, null, form);
                    const body = { granted_on: day.value };
                    try {
                        await api('POST', `/v1/refunds/filings/${encodeURIComponent(f.id)}/grant`, { body, idem: idem(body) });
                        onGranted();
                    } catch (ex) {
                        showProblem(err, ex, form);
                    }
                });
            });
            granted = form;
        }
        return [[L[0], h('span', { class: 'mono' }, f.id)], [L[1], f.filed_on], [L[2], granted],
            [L[3], String(f.lines), true], [L[4], cny(f.refund), true]];
    });
    return table('refund-filings', L.map((l, i) => [l, i >= 3]), rows, 'refund-filing-row', filings.length);
}

export function refundCard(seller, me) {
    const err = errorBox();
    const day = h('input', { type: 'date', name: 'date', value: beijingToday(), 'data-test': 'refund-date' });
    const out = h('div', { 'data-test': 'refund' }, h('p', { class: 'muted' }, t('common.loading')));
    const query = () => (me.role === 'seller' ? { date: day.value, limit: SHOWN } : { seller, date: day.value, limit: SHOWN });
    const itemsQuery = () => (me.role === 'seller' ? { date: day.value } : { seller, date: day.value });
    const fileBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'refund-file-btn' }, t('refund.file_ready'));
    const fileErr = errorBox();
    let ready = 0; // items the report at the day says are ready to file
    const load = async () => {
        showProblem(err, null);
        try {
            const [rep, filings] = await Promise.all([
                api('GET', '/v1/refunds/report', { query: query() }),
                api('GET', '/v1/refunds/filings', { query: me.role === 'seller' ? {} : { seller } }),
            ]);
            ready = rep.file.ready;
            if (!period.value) period.value = rep.reconcile.next_month || day.value.slice(0, 7);
            fileBtn.disabled = ready === 0;
            out.replaceChildren(summary(rep),
                h('h3', null, t('refund.to_file')), fileSection(rep), h('div', { class: 'form-actions' }, fileBtn), fileErr,
                h('h3', null, t('refund.to_reconcile')), reconcileSection(rep), reconForm,
                h('h3', null, t('refund.to_repay')), repaySection(rep.repay.lines, 'refund-repay', rep.repay.count),
                h('h3', null, t('refund.recovered')), repaySection(rep.recovered.lines, 'refund-recovered', rep.recovered.count),
                h('h3', null, t('refund.filings')), filingsSection(filings.items, () => load()),
                h('h3', null, t('refund.items')), itemsSection(itemsQuery()));
        } catch (e) {
            out.replaceChildren();
            showProblem(err, e);
        }
    };
    const idem = idemKeeper();
    fileBtn.addEventListener('click', () => busy(fileBtn, async () => {
        showProblem(fileErr, null);
        const body = me.role === 'seller' ? { filed_on: day.value } : { seller, filed_on: day.value };
        try {
            const f = await api('POST', '/v1/refunds/filings', { body, idem: idem(body) });
            await load();
            out.prepend(h('div', { class: 'alert alert-info', 'data-test': 'refund-filed' },
                t('refund.filed', { id: f.id, lines: f.lines, refund: cny(f.refund) })));
        } catch (ex) {
            showProblem(fileErr, ex);
        }
    }).then(() => { fileBtn.disabled = ready === 0; }));
    // the month's reconciliation, recorded as done on the day shown
    const period = h('input', { name: 'period', placeholder: 'YYYY-MM', size: 8, 'data-test': 'refund-period', 'data-field': 'period' });
    const reconBtn = h('button', { type: 'submit', class: 'btn', 'data-test': 'refund-reconcile-btn' }, t('refund.record'));
    const reconErr = errorBox();
    const reconForm = h('form', { novalidate: true, class: 'action-form', 'data-test': 'refund-reconcile-form' },
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('refund.period')), period),
            h('div', { class: 'form-actions' }, reconBtn)),
        reconErr);
    const reconIdem = idemKeeper();
    reconForm.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(reconBtn, async () => {
            showProblem(reconErr, null, reconForm);
            const body = { period: period.value.trim(), recorded_on: day.value };
            if (me.role !== 'seller') body.seller = seller;
            try {
                const r = await api('POST', '/v1/refunds/reconciliations', { body, idem: reconIdem(body) });
                await load();
                out.prepend(h('div', { class: 'alert alert-info', 'data-test': 'refund-reconciled' },
                    t('refund.reconciled', { period: r.period, lines: r.lines.length, difference: cny(r.difference), repay: cny(r.repay) })));
            } catch (ex) {
                showProblem(reconErr, ex, reconForm);
            }
        });
    });
    day.addEventListener('change', () => load());
    load();
    return card(t('refund.title'),
        h('p', { class: 'muted small' }, t('refund.hint')),
        h('div', { class: 'inline-form' }, h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('refund.date')), day)),
        err, out);
}
