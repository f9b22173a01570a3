// Slotting (operators and admins): propose bin-to-bin moves that bring the
// SKUs picked most near the depot, then accept some or all of them.
//   #/slotting?warehouse=WH      the form; the proposal shows below it
//   #/slotting/ID?warehouse=WH   a stored proposal (also #/ref/slt_...)
// API: POST /v1/warehouses/{wh}/slotting, GET .../slotting/{id},
// POST .../slotting/{id}/accept, and the journal by ref for accepted moves.

import { api, idemKeeper, listPage } from '../api.js';
import { t, fmtNum, fmtTime } from '../i18n.js';
import { h, card, clear, pageHeader, pagedTable, kv, errorBox, showProblem, notice, busy, intValue, field, link } from '../ui.js';
import { warehouses } from '../refdata.js';
import { warehouseSelect, q } from './filters.js';
import { journalColumns } from './inventory.js';

function meters(mm) {
    if (mm === undefined || mm === null) return '—';
    return `${(Number(mm) / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} m`;
}

const proposalHref = (p) => `#/slotting/${encodeURIComponent(p.id)}?warehouse=${encodeURIComponent(p.warehouse)}`;
const slotPath = (wh, ...rest) => ['/v1/warehouses', wh, 'slotting', ...rest].map((s, i) => (i ? encodeURIComponent(s) : s)).join('/');

