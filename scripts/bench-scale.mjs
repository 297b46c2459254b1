// One catalog's figures for `make bench-scale`: staff list, item open, draft save and a
// one-item publish (median of RUNS, milliseconds), the largest X-Storage-Ops seen, and the
// bytes (brotli) of the catalog API's first page and of the phone's search data (the
// largest county's index: what a phone there downloads). Prints one JSON line.
// Usage: BASE_URL=… ADMIN_PASSWORD=… ITEMS=N node scripts/bench-scale.mjs
import { brotliCompressSync } from 'node:zlib';

const base = process.env.BASE_URL;
const runs = Number(process.env.RUNS ?? 5);
let largestOps = 0;

async function call(method, path, { body, cookie, csrf } = {}) {
  const started = performance.now();
  const res = await fetch(base + path, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(cookie ? { Cookie: cookie, 'X-CSRF-Token': csrf } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  largestOps = Math.max(largestOps, Number(res.headers.get('x-storage-ops') ?? 0));
  if (res.status >= 400 && res.status !== 409) {
    throw new Error(`${method} ${path}: ${res.status} ${bytes.toString().slice(0, 200)}`);
  }
  return { res, bytes, ms, json: () => JSON.parse(bytes.toString()) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const login = await call('POST', '/api/v1/staff/login', {
  body: { username: 'admin', password: process.env.ADMIN_PASSWORD },
});
const session = { cookie: login.res.headers.get('set-cookie').split(';')[0], csrf: login.json().csrf_token };

const catalog = await call('GET', '/api/v1/catalog');
const total = catalog.json().total;
// Items from the middle of the catalog, not only the first hall's.
const items = (await call('GET', `/api/v1/catalog?cursor=${Math.floor(total / 2)}&limit=500`)).json().items;
const summary = (await call('GET', '/api/v1/halls')).json();
const areaCount = new Map();
summary.halls.forEach((hall, i) => {
  const area = hall.county ?? hall.id;
  areaCount.set(area, (areaCount.get(area) ?? 0) + summary.counts[i]);
});
const [largestArea] = [...areaCount.entries()].sort((a, b) => b[1] - a[1])[0];
const search = await call('GET', `/api/v1/search-index?hall=${encodeURIComponent(largestArea)}`);

const list = [];
const open = [];
const save = [];
const publish = [];
for (let i = 0; i < runs; i += 1) {
  const code = items[(i * 7919) % items.length].code;
  list.push((await call('GET', '/api/v1/staff/items', session)).ms);
  const opened = await call('GET', `/api/v1/staff/items/${code}`, session);
  open.push(opened.ms);
  const item = opened.json().published;
  const draft = { ...item, limit_note: `${item.limit_note ?? ''}（基准 ${i}）` };
  const saved = await call('PUT', `/api/v1/staff/items/${code}/draft`, { ...session, body: { item: draft, base_rev: null } });
  save.push(saved.ms);
  const started = performance.now();
  let job = (await call('POST', '/api/v1/staff/publish', { ...session, body: { acknowledge_warnings: true, codes: [code] } })).json();
  while (job.state && job.state !== 'done' && job.state !== 'failed') {
    await new Promise((r) => setTimeout(r, 20));
    job = (await call('GET', '/api/v1/staff/publish', session)).json();
  }
  publish.push(performance.now() - started);
  if (!job.state) {
    // Refused (the item has lint errors): drop the draft and count only what ran.
    await call('DELETE', `/api/v1/staff/items/${code}/draft`, session);
    publish.pop();
  }
}

console.log(JSON.stringify({
  items: total,
  search_area_items: areaCount.get(largestArea),
  staff_list_ms: median(list),
  item_open_ms: median(open),
  draft_save_ms: median(save),
  publish_one_ms: publish.length ? median(publish) : null,
  largest_ops: largestOps,
  catalog_api_brotli: brotliCompressSync(catalog.bytes).length,
  search_data_brotli: brotliCompressSync(search.bytes).length,
}));
