// `/api/v1`: JSON bodies, errors that name the problem, caching. (The OpenAPI document
// against the routes, both ways, and who may call each route: authz.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, getJson, catalog } from './helpers.mjs';

test('GET /api/v1/catalog lists items for browsing, with ETag and 304', async () => {
  const { response, body } = await getJson('/api/v1/catalog');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /application\/json/);
  assert.ok(body.items.length >= 40);
  const entry = body.items[0];
  for (const key of ['code', 'name', 'department', 'level', 'zone', 'kind', 'promised_limit']) {
    assert.ok(key in entry, `catalog entry has ${key}`);
  }
  const etag = response.headers.get('etag');
  assert.ok(etag);
  assert.match(response.headers.get('cache-control'), /max-age/);
  const again = await fetch(`${BASE}/api/v1/catalog`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});

test('GET /api/v1/catalog pages its items with a cursor, per hall too', async () => {
  const whole = (await getJson('/api/v1/catalog')).body;
  const seen = [];
  let cursor = '';
  for (let pages = 0; pages < 20; pages += 1) {
    const { response, body } = await getJson(`/api/v1/catalog?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(response.status, 200);
    assert.ok(body.items.length <= 10);
    seen.push(...body.items.map((i) => i.code));
    if (!body.next) break;
    cursor = body.next;
  }
  assert.deepEqual(seen, whole.items.map((i) => i.code), 'every item once, in catalog order');
  assert.equal(seen.length, whole.total);
  const hall = whole.halls[1].id;
  const { body: ofHall } = await getJson(`/api/v1/catalog?hall=${hall}&limit=1000`);
  assert.ok(ofHall.items.length > 0 && ofHall.items.every((i) => i.hall === hall));
  assert.equal(ofHall.next, null);
  const bad = await getJson('/api/v1/catalog?limit=abc');
  assert.equal(bad.response.status, 400);
  assert.equal(bad.body.fields[0].field, 'limit');
});

test('GET /api/v1/items/{code} returns the whole item', async () => {
  const { items } = await catalog();
  const { response, body } = await getJson(`/api/v1/items/${items[0].code}`);
  assert.equal(response.status, 200);
  assert.equal(body.code, items[0].code);
  assert.equal(body.name, items[0].name);
  assert.ok(Array.isArray(body.materials) && body.materials.length > 0);
  assert.ok(body.place.address);
});

test('unknown code: 404 with a JSON error body', async () => {
  const { response, body } = await getJson('/api/v1/items/NO-SUCH-CODE');
  assert.equal(response.status, 404);
  assert.equal(body.code, 'no_item');
  assert.match(body.error, /NO-SUCH-CODE/);
});

test('malformed code: 400 naming the field', async () => {
  for (const bad of ['%E8%90%A5%E4%B8%9A', 'A'.repeat(37), 'ab%3Ccd']) {
    const { response, body } = await getJson(`/api/v1/items/${bad}`);
    assert.equal(response.status, 400, bad);
    assert.equal(body.code, 'bad_code');
    assert.equal(body.fields[0].field, 'code');
  }
});

test('unknown API path: 404 JSON, not the app shell', async () => {
  const { response, body } = await getJson('/api/v1/nothing-here');
  assert.equal(response.status, 404);
  assert.equal(body.code, 'no_route');
});
