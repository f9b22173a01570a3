// #/ref/ID: a journal ref without a known prefix. Ask the id-bearing
// resources in turn (order, inbound, wave, return) and go to the one that has it.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHeader } from '../ui.js';

export async function refPage(ctx) {
    const id = ctx.params[0];
    const e = encodeURIComponent(id);
    // waves are for operators and admins: a seller is not asked (it would be a 403, not an answer)
    const seller = ctx.me && ctx.me.role === 'seller';
    const kinds = [[`/v1/orders/${e}`, `#/orders/${e}`], [`/v1/inbounds/${e}`, `#/inbounds/${e}`],
        !seller && [`/v1/waves/${e}`, `#/waves/${e}`], [`/v1/returns/${e}`, `#/returns?id=${e}`]].filter(Boolean);
    for (const [path, hash] of kinds) {
        try {
            await api('GET', path);
            if (ctx.alive()) location.replace(hash);
            return;
        } catch (ex) {
            if (ex.status !== 404) throw ex;
        }
    }
    ctx.main.append(pageHeader(id), h('p', { class: 'muted', 'data-test': 'ref-not-found' }, t('common.not_found')));
}
