// axe-core on the citizen pages, in the normal mode and in elderly mode (大字模式):
// any WCAG 2.x A/AA violation fails. Elderly mode: body ≥ 18px, targets ≥ 60×60.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, phone, openPage, catalog, waitForApp } from './helpers.mjs';

let browser;
let code;
before(async () => {
  browser = await launch();
  code = (await catalog()).items[0].code;
});
after(() => browser?.close());

const pages = () => ({
  home: '/',
  hall: '/h/shangji',
  search: '/s?q=yyzz',
  'search (no match)': '/s?q=%E7%81%AB%E6%98%9F',
  'life event': '/e/fangchan-guohu',
  guide: `/g/${code}`,
  print: `/g/${code}/print`,
});

async function context(elderly) {
  const ctx = await phone(browser);
  if (elderly) await ctx.addInitScript(() => localStorage.setItem('zhinan:elderly', '1'));
  return ctx;
}

async function violations(page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const elderly of [false, true]) {
  test(`axe finds no violations (${elderly ? 'elderly mode' : 'normal mode'})`, { timeout: 180_000 }, async () => {
    const ctx = await context(elderly);
    for (const [name, path] of Object.entries(pages())) {
      const { page, errors } = await openPage(ctx, path);
      await waitForApp(page);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), elderly);
      assert.deepEqual(await violations(page), [], `${name} (${path})`);
      assert.deepEqual(errors, [], `${name}: console errors`);
      await page.close();
    }
    await ctx.close();
  });
}

test('elderly mode: large text and 60×60 targets on every page', { timeout: 180_000 }, async () => {
  const ctx = await context(true);
  for (const [name, path] of Object.entries(pages())) {
    const { page } = await openPage(ctx, path);
    await waitForApp(page);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 18, `${name}: body ${size}px`);
    const small = await page.evaluate(() => [...document.querySelectorAll('main a, main button, main input, main select, main summary, header a, header button')]
      .filter((el) => el.offsetParent !== null && !el.closest('.verify, .notice'))
      .map((el) => { const r = el.getBoundingClientRect(); return { t: (el.innerText || el.id || el.tagName).slice(0, 20), w: r.width, h: r.height }; })
      .filter((r) => r.w < 60 || r.h < 60));
    assert.deepEqual(small, [], `${name}: targets under 60×60`);
    await page.close();
  }
  await ctx.close();
});

test('the 大字模式 button switches the mode and the choice is remembered', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${code}`);
  await waitForApp(page);
  const toggle = page.getByRole('button', { name: '大字模式' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(after >= 18 && after > before, `${before} → ${after}`);
  await page.reload();
  // Applied before the first paint (boot script), and the button reflects it once live.
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), true);
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelector('.mode-toggle')?.getAttribute('aria-pressed') === 'true');
  await page.getByRole('button', { name: '大字模式' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), false);
  await ctx.close();
});

test('with JavaScript off the page is in the default mode and shows no dead buttons', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(ctx, `/g/${code}`);
  assert.equal(await page.locator('.mode-toggle').isVisible(), false);
  assert.equal(await page.locator('button', { hasText: '分享本指南' }).isVisible(), false);
  await ctx.close();
});
