// The two languages have the same keys, and every key the code asks for exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const en = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/en.json'), 'utf8'));
const zh = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/zh.json'), 'utf8'));

function sources(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) return d.name === 'vendor' ? [] : sources(p);
        return d.name.endsWith('.js') ? [fs.readFileSync(p, 'utf8')] : [];
    });
}

test('zh.json and en.json have the same keys', () => {
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const [k, v] of Object.entries(zh)) assert.ok(v.trim(), `zh ${k} is empty`);
});

test('every t("key") in web/ is translated', () => {
    const used = new Set();
    for (const src of sources(WEB)) for (const m of src.matchAll(/\bt\(\s*['"]([a-z_]+\.[a-z_.]+)['"]/g)) used.add(m[1]);
    assert.ok(used.size > 50);
    const missing = [...used].filter((k) => !(k in en) || !(k in zh));
    assert.deepEqual(missing, []);
});
