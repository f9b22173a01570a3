// haicang dashboard: shell, sign-in and hash routing.
// Routes: #/overview #/inventory #/sku/SELLER/SKU #/inbounds #/inbounds/ID
//         #/orders #/orders/ID #/waves #/waves/ID #/returns
//         #/transit #/transit/ID #/transit/arrivals
//         #/slotting #/slotting/ID (#/ref/slt_ID)
//         #/money (?seller=S&warehouse=W&month=YYYY-MM)
//         #/seller (?seller=S&at=ISO: the legal identity, as of a time)
//         #/carriers (?warehouse=W&order=ID: services, rate shopping, parcels and labels)
//         #/dispatch (?warehouse=W: today's parcels by service and cut-off, labels, manifests)
//         #/compliance (?seller=S)
//         #/brands (?seller=S&brand=B)
//         #/webhooks (?id=WEBHOOK: subscriptions, the delivery log)
//         #/transfers (?id=TRANSFER: transfer orders, work orders, cartons, labels)

import { api, getKey, setKey, clearKey, setUnauthorizedHandler, ApiError } from './js/api.js';
import { t, setLang, getLang, initialLang, LANGS } from './js/i18n.js';
import { h, clear, showProblem, errorBox, loading } from './js/ui.js';
import { overviewPage } from './js/pages/overview.js';
import { inventoryPage, skuPage } from './js/pages/inventory.js';
import { inboundsPage, inboundPage } from './js/pages/inbounds.js';
import { ordersPage, orderPage } from './js/pages/orders.js';
import { wavesPage, wavePage } from './js/pages/waves.js';
import { returnsPage } from './js/pages/returns.js';
import { pickingPage, pickPrintPage } from './js/pages/picking.js';
import { packingPage } from './js/pages/packing.js';
import { refPage } from './js/pages/ref.js';
import { transitPage, shipmentPage, arrivalsPage } from './js/pages/transit.js';
import { slottingPage, slottingProposalPage } from './js/pages/slotting.js';
import { moneyPage } from './js/pages/money.js';
import { sellerPage } from './js/pages/seller.js';
import { carriersPage } from './js/pages/carriers.js';
import { dispatchPage } from './js/pages/dispatch.js';
import { compliancePage } from './js/pages/compliance.js';
import { brandsPage } from './js/pages/brands.js';
import { webhooksPage } from './js/pages/webhooks.js';
import { transfersPage } from './js/pages/transfers.js';

const routes = [
    { re: /^\/overview$/, page: overviewPage, nav: 'overview' },
    { re: /^\/inventory$/, page: inventoryPage, nav: 'inventory' },
    { re: /^\/sku\/([^/]+)\/(.+)$/, page: skuPage, nav: 'inventory' },
    { re: /^\/inbounds$/, page: inboundsPage, nav: 'inbounds' },
    { re: /^\/inbounds\/([^/]+)$/, page: inboundPage, nav: 'inbounds' },
    { re: /^\/orders$/, page: ordersPage, nav: 'orders' },
    { re: /^\/orders\/([^/]+)$/, page: orderPage, nav: 'orders' },
    { re: /^\/waves$/, page: wavesPage, nav: 'waves' },
    { re: /^\/waves\/([^/]+)$/, page: wavePage, nav: 'waves' },
    { re: /^\/waves\/([^/]+)\/pick$/, page: pickingPage, nav: 'waves' },
    { re: /^\/waves\/([^/]+)\/print$/, page: pickPrintPage, nav: 'waves' },
    { re: /^\/pack$/, page: packingPage, nav: 'waves' },
    { re: /^\/pack\/([^/]+)$/, page: packingPage, nav: 'waves' },
    { re: /^\/returns$/, page: returnsPage, nav: 'returns' },
    { re: /^\/transit$/, page: transitPage, nav: 'transit' },
    { re: /^\/transit\/arrivals$/, page: arrivalsPage, nav: 'transit' },
    { re: /^\/transit\/([^/]+)$/, page: shipmentPage, nav: 'transit' },
    { re: /^\/slotting$/, page: slottingPage, nav: 'slotting' },
    { re: /^\/slotting\/([^/]+)$/, page: slottingProposalPage, nav: 'slotting' },
    { re: /^\/ref\/(slt_[^/]+)$/, page: slottingProposalPage, nav: 'slotting' },
    { re: /^\/money$/, page: moneyPage, nav: 'money' },
    { re: /^\/seller$/, page: sellerPage, nav: 'seller' },
    { re: /^\/carriers$/, page: carriersPage, nav: 'carriers' },
    { re: /^\/dispatch$/, page: dispatchPage, nav: 'dispatch' },
    { re: /^\/compliance$/, page: compliancePage, nav: 'compliance' },
    { re: /^\/brands$/, page: brandsPage, nav: 'brands' },
    { re: /^\/webhooks$/, page: webhooksPage, nav: 'webhooks' },
    { re: /^\/transfers$/, page: transfersPage, nav: 'transfers' },
    { re: /^\/ref\/([^/]+)$/, page: refPage, nav: null },
];

