// Hostile input (issue 17). Sizes (finding 1): every body is read whole by its handler,
// so the worker refuses an oversized one before reading it — 413 with a JSON error naming
// the field — and over-long addresses (414) and headers (431) too; draft saves and
// imports have larger, stated bounds. Headers (finding 8): HSTS on every answer, citizen
// pages refuse to be framed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, signIn } from './helpers.mjs';

const EDITOR = process.env.EDITOR_PASSWORD;
const CODE = '11411523005960128G-000201001'; // 交警大队's 机动车注册登记

async function send(method, path, { body, headers = {} } = {}) {
  const res = await fetch(BASE + path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, headers: res.headers };
}

test('a citizen API body over 64 KB is refused with 413 before it is read', async () => {
  const big = JSON.stringify({ number: 'x'.repeat(70 * 1024), query_code: '123456' });
  const refused = await send('POST', '/api/v1/cases/lookup', { body: big, headers: { 'CF-Connecting-IP': '198.51.100.77' } });
  assert.equal(refused.status, 413);
  assert.equal(refused.json.code, 'body_too_large');
  assert.equal(refused.json.fields[0].field, 'body');
  assert.match(refused.json.error, /64 KB/);
  assert.equal(refused.headers.get('x-content-type-options'), 'nosniff');
  // The same form, small, is read and answered (a wrong number, not a size problem).
  const small = await send('POST', '/api/v1/cases/lookup', { body: JSON.stringify({ number: 'ABCD', query_code: '123456' }), headers: { 'CF-Connecting-IP': '198.51.100.78' } });
  assert.notEqual(small.status, 413);
  // The no-JavaScript form too.
  const form = await fetch(`${BASE}/c`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `number=${'x'.repeat(70 * 1024)}` });
  assert.equal(form.status, 413);
});

test('a draft save may carry up to 1 MB, not more', async () => {
  const editor = await signIn('jiaojing', EDITOR);
  const item = await (await fetch(`${BASE}/api/v1/items/${CODE}`)).json();
  const save = (note) => editor.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: { ...item, limit_note: note }, base_rev: null });
  const huge = await save('很长'.repeat(400 * 1024));
  assert.equal(huge.status, 413);
  assert.equal(huge.body.fields[0].field, 'body');
  assert.match(huge.body.error, /1 MB/);
  const fine = await save(`${item.limit_note ?? ''}（尺寸测试）`.padEnd(100 * 1024, '。'));
  assert.notEqual(fine.status, 413);
  await editor.call('DELETE', `/api/v1/staff/items/${CODE}/draft`);
  // Sign-in is small: a 100 KB password is not hashed, it is refused.
  const login = await send('POST', '/api/v1/staff/login', { body: JSON.stringify({ username: 'admin', password: 'p'.repeat(100 * 1024) }), headers: { 'CF-Connecting-IP': '198.51.100.79' } });
  assert.equal(login.status, 413);
});

test('over-long addresses and headers are refused', async () => {
  const url = await send('GET', `/s?q=${'营'.repeat(2000)}`);
  assert.equal(url.status, 414);
  assert.equal(url.json.fields[0].field, 'url');
  const headers = await send('GET', '/api/v1/ping', { headers: { 'X-Padding': 'a'.repeat(20 * 1024) } });
  assert.equal(headers.status, 431);
  assert.equal((await send('GET', '/api/v1/ping')).status, 200);
});

test('every answer carries HSTS, and citizen pages may not be framed', async () => {
  for (const path of ['/', `/g/${CODE}`, '/s', '/c', '/api/v1/ping', '/api/v1/halls', '/no-such-page', '/staff/', '/icon.svg']) {
    const res = await fetch(BASE + path);
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d{8}/, path);
  }
  for (const path of ['/', `/g/${CODE}`, '/no-such-page']) {
    const csp = (await fetch(BASE + path)).headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors 'none'/, path);
  }
});

test('sign-in takes JSON only: a cross-site form cannot log anyone in', async () => {
  const ADMIN = process.env.ADMIN_PASSWORD;
  const credentials = { username: 'admin', password: ADMIN };
  for (const [type, body] of [
    ['text/plain', JSON.stringify(credentials)],
    ['application/x-www-form-urlencoded', new URLSearchParams(credentials).toString()],
  ]) {
    const res = await send('POST', '/api/v1/staff/login', { body, headers: { 'Content-Type': type, 'CF-Connecting-IP': '198.51.100.90' } });
    assert.equal(res.status, 400, type);
    assert.equal(res.json.code, 'bad_content_type');
    assert.equal(res.headers.get('set-cookie'), null);
  }
  assert.equal((await signIn('admin', ADMIN, '198.51.100.91')).status, 200);
});
