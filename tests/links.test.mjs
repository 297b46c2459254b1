// Citizen pages are found and every link on them works: a crawl of every citizen page of
// the catalog (home, halls, guides and their printable notices, life events, search,
// progress) checks each same-origin link, stylesheet, image and script once; robots.txt
// and the sitemaps lead search engines to every guide; unknown paths answer a real 404.
// The e2e server sets PUBLIC_ORIGIN to BASE_URL, so canonical and sitemap URLs are local.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, limitLabel, BASE } from './helpers.mjs';

const ORIGIN = new URL(BASE).origin;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const OPS_BOUND = 50;

let browser;
let directory;
let items;
before(async () => {
  browser = await launch();
  directory = (await getJson('/api/v1/halls')).body;
  items = (await getJson('/api/v1/catalog?limit=1000')).body.items;
});
after(() => browser?.close());

/** Pages whose links the crawl follows; other URLs (search variants, files) are only fetched. */
function isCitizenPage(url) {
  return url.search === '' && /^\/(|s|c|h\/[^/]+|e\/[^/]+|g\/[^/]+(\/print)?)$/.test(url.pathname);
}

function decodeEntities(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Every `a[href]`, `link[href]`, `img[src]` and `script[src]` of a page's HTML, and the
 * paths its inline scripts load once the page has painted (the app bundle, the manifest,
 * the read-aloud script, the service worker): string literals starting with `/` in inline scripts
 * that are code, not data.
 */
function linksIn(html) {
  const loaded = [];
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/type\s*=\s*"application\//i.test(attrs)) continue;
    for (const [, path] of body.matchAll(/"(\/[\w./-]+\.(?:js|wasm|webmanifest|svg))"/g)) loaded.push(path);
  }
  // Inline scripts and styles hold no tags of the page (page data escapes `<`), but skip them anyway.
  const markup = html
    .replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '');
  const links = [];
  for (const [, tag, attrs] of markup.matchAll(/<(a|link|img|script)\b([^>]*)>/gi)) {
    const name = /^(a|link)$/i.test(tag) ? 'href' : 'src';
    const value = attrs.match(new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
    if (value) links.push(decodeEntities(value[1] ?? value[2] ?? value[3]));
  }
  return [...links, ...loaded];
}

/** The local URL (pathname and query) of a same-origin link, or null for one not to check. */
function localTarget(href, base) {
  const trimmed = href.trim();
  if (trimmed === '' || trimmed.startsWith('#') || /^(tel|mailto|sms|javascript|data):/i.test(trimmed)) return null;
  const url = new URL(trimmed, base);
  if (url.origin !== ORIGIN) return null;
  // The staff console is its own bundle behind sign-in, not a citizen page.
  if (url.pathname === '/staff' || url.pathname.startsWith('/staff/')) return null;
  url.hash = '';
  return url;
}

/**
 * Fetches every seed and every same-origin link found on citizen pages, each distinct URL
 * once (one request at a time: the worker's storage counts stay per request). Returns
 * path → { status, on: pages it was found on }.
 */
async function crawl(seeds) {
  const seen = new Map();
  const queue = [];
  const add = (url, on) => {
    const key = url.pathname + url.search;
    if (!seen.has(key)) {
      const entry = { url, status: null, on: new Set() };
      seen.set(key, entry);
      queue.push(entry);
    }
    if (on) seen.get(key).on.add(on);
  };
  for (const path of seeds) add(new URL(path, BASE), null);
  while (queue.length > 0) {
    const entry = queue.shift();
    const key = entry.url.pathname + entry.url.search;
    const response = await fetch(BASE + key);
    entry.status = response.status;
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.includes('text/html') && isCitizenPage(entry.url)) {
      const html = await response.text();
      for (const href of linksIn(html)) {
        const url = localTarget(href, BASE + key);
        if (url) add(url, key);
      }
    } else {
      await response.arrayBuffer();
    }
  }
  return seen;
}

/** Fetches an XML document and parses it in the browser (a real XML parser). */
async function sitemap(path) {
  const response = await fetch(BASE + path);
  const text = await response.text();
  assert.equal(response.status, 200, `${path}: ${text.slice(0, 200)}`);
  assert.match(response.headers.get('content-type'), /^application\/xml/, path);
  assert.ok(response.headers.get('etag'), `${path} has an ETag`);
  const ops = response.headers.get('x-storage-ops');
  if (ops !== null) assert.ok(Number(ops) <= OPS_BOUND, `${path}: ${ops} storage operations`);
  const page = await browser.newPage();
  const parsed = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) return { error: error.textContent };
    const root = doc.documentElement;
    const locs = [...doc.getElementsByTagNameNS(root.namespaceURI, 'loc')].map((e) => e.textContent.trim());
    return { root: root.localName, ns: root.namespaceURI, locs };
  }, text);
  await page.close();
  assert.equal(parsed.error, undefined, `${path} parses as XML: ${parsed.error}`);
  assert.equal(parsed.ns, SITEMAP_NS, `${path} uses the sitemap namespace`);
  return { ...parsed, response };
}

