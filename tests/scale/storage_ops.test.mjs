// At a prefecture's size (a generated catalog of 20,000 items, see scripts/e2e.sh), no
// request does more than 50 storage operations — KV reads, writes and lists, Durable
// Object storage and SQL calls, subrequests to objects — on any route: citizen pages and
// API, the progress lookup, the hall API and every staff call, publishing included. The
// worker reports its count in X-Storage-Ops (COUNT_OPS=1, local only). Requests go one at
// a time so no two share a count.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync } from 'node:zlib';

const BASE = process.env.BASE_URL;
const BOUND = 50;
const ADMIN = process.env.ADMIN_PASSWORD;
const seen = [];

let catalog;
let sample;
let cookie;
let csrf;

/** One request; asserts its answer and its storage operations. */
async function call(method, path, { body, raw, type = 'application/json', status = [200], headers = {}, staff = false } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: {
      'Content-Type': type,
      ...(staff ? { Cookie: cookie, 'X-CSRF-Token': csrf } : {}),
      ...headers,
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  const ops = Number(res.headers.get('x-storage-ops'));
  assert.ok(status.includes(res.status), `${method} ${path} -> ${res.status} ${text.slice(0, 300)}`);
  assert.ok(res.headers.has('x-storage-ops'), `${method} ${path} reports its storage operations`);
  assert.ok(ops <= BOUND, `${method} ${path}: ${ops} storage operations (bound ${BOUND})`);
  seen.push([ops, `${method} ${path.split('?')[0]}`]);
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { /* a page */ }
  return { res, text, body: parsed, ops };
}

before(async () => {
  catalog = (await call('GET', '/api/v1/catalog')).body;
  assert.ok(catalog.total >= 20000, `a prefecture-sized catalog (${catalog.total} items)`);
  assert.equal(catalog.items.length, 200, 'the first page, not the whole catalog');
  const middle = (await call('GET', `/api/v1/catalog?cursor=${Math.floor(catalog.total / 2)}&limit=10`)).body;
  sample = middle.items[0];
  const login = await call('POST', '/api/v1/staff/login', { body: { username: 'admin', password: ADMIN } });
  cookie = login.res.headers.get('set-cookie').split(';')[0];
  csrf = login.body.csrf_token;
});

test('citizen pages and the public API stay within the bound', async () => {
  for (const path of [
    '/', `/g/${sample.code}`, `/g/${sample.code}/print`, `/qr/${sample.code}.svg`,
    `/api/v1/items/${sample.code}`, `/api/v1/search-index?hall=${sample.hall}`, '/api/v1/holidays',
    '/api/v1/ping', `/h/${sample.hall}`, '/api/v1/halls', `/api/v1/catalog?hall=${sample.hall}`,
    `/s?q=${encodeURIComponent(sample.name.slice(0, 2))}&hall=${sample.hall}`, '/s?q=yyzz', `/s?level=county`,
    '/c', '/api/v1/openapi.json', '/robots.txt', '/favicon.ico', '/sitemap.xml', '/sitemap-pages.xml',
    `/sitemap-hall-${encodeURIComponent(sample.hall)}.xml`,
    `/api/v1/search?q=${encodeURIComponent(sample.name.slice(0, 2))}&hall=${sample.hall}`,
    `/embed/g/${sample.code}`, `/embed/s?q=${encodeURIComponent(sample.name.slice(0, 2))}&hall=${sample.hall}`, '/embed/c',
  ]) {
    await call('GET', path);
  }
  // Several counties: a search without a hall asks for one instead of loading them all.
  const unscoped = await call('GET', '/api/v1/search-index', { status: [400] });
  assert.equal(unscoped.body.fields[0].field, 'hall');
  if (catalog.life_events.length > 0) await call('GET', `/e/${catalog.life_events[0].id}`);
  await call('GET', '/g/NO-SUCH-CODE', { status: [404] });
  await call('GET', '/h/no-such-hall', { status: [404] });
  await call('GET', '/no-such-page', { status: [404] });
});

test('a phone downloads at most 150 KB (brotli) of search data and the home page is small', async () => {
  const summary = (await call('GET', '/api/v1/halls')).body;
  const counties = summary.halls.filter((h) => !h.county);
  assert.ok(counties.length > 1, 'a prefecture has several counties');
  let largest = 0;
  for (const county of counties) {
    const { text } = await call('GET', `/api/v1/search-index?hall=${county.id}`);
    const size = brotliCompressSync(Buffer.from(text)).length;
    largest = Math.max(largest, size);
    assert.ok(size <= 150 * 1024, `${county.name}: ${size} bytes of search data (brotli)`);
  }
  const home = await call('GET', '/');
  const homeSize = brotliCompressSync(Buffer.from(home.text)).length;
  console.log(`largest county search data: ${largest} B brotli; home page: ${homeSize} B brotli`);
  assert.ok(homeSize < 100 * 1024, `home page ${homeSize} bytes (brotli)`);
  // Every hall is on it, none of the 20,000 items' names.
  assert.ok(summary.halls.every((h) => home.text.includes(`/h/${h.id}`)));
  assert.ok(!home.text.includes(sample.name));
  await call('POST', '/api/v1/cases/lookup', {
    body: { number: '5DW9-6MM4-M27R', query_code: '000000' }, status: [404, 400, 429],
  });
});

test('the hall API stays within the bound', async () => {
  const keys = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
  const item = catalog.items.find((i) => keys[i.hall]);
  assert.ok(item, 'an item of a hall with an API key');
  const auth = { Authorization: `Bearer ${keys[item.hall]}` };
  const accepted = await call('POST', `/api/v1/halls/${item.hall}/cases`, {
    headers: auth, status: [201, 200],
    body: { item_code: item.code, applicant_name: '王测试', delivery: 'window', by: '综合窗口' },
  });
  const number = accepted.body.number;
  await call('POST', `/api/v1/halls/${item.hall}/cases/${number}/events`, {
    headers: auth, body: { type: 'reviewing', by: '审核岗' },
  });
  await call('GET', `/api/v1/halls/${item.hall}/cases/${number}`, { headers: auth });
  await call('GET', `/api/v1/halls/${item.hall}/cases`, { headers: auth });
});

test('every staff call, a draft, a publish and a rollback stay within the bound', async () => {
  await call('GET', '/api/v1/staff/me', { staff: true });
  const first = await call('GET', '/api/v1/staff/items', { staff: true });
  assert.equal(first.body.total, catalog.total);
  assert.equal(first.body.rows.length, 50);
  await call('GET', `/api/v1/staff/items?after=${first.body.next}`, { staff: true });
  await call('GET', '/api/v1/staff/items?status=errors', { staff: true });
  const quality = await call('GET', '/api/v1/staff/quality', { staff: true });
  assert.equal(quality.body.items, catalog.total);
  assert.ok(quality.body.by_rule.length > 5, 'the generated catalog breaks several rules');
  await call('GET', `/api/v1/staff/items?rule=${quality.body.by_rule[0].rule}`, { staff: true });
  // The assessment figures: every published item counted, in one query.
  const metrics = await call('GET', '/api/v1/staff/metrics', { staff: true });
  assert.equal(metrics.body.total.items, catalog.total);
  assert.equal(metrics.body.uncounted, 0);
  await call('GET', '/api/v1/staff/metrics?format=csv', { staff: true });
  // Staff words are added to a county's index where it is served.
  await call('GET', '/api/v1/staff/search-words', { staff: true });
  await call('PUT', '/api/v1/staff/search-words', {
    staff: true, body: { words: [{ word: '开小吃店', terms: ['食品经营许可', '餐饮'] }, { word: '办事', terms: ['登记'] }] },
  });
  const withWords = await call('GET', `/api/v1/search-index?hall=${sample.hall}`);
  assert.ok(withWords.body.e.filter((e) => (e.k ?? []).includes('办事')).length <= 40, 'a general word is capped');
  await call('GET', `/s?q=${encodeURIComponent('开小吃店')}&hall=${sample.hall}`);
  await call('GET', `/api/v1/search?q=${encodeURIComponent('办事')}&hall=${sample.hall}`);
  await call('PUT', '/api/v1/staff/search-words', { staff: true, body: { words: [] } });
  // Posters: a sheet for the sample's zone, its short address, the hall's list with scans.
  const sheet = await call('POST', '/api/v1/staff/posters', {
    staff: true, status: [201, 400], body: { hall: sample.hall, zone: sample.zone },
  });
  if (sheet.res.status === 201) {
    const [first] = sheet.body.posters;
    const hop = await fetch(`${BASE}/q/${first.serial}`, { redirect: 'manual' });
    assert.equal(hop.status, 302);
    assert.ok(Number(hop.headers.get('x-storage-ops')) <= BOUND);
    seen.push([Number(hop.headers.get('x-storage-ops')), 'GET /q/{serial}']);
    await call('GET', `/g/${first.code}?q=${first.serial}`);
  }
  await call('GET', `/api/v1/staff/posters?hall=${sample.hall}`, { staff: true });
  // The window desk (as the admin, who may act at any hall): accept, a step, the
  // receipt, a call back refused (no 差评), the hall's list and its CSV.
  const desk = await call('POST', `/api/v1/staff/desk/${sample.hall}/cases`, {
    staff: true, status: [201], body: { item_code: sample.code, applicant_name: '王测试', delivery: 'window' },
  });
  const deskNumber = desk.body.number;
  await call('POST', `/api/v1/staff/desk/${sample.hall}/cases/${deskNumber}/events`, { staff: true, body: { type: 'reviewing' } });
  await call('POST', `/api/v1/staff/desk/${sample.hall}/cases/${deskNumber}/follow-ups`, {
    staff: true, status: [409], body: { outcome: '回访', done: true },
  });
  await call('GET', `/api/v1/staff/desk/receipts/${deskNumber}`, { staff: true });
  await call('GET', `/api/v1/staff/desk/${sample.hall}/cases?all=1`, { staff: true });
  await call('GET', `/api/v1/staff/desk/${sample.hall}/cases?format=csv`, { staff: true });
  // Village 代办: a village of a township registers a request for one of the township's
  // items, hands it over; the township accepts it; both lists, the slip, the lookup and
  // the item's guide (which lists the township's village points).
  const { halls } = (await call('GET', '/api/v1/halls')).body;
  const village = halls.find((h) => h.level === 'village' && h.township);
  assert.ok(village, 'the generated catalog has village service points');
  const townItems = (await call('GET', `/api/v1/catalog?hall=${village.township}&limit=40`)).body.items;
  let proxied;
  for (const entry of townItems) {
    const item = (await call('GET', `/api/v1/items/${entry.code}`)).body;
    if (item.proxy?.allowed && !item.in_person) { proxied = item; break; }
  }
  assert.ok(proxied, `an item of ${village.township} that villages may take over`);
  const registered = await call('POST', `/api/v1/staff/desk/${village.id}/proxy`, {
    staff: true, status: [201], body: { item_code: proxied.code, applicant_name: '李测试', mandate_signed: true },
  });
  const proxyNumber = registered.body.number;
  await call('POST', `/api/v1/staff/desk/${village.id}/proxy/${proxyNumber}/steps`, { staff: true, body: { type: 'handed_over' } });
  await call('GET', `/api/v1/staff/desk/${village.id}/proxy`, { staff: true });
  await call('GET', `/api/v1/staff/desk/${village.township}/proxy`, { staff: true });
  await call('POST', `/api/v1/staff/desk/${village.township}/proxy/${proxyNumber}/accept`, { staff: true, status: [201], body: {} });
  await call('GET', `/api/v1/staff/desk/proxy-slips/${proxyNumber}`, { staff: true });
  const followed = await call('POST', '/api/v1/cases/lookup', {
    body: { number: proxyNumber, query_code: registered.body.query_code }, headers: { 'CF-Connecting-IP': '198.51.100.201' },
  });
  assert.equal(followed.body.proxy.status, 'accepted');
  const guide = await call('GET', `/g/${proxied.code}`);
  assert.ok(guide.text.includes('可在村（社区）代办') && guide.text.includes(village.name), 'the guide lists the village points');
  const dept = await call('GET', `/api/v1/staff/items?department=${encodeURIComponent(sample.department)}`, { staff: true });
  assert.ok(dept.body.rows.every((r) => r.department === sample.department));
  const found = await call('GET', `/api/v1/staff/items?q=${encodeURIComponent(sample.name)}`, { staff: true });
  assert.ok(found.body.rows.some((r) => r.code === sample.code), 'search by name finds the item');
  const index = (await call('GET', `/api/v1/search-index?hall=${sample.hall}`)).body;
  const pinyin = index.e.find((e) => e.c === sample.code).p.replaceAll(' ', '');
  const byPinyin = await call('GET', `/api/v1/staff/items?q=${pinyin}&limit=200`, { staff: true });
  assert.ok(byPinyin.body.rows.some((r) => r.code === sample.code), `pinyin ${pinyin} finds the item`);

  // Export and re-import one department in the national layout: bounded, and unchanged.
  const tooMany = await call('GET', '/api/v1/staff/export?format=csv&scope=published', { staff: true, status: [400] });
  assert.equal(tooMany.body.fields[0].field, 'department');
  const exported = await fetch(`${BASE}/api/v1/staff/export?format=csv&scope=published&department=${encodeURIComponent(sample.department)}`,
    { headers: { Cookie: cookie } });
  assert.equal(exported.status, 200);
  assert.ok(Number(exported.headers.get('x-storage-ops')) <= BOUND, `export: ${exported.headers.get('x-storage-ops')} operations`);
  seen.push([Number(exported.headers.get('x-storage-ops')), 'GET /api/v1/staff/export']);
  const csv = await exported.text();
  const reimport = await call('POST', '/api/v1/staff/import?dry_run=true', { staff: true, raw: csv, type: 'text/csv' });
  assert.ok(reimport.body.rows.length > 0);
  assert.deepEqual(reimport.body.rows.filter((r) => r.status !== 'unchanged').map((r) => r.code), []);

  const opened = await call('GET', `/api/v1/staff/items/${sample.code}`, { staff: true });
  const item = opened.body.published;
  const edited = { ...item, limit_note: `${item.limit_note ?? ''}（规模测试）` };
  const saved = await call('PUT', `/api/v1/staff/items/${sample.code}/draft`, {
    staff: true, body: { item: edited, base_rev: null },
  });
  await call('GET', `/api/v1/staff/items/${sample.code}/diff`, { staff: true });
  const before = (await call('GET', '/api/v1/staff/versions', { staff: true })).body.current;
  let job = (await call('POST', '/api/v1/staff/publish', {
    staff: true, status: [200, 202, 409], body: { acknowledge_warnings: true, codes: [sample.code] },
  })).body;
  if (saved.body.findings.some((f) => f.severity === 'error')) {
    assert.equal(job.code, 'lint_errors');
    await call('DELETE', `/api/v1/staff/items/${sample.code}/draft`, { staff: true, status: [204] });
    return;
  }
  for (let i = 0; job.state !== 'done' && i < 60; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await call('GET', '/api/v1/staff/publish', { staff: true })).body;
  }
  assert.equal(job.state, 'done');
  const live = await call('GET', `/api/v1/items/${sample.code}`);
  assert.equal(live.body.limit_note, edited.limit_note);
  await call('GET', '/api/v1/staff/audit', { staff: true });
  await call('POST', '/api/v1/staff/rollback', { staff: true, body: { version: before } });
  assert.equal((await call('GET', `/api/v1/items/${sample.code}`)).body.limit_note, item.limit_note);
});

test('the largest counts, for the record', async () => {
  seen.sort((a, b) => b[0] - a[0]);
  const lines = seen.slice(0, 8).map(([ops, what]) => `${String(ops).padStart(3)}  ${what}`);
  console.log(`storage operations per request at ${catalog.total} items, largest first:\n${lines.join('\n')}`);
  const largest = seen[0][0];
  assert.ok(largest <= BOUND);
});
