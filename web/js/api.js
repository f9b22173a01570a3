// The dashboard's only door to the server: the public /v1 API.
// The API key lives in sessionStorage (this tab's session only), never in
// localStorage or a cookie; every call sends it as a bearer token.

const KEY_STORE = 'haicang.key';

export function getKey() {
    return sessionStorage.getItem(KEY_STORE);
}
export function setKey(key) {
    sessionStorage.setItem(KEY_STORE, key);
}
export function clearKey() {
    sessionStorage.removeItem(KEY_STORE);
}

// An answer that was not 2xx. `problem` is the problem+json body when the
// server sent one: {type, title, status, detail, errors:[{field, message}]}.
export class ApiError extends Error {
    constructor(status, problem) {
        super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
        this.status = status;
        this.problem = problem || { status, title: `HTTP ${status}` };
    }
    get fieldErrors() {
        return Array.isArray(this.problem.errors) ? this.problem.errors : [];
    }
}

// Called on a 401 (key revoked or wrong): the app signs out.
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
    onUnauthorized = fn;
}

// A fresh Idempotency-Key per user action, so a double click or a retry never
// books twice. crypto.randomUUID needs a secure context; getRandomValues does not.
export function newIdempotencyKey() {
    if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function buildUrl(path, query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query || {})) {
        if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const s = qs.toString();
    return s ? `${path}?${s}` : path;
}

// api('GET', '/v1/orders', {query:{status:'allocated'}})
// api('POST', '/v1/waves', {body:{warehouse:'DE-DUI'}, idem: key})
export async function api(method, path, { query, body, idem, key } = {}) {
    const headers = { Accept: 'application/json' };
    const k = key || getKey();
    if (k) headers.Authorization = `Bearer ${k}`;
    const init = { method, headers };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    if (method !== 'GET') headers['Idempotency-Key'] = idem || newIdempotencyKey();
    let res;
    try {
        res = await fetch(buildUrl(path, query), init);
    } catch (e) {
        throw new ApiError(0, { title: 'Network error', detail: String(e.message || e) });
    }
    const text = await res.text();
    let data = null;
    if (text) {
        try {
            data = JSON.parse(text);
        } catch {
            data = null;
        }
    }
    if (!res.ok) {
        if (res.status === 401 && !key) onUnauthorized();
        throw new ApiError(res.status, data && typeof data === 'object' ? data : { status: res.status, title: res.statusText || `HTTP ${res.status}`, detail: text.slice(0, 200) });
    }
    return data;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// POSTs a chosen file as it is (an .xlsx as a workbook, anything else as
// text/csv) with a fresh Idempotency-Key: the answer's JSON, or an ApiError.
export async function uploadFile(path, file) {
    const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
    const res = await fetch(path, {
        method: 'POST',
        headers: { Authorization: `Bearer ${getKey()}`, 'Content-Type': type, 'Idempotency-Key': newIdempotencyKey(), Accept: 'application/json' },
        body: await file.arrayBuffer(),
    });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    if (!res.ok) throw new ApiError(res.status, data || { status: res.status, title: `HTTP ${res.status}` });
    return data;
}

// One page of a list endpoint: {items, next_cursor}.
// Pages are shorter on a phone, where every row is a card.
export function listPage(path, query, cursor, limit = 25) {
    if (window.innerWidth < 640) limit = Math.min(limit, 20);
    return api('GET', path, { query: { ...query, limit, cursor } });
}

// Idempotency keys for one form: the same body gets the same key (a retry after
// a lost answer books nothing twice); a changed body gets a fresh key.
export function idemKeeper() {
    const keys = new Map();
    return (body) => {
        const k = JSON.stringify(body ?? null);
        if (!keys.has(k)) keys.set(k, newIdempotencyKey());
        return keys.get(k);
    };
}