const NAV = ['overview', 'inventory', 'inbounds', 'transit', 'orders', 'waves', 'returns', 'slotting', 'carriers', 'dispatch', 'transfers', 'money', 'seller', 'compliance', 'brands', 'webhooks'];
// the warehouse's own pages: for operator and admin keys, not a seller's
const OPS_ONLY = ['waves', 'slotting', 'dispatch'];

const state = { me: null, renderSeq: 0 };
const root = document.getElementById('app');

function parseHash() {
    const raw = location.hash.replace(/^#/, '') || '/overview';
    const [path, qs] = raw.split('?');
    return { path, query: new URLSearchParams(qs || '') };
}

function langSwitch() {
    return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('nav.language') },
        LANGS.map((l) => h('button', {
            type: 'button',
            class: l === getLang() ? 'active' : '',
            'aria-pressed': l === getLang() ? 'true' : 'false',
            'data-test': `lang-${l}`,
            onclick: async () => {
                if (l === getLang()) return;
                await setLang(l);
                render();
            },
        }, l === 'zh' ? '中文' : 'EN')));
}

function brand() {
    return h('a', { class: 'brand', href: '#/overview' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '海'),
        h('span', { class: 'brand-text' }, h('b', null, t('app.name')), h('small', null, t('app.tagline'))));
}

function whoami(me) {
    const scope = me.seller ? `${t('role.seller_scope')} ${me.seller}` : me.warehouse ? `${t('role.warehouse_scope')} ${me.warehouse}` : t('role.all_scope');
    return h('span', { class: 'whoami', 'data-test': 'whoami' },
        h('span', { class: `role role-${me.role}` }, t(`role.${me.role}`)),
        h('span', { class: 'scope' }, scope));
}

function shell(active) {
    const me = state.me;
    const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
    const header = h('header', { class: 'topbar' },
        h('div', { class: 'topbar-inner' },
            brand(),
            h('nav', { class: 'nav', 'aria-label': t('nav.main') },
                NAV.filter((n) => !OPS_ONLY.includes(n) || me.role !== 'seller').map((n) => h('a', { href: `#/${n}`, class: n === active ? 'active' : '', 'data-nav': n, 'aria-current': n === active ? 'page' : null }, t(`nav.${n}`)))),
            h('div', { class: 'topbar-right' },
                whoami(me),
                langSwitch(),
                h('button', {
                    type: 'button', class: 'btn btn-ghost', 'data-test': 'signout',
                    onclick: () => { clearKey(); state.me = null; location.hash = '#/overview'; render(); },
                }, t('nav.signout')))));
    clear(root).append(header, main, h('footer', { class: 'footer' }, t('app.footer')));
    // on a phone the nav scrolls sideways: bring the current page's tab into view
    const nav = header.querySelector('.nav');
    const cur = nav.querySelector('a.active');
    if (cur && nav.scrollWidth > nav.clientWidth) {
        const c = cur.getBoundingClientRect();
        const n = nav.getBoundingClientRect();
        nav.scrollLeft += c.left - n.left - (n.width - c.width) / 2;
    }
    return main;
}

