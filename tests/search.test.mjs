// `/s`: search as you type over the whole catalog — pinyin initials, full pinyin,
// keywords staff attach, filters — with JavaScript off (GET form, edge-rendered) and on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, waitForApp, BASE } from './helpers.mjs';

let browser;
let index;
before(async () => {
  browser = await launch();
  index = (await getJson('/api/v1/search-index')).body;
});
after(() => browser?.close());

const byName = (name) => index.e.find((e) => e.n === name);

async function resultNames(page) {
  return page.locator('.results .entry-name').allInnerTexts();
}

test('GET /api/v1/search-index: the county\'s index with pinyin computed at seed time, ETag by content', { timeout: 180_000 }, async () => {
  const { response, body } = await getJson('/api/v1/search-index');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /application\/json/);
  const catalog = (await getJson('/api/v1/catalog')).body;
  // The demo is one county: its index holds every item of its halls.
  assert.equal(body.e.length, catalog.total);
  const dibao = body.e.find((e) => e.n.startsWith('最低生活保障'));
  assert.ok(dibao.p.startsWith('zui di sheng huo bao zhang'), dibao.p);
  const etag = response.headers.get('etag');
  assert.match(etag, /^"f[0-9a-f]{32}"$/);
  assert.equal((await fetch(`${BASE}/api/v1/search-index`, { headers: { 'If-None-Match': etag } })).status, 304);
  // A village hall's phone gets its county's index: the same one.
  const village = catalog.halls.find((h) => h.level === 'village');
  const scoped = await getJson(`/api/v1/search-index?hall=${village.id}`);
  assert.equal(scoped.response.headers.get('etag'), etag);
  assert.equal(scoped.body.e.length, body.e.length);
  const unknown = await getJson('/api/v1/search-index?hall=no-such-hall');
  assert.equal(unknown.response.status, 400);
  assert.equal(unknown.body.fields[0].field, 'hall');
});

test('JavaScript off: pinyin initials of a keyword find 营业执照 items through the GET form', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, '/');
  assert.equal(response.status(), 200);
  await page.fill('#home-q', 'yyzz');
  await Promise.all([page.waitForURL('**/s?q=yyzz'), page.press('#home-q', 'Enter')]);
  const names = await resultNames(page);
  assert.ok(names.includes('企业设立登记（有限责任公司）'), names.join());
  assert.ok(names.includes('个体工商户设立登记'), names.join());
  const row = page.locator('.results li', { hasText: '企业设立登记' });
  assert.equal(await row.locator('.entry-meta mark').innerText(), '营业执照');
  assert.match(await page.locator('.result-count').innerText(), /找到 \d+ 个事项/);
  await context.close();
});

test('JavaScript off: name initials are highlighted with <mark>', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(context, '/s?q=zdshbz');
  const first = page.locator('.results li').first();
  assert.equal(await first.locator('.entry-name').innerText(), '最低生活保障申请（低保）');
  assert.deepEqual(await first.locator('.entry-name mark').allInnerTexts(), ['最低生活保障']);
  await context.close();
});

