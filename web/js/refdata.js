// Reference lists for filter menus (warehouses, sellers): one page each,
// cached for the session of the page. Not used for tables, which page.

import { api } from './api.js';

const cache = new Map();

function once(key, fn) {
    if (!cache.has(key)) cache.set(key, fn().catch((e) => { cache.delete(key); throw e; }));
    return cache.get(key);
}

export function warehouses() {
    return once('wh', async () => (await api('GET', '/v1/warehouses', { query: { limit: 200 } })).items || []);
}

export function sellers() {
    return once('sellers', async () => (await api('GET', '/v1/sellers', { query: { limit: 200 } })).items || []);
}

export function resetRefdata() {
    cache.clear();
}
