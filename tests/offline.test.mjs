// Offline: a guide once opened opens again with no network, saying when it was saved;
// back online the current version replaces it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, catalog, waitForApp, BASE } from './helpers.mjs';

let browser;
let entries;
before(async () => { browser = await launch(); entries = (await catalog()).items; });
after(() => browser?.close());

async function saved(page, path) {
  await page.waitForFunction(async (p) => {
    const cache = await caches.open('zhinan-pages-v1');
    return Boolean(await cache.match(new URL(p, location.origin).href));
  }, path, { timeout: 15000 });
}

test('the web app manifest and service worker are served', { timeout: 180_000 }, async () => {
  const manifest = await fetch(`${BASE}/manifest.webmanifest`);
  assert.equal(manifest.status, 200);
  const body = await manifest.json();
  assert.equal(body.start_url, '/');
  assert.equal(body.lang, 'zh-CN');
  const sw = await fetch(`${BASE}/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('cache-control') ?? '', /no-cache/);
});

test('opened guides reopen with the network cut, and are replaced when back online', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const [first, second] = entries;
  const { page, errors } = await openPage(ctx, `/g/${first.code}`);
  await waitForApp(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await saved(page, `/g/${first.code}`);
  // A second guide opened by following a search result is kept too.
  await page.goto(`${BASE}/s?q=${encodeURIComponent(second.name)}`);
  await waitForApp(page);
  await page.locator(`a.entry[href="/g/${second.code}"]`).first().click();
  await page.locator('h1#guide-title', { hasText: second.name }).waitFor();
  await saved(page, `/g/${second.code}`);

  await ctx.setOffline(true);
  for (const entry of [first, second]) {
    await page.goto(`${BASE}/g/${entry.code}`);
    assert.equal(await page.locator('h1#guide-title').innerText(), entry.name);
    const banner = await page.locator('#offline-banner').innerText();
    assert.match(banner, /没有网络.*\d{4}\/\d{1,2}\/\d{1,2}.*保存/);
    assert.match(await page.locator('.verify').innerText(), /更新于 \d{4}-\d{2}-\d{2}/);
    await waitForApp(page);
    assert.ok((await page.locator('.checklist .material-name').count()) > 0);
  }
  // A page never opened says so plainly.
  const never = entries[entries.length - 1];
  await page.goto(`${BASE}/g/${never.code}`);
  assert.equal(await page.locator('h1').innerText(), '当前没有网络');

  await ctx.setOffline(false);
  await page.goto(`${BASE}/g/${first.code}`);
  assert.equal(await page.locator('#offline-banner').count(), 0, 'fresh page once online');
  assert.equal(await page.locator('h1#guide-title').innerText(), first.name);
  // The one page never opened answers 503 (its "no network" page): expected in the console.
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::|status of 503/.test(e)), []);
  await ctx.close();
});

test('the service worker keeps citizen pages only: never the console or a lookup', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${entries[0].code}`);
  await waitForApp(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await saved(page, `/g/${entries[0].code}`);
  // Navigations the worker now controls: the console and the progress page.
  for (const path of ['/staff/', '/c']) {
    await page.goto(BASE + path);
    await page.waitForLoadState('load');
  }
  const kept = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  assert.ok(kept.includes(`/g/${entries[0].code}`), kept.join(' '));
  assert.deepEqual(kept.filter((p) => p.startsWith('/staff') || p === '/c'), []);
  await ctx.close();
});

test('the catalog store failing: a kept guide still opens, a new one gets a clear retry page', { timeout: 180_000 }, async () => {
  const code = entries[3].code;
  // Without a kept copy: 503, a page saying to retry (and when), the API a JSON 503.
  const page503 = await fetch(`${BASE}/g/${entries[4].code}`, { headers: { 'X-Fault': 'kv-read' } });
  assert.equal(page503.status, 503);
  assert.equal(page503.headers.get('retry-after'), '30');
  assert.equal(page503.headers.get('cache-control'), 'no-store');
  assert.match(await page503.text(), /暂时无法显示办事指南.*稍后刷新重试.*12345/s);
  const api503 = await fetch(`${BASE}/api/v1/items/${code}`, { headers: { 'X-Fault': 'kv-read' } });
  assert.equal(api503.status, 503);
  assert.equal((await api503.json()).code, 'unavailable');
  assert.equal(api503.headers.get('retry-after'), '30');

  // A guide opened before: the service worker shows the kept copy, saying why.
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${code}`);
  await waitForApp(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await saved(page, `/g/${code}`);
  // The worker has taken the page (`clients.claim`): it answers what comes next.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await ctx.addCookies([{ name: 'zhinan_fault', value: 'kv-read', url: BASE }]);
  const answer = await page.goto(`${BASE}/g/${code}`);
  assert.equal(answer.status(), 200, `answered by ${answer.fromServiceWorker() ? 'the service worker' : 'the network'}`);
  assert.equal(await page.locator('h1#guide-title').innerText(), entries[3].name);
  assert.match(await page.locator('#offline-banner').innerText(), /服务器暂时无法访问.*保存的版本/);
  await ctx.clearCookies();
  await page.goto(`${BASE}/g/${code}`);
  assert.equal(await page.locator('#offline-banner').count(), 0, 'the live page again once the store answers');
  await ctx.close();
});
