// `/`: the way in — every hall by county with its item count, search and life events —
// and `/h/{hall}`: one hall's items grouped by zone as signposted in the hall. Neither
// ships the whole catalog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, catalog, getJson, waitForApp } from './helpers.mjs';

let browser;
let data;
let summary;
before(async () => {
  browser = await launch();
  data = await catalog();
  summary = (await getJson('/api/v1/halls')).body;
});
after(() => browser?.close());

async function assertHalls(page) {
  const county = data.halls.find((h) => !h.county);
  const section = page.locator(`section[aria-labelledby="area-${county.id}"]`);
  assert.match(await section.locator('h2').innerText(), new RegExp(county.name));
  const links = await section.locator('a.entry').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, data.halls.map((h) => `/h/${h.id}`), 'every hall of the county, in listing order');
  for (const hall of data.halls) {
    const count = data.items.filter((i) => i.hall === hall.id).length;
    const meta = await section.locator(`a.entry[href="/h/${hall.id}"] .entry-meta`).innerText();
    assert.match(meta, new RegExp(`${count} 个事项`), `${hall.name}: ${meta}`);
  }
}

async function assertZones(page, hall) {
  assert.equal(await page.locator('h1').innerText(), hall.name);
  const zones = await page.locator('.zone h3').allInnerTexts();
  const mine = data.items.filter((i) => i.hall === hall.id);
  const expected = hall.zones.filter((z) => mine.some((i) => i.zone === z));
  assert.deepEqual(zones.map((z) => z.replace(/\s*\d+项$/, '')), expected);
  for (const zone of expected) {
    const names = await page.locator('.zone', { has: page.locator('h3', { hasText: zone }) })
      .locator('.entry-name').allInnerTexts();
    assert.deepEqual(names, mine.filter((i) => i.zone === zone).map((i) => i.name), `${hall.name} / ${zone}`);
  }
  assert.equal(await page.locator('.department').count(), new Set(mine.map((i) => i.department)).size);
}

test('GET /api/v1/halls: halls, life events and item counts, not the items', async () => {
  assert.deepEqual(summary.halls.map((h) => h.id), data.halls.map((h) => h.id));
  assert.ok(!('items' in summary));
  assert.deepEqual(summary.life_events.map((e) => e.id), data.life_events.map((e) => e.id));
  summary.halls.forEach((hall, i) => {
    assert.equal(summary.counts[i], data.items.filter((item) => item.hall === hall.id).length, hall.id);
  });
});

test('home lists every hall by county with JavaScript off, and a hall page its items by zone', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, '/');
  assert.equal(response.status(), 200);
  await assertHalls(page);
  assert.equal(await page.locator('.entry-name', { hasText: data.items[0].name }).count(), 0, 'no item list on the home page');
  for (const hall of data.halls) {
    const opened = await openPage(context, `/h/${hall.id}`);
    assert.equal(opened.response.status(), 200);
    await assertZones(opened.page, hall);
    await opened.page.close();
  }
  const missing = await openPage(context, '/h/no-such-hall');
  assert.equal(missing.response.status(), 404);
  await context.close();
});

test('home with the app: same halls; a hall, then a guide, open from it', async () => {
  const context = await phone(browser);
  const { page, errors } = await openPage(context, '/');
  await waitForApp(page);
  await assertHalls(page);
  const hall = data.halls[1];
  await page.locator(`a.entry[href="/h/${hall.id}"]`).click();
  await page.waitForURL(`**/h/${hall.id}`);
  await assertZones(page, hall);
  const first = data.items.find((i) => i.hall === hall.id);
  await page.locator(`a.entry[href="/g/${first.code}"]`).first().click();
  await page.waitForURL(`**/g/${first.code}`);
  await page.locator('h1#guide-title', { hasText: first.name }).waitFor();
  assert.ok((await page.locator('.checklist .material-name').count()) > 0);
  // The hall page's search covers its county.
  await page.goBack();
  await page.fill('#hall-q', 'dibao');
  await Promise.all([page.waitForURL(/\/s\?.*hall=/), page.press('#hall-q', 'Enter')]);
  await page.locator('.results .entry-name', { hasText: '最低生活保障' }).first().waitFor();
  assert.match(await page.locator('.search-scope').innerText(), new RegExp(hall.name));
  assert.deepEqual(errors, []);
  await context.close();
});