test('search as you type: results follow each keystroke without a page load', { timeout: 180_000 }, async () => {
  const context = await phone(browser);
  const { page, errors } = await openPage(context, '/s');
  await waitForApp(page);
  assert.match(await page.locator('.search-hint').innerText(), /yyzz/);
  await page.evaluate(() => { window.__noReload = true; });
  await page.locator('#q').pressSequentially('yyzz', { delay: 60 });
  await page.locator('.results .entry-name', { hasText: '企业设立登记（有限责任公司）' }).waitFor();
  assert.ok((await resultNames(page)).includes('个体工商户设立登记'));
  // The demo's one county is the search's scope, and the address keeps it.
  await page.waitForURL((url) => url.search === '?q=yyzz&hall=xinxian');
  // Full pinyin of a name, as typed, highlights the characters.
  await page.fill('#q', 'yingye');
  await page.locator('.results li', { hasText: '营业' }).first().waitFor();
  await page.fill('#q', 'dibao');
  await page.locator('.results .entry-name mark', { hasText: '低保' }).first().waitFor();
  // A keyword staff attached: 房产证 → 不动产登记.
  await page.fill('#q', '房产证');
  await page.locator('.results .entry-name', { hasText: '不动产转移登记（房屋买卖）' }).waitFor();
  const row = page.locator('.results li', { hasText: '不动产转移登记' });
  assert.match(await row.locator('.entry-meta').innerText(), /匹配：房产证/);
  assert.equal(await page.evaluate(() => window.__noReload), true, 'no page load while typing');
  // A result opens its guide.
  await row.locator('a').click();
  await page.locator('h1#guide-title', { hasText: '不动产转移登记（房屋买卖）' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('filters narrow by level, serves, zone and department (JavaScript off and on)', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(context, '/s?q=&level=village');
  const village = index.e.filter((e) => e.l === 'village').map((e) => e.n);
  assert.deepEqual(await resultNames(page), village);
  await page.goto(`${BASE}/s?q=${encodeURIComponent('登记')}&serves=legal&dept=${encodeURIComponent('新县市场监督管理局')}`);
  const legal = await resultNames(page);
  assert.ok(legal.length > 0);
  for (const name of legal) {
    const e = byName(name);
    assert.ok(e.s === 'legal' || e.s === 'both', `${name} serves ${e.s}`);
    assert.equal(e.d, '新县市场监督管理局');
  }
  await context.close();

  const live = await phone(browser);
  const { page: app } = await openPage(live, '/s?q=%E8%A1%A5%E8%B4%B4');
  await waitForApp(app);
  const before = await resultNames(app);
  assert.ok(before.length > 1);
  await app.locator('summary', { hasText: '筛选' }).click();
  await app.selectOption('#f-level', 'township');
  await app.waitForFunction(() => new URL(location.href).searchParams.get('level') === 'township');
  const after = await resultNames(app);
  assert.ok(after.length > 0 && after.length < before.length, `${after.length} < ${before.length}`);
  for (const name of after) assert.equal(byName(name).l, 'township', name);
  const zone = byName(after[0]).z;
  await app.selectOption('#f-zone', zone);
  for (const name of await resultNames(app)) assert.equal(byName(name).z, zone);
  await live.close();
});

for (const js of [false, true]) {
  test(`no match and empty query say what to try next (JavaScript ${js ? 'on' : 'off'})`, { timeout: 180_000 }, async () => {
    const context = await phone(browser, { javaScriptEnabled: js });
    const { page } = await openPage(context, '/s?q=%E7%81%AB%E6%98%9F%E7%A7%BB%E6%B0%91&level=county');
    if (js) await waitForApp(page);
    const empty = page.locator('.search-empty');
    assert.equal(await empty.locator('h2').innerText(), '没有找到与“火星移民”相关的事项');
    const text = await empty.innerText();
    assert.match(text, /拼音/);
    assert.match(text, /12345/);
    assert.equal(await empty.locator('a', { hasText: '清除筛选条件' }).getAttribute('href'),
      '/s?q=%E7%81%AB%E6%98%9F%E7%A7%BB%E6%B0%91&hall=xinxian');
    await page.goto(`${BASE}/s`);
    if (js) await waitForApp(page);
    const hint = await page.locator('.search-hint').innerText();
    for (const example of ['营业执照', 'yyzz', '房产证']) assert.ok(hint.includes(example), example);
    assert.ok(hint.includes('开办企业'), 'life events offered');
    await context.close();
  });
}

test('the served rows all stay when the app takes over; as you type it draws a screenful, the rest on request; without JavaScript all', { timeout: 180_000 }, async () => {
  const query = encodeURIComponent('新县');
  const off = await phone(browser, { javaScriptEnabled: false });
  const { page: plain } = await openPage(off, `/s?q=${query}`);
  const all = (await resultNames(plain)).length;
  assert.ok(all > 6, `${all} results for 新县`);
  await off.close();

  const on = await phone(browser);
  const { page, errors } = await openPage(on, `/s?q=${query}`);
  await waitForApp(page);
  // The app adopts the served page as it is: every row stays, nothing to ask for.
  assert.equal((await resultNames(page)).length, all);
  assert.equal(await page.locator('.more-results').count(), 0);
  // A query typed draws a screenful, the rest on request.
  await page.fill('#q', '登记');
  await page.waitForFunction(() => document.querySelectorAll('.results .entry-name').length <= 6);
  await page.fill('#q', '新县');
  await page.locator('.more-results').waitFor();
  assert.equal((await resultNames(page)).length, 6);
  assert.equal(await page.locator('.more-results').innerText(), `显示其余 ${all - 6} 个`);
  await page.locator('.more-results').click();
  await page.waitForFunction((n) => document.querySelectorAll('.results .entry-name').length === n, all);
  assert.deepEqual(errors, []);
  await on.close();
});
