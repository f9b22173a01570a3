// Rate cards imported from a file (issue 10 item 2), a section of the Money
// page for operators and admins: a CSV or an .xlsx with the columns
// card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate
// sent as it is to POST /v1/rate-cards/import (all cards or none); the cards
// made, or the problem with the row or card it names.

import { uploadFile } from '../api.js';
import { t } from '../i18n.js';
import { h, card, fileImportForm } from '../ui.js';

export function rateCardImportCard(onDone) {
    const form = fileImportForm({
        id: 'ratecard',
        label: t('ratecards.file'),
        button: t('ratecards.import'),
        accept: '.csv,.xlsx,text/csv',
        chooseText: t('ratecards.choose_file'),
        primary: true,
        upload: (file) => uploadFile('/v1/rate-cards/import', file),
        done: (r) => [t('ratecards.imported', { n: r.imported }), ' ',
            ...r.cards.map((c) => h('span', { class: 'mono strong', 'data-test': 'ratecard-imported-id' }, `${c.id} `))],
        onDone: onDone ? () => onDone() : null,
    });
    return card(t('ratecards.import_title'), h('p', { class: 'muted small' }, t('ratecards.import_hint')), form);
}
