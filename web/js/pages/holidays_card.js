// Public holidays (issue 12: promised dates skip them), a section of the
// Carriers page for operators and admins: the warehouse's calendar (GET
// /v1/warehouses/{wh}/calendar: its country and region, its own closed days,
// the next holidays of each country its services ship from or to) and an
// import of holiday rows country,region,date,name as CSV (POST /v1/holidays,
// all rows or none; a refused file names its line and field).

import { api, uploadFile } from '../api.js';
import { t } from '../i18n.js';
import { h, card, errorBox, showProblem, fileImportForm } from '../ui.js';

const dayLabel = (h1) => `${h1.date} · ${h1.name}${h1.region ? ` (${h1.region})` : ''}`;

function calendarView(c) {
    const closed = c.closed_days.length
        ? c.closed_days.map((d) => h('li', { 'data-test': 'closed-day' }, `${d.date}${d.reason ? ` · ${d.reason}` : ''}`))
        : [h('li', { class: 'muted' }, t('holidays.no_closed'))];
    return h('div', { 'data-test': 'holiday-calendar' },
        h('p', { class: 'muted small' }, t('holidays.where', { country: c.country, region: c.region || t('holidays.no_region') })),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-test': 'holiday-table' },
            h('thead', null, h('tr', null, h('th', null, t('holidays.country')), h('th', null, t('holidays.next')))),
            h('tbody', null, c.upcoming.map((u) => h('tr', { 'data-test': 'holiday-country', 'data-country': u.country },
                h('td', { 'data-label': t('holidays.country') }, u.country, u.warehouse_country ? h('span', { class: 'muted small' }, ` · ${t('holidays.pickups')}`) : null),
                h('td', { class: 'wide', 'data-label': t('holidays.next') }, u.holidays.length
                    ? h('ul', { class: 'plain-list holiday-days' }, u.holidays.map((x) => h('li', { 'data-test': 'holiday-day', 'data-date': x.date }, dayLabel(x))))
                    : h('span', { class: 'muted' }, t('holidays.none')))))))),
        h('h3', null, t('holidays.closed_days')), h('ul', { class: 'plain-list', 'data-test': 'closed-days' }, closed));
}

function importForm(onDone) {
    return fileImportForm({
        id: 'holiday',
        label: t('holidays.file'),
        button: t('holidays.import'),
        accept: '.csv,text/csv',
        chooseText: t('holidays.choose_file'),
        hint: t('holidays.import_hint'),
        upload: (file) => uploadFile('/v1/holidays', file),
        done: (r) => t('holidays.imported', { rows: r.rows, added: r.added, replaced: r.replaced }),
        onDone: () => onDone(),
    });
}

/* The card, or null for a seller (the calendar is the warehouse's). */
export function holidaysCard(me, warehouse) {
    if (me.role === 'seller') return null;
    const wh = warehouse || 'DE-DUI';
    const err = errorBox();
    const view = h('div', { 'data-test': 'holidays-out' });
    const load = async () => {
        showProblem(err, null);
        try {
            view.replaceChildren(calendarView(await api('GET', `/v1/warehouses/${encodeURIComponent(wh)}/calendar`)));
        } catch (e) {
            showProblem(err, e);
        }
    };
    load();
    return card(t('holidays.title', { warehouse: wh }), h('p', { class: 'muted small' }, t('holidays.note')), err, view,
        h('h3', null, t('holidays.import_title')), importForm(load));
}
