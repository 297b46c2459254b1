// The public read-only API for webmasters: a listed government website (EMBED_ORIGINS;
// locally http://localhost:8080) may read it from its pages, any other origin may not;
// never `*`, never credentials, and `Vary: Origin` so caches keep the answers apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, catalog } from './helpers.mjs';

const HOST = 'http://localhost:8080';
const OTHER = 'http://localhost:8081';

async function get(path, origin, headers = {}) {
  return fetch(BASE + path, { headers: { Origin: origin, ...headers } });
}

test('a listed origin reads the public API; another origin gets no CORS answer', async () => {
  const { items } = await catalog();
  for (const path of [`/api/v1/items/${items[0].code}`, '/api/v1/catalog?limit=5', '/api/v1/halls', '/api/v1/holidays', '/api/v1/search-index', `/api/v1/search?q=${encodeURIComponent('营业执照')}`]) {
    const listed = await get(path, HOST);
    assert.equal(listed.status, 200, path);
    assert.equal(listed.headers.get('access-control-allow-origin'), HOST, path);
    assert.equal(listed.headers.get('access-control-allow-credentials'), null, path);
    assert.match(listed.headers.get('vary') ?? '', /Origin/, path);
    const other = await get(path, OTHER);
    assert.equal(other.status, 200, path);
    assert.equal(other.headers.get('access-control-allow-origin'), null, `${path}: nothing for ${OTHER}`);
    assert.match(other.headers.get('vary') ?? '', /Origin/, path);
  }
  // A revalidation answers the same way.
  const first = await get(`/api/v1/items/${items[0].code}`, HOST);
  const again = await get(`/api/v1/items/${items[0].code}`, HOST, { 'If-None-Match': first.headers.get('etag') });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('access-control-allow-origin'), HOST);
});

test('preflight: allowed for a listed origin asking for GET, silent otherwise', async () => {
  const path = '/api/v1/catalog';
  const preflight = (origin, method = 'GET') => fetch(BASE + path, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'if-none-match' },
  });
  const ok = await preflight(HOST);
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), HOST);
  assert.match(ok.headers.get('access-control-allow-methods'), /GET/);
  assert.doesNotMatch(ok.headers.get('access-control-allow-methods'), /POST|PUT|DELETE/);
  for (const [origin, method] of [[OTHER, 'GET'], [HOST, 'POST'], ['null', 'GET']]) {
    const refused = await preflight(origin, method);
    assert.equal(refused.status, 204);
    assert.equal(refused.headers.get('access-control-allow-origin'), null, `${origin} ${method}`);
  }
});

test('staff and case routes give no CORS answer to anyone', async () => {
  for (const path of ['/api/v1/staff/me', '/api/v1/halls/xinxian/cases']) {
    const res = await get(path, HOST);
    assert.equal(res.headers.get('access-control-allow-origin'), null, path);
  }
  const lookup = await fetch(`${BASE}/api/v1/cases/lookup`, {
    method: 'POST', headers: { Origin: HOST, 'Content-Type': 'application/json' }, body: '{}',
  });
  assert.equal(lookup.headers.get('access-control-allow-origin'), null);
});

test('GET /api/v1/search gives the search page’s results as JSON', async () => {
  const res = await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent('身分证')}&hall=xinxian`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.hall, 'xinxian');
  assert.ok(body.total >= 1 && body.results.length >= 1, 'a typo still finds the ID card items');
  assert.ok(body.results.some((r) => /身份证/.test(r.name) || /身份证/.test(r.matched ?? '')), JSON.stringify(body.results.slice(0, 3)));
  assert.match(body.results[0].url, new RegExp(`^${BASE}/g/`));
  assert.ok(body.results.length <= 50);
  const unknownHall = await fetch(`${BASE}/api/v1/search?q=x&hall=no-such-hall`);
  assert.equal(unknownHall.status, 400);
  assert.equal((await unknownHall.json()).fields[0].field, 'hall');
});
