// Issue 16: the app adopts the page the edge served (hydration) instead of building it
// again. The app's script is held back until the served page has been marked: every node
// the server sent stays in place (no removal under the app's root), the box the citizen
// ticks is the very element the server sent, and what was tapped or typed before the app
// arrived is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, BASE, getJson } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * Opens `path` with the app's wasm held until `whileHeld(page)` has run on the served
 * page, then lets it load and waits for the take-over. Records every node removed under
 * `#app` from before the app ran.
 */
async function openHeld(path, whileHeld) {
  // The service worker would fetch the bundle itself, out of the route's reach.
  const context = await phone(browser, { serviceWorkers: 'block' });
  const errors = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(/\/pkg\/.*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(BASE + path, { waitUntil: 'domcontentloaded' });
  await page.evaluate(() => {
    window.__removed = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.removedNodes) window.__removed.push(n.nodeName);
      }
    }).observe(document.getElementById('app'), { childList: true, subtree: true });
    for (const [i, el] of document.querySelectorAll('#app *').entries()) el.__served = i;
  });
  await whileHeld(page);
  release();
  await page.waitForSelector('html[data-app="live"]', { timeout: 30_000 });
  return { context, page, errors };
}

async function firstItemCode() {
  const { body } = await getJson('/api/v1/catalog?limit=1');
  return body.items[0].code;
}

