// The guide on a phone: ticks remembered on the device, whether the window is open now,
// sharing (Web Share or the copied link), and no layout shift when the app takes over.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, catalog, waitForApp, BASE } from './helpers.mjs';

let browser;
let item;
before(async () => {
  browser = await launch();
  const code = (await catalog()).items[0].code;
  item = (await getJson(`/api/v1/items/${code}`)).body;
});
after(() => browser?.close());

test('ticked materials stay ticked after a reload, per item', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${item.code}`);
  await waitForApp(page);
  const boxes = page.locator('.checklist input.tick');
  await boxes.nth(0).check();
  await boxes.nth(2).check();
  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelectorAll('.checklist input.tick')[0].checked);
  assert.equal(await boxes.nth(0).isChecked(), true);
  assert.equal(await boxes.nth(1).isChecked(), false);
  assert.equal(await boxes.nth(2).isChecked(), true);
  await boxes.nth(0).uncheck();
  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelectorAll('.checklist input.tick')[2].checked);
  assert.equal(await boxes.nth(0).isChecked(), false);
  await ctx.close();
});

test('the window says whether it is open now, from the hours, in Beijing time', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  // Tuesday 2024-01-02 10:00 in Beijing (02:00 UTC), then 20:00 (12:00 UTC).
  await page.clock.setFixedTime(new Date('2024-01-02T02:00:00Z'));
  await page.goto(`${BASE}/g/${item.code}`);
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelector('.open-now')?.innerText.length > 0);
  assert.match(await page.locator('.open-now').innerText(), /^现在办公，\d+:\d\d 下班$/);
  await page.clock.setFixedTime(new Date('2024-01-02T12:00:00Z'));
  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelector('.open-now')?.innerText.length > 0);
  assert.match(await page.locator('.open-now').innerText(), /^现在不办公，明天 \d+:\d\d 上班$/);
  await ctx.close();
});

test('share falls back to copying the official link', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const { page } = await openPage(ctx, `/g/${item.code}`);
  await waitForApp(page);
  await page.evaluate(() => { delete Navigator.prototype.share; });
  await page.getByRole('button', { name: '分享本指南' }).click();
  await page.locator('.share-status', { hasText: '链接已复制' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/g/${item.code}`);
  await ctx.close();
});

test('the app takes over without moving the content (CLS 0)', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${BASE}/g/${item.code}`);
  await waitForApp(page);
  // Two frames after take-over: any shift it causes has been laid out and observed.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.evaluate(() => window.__cls), 0);
  await ctx.close();
});