function assertNotFoundPage(path, response, html) {
  assert.equal(response.status, 404, path);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/, path);
  assert.ok(html.includes('页面不存在'), `${path}: says the page does not exist`);
  assert.ok(html.includes('href="/"'), `${path}: links to the home page`);
  assert.ok(html.includes('href="/s"'), `${path}: links to search`);
  assert.ok(html.includes('12345'), `${path}: names the hotline`);
  assert.ok(response.headers.get('content-security-policy'), `${path}: CSP`);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
  assert.match(response.headers.get('cache-control') ?? '', /no-store|max-age=\d{1,3}\b/, path);
}

test('every link on every citizen page works', { timeout: 170_000 }, async () => {
  const seeds = [
    '/', '/s', '/c',
    ...directory.halls.map((h) => `/h/${h.id}`),
    ...directory.life_events.map((e) => `/e/${e.id}`),
    ...items.flatMap((i) => [`/g/${i.code}`, `/g/${i.code}/print`]),
  ];
  const started = Date.now();
  const seen = await crawl(seeds);
  const broken = [...seen.entries()]
    .filter(([, entry]) => entry.status >= 400)
    .map(([path, entry]) => `${entry.status} ${path}  ← ${entry.on.size ? [...entry.on].slice(0, 3).join(', ') + (entry.on.size > 3 ? ` and ${entry.on.size - 3} more` : '') : '(start page)'}`);
  const pages = [...seen.values()].filter((e) => isCitizenPage(e.url)).length;
  console.log(`checked ${seen.size} URLs (${pages} citizen pages) in ${Date.now() - started} ms`);
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  // The crawl reached the app bundle the pages load, not only pages.
  assert.ok([...seen.keys()].some((p) => p.startsWith('/pkg/') && p.endsWith('.wasm')), 'the app wasm is linked and loads');
  assert.ok(seen.has('/manifest.webmanifest'), 'the manifest is linked');
  assert.ok(seen.has('/readaloud.js'), 'the read-aloud script is loaded');
});

test('/robots.txt lets citizen pages be crawled, not the console or the API, and names the sitemap', async () => {
  const response = await fetch(`${BASE}/robots.txt`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/plain/);
  const lines = (await response.text()).split('\n').map((l) => l.trim());
  assert.ok(lines.includes('User-agent: *'), lines.join('\n'));
  assert.ok(lines.includes('Disallow: /staff'), lines.join('\n'));
  assert.ok(lines.includes('Disallow: /api/'), lines.join('\n'));
  assert.ok(!lines.includes('Disallow: /'), 'citizen pages stay crawlable');
  assert.ok(lines.includes(`Sitemap: ${ORIGIN}/sitemap.xml`), `Sitemap line with PUBLIC_ORIGIN: ${lines.join('\n')}`);
});

test('/sitemap.xml leads to every guide, hall and life event, and every URL in it answers', { timeout: 120_000 }, async () => {
  const index = await sitemap('/sitemap.xml');
  assert.equal(index.root, 'sitemapindex');
  const etag = index.response.headers.get('etag');
  assert.equal((await fetch(`${BASE}/sitemap.xml`, { headers: { 'If-None-Match': etag } })).status, 304);
  const urls = [];
  for (const loc of index.locs) {
    const url = new URL(loc);
    assert.equal(url.origin, ORIGIN, loc);
    // A sitemap may list only URLs under its own directory: every one is at the root.
    assert.ok(!url.pathname.slice(1).includes('/'), `${loc} is at the site's root`);
    const listed = await sitemap(url.pathname + url.search);
    assert.equal(listed.root, 'urlset', loc);
    assert.ok(listed.locs.length > 0 && listed.locs.length <= 50_000, `${loc}: ${listed.locs.length} URLs`);
    for (const each of listed.locs) {
      const page = new URL(each);
      assert.equal(page.origin, ORIGIN, each);
      urls.push(page.pathname + page.search);
    }
  }
  assert.equal(new Set(urls).size, urls.length, 'no URL listed twice');
  const guides = urls.filter((p) => /^\/g\/[^/]+$/.test(p));
  const total = directory.counts.reduce((a, b) => a + b, 0);
  assert.equal(guides.length, total, 'one /g/ URL per item of the catalog');
  assert.deepEqual(new Set(guides), new Set(items.map((i) => `/g/${i.code}`)));
  for (const path of ['/', '/s', ...directory.halls.map((h) => `/h/${h.id}`), ...directory.life_events.map((e) => `/e/${e.id}`)]) {
    assert.ok(urls.includes(path), `${path} is in a sitemap`);
  }
  const failing = [];
  for (const path of urls) {
    const response = await fetch(BASE + path);
    await response.arrayBuffer();
    if (response.status !== 200) failing.push(`${response.status} ${path}`);
  }
  assert.deepEqual(failing, [], 'every URL in the sitemaps answers 200');
  // A hall nobody has, or a page past a hall's last, is not a sitemap.
  const hall = directory.halls[0].id;
  for (const path of ['/sitemap-hall-no-such-hall.xml', `/sitemap-hall-${hall}.xml?page=2`, `/sitemap-hall-${hall}.xml?page=x`]) {
    assert.equal((await fetch(BASE + path)).status, 404, path);
  }
});