test('a guide is adopted: the served nodes stay, the tick box tapped is the served one, and a tick made before the app arrived is kept', async () => {
  const code = await firstItemCode();
  const { context, page, errors } = await openHeld(`/g/${code}`, async (page) => {
    // The citizen ticks the first material before the app has arrived.
    await page.locator('#m0').check();
  });
  try {
    // Let the app's effects run (stored ticks, 大字模式 state, 现在办公).
    await page.waitForFunction(() => document.querySelector('.open-now')?.textContent.trim() !== '');
    const removed = await page.evaluate(() => window.__removed);
    assert.deepEqual(removed, [], `the app removed served nodes: ${removed.slice(0, 10)}`);
    const served = await page.evaluate(() => ({
      tick: document.getElementById('m1').__served,
      heading: document.querySelector('#app h1').__served,
      all: [...document.querySelectorAll('#app *')].every((el) => el.__served !== undefined),
    }));
    assert.equal(typeof served.tick, 'number', 'the second tick box is the served element');
    assert.equal(typeof served.heading, 'number', 'the heading is the served element');
    assert.ok(served.all, 'every element under #app was served, none built by the app');
    // The early tick was kept and remembered; the served box now answers taps.
    assert.equal(await page.locator('#m0').isChecked(), true, 'the tick made before take-over stays');
    await page.locator('#m1').check();
    const stored = await page.evaluate((c) => localStorage.getItem(`zhinan:ticked:${c}`), code);
    assert.ok(stored && stored.split(',').length === 2, `both ticks stored: ${stored}`);
    // The served 大字模式 button is the one that now works.
    const toggle = page.locator('.site-header .mode-toggle');
    assert.equal(await toggle.evaluate((el) => typeof el.__served), 'number');
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), true);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('大字模式 tapped before the app arrived switches at once and stays switched after take-over', async () => {
  const code = await firstItemCode();
  const { context, page, errors } = await openHeld(`/g/${code}`, async (page) => {
    await page.locator('.site-header .mode-toggle').click();
    assert.equal(
      await page.evaluate(() => document.documentElement.classList.contains('elderly')),
      true,
      'the served button works before the app has arrived',
    );
  });
  try {
    const toggle = page.locator('.site-header .mode-toggle');
    await page.waitForFunction(() => document.querySelector('.site-header .mode-toggle').getAttribute('aria-pressed') === 'true');
    assert.equal(await page.evaluate(() => localStorage.getItem('zhinan:elderly')), '1');
    // One tap after take-over switches it back once (not once per listener).
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), false);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a query typed into the served search box before the app arrived is searched once it has', async () => {
  const { context, page, errors } = await openHeld('/s?q=%E8%AF%81', async (page) => {
    await page.locator('#q').fill('出生登记');
  });
  try {
    // The typed query replaces the results once the index has arrived.
    await page.waitForFunction(() => document.querySelector('.results .entry-name')?.textContent.includes('出生登记'));
    assert.equal(await page.locator('#q').inputValue(), '出生登记', 'the typed text is kept');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '出生登记');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a search page left untouched keeps its served rows, all of them, and the input is the served one', async () => {
  const { context, page, errors } = await openHeld('/s?q=%E8%AF%81', async () => {});
  try {
    // The search index arrives after the take-over; rows it finds the same stay.
    await page.waitForLoadState('networkidle');
    const state = await page.evaluate(() => ({
      removed: window.__removed,
      rows: document.querySelectorAll('.results .entry').length,
      servedRows: [...document.querySelectorAll('.results .entry')].every((a) => a.__served !== undefined),
      input: typeof document.getElementById('q').__served,
    }));
    assert.deepEqual(state.removed, []);
    assert.ok(state.rows > 0, 'the served results are shown');
    assert.ok(state.servedRows, 'every row shown is a served one');
    assert.equal(state.input, 'number');
    // The adopted box searches as the citizen types.
    await page.locator('#q').fill('身份证');
    await page.waitForFunction(() => [...document.querySelectorAll('.results .entry-name')].some((el) => el.textContent.includes('身份证')));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the home page is adopted without removing a served node', async () => {
  const { context, page, errors } = await openHeld('/', async () => {});
  try {
    const state = await page.evaluate(() => ({
      removed: window.__removed,
      all: [...document.querySelectorAll('#app *')].every((el) => el.__served !== undefined),
    }));
    assert.deepEqual(state.removed, []);
    assert.ok(state.all, 'every element under #app was served');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('nothing but the page itself is fetched before its first paint; then the app, read aloud and the manifest follow', async () => {
  const code = await firstItemCode();
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${BASE}/g/${code}`);
    await page.waitForSelector('html[data-app="live"]', { timeout: 30_000 });
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('/readaloud.js')));
    const timing = await page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      resources: performance.getEntriesByType('resource').map((r) => ({ name: new URL(r.name).pathname, start: r.startTime })),
      manifest: document.head.querySelector('link[rel=manifest]')?.getAttribute('href'),
      icon: document.head.querySelector('link[rel=icon]')?.getAttribute('href'),
    }));
    assert.equal(typeof timing.paint, 'number', 'the page painted');
    const early = timing.resources.filter((r) => r.start < timing.paint);
    assert.deepEqual(early, [], `fetched before the first paint at ${timing.paint} ms`);
    const names = timing.resources.map((r) => r.name);
    assert.ok(names.some((n) => /^\/pkg\/app-.*\.wasm$/.test(n)), `the app was loaded: ${names}`);
    assert.equal(timing.manifest, '/manifest.webmanifest');
    assert.match(timing.icon, /^data:image\/svg\+xml,/, 'the icon is in the page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a hall page, left as served (its data is not read), has its 大字模式 button wired once', async () => {
  const { body: directory } = await getJson('/api/v1/halls');
  const { context, page, errors } = await openHeld(`/h/${directory.halls[0].id}`, async () => {});
  try {
    const toggle = page.locator('.site-header .mode-toggle');
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), true);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elderly')), false);
    assert.deepEqual(await page.evaluate(() => window.__removed), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('when the search index cannot be had, 搜索 asks the server instead of doing nothing', async () => {
  const context = await phone(browser, { serviceWorkers: 'block' });
  await context.route(/\/api\/v1\/search-index/, (route) => route.abort());
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}/s?q=${encodeURIComponent('证')}`);
    await page.waitForSelector('html[data-app="live"]', { timeout: 30_000 });
    await page.locator('#q').fill('出生登记');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === '出生登记'),
      page.locator('.search-form button[type=submit]').click(),
    ]);
    await page.waitForFunction(() => document.querySelector('.results .entry-name')?.textContent.includes('出生登记'));
  } finally {
    await context.close();
  }
});
