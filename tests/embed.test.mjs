// Guides, search and the progress lookup inside a government website: a host page on a
// listed origin (http://localhost:8080 locally) frames /embed/…, the loader script sizes
// each frame to its content (also when a FAQ opens or 大字模式 is switched), links stay
// in the frame or open a new tab, the content reads without JavaScript, and a website
// that is not listed gets a refused frame.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, BASE, catalog, getJson } from './helpers.mjs';

let browser;
let code;
/** The demo website's text colour (`* { color: #7a0019 !important }`). */
const HOST_COLOUR = 'rgb(122, 0, 25)';
const servers = [];

/** The sample county website of `make embed-demo` (examples/embed-demo/) on `port`. */
async function host(port) {
  const template = await readFile(new URL('../examples/embed-demo/index.html', import.meta.url), 'utf8');
  const page = template.replaceAll('{{ZHINAN}}', BASE).replaceAll('{{CODE}}', code);
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

before(async () => {
  browser = await launch();
  const { items } = await catalog();
  // A guide with questions and answers, so one can be opened.
  for (const entry of items) {
    if ((await getJson(`/api/v1/items/${entry.code}`)).body.faq.length > 0) { code = entry.code; break; }
  }
  await host(8080);
  await host(8081);
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

/**
 * `true` once frame `id` is exactly as tall as its content, else both heights as last
 * seen: the frame reports each change, so this waits (up to 15 s) for the last report
 * to have been applied.
 */
async function settlesToContent(page, id) {
  const inside = page.frameLocator(`#${id}`).locator('html');
  let content;
  let frame;
  for (let i = 0; i < 150; i += 1) {
    content = await inside.evaluate((h) => h.getBoundingClientRect().height);
    frame = await frameHeight(page, id);
    if (Math.abs(Math.ceil(content) - frame) <= 1) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Said in the failure message: which way it missed tells a lost report from a loop.
  return `content ${content} px, frame ${frame} px`;
}

/** Fails with `what` and both heights unless frame `id` settles to its content. */
async function assertSettles(page, id, what) {
  const settled = await settlesToContent(page, id);
  assert.ok(settled === true, `${what}: ${settled}`);
}

async function frameHeight(page, id) {
  return page.evaluate((i) => parseFloat(document.getElementById(i).style.height), id);
}

test('a listed website frames the guide, search and lookup; frames size to their content', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('http://localhost:8080/');
  const guide = page.frameLocator('#guide');
  await guide.locator('h1#guide-title').waitFor();
  await page.waitForFunction(() => parseFloat(document.getElementById('guide').style.height) > 600, null, { timeout: 15000 });
  // The frame shows all of its content: no scrollbar inside, no gap below.
  await assertSettles(page, 'guide', 'the frame is as tall as its content');
  // The host's CSS does not reach inside.
  const inside = await guide.locator('h1#guide-title').evaluate((h) => getComputedStyle(h).color);
  assert.notEqual(inside, HOST_COLOUR);
  assert.equal(await guide.locator('.site-header, .site-footer').count(), 0, 'no hall header or footer');

  // Opening a question, then 大字模式, makes the frame taller.
  const closed = await frameHeight(page, 'guide');
  await guide.locator('details.faq summary').first().click();
  await page.waitForFunction((h) => parseFloat(document.getElementById('guide').style.height) > h, closed);
  const opened = await frameHeight(page, 'guide');
  await guide.getByRole('button', { name: '大字模式' }).click();
  assert.equal(await guide.getByRole('button', { name: '大字模式' }).getAttribute('aria-pressed'), 'true');
  await page.waitForFunction((h) => parseFloat(document.getElementById('guide').style.height) > h, opened);

  // Search: results link to guides inside the frame; the lookup form posts inside it.
  const search = page.frameLocator('#search');
  const result = search.locator('a[href^="/embed/g/"]').first();
  await result.waitFor();
  assert.equal(await result.getAttribute('target'), '_self');
  // Sized to its content too.
  await assertSettles(page, 'search', 'the search frame is as tall as its content');
  const progress = page.frameLocator('#progress');
  assert.equal(await progress.locator('#lookup-form').getAttribute('action'), '/embed/c');
  await progress.locator('#number').fill('5DW9-6MM4-M27R');
  await progress.locator('#query_code').fill('920499');
  // Enter, not a click: the custom elements below render meanwhile and the host page's
  // scroll anchoring can move the frame between a click's aim and its press.
  await progress.locator('#query_code').press('Enter');
  await progress.locator('#progress-title').waitFor();
  assert.equal(await page.locator('header h1').innerText(), '新县人民政府 · 政务服务', 'the host page stayed');

  // Print and links to other pages open a new tab, not inside the frame.
  const print = guide.locator('a[href$="/print"]').first();
  assert.equal(await print.evaluate((a) => a.target || document.querySelector('base')?.target), '_blank');
  assert.deepEqual(errors, []);
  await context.close();
});

test('frames that loaded before the host\'s loader script still size to their content', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  // A slow host: the loader (async) arrives only after every frame has loaded and sent
  // its height to nobody.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`${BASE}/embed.js`, async (route) => { await held; await route.continue(); });
  // (The held script holds the page's load event too.)
  await page.goto('http://localhost:8080/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => [...document.querySelectorAll('iframe[data-zhinan]')].every((f) => f.dataset.loaded === '1'), null, { timeout: 15000 });
  assert.equal(await frameHeight(page, 'search'), 360, 'not sized yet');
  release();
  await assertSettles(page, 'guide', 'the guide frame is as tall as its content');
  await assertSettles(page, 'search', 'the search frame is as tall as its content');
  assert.notEqual(await frameHeight(page, 'guide'), 480);
  await context.close();
});

test('a frame below the fold follows a narrower window (a phone turned)', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('http://localhost:8080/');
  await assertSettles(page, 'search', 'the search frame is as tall as its content');
  const wide = await frameHeight(page, 'search');
  // The search frame is below the fold, where Chromium lays it out only when its size
  // changes: its new height must still be reported and applied.
  assert.ok(await page.evaluate(() => document.getElementById('search').getBoundingClientRect().top > innerHeight), 'the search frame starts below the fold');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.waitForFunction((w) => parseFloat(document.getElementById('search').style.height) > w, wide, { timeout: 15000 });
  await assertSettles(page, 'search', 'the narrower search frame is as tall as its content');
  await context.close();
});

test('the custom elements render the guide and a search in shadow roots the host CSS cannot reach', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('http://localhost:8080/');
  const item = (await getJson(`/api/v1/items/${code}`)).body;
  const title = page.locator('#inline-guide h2');
  await title.waitFor();
  assert.equal(await title.innerText(), item.name);
  const style = await title.evaluate((h) => ({ color: getComputedStyle(h).color, size: getComputedStyle(h).fontSize, family: getComputedStyle(h).fontFamily }));
  assert.notEqual(style.color, HOST_COLOUR, 'the host colour does not reach in');
  assert.notEqual(style.size, '26px', 'nor its heading size');
  assert.doesNotMatch(style.family, /^serif$/);
  const text = await page.locator('#inline-guide').evaluate((host) => host.shadowRoot.textContent);
  assert.ok(text.includes(item.place.address) && text.includes(item.materials[0].name), text);
  const more = page.locator('#inline-guide a', { hasText: '查看完整办事指南' });
  assert.equal(await more.getAttribute('href'), `${BASE}/g/${code}`);
  assert.equal(await more.getAttribute('target'), '_blank');
  // Our styles stay inside: the host's own heading keeps the host's look.
  assert.equal(await page.locator('main > h2').first().evaluate((h) => getComputedStyle(h).color), HOST_COLOUR);

  // The search forgives a typo, as the search page does.
  await page.getByLabel(/搜索办事事项/).fill('营业执造');
  const first = page.locator('#inline-search .results a').first();
  await first.waitFor();
  // Found through the name or a keyword, which the row then names.
  assert.match(await page.locator('#inline-search .results li').first().innerText(), /营业执照/);
  assert.match(await first.getAttribute('href'), new RegExp(`^${BASE}/g/`));
  assert.match(await page.locator('#inline-search [role=status]').innerText(), /找到 \d+ 项/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a website that is not listed gets a refused frame', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('http://localhost:8081/');
  await page.waitForFunction(() => document.getElementById('guide').dataset.loaded === '1');
  // The browser replaced the refused frame's content with its error page.
  const frame = await (await page.$('#guide')).contentFrame();
  assert.equal(await frame.locator('h1#guide-title').count(), 0, `refused, got ${frame.url()}`);
  assert.equal(await page.evaluate(() => document.getElementById('guide').style.height), '480px', 'and never resized');
  // The custom element cannot read the API from there either (no CORS answer).
  await page.locator('#inline-guide [role=alert]').waitFor();
  assert.equal(await page.locator('#inline-guide h2').count(), 0);
  await context.close();
});

test('embeds read without JavaScript, name their framers, and only embeds may be framed', async () => {
  const res = await fetch(`${BASE}/embed/g/${code}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const item = (await getJson(`/api/v1/items/${code}`)).body;
  assert.ok(html.includes(item.name));
  assert.ok(!html.includes('/pkg/'), 'no app bundle in a frame');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /frame-ancestors 'self' http:\/\/localhost:8080(;|$)/);
  assert.match(csp, /script-src 'sha256-[^']+';/);
  for (const path of [`/g/${code}`, '/s', '/c', '/']) {
    const full = await fetch(BASE + path);
    assert.match(full.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
  }
  const unknown = await fetch(`${BASE}/embed/g/NO-SUCH-CODE-1`);
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers.get('content-security-policy'), /frame-ancestors 'self' http:\/\/localhost:8080/);
});

test('axe finds no violations in the embeds', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const found = [];
  for (const path of [`/embed/g/${code}`, `/embed/s?q=${encodeURIComponent('营业执照')}`, '/embed/c']) {
    const page = await context.newPage();
    await page.goto(BASE + path);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of result.violations) found.push(`${path}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    await page.close();
  }
  assert.deepEqual(found, []);
  await context.close();
});
