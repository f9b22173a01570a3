// Labels on the Carriers page (issue 12 part 3): carton labels of an inbound
// (SSCC-18, GET /v1/inbounds/{id}/carton-labels.pdf?cartons=N), product labels
// of a SKU (GET /v1/skus/{seller}/{sku}/labels.pdf: SKU / FNSKU / EAN-UPC), an
// order's uploaded label (GET /v1/orders/{id}/label.pdf) and, for operators and
// admins, the carrier connectors (GET /v1/warehouses/{wh}/connectors; no live
// carrier API is called, the built-in haicang numbering is the only one).

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, card, errorBox, showProblem, busy, field } from '../ui.js';
import { download } from './money.js';

function downloadForm(testId, fields, urlOf, nameOf, err) {
    const form = h('form', { novalidate: true, class: 'inline-form', 'data-test': testId }, ...fields);
    const btn = h('button', { type: 'submit', class: 'btn btn-secondary', 'data-test': `${testId}-pdf` }, 'PDF');
    form.append(h('div', { class: 'form-actions' }, btn));
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            showProblem(err, null, form);
            try {
                await download(urlOf(form.elements), nameOf(form.elements));
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    return form;
}

const enc = encodeURIComponent;

function connectorsTable(wh, out, err) {
    api('GET', `/v1/warehouses/${enc(wh)}/connectors`).then((r) => {
        out.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'connectors' },
            h('thead', null, h('tr', null, [t('labels.connector'), t('labels.kind'), t('labels.status'), t('labels.credentials')]
                .map((l) => h('th', null, l)))),
            h('tbody', null, r.items.map((c) => h('tr', { 'data-test': 'connector-row', 'data-name': c.name },
                h('td', { 'data-label': t('labels.connector') }, h('strong', null, c.name), c.base_url ? h('br') : null,
                    c.base_url ? h('span', { class: 'mono muted small' }, c.base_url) : null),
                h('td', { 'data-label': t('labels.kind') }, t(`labels.kind.${c.kind}`)),
                h('td', { 'data-label': t('labels.status') }, c.implemented ? t('labels.active_builtin') : t(`labels.status.${c.status}`)),
                h('td', { 'data-label': t('labels.credentials'), class: 'mono' }, c.credentials_ref || '—')))))));
    }).catch((e) => showProblem(err, e));
}

export function labelsCard(me, warehouse) {
    const err = errorBox();
    const input = (name, attrs = {}) => h('input', { name, 'data-test': `lbl-${name}`, ...attrs });
    const cartons = downloadForm('carton-labels', [
        field(t('labels.inbound'), input('inbound', { placeholder: 'inb_…', required: true })),
        field(t('labels.cartons'), input('cartons', { type: 'number', min: 1, max: 999, value: 1, size: 4 }))],
    (el) => `/v1/inbounds/${enc(el.inbound.value.trim())}/carton-labels.pdf?cartons=${enc(el.cartons.value)}`,
    (el) => `cartons-${el.inbound.value.trim()}.pdf`, err);
    const codeSel = h('select', { name: 'code', 'data-test': 'lbl-code' },
        ['sku', 'fnsku', 'barcode'].map((c) => h('option', { value: c }, t(`labels.code.${c}`))));
    const product = downloadForm('product-labels', [
        field(t('labels.seller'), input('seller', { value: me.role === 'seller' ? me.seller : '', required: true, size: 10 })),
        field(t('labels.sku'), input('sku', { required: true, size: 12 })),
        field(t('labels.qty'), input('qty', { type: 'number', min: 1, max: 2000, value: 1, size: 5 })),
        field(t('labels.code'), codeSel),
        field('FNSKU', input('fnsku', { placeholder: 'X00…', size: 11 }))],
    (el) => {
        const p = new URLSearchParams({ qty: el.qty.value, code: el.code.value });
        if (el.code.value === 'fnsku') p.set('fnsku', el.fnsku.value.trim());
        return `/v1/skus/${enc(el.seller.value.trim())}/${enc(el.sku.value.trim())}/labels.pdf?${p}`;
    }, (el) => `labels-${el.sku.value.trim()}.pdf`, err);
    const uploaded = downloadForm('uploaded-label', [
        field(t('labels.order'), input('order', { placeholder: 'ord_…', required: true }))],
    (el) => `/v1/orders/${enc(el.order.value.trim())}/label.pdf`, (el) => `label-${el.order.value.trim()}.pdf`, err);
    const parts = [
        h('h3', null, t('labels.cartons_title')), cartons,
        h('h3', null, t('labels.products_title')), product,
        h('h3', null, t('labels.uploaded_title')), h('p', { class: 'muted small' }, t('labels.uploaded_note')), uploaded];
    if (me.role !== 'seller') {
        const out = h('div', { 'data-test': 'connectors-out' });
        parts.push(h('h3', null, t('labels.connectors_title')), h('p', { class: 'muted small' }, t('labels.connectors_note')), out);
        connectorsTable(warehouse || me.warehouse || 'DE-DUI', out, err);
    }
    return card(t('labels.title'), err, ...parts);
}