test('/favicon.ico answers the icon, never HTML', async () => {
  const response = await fetch(`${BASE}/favicon.ico`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^image\//);
  assert.match(await response.text(), /<svg/);
});

test('unknown paths answer 404 with the Chinese page; files, the console and the API are unchanged', async () => {
  for (const path of ['/forms/nothing.pdf', '/no-such-page', '/samples/nothing.jpg', '/pkg/no-such.wasm', '/staff/no-such.js']) {
    const response = await fetch(BASE + path);
    assertNotFoundPage(path, response, await response.text());
  }
  const api = await fetch(`${BASE}/api/v1/no-such-route`);
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /application\/json/);
  assert.equal((await api.json()).code, 'no_route');
  for (const [path, type] of [['/sw.js', /javascript/], ['/manifest.webmanifest', /json/], ['/icon.svg', /^image\/svg\+xml/]]) {
    const response = await fetch(BASE + path);
    await response.arrayBuffer();
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type'), type, path);
  }
  // The staff console's page and its own bundle still load.
  const staff = await fetch(`${BASE}/staff`);
  const shell = await staff.text();
  assert.equal(staff.status, 200);
  assert.match(staff.headers.get('content-type'), /^text\/html/);
  const bundle = linksIn(shell).filter((href) => href.startsWith('/staff/'));
  assert.ok(bundle.some((href) => href.endsWith('.wasm') || href.endsWith('.js')), bundle.join());
  for (const href of bundle) {
    const response = await fetch(BASE + href);
    await response.arrayBuffer();
    assert.equal(response.status, 200, href);
  }
  // In the browser: the 404 page renders in the site's look, under its CSP.
  const context = await phone(browser);
  const { page, response, errors } = await openPage(context, '/no-such-page');
  assert.equal(response.status(), 404);
  assert.equal(await page.title(), '页面不存在 · 办事指南');
  assert.equal(await page.locator('h1').innerText(), '页面不存在');
  assert.equal(await page.locator('main a[href="/"]').count(), 1);
  assert.equal(await page.locator('main a[href="/s"]').count(), 1);
  assert.equal(await page.locator('a[href="tel:12345"]').count(), 1);
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), [], 'no errors but the 404 itself');
  await context.close();
});

test('a guide names its canonical URL and shows its time limits when shared', async () => {
  const item = (await getJson(`/api/v1/items/${items[0].code}`)).body;
  const context = await phone(browser, { javaScriptEnabled: false });
  const { page, response } = await openPage(context, `/g/${item.code}`);
  assert.equal(response.status(), 200);
  const attr = (selector, name) => page.locator(selector).getAttribute(name);
  const url = `${ORIGIN}/g/${item.code}`;
  assert.equal(await attr('link[rel=canonical]', 'href'), url);
  assert.equal(await attr('meta[property="og:title"]', 'content'), item.name);
  assert.equal(await attr('meta[property="og:url"]', 'content'), url);
  assert.equal(await attr('meta[property="og:type"]', 'content'), 'website');
  assert.equal(await attr('meta[property="og:site_name"]', 'content'), '办事指南');
  const description = await attr('meta[property="og:description"]', 'content');
  assert.ok(description.includes(`法定办结时限${limitLabel(item.legal_limit)}`), description);
  assert.ok(description.includes(`承诺办结时限${limitLabel(item.promised_limit)}`), description);
  assert.ok(description.includes(`到现场次数${item.visits}次`), description);
  // The printable notice repeats the guide: it points search engines at the guide.
  const print = await openPage(context, `/g/${item.code}/print`);
  assert.equal(await print.page.locator('link[rel=canonical]').getAttribute('href'), url);
  // Other pages name themselves.
  const hall = directory.halls[0];
  const hallPage = await openPage(context, `/h/${hall.id}`);
  assert.equal(await hallPage.page.locator('link[rel=canonical]').getAttribute('href'), `${ORIGIN}/h/${hall.id}`);
  assert.equal(await hallPage.page.locator('meta[property="og:title"]').getAttribute('content'), hall.name);
  await context.close();
});