function signIn(message) {
    document.title = `${t('signin.title')} · ${t('app.name')}`;
    const err = errorBox();
    const input = h('input', { type: 'password', name: 'key', id: 'key', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: t('signin.placeholder'), 'data-test': 'key' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-test': 'signin' }, t('signin.submit'));
    const form = h('form', { class: 'signin-form', novalidate: true },
        h('label', { for: 'key', class: 'field-label' }, t('signin.key')),
        input,
        h('p', { class: 'field-hint' }, t('signin.hint')),
        err,
        btn);
    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const key = input.value.trim();
        if (!key) {
            showProblem(err, new ApiError(400, { title: t('signin.missing'), errors: [{ field: 'key', message: t('signin.missing') }] }), form);
            return;
        }
        btn.disabled = true;
        try {
            const me = await api('GET', '/v1/me', { key });
            setKey(key);
            state.me = me;
            if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/overview';
            render();
        } catch (ex) {
            showProblem(err, ex.status === 401 ? new ApiError(401, { title: t('signin.bad_key'), detail: t('signin.bad_key_detail') }) : ex, form);
        } finally {
            btn.disabled = false;
        }
    });
    clear(root).append(
        h('div', { class: 'signin' },
            h('div', { class: 'signin-card' },
                h('div', { class: 'signin-top' }, brand(), langSwitch()),
                h('h1', null, t('signin.title')),
                h('p', { class: 'muted' }, t('signin.lead')),
                message ? h('div', { class: 'alert alert-info' }, message) : null,
                form)));
    input.focus();
}

async function render() {
    const seq = ++state.renderSeq;
    if (!getKey()) {
        signIn();
        return;
    }
    if (!state.me) {
        clear(root).append(loading());
        try {
            state.me = await api('GET', '/v1/me');
        } catch (e) {
            if (seq !== state.renderSeq) return;
            if (e.status === 401) {
                clearKey();
                signIn(t('signin.expired'));
            } else {
                const box = errorBox();
                clear(root).append(h('div', { class: 'main' }, box));
                showProblem(box, e);
            }
            return;
        }
        if (seq !== state.renderSeq) return;
    }
    const { path, query } = parseHash();
    const route = routes.find((r) => r.re.test(path));
    // waves are the warehouse's business: GET /v1/waves is for operator and admin keys
    if (!route || (OPS_ONLY.includes(route.nav) && state.me.role === 'seller')) {
        location.replace('#/overview');
        return;
    }
    const params = path.match(route.re).slice(1).map(decodeURIComponent);
    const main = shell(route.nav);
    const ctx = {
        me: state.me,
        params,
        query,
        main,
        alive: () => seq === state.renderSeq,
        setTitle: (s) => { document.title = `${s} · ${t('app.name')}`; },
        go: (hash) => { location.hash = hash; },
        // whether a path has a page (pages link to others only where they exist)
        hasRoute: (p) => routes.some((r) => r.re.test(p)),
    };
    try {
        await route.page(ctx);
    } catch (e) {
        if (!ctx.alive()) return;
        const box = errorBox();
        main.prepend(box);
        showProblem(box, e);
    }
}

setUnauthorizedHandler(() => {
    clearKey();
    state.me = null;
    signIn(t('signin.expired'));
});

window.addEventListener('hashchange', () => {
    render();
    window.scrollTo(0, 0);
});

(async () => {
    await setLang(initialLang(), false);
    await render();
    document.body.classList.add('ready');
})();
