// Rate cards imported from a file (issue 10 item 2), a section of the Money
// page for operators and admins: a CSV or an .xlsx with the columns
// card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate
// sent as it is to POST /v1/rate-cards/import (all cards or none); the cards
// made, or the problem with the row or card it names.

import { ApiError, getKey, newIdempotencyKey } from '../api.js';
import { t } from '../i18n.js';
import { h, card, errorBox, showProblem, busy } from '../ui.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(file) {
    const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
    const res = await fetch('/v1/rate-cards/import', {
        method: 'POST',
        headers: { Authorization: `Bearer ${getKey()}`, 'Content-Type': type, 'Idempotency-Key': newIdempotencyKey(), Accept: 'application/json' },
        body: await file.arrayBuffer(),
    });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    if (!res.ok) throw new ApiError(res.status, data || { status: res.status, title: `HTTP ${res.status}` });
    return data;
}

export function rateCardImportCard(onDone) {
    const err = errorBox();
    const out = h('div', { 'data-test': 'ratecard-import-result' });
    const input = h('input', { type: 'file', accept: '.csv,.xlsx,text/csv', 'data-test': 'ratecard-file', 'data-field': 'file' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'ratecard-import' }, t('ratecards.import'));
    const form = h('form', { novalidate: true, class: 'action-form', 'data-test': 'ratecard-import-form' },
        h('div', { class: 'inline-form' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('ratecards.file')), input),
            h('div', { class: 'form-actions' }, btn)),
        err, out);
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            out.replaceChildren();
            const file = input.files && input.files[0];
            if (!file) {
                showProblem(err, new Error(t('ratecards.choose_file')), form);
                return;
            }
            try {
                const r = await upload(file);
                out.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-test': 'ratecard-imported' },
                    t('ratecards.imported', { n: r.imported }), ' ',
                    ...r.cards.map((c) => h('span', { class: 'mono strong', 'data-test': 'ratecard-imported-id' }, `${c.id} `))));
                if (onDone) onDone();
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return card(t('ratecards.import_title'), h('p', { class: 'muted small' }, t('ratecards.import_hint')), form);
}
