// `/g/{code}/print`: the 一次性告知单 — everything to bring on one A4 page, with the QR
// code of the guide; reachable with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, catalog, waitForApp, decodeQrSvg, limitLabel, BASE } from './helpers.mjs';

let browser;
let items;
before(async () => {
  browser = await launch();
  const { items: entries } = await catalog();
  items = await Promise.all(entries.map(async (e) => (await getJson(`/api/v1/items/${e.code}`)).body));
});
after(() => browser?.close());

function countLabel(m) {
  const o = m.originals ?? 0; const c = m.copies ?? 0;
  if (!o && !c) return '—';
  if (!c) return `原件${o}份`;
  if (!o) return `复印件${c}份`;
  return `原件${o}份、复印件${c}份`;
}

/** Decodes the page's inline QR SVG on a plain page (the notice's CSP forbids injected scripts). */
async function decodeQr(page) {
  const svg = await page.locator('svg.qr').evaluate((el) => el.outerHTML);
  const probe = await browser.newPage();
  await probe.goto(`${BASE}/api/v1/ping`);
  const text = await decodeQrSvg(probe, svg);
  await probe.close();
  return text;
}

test('the notice shows materials, counts, forms, place, hours, limit, phones, QR and code (JavaScript off)', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const item = items.find((i) => i.code === '11411523MB1D00001A-000201001');
  const { page, response } = await openPage(context, `/g/${item.code}/print`);
  assert.equal(response.status(), 200);
  assert.equal(await page.title(), `${item.name} · 一次性告知单`);
  assert.equal(await page.locator('h1#notice-title').innerText(), item.name);
  const rows = page.locator('.notice-materials tbody tr');
  assert.equal(await rows.count(), item.materials.length);
  for (const [i, m] of item.materials.entries()) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    assert.equal(cells[1], m.name);
    assert.equal(cells[2], countLabel(m));
    assert.match(cells[3], /纸质|电子/);
    if (m.blank_form) assert.match(cells[4], /空白表格/);
  }
  const facts = await page.locator('.notice-facts').innerText();
  assert.ok(facts.includes(item.place.address), 'address');
  assert.ok(facts.includes(item.window), 'window');
  assert.match(facts, /周一至周五/);
  assert.ok(facts.includes(limitLabel(item.promised_limit)), 'promised limit');
  assert.ok(facts.includes(item.consult_phone) && facts.includes(item.complain_phone), 'phones');
  assert.ok((await page.locator('.notice').innerText()).includes(item.code), 'item code');
  assert.equal(await decodeQr(page), `${BASE}/g/${item.code}`);
  await context.close();
});

test('every item\'s notice prints on exactly one A4 page', { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const item of items) {
    await page.goto(`${BASE}/g/${item.code}/print`);
    await page.emulateMedia({ media: 'print' });
    const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })).toString('latin1');
    const pages = (pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    assert.equal(pages, 1, `${item.name} (${item.materials.length} materials) prints on ${pages} pages`);
    // Screen-only controls are not printed.
    assert.equal(await page.locator('.site-header').isVisible(), false);
  }
  await context.close();
});

test('the guide links to its notice, and the app shows the notice with a print button', { timeout: 180_000 }, async () => {
  const context = await phone(browser);
  const item = items[0];
  const { page, errors } = await openPage(context, `/g/${item.code}`);
  await waitForApp(page);
  await page.locator('a', { hasText: '打印一次性告知单' }).click();
  await page.waitForURL(`**/g/${item.code}/print`);
  await waitForApp(page);
  assert.equal(await page.locator('h1#notice-title').innerText(), item.name);
  assert.ok(await page.locator('button', { hasText: '打印本页' }).isVisible());
  assert.equal(await page.locator('.notice-materials tbody tr').count(), item.materials.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test('unknown code: friendly 404 page', { timeout: 180_000 }, async () => {
  const res = await fetch(`${BASE}/g/NO-SUCH-ITEM/print`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /没有找到这个事项/);
});
