// `/e/{id}`: a life event (一件事) lists its items in order and the union of their
// materials with duplicates merged ("bring these once").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, catalog, waitForApp } from './helpers.mjs';

let browser;
let data;
before(async () => { browser = await launch(); data = await catalog(); });
after(() => browser?.close());

/** Same folding as the page: full-width to half-width, lowercase, letters and digits only. */
const key = (name) => name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

async function expected(event) {
  const items = await Promise.all(event.items.map(async (c) => (await getJson(`/api/v1/items/${c}`)).body));
  const once = new Map();
  for (const item of items) {
    for (const m of item.materials) {
      const k = key(m.name);
      if (!once.has(k)) once.set(k, { name: m.name, users: new Set() });
      once.get(k).users.add(item.name);
    }
  }
  return { items, once };
}

async function assertEvent(page, event) {
  const { items, once } = await expected(event);
  assert.equal(await page.locator('h1#event-title').innerText(), event.name);
  assert.deepEqual(await page.locator('.event-steps .event-item').allInnerTexts(), items.map((i) => i.name));
  const listed = await page.locator('.once-list .material-name').allInnerTexts();
  assert.equal(listed.length, once.size, 'each material once');
  assert.equal(new Set(listed.map(key)).size, listed.length, 'no duplicates');
  const total = items.reduce((n, i) => n + i.materials.length, 0);
  assert.ok(total > once.size, `${event.name}: the items share materials (${total} > ${once.size})`);
  const shared = [...once.values()].find((m) => m.users.size > 1);
  const row = page.locator('.material-once', { has: page.locator('.material-name', { hasText: shared.name }) }).first();
  assert.match(await row.innerText(), /多个事项共用/);
}

test('房产过户 lists its items in order and each material once (JavaScript off)', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  for (const id of ['fangchan-guohu', 'kaiban-qiye', 'xinshenger-chusheng']) {
    const event = data.life_events.find((e) => e.id === id);
    const { page, response } = await openPage(context, `/e/${id}`);
    assert.equal(response.status(), 200);
    await assertEvent(page, event);
    await page.close();
  }
  await context.close();
});

test('from the home page, a life event opens (served complete by the edge) and links to its guides', { timeout: 180_000 }, async () => {
  const context = await phone(browser);
  const { page, errors } = await openPage(context, '/');
  await waitForApp(page);
  const event = data.life_events.find((e) => e.id === 'fangchan-guohu');
  await page.locator('a[href="/e/fangchan-guohu"]').click();
  await page.waitForURL('**/e/fangchan-guohu');
  await page.locator('h1#event-title').waitFor();
  await assertEvent(page, event);
  await page.locator('.event-steps .event-item').first().click();
  await page.locator('h1#guide-title').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown life event is a friendly 404', { timeout: 180_000 }, async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, '/e/no-such-event');
  assert.equal(response.status(), 404);
  assert.ok((await page.locator('main').innerText()).includes('no-such-event'));
  await context.close();
});
