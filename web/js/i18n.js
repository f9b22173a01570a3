// Chinese and English. The choice is remembered in localStorage; the first
// visit follows navigator.language. Strings live in /i18n/<lang>.json.

const LANG_STORE = 'haicang.lang';
export const LANGS = ['zh', 'en'];

let lang = 'en';
let dict = {};
let fallback = {};
const cache = {};

async function load(l) {
    if (!cache[l]) {
        const res = await fetch(`i18n/${l}.json`);
        if (!res.ok) throw new Error(`i18n/${l}.json: HTTP ${res.status}`);
        cache[l] = await res.json();
    }
    return cache[l];
}

export function initialLang() {
    const saved = localStorage.getItem(LANG_STORE);
    if (LANGS.includes(saved)) return saved;
    const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export async function setLang(l, remember = true) {
    if (!LANGS.includes(l)) l = 'en';
    dict = await load(l);
    fallback = l === 'en' ? dict : await load('en');
    lang = l;
    if (remember) localStorage.setItem(LANG_STORE, l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

export function getLang() {
    return lang;
}

// t('orders.count', {n: 3}) -> "3 orders"; an unknown key shows itself.
export function t(key, params) {
    let s = dict[key] ?? fallback[key] ?? key;
    if (params) s = s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
    return s;
}

// A status or other enum value: t('status.allocated'), falling back to the raw value.
export function tv(prefix, value) {
    const k = `${prefix}.${value}`;
    const s = dict[k] ?? fallback[k];
    return s ?? String(value ?? '');
}

const numFmt = {};
export function fmtNum(n) {
    if (n === null || n === undefined || n === '') return '—';
    const loc = lang === 'zh' ? 'zh-CN' : 'en-US';
    numFmt[loc] ??= new Intl.NumberFormat(loc);
    return numFmt[loc].format(n);
}

// Local time, compact and the same shape in both languages: 2026-11-27 14:05.
export function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    const p = (x) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fmtMoney(m) {
    if (!m || m.amount === undefined) return '—';
    return `${m.amount} ${m.currency || ''}`.trim();
}