function kpi(label, value, tone, test) {
    return h('div', { class: `kpi kpi-${tone}`, 'data-test': test }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value' }, value));
}

// The walk before and after, the saving, and what the proposal was made from.
function summary(p) {
    const w = p.walk_mm_per_day || {};
    const pp = p.walk_mm_per_pick || {};
    const pct = w.before > 0 ? ` (${Math.round((100 * (p.saved_mm_per_day || 0)) / w.before)}%)` : '';
    return [
        h('div', { class: 'kpis slot-kpis', 'data-test': 'slot-walk' },
            kpi(t('slotting.walk_before'), meters(w.before), 'blue', 'walk-before'),
            kpi(t('slotting.walk_after'), meters(w.after), 'teal', 'walk-after'),
            kpi(t('slotting.saving'), `${meters(p.saved_mm_per_day)}${pct}`, 'green', 'walk-saved')),
        card(null, kv([
            [t('field.id'), link(proposalHref(p), p.id, { class: 'mono', 'data-test': 'proposal-id' })],
            [t('field.warehouse'), p.warehouse],
            [t('slotting.window'), t('slotting.days', { n: fmtNum(p.window_days) })],
            [t('slotting.max_moves'), fmtNum(p.max_moves)],
            [t('slotting.picks_per_day'), fmtNum(p.picks_per_day)],
            [t('slotting.per_pick'), `${meters(pp.before)} → ${meters(pp.after)}`],
            p.bins_considered !== undefined && [t('slotting.bins_considered'), fmtNum(p.bins_considered)],
            p.skus_picked !== undefined && [t('slotting.skus_picked'), fmtNum(p.skus_picked)],
            [t('field.created'), `${fmtTime(p.created_at)}${p.created_by ? ` · ${p.created_by}` : ''}`],
        ])),
    ];
}

// The moves with a checkbox each (a swap's two moves are checked together,
// as the API takes whole swaps only), and the accept buttons.
function movesCard(p, onAccepted) {
    const moves = p.moves || [];
    if (!moves.length) {
        return card(t('slotting.moves'), h('p', { class: 'muted', 'data-test': 'no-moves' }, t('slotting.no_moves')));
    }
    const bySeq = new Map(moves.map((m) => [m.seq, m]));
    const err = errorBox();
    const boxes = new Map();
    const rows = new Map();
    const open = moves.filter((m) => !m.accepted_at);
    const selected = () => open.filter((m) => boxes.get(m.seq).checked).map((m) => m.seq);
    const acceptSel = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'accept-selected', disabled: true }, t('slotting.accept_selected', { n: 0 }));
    const acceptAll = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'accept-all' }, t('slotting.accept_all'));
    const all = h('input', { type: 'checkbox', 'data-test': 'select-all', 'aria-label': t('slotting.select_all') });
    const refresh = () => {
        const n = selected().length;
        acceptSel.textContent = t('slotting.accept_selected', { n: fmtNum(n) });
        acceptSel.disabled = n === 0;
        all.checked = n > 0 && n === open.length;
        all.indeterminate = n > 0 && n < open.length;
    };
    all.addEventListener('change', () => {
        for (const m of open) boxes.get(m.seq).checked = all.checked;
        refresh();
    });
    for (const m of moves) {
        const box = h('input', { type: 'checkbox', 'data-test': 'move-check', 'data-seq': m.seq, disabled: !!m.accepted_at, checked: false, 'aria-label': `${t('slotting.select')} #${m.seq}` });
        box.addEventListener('change', () => {
            const partner = m.swap_seq && boxes.get(m.swap_seq);
            if (partner && !partner.disabled) partner.checked = box.checked;
            refresh();
        });
        boxes.set(m.seq, box);
    }
    const cols = [
        { label: '#', cls: 'slot-seq', render: (m) => h('span', { class: 'slot-head' }, m.accepted_at ? '✓' : boxes.get(m.seq), h('span', { class: 'strong' }, ` #${m.seq} `), h('a', { class: 'mono', href: `#/sku/${encodeURIComponent(m.seller)}/${encodeURIComponent(m.sku)}` }, m.sku)) },
        { label: t('slotting.from'), render: (m) => h('span', { class: 'mono strong' }, m.from) },
        { label: t('slotting.to'), render: (m) => h('span', { class: 'mono strong' }, m.to) },
        { label: t('field.qty'), num: true, render: (m) => fmtNum(m.qty) },
        { label: t('slotting.swap'), render: (m) => (m.swap_seq ? h('span', { class: 'slot-swap' }, t('slotting.swap_with', { n: m.swap_seq })) : h('span', { class: 'muted' }, t('slotting.into_empty'))) },
        { label: t('slotting.picks_day'), num: true, render: (m) => fmtNum(m.picks_per_day) },
        { label: t('slotting.walk'), num: true, render: (m) => `${meters(m.from_walk_mm)} → ${meters(m.to_walk_mm)}` },
        { label: t('slotting.saved'), num: true, render: (m) => meters(m.saved_mm_per_day) },
        { label: t('field.status'), wide: true, render: (m) => (m.accepted_at
            ? h('span', { class: 'badge badge-delivered', 'data-test': 'move-accepted', title: m.accepted_at }, t('slotting.accepted_by', { at: fmtTime(m.accepted_at), by: m.accepted_by || '—' }))
            : h('span', { class: 'badge badge-allocated' }, t('slotting.pending'))) },
    ];
    const table = h('table', { class: 'data slot-moves', 'data-test': 'slot-moves' },
        h('thead', null, h('tr', null, cols.map((c, i) => h('th', { class: c.num ? 'num' : c.cls }, i === 0 ? [open.length ? all : null, ' #'] : c.label)))),
        h('tbody', null, moves.map((m) => {
            const tr = h('tr', { 'data-seq': m.seq, class: m.accepted_at ? 'accepted' : null },
                cols.map((c) => h('td', { class: [c.num && 'num', c.cls, c.wide && 'wide'].filter(Boolean).join(' ') || null, 'data-label': c.label }, c.render(m))));
            rows.set(m.seq, tr);
            return tr;
        })));
    const idem = idemKeeper();
    async function accept(btn, body) {
        await busy(btn, async () => {
            rows.forEach((tr) => tr.classList.remove('conflict'));
            try {
                const res = await api('POST', slotPath(p.warehouse, p.id, 'accept'), { body, idem: idem(body) });
                const was = new Set(moves.filter((m) => m.accepted_at).map((m) => m.seq));
                const n = (res.moves || []).filter((m) => m.accepted_at && !was.has(m.seq)).length;
                onAccepted(res, t('slotting.accepted_ok', { n: fmtNum(n) }));
            } catch (ex) {
                showProblem(err, ex);
                // a 409 names moves[i], i the move's index in the proposal
                const f = ex.status === 409 && ex.fieldErrors.map((e) => /^moves\[(\d+)\]$/.exec(e.field || '')).find(Boolean);
                const m = f && moves[Number(f[1])];
                if (m) {
                    rows.get(m.seq).classList.add('conflict');
                    err.prepend(h('p', { class: 'strong', 'data-test': 'move-conflict' }, t('slotting.conflict', { seq: m.seq, sku: m.sku, from: m.from, to: m.to })));
                }
                err.scrollIntoView({ block: 'nearest' });
            }
        });
    }
    acceptSel.addEventListener('click', () => {
        const seqs = selected();
        if (seqs.length) accept(acceptSel, { moves: seqs });
    });
    acceptAll.addEventListener('click', () => accept(acceptAll, {}));
    refresh();
    return card(`${t('slotting.moves')} · ${fmtNum(moves.length)}`,
        h('p', { class: 'muted small' }, t('slotting.accept_hint')),
        h('div', { class: 'table-wrap' }, table),
        err,
        open.length
            ? h('div', { class: 'form-actions slot-actions' }, acceptSel, acceptAll)
            : h('p', { class: 'muted', 'data-test': 'all-accepted' }, t('slotting.all_accepted')));
}

