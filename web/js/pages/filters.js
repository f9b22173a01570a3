// The filter bar shared by list pages: fields are kept in the hash's query
// (#/orders?status=allocated) so a filtered view can be linked and reloaded.

import { h, select } from '../ui.js';
import { t } from '../i18n.js';
import { warehouses, sellers } from '../refdata.js';

// A <select> of warehouses (first option "all"), filled when the list arrives.
export function warehouseSelect(name, value, { all = true, me, required } = {}) {
    const sel = select(name, all ? [['', t('filter.all_warehouses')]] : [], value, { 'data-test': `filter-${name}`, required });
    if (me && me.warehouse && me.role === 'operator') {
        // an operator key is tied to its warehouse
        sel.replaceChildren(h('option', { value: me.warehouse, selected: true }, me.warehouse));
        return sel;
    }
    warehouses().then((list) => {
        for (const w of list) sel.appendChild(h('option', { value: w.code, selected: w.code === value }, `${w.code} · ${w.name || ''}`));
        if (value) sel.value = value;
    }).catch(() => {});
    return sel;
}

// A seller chooser for operator/admin keys; null for a seller key (its scope is fixed).
export function sellerSelect(name, value, me) {
    if (!me || me.role === 'seller') return null;
    const sel = select(name, [['', t('filter.all_sellers')]], value, { 'data-test': `filter-${name}` });
    sellers().then((list) => {
        for (const s of list) sel.appendChild(h('option', { value: s.code, selected: s.code === value }, `${s.code} · ${s.name || ''}`));
        if (value) sel.value = value;
    }).catch(() => {});
    return sel;
}

// A filter form: fields [[label, input]]; on submit writes the values into the hash.
export function filterBar(base, fields, query) {
    const form = h('form', { novalidate: true, class: 'filters', 'data-test': 'filters' },
        fields.filter(([, input]) => input).map(([label, input]) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input)),
        h('div', { class: 'filter-actions' },
            h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'apply-filters' }, t('filter.apply')),
            h('a', { class: 'btn btn-link', href: `#/${base}` }, t('filter.reset'))));
    // on a phone the filters fold away (open when some are set)
    const active = fields.filter(([, input]) => input && input.name !== 'sort' && query.get(input.name)).length;
    const wrap = h('details', { class: 'filters-fold', open: window.innerWidth >= 640 || active > 0 },
        h('summary', { class: 'filters-summary' }, t('filter.title'), active ? h('span', { class: 'count-pill' }, String(active)) : null),
        form);
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        const qs = new URLSearchParams();
        for (const el of form.elements) {
            if (el.name && el.value !== '') qs.set(el.name, el.value.trim());
        }
        const s = qs.toString();
        const target = `#/${base}${s ? '?' + s : ''}`;
        if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = target;
    });
    return wrap;
}

export function q(query, name) {
    return query.get(name) || '';
}
