// `/`: the hall home lists every item, grouped by zone as signposted in the hall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, catalog, waitForApp } from './helpers.mjs';

let browser;
let data;
before(async () => { browser = await launch(); data = await catalog(); });
after(() => browser?.close());

async function assertZones(page) {
  for (const hall of data.halls) {
    const section = page.locator(`section[aria-labelledby="hall-${hall.id}"]`);
    assert.equal(await section.locator('h2').innerText(), hall.name);
    const zones = await section.locator('.zone h3').allInnerTexts();
    const expected = hall.zones.filter((z) => data.items.some((i) => i.hall === hall.id && i.zone === z));
    assert.deepEqual(zones.map((z) => z.replace(/\s*\d+项$/, '')), expected);
    for (const zone of expected) {
      const names = await section.locator('.zone', { has: page.locator('h3', { hasText: zone }) })
        .locator('.entry-name').allInnerTexts();
      const want = data.items.filter((i) => i.hall === hall.id && i.zone === zone).map((i) => i.name);
      assert.deepEqual(names, want, `items of ${hall.name} / ${zone}`);
    }
  }
}

test('home lists items by hall and zone with JavaScript off', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, '/');
  assert.equal(response.status(), 200);
  await assertZones(page);
  assert.equal(await page.locator('.department').count(), new Set(data.items.map((i) => i.department)).size);
  await context.close();
});

test('home with the app: same lists, and a tap opens a guide without reloading', async () => {
  const context = await phone(browser);
  const { page, errors } = await openPage(context, '/');
  await waitForApp(page);
  await assertZones(page);
  await page.evaluate(() => { window.__noReload = true; });
  const first = data.items[0];
  await page.locator(`a.entry[href="/g/${first.code}"]`).first().click();
  await page.waitForURL(`**/g/${first.code}`);
  await page.locator('h1#guide-title', { hasText: first.name }).waitFor();
  assert.equal(await page.evaluate(() => window.__noReload), true, 'client-side navigation');
  assert.ok((await page.locator('.checklist .material-name').count()) > 0);
  await page.goBack();
  await page.locator('h1', { hasText: '办事指南' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