// The journal postings booked by accepting (ref = the proposal id).
function journalCard(p) {
    if (!(p.moves || []).some((m) => m.accepted_at)) return null;
    const table = pagedTable({
        testId: 'slot-journal',
        columns: journalColumns(true).filter((c) => c.label !== t('journal.ref')),
        fetchPage: (cursor) => listPage('/v1/journal', { ref: p.id }, cursor, 50),
        emptyText: t('journal.empty'),
    });
    return card(t('slotting.journal'), table);
}

// Shows proposal p in view; msg: a notice above it.
function showProposal(view, p, msg) {
    const draw = (np, m) => {
        // (append() would write a null as the text "null")
        clear(view).append(...[m && notice(m), ...summary(np), movesCard(np, draw), journalCard(np)].filter(Boolean));
    };
    draw(p, msg);
}

export async function slottingPage(ctx) {
    const { me, main, query } = ctx;
    ctx.setTitle(t('nav.slotting'));
    const wh = q(query, 'warehouse') || (me.role === 'operator' ? me.warehouse : '');
    main.append(pageHeader(t('slotting.title')));
    const sel = warehouseSelect('warehouse', wh, { all: false, me, required: true });
    sel.setAttribute('data-field', 'warehouse');
    if (!wh && me.role !== 'operator') {
        // an admin: the first warehouse until one is chosen
        warehouses().then((list) => { if (!sel.value && list[0]) sel.value = list[0].code; }).catch(() => {});
    }
    const win = h('input', { type: 'number', name: 'window_days', 'data-field': 'window_days', min: 1, max: 365, step: 1, value: q(query, 'window_days') || '30', 'data-test': 'slot-window', inputmode: 'numeric' });
    const max = h('input', { type: 'number', name: 'max_moves', 'data-field': 'max_moves', min: 1, max: 1000, step: 1, value: q(query, 'max_moves') || '50', 'data-test': 'slot-max', inputmode: 'numeric' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-test': 'slot-propose' }, t('slotting.propose'));
    const err = errorBox();
    const form = h('form', { novalidate: true, class: 'inline-form slot-form', 'data-test': 'slot-form' },
        field(t('field.warehouse'), sel),
        field(t('slotting.window_days'), win),
        field(t('slotting.max_moves'), max),
        h('div', { class: 'form-actions' }, btn));
    const view = h('div', { class: 'slot-view', 'data-test': 'slot-view' });
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        busy(btn, async () => {
            const code = sel.value;
            const num = (input) => (Number.isNaN(intValue(input)) ? input.value : intValue(input));
            const body = { window_days: num(win), max_moves: num(max) };
            try {
                if (!code) throw Object.assign(new Error(t('slotting.choose_warehouse')), { status: 0 });
                const p = await api('POST', slotPath(code), { body });
                showProblem(err, null, form);
                if (!ctx.alive()) return;
                showProposal(view, p);
            } catch (ex) {
                showProblem(err, ex, form);
            }
        });
    });
    main.append(card(t('slotting.propose_title'), h('p', { class: 'muted small' }, t('slotting.lead')), form, err), view);
}

// Which warehouse proposal id belongs to, when the hash does not say: an
// operator's own; else the warehouse of its journal moves; else asked of
// each warehouse in turn.
async function findWarehouse(ctx, id) {
    const w = q(ctx.query, 'warehouse');
    if (w) return w;
    if (ctx.me.role === 'operator') return ctx.me.warehouse;
    const j = await api('GET', '/v1/journal', { query: { ref: id, limit: 1 } });
    const m = j.items && j.items[0] && /^wh\/([^/]+)\//.exec(j.items[0].from || '');
    if (m) return m[1];
    for (const x of await warehouses()) {
        try {
            await api('GET', slotPath(x.code, id));
            return x.code;
        } catch (ex) {
            if (ex.status !== 404) throw ex;
        }
    }
    return null;
}

export async function slottingProposalPage(ctx) {
    const { main } = ctx;
    const id = ctx.params[0];
    ctx.setTitle(`${t('slotting.proposal')} ${id}`);
    main.append(pageHeader(h('span', null, h('span', { class: 'muted' }, `${t('slotting.proposal')} `), h('span', { class: 'mono' }, id)),
        h('a', { class: 'btn btn-secondary', href: '#/slotting', 'data-test': 'slot-new' }, t('slotting.new'))));
    const wh = await findWarehouse(ctx, id);
    if (!ctx.alive()) return;
    let p = null;
    if (wh) {
        try {
            p = await api('GET', slotPath(wh, id));
        } catch (ex) {
            if (ex.status !== 404) throw ex;
        }
    }
    if (!ctx.alive()) return;
    if (!p) {
        main.append(card(null, h('p', { class: 'muted', 'data-test': 'slot-not-found' }, t('slotting.not_found'))));
        return;
    }
    const view = h('div', { class: 'slot-view', 'data-test': 'slot-view' });
    main.append(view);
    showProposal(view, p);
}
