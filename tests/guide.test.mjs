// `/g/{code}`: the page a QR scan opens, with JavaScript off (edge HTML) and on (the app).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, sampleItems, waitForApp, limitLabel, BASE } from './helpers.mjs';

let browser;
let items;
before(async () => {
  browser = await launch();
  const picked = await sampleItems(4);
  items = await Promise.all(picked.map(async (e) => (await getJson(`/api/v1/items/${e.code}`)).body));
});
after(() => browser?.close());

async function assertGuide(page, item) {
  assert.equal(await page.locator('h1#guide-title').innerText(), item.name);
  const facts = await page.locator('.facts').innerText();
  assert.ok(facts.includes(limitLabel(item.promised_limit)), `promised limit in ${facts}`);
  assert.ok(facts.includes(`法定时限 ${limitLabel(item.legal_limit)}`), `legal limit in ${facts}`);
  const materials = await page.locator('.checklist .material-name').allInnerTexts();
  for (const m of item.materials) assert.ok(materials.includes(m.name), `material ${m.name}`);
  const where = await page.locator('section[aria-labelledby=where-title]').innerText();
  assert.ok(where.includes(item.place.address), 'address shown');
  assert.ok(where.includes(item.consult_phone), 'consult phone shown');
  assert.ok(where.includes(item.window), 'window shown');
  assert.ok((await page.locator('.official-url').innerText()).endsWith(`/g/${item.code}`));
}

test('guide pages are complete with JavaScript off', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  for (const item of items) {
    const { page, response } = await openPage(context, `/g/${item.code}`);
    assert.equal(response.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.title(), `${item.name} · 办事指南`);
    assert.ok(await page.locator('meta[name=viewport]').count());
    await assertGuide(page, item);
    await page.close();
  }
  await context.close();
});

test('guide pages are complete with JavaScript on, and the app takes over without errors', async () => {
  const context = await phone(browser);
  for (const item of items) {
    const { page, errors } = await openPage(context, `/g/${item.code}`);
    await waitForApp(page);
    await assertGuide(page, item);
    // The app replaced the server markup: exactly one guide, not two.
    assert.equal(await page.locator('h1#guide-title').count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  }
  await context.close();
});

test('lower-case codes retyped from a poster open the same guide', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const item = items[0];
  const { page, response } = await openPage(context, `/g/${item.code.toLowerCase()}`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1#guide-title').innerText(), item.name);
  await context.close();
});

for (const js of [false, true]) {
  test(`an unknown code shows a friendly 404 page (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const context = await phone(browser, { javaScriptEnabled: js });
    const { page, response } = await openPage(context, '/g/NO-SUCH-ITEM-404');
    assert.equal(response.status(), 404);
    if (js) await waitForApp(page);
    assert.equal(await page.locator('h1').innerText(), '没有找到这个事项');
    assert.ok((await page.locator('main').innerText()).includes('NO-SUCH-ITEM-404'));
    const link = page.locator('main a.button');
    assert.equal(await link.getAttribute('href'), '/');
    await context.close();
  });
}

test('catalog text is escaped, never markup', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, '/g/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('main script').count(), 0);
  assert.ok((await page.locator('main').innerText()).includes('<script>alert(1)</script>'));
  await context.close();
});

test('a guide page revalidates to 304 and is compressed', async () => {
  const code = items[0].code;
  const first = await fetch(`${BASE}/g/${code}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-encoding') ?? '', /br|gzip/);
  const etag = first.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${BASE}/g/${code}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});
