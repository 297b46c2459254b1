// Script injection: a guide whose every text field carries an XSS corpus (tags, attribute
// breakouts, a script-closing sequence, comments, SVG, bidi and zero-width characters,
// full-width lookalikes) is saved through the staff API as a new item, checked in the
// console's editor and preview, published, and read back everywhere a person or a client
// sees it: the guide (JavaScript on and off), search, the print notice, the hall page, the
// QR poster, the item JSON and the exports. Everywhere the payload must
// be text — shown as written, never an element, a dialog or a CSP violation. A link that is
// not a web address (javascript:, data:) is refused when the draft is saved. The catalog
// is rolled back afterwards; the new code keeps its "此事项已调整" page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, BASE, getJson, signIn, publishedJob, waitForApp } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
// The copy starts from 不动产转移登记 (every kind of field filled: links, steps, fees, FAQ …).
const SOURCE = '11411523005962416Q-000701001';
const CODE = '11411523005962416Q-000701877';
const TERM = '跨站测试';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  "' onmouseover='alert(1)",
  '</script><script>alert(1)</script>',
  '<!--',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  'javascript:alert(1)',
  '\u202E反向\u202C',
  '零\u200B宽',
  '＜script＞alert(1)＜/script＞',
];
const ALL = XSS.join(' ');
// At most 100 characters: the tags, a comment opening a script, a quote of each kind, a bidi override.
const NAME = `${TERM}<script>alert(1)</script><!--<script><img src=x onerror=alert(1)>"'<svg onload=alert(1)>\u202E`;
// Phone labels: the part before the colon; the number stays dialable.
const PHONE_LABEL = '<img src=x onerror=alert(1)>" onmouseover="alert(1)<svg onload=alert(1)>';
// Links must start with https:// (or /) and hold no space, `"` or `<`: these are the most
// hostile that pass.
const LINKS = {
  pc: "https://www.hnzwfw.gov.cn/?q='onmouseover='alert(1)'&x=>",
  mobile: "https://www.hnzwfw.gov.cn/m/?next=javascript:alert(1)&a='>",
  result: "https://example.gov.cn/sample.png?'onerror='alert(1)'",
  blank: "https://example.gov.cn/form.pdf#'onmouseover='alert(1)'",
  sample: 'https://example.gov.cn/sample.pdf?a=1&amp;b=&lt;/script&gt;',
};
const INJECTED = 'img[src="x"], svg[onload], [onerror], [onmouseover], [onload]';
const FIELDS = ['name', 'zone', 'window', 'keywords', 'limit_note', 'visit_reason', 'appointment', 'proxy',
  'conditions', 'steps', 'result', 'materials', 'fees', 'place', 'consult_phone', 'complain_phone', 'faq',
  'legal_basis', 'online_url'];

let browser;
let admin;
let item; // the payload item as saved
let versionBefore;
let staffContext; // a console signed in as the admin

before(async () => {
  browser = await launch();
  admin = await signIn('admin', ADMIN, '198.18.77.1');
  assert.equal(admin.status, 200);
  const catalog = (await getJson('/api/v1/catalog?limit=1000')).body;
  versionBefore = catalog.version;
  assert.ok(!catalog.items.some((i) => i.code === CODE), `${CODE} is not in the catalog yet`);
  await admin.call('DELETE', `/api/v1/staff/items/${CODE}/draft`);
  const source = (await getJson(`/api/v1/items/${SOURCE}`)).body;
  assert.ok(NAME.length <= 100, `name ${NAME.length} characters`);
  const mark = (label) => `${label}${ALL}`;
  item = {
    ...source,
    code: CODE,
    version: 1,
    name: NAME,
    zone: mark('专区'),
    window: mark('窗口'),
    keywords: [...source.keywords, TERM, XSS[0]],
    limit_note: mark('时限说明'),
    visit_reason: mark('到场原因'),
    appointment: mark('预约'),
    proxy: { ...source.proxy, material: mark('委托材料'), note: mark('委托说明') },
    conditions: source.conditions.map((c, i) => (i === 0 ? mark('条件') : c)),
    steps: source.steps.map((s, i) => (i === 0 ? { ...s, name: mark('环节'), who: mark('岗位'), standard: mark('标准') } : s)),
    result: { ...source.result, name: mark('结果'), sample: LINKS.result },
    materials: source.materials.map((m, i) => (i === 0
      ? { ...m, name: mark('材料'), note: mark('材料说明'), blank_form: LINKS.blank, sample: LINKS.sample }
      : i === 1 ? { ...m, optional_when: mark('免交情形') } : m)),
    fees: { ...source.fees, items: source.fees.items.map((f, i) => (i === 0 ? { ...f, item: mark('收费'), standard: mark('标准'), basis: mark('依据') } : f)) },
    place: { ...source.place, address: mark('地址'), hours_note: mark('时间说明'), directions: mark('路线') },
    consult_phone: `${PHONE_LABEL}咨询：0376-2981221`,
    complain_phone: `<script>alert(1)<!--投诉：0376-12345`,
    faq: [{ q: mark('问'), a: mark('答') }, ...source.faq],
    legal_basis: [{ law: mark('《法》'), article: mark('第一条'), text: mark('条文') }, ...source.legal_basis],
    online_url: { pc: LINKS.pc, mobile: LINKS.mobile },
  };
});

after(async () => {
  await staffContext?.close();
  await browser?.close();
  await admin?.call('DELETE', `/api/v1/staff/items/${CODE}/draft`);
  const current = (await getJson('/api/v1/catalog')).body.version;
  if (current !== versionBefore) {
    assert.equal((await admin.call('POST', '/api/v1/staff/rollback', { version: versionBefore })).status, 200);
  }
});

/** A browser context that records CSP violations from the first script on. */
async function guardedContext(options) {
  const context = options.phone ? await phone(browser, options) : await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}: ${e.sample}`);
    });
  });
  return context;
}

/** Records dialogs (and dismisses them) and console messages about the CSP. */
function watch(page) {
  const seen = { dialogs: [], csp: [] };
  page.on('dialog', (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) seen.csp.push(m.text()); });
  return seen;
}

/** No dialog, no CSP violation, no element made from the payload; the payload shown as text. */
async function assertInert(page, seen, where, { texts = [], scope = 'body', javaScript = true } = {}) {
  // Give anything injected a chance to run: hover the links made from the payload, wait.
  const links = page.locator(`${scope} a`).filter({ hasText: /alert|${TERM}/ });
  for (const link of [...await links.all(), ...await page.locator(`${scope} a[href*="'"]`).all()]) {
    await link.hover({ timeout: 1000 }).catch(() => {});
  }
  // Two frames and a task: handlers run by the hovers and timers set at load have had
  // their turn (with JavaScript off nothing can run, and the page runs no timers).
  if (javaScript) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
  }
  const violations = javaScript ? await page.evaluate(() => window.__cspViolations ?? ['init script did not run']) : [];
  assert.deepEqual(seen.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual([...violations, ...seen.csp], [], `${where}: CSP violations`);
  assert.equal(await page.locator(INJECTED).count(), 0, `${where}: an element made from the payload`);
  // Data blocks (page data, JSON-LD) are never run; any other script must not hold it.
  const scripts = await page.locator('script:not([type="application/json"]):not([type="application/ld+json"])').allTextContents();
  assert.ok(!scripts.some((s) => s.includes('alert(1)')), `${where}: the payload inside an executable script`);
  const shown = await page.locator(scope).first().textContent();
  for (const text of texts) assert.ok(shown.includes(text), `${where}: ${JSON.stringify(text)} shown as text`);
}

test('a javascript:, data: or other non-web link is refused in every link field, naming it', async () => {
  const bad = ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)', '//evil.example/x', 'https://example.gov.cn/"onmouseover="alert(1)', 'https://example.gov.cn/<script>'];
  const fields = {
    'online_url.pc': (i, v) => ({ ...i, online_url: { ...i.online_url, pc: v } }),
    'online_url.mobile': (i, v) => ({ ...i, online_url: { ...i.online_url, mobile: v } }),
    'result.sample': (i, v) => ({ ...i, result: { ...i.result, sample: v } }),
    'materials[0].blank_form': (i, v) => ({ ...i, materials: [{ ...i.materials[0], blank_form: v }, ...i.materials.slice(1)] }),
    'materials[0].sample': (i, v) => ({ ...i, materials: [{ ...i.materials[0], sample: v }, ...i.materials.slice(1)] }),
  };
  for (const [field, put] of Object.entries(fields)) {
    for (const link of bad) {
      const res = await admin.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: put(item, link) });
      assert.equal(res.status, 400, `${field} = ${link}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.fields[0].field, field, `${field} = ${link}`);
    }
  }
  assert.equal((await admin.call('GET', `/api/v1/staff/items/${CODE}`)).status, 404, 'nothing was kept');
});

test('the payload draft is kept as written, and shown as text in the console list, editor and preview', async () => {
  const saved = await admin.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  for (const field of FIELDS) assert.deepEqual(saved.body.item[field], item[field], `draft ${field} as written`);
  assert.deepEqual(saved.body.findings.filter((f) => f.severity === 'error'), [], 'publishable');

  staffContext = await guardedContext({});
  const page = await staffContext.newPage();
  const seen = watch(page);
  await page.goto(`${BASE}/staff?q=${encodeURIComponent(TERM)}`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(ADMIN);
  await page.getByRole('button', { name: '登录' }).click();
  const row = page.locator(`tr[data-code="${CODE}"]`);
  await row.waitFor();
  await assertInert(page, seen, 'console list', { texts: [NAME] });

  await page.goto(`${BASE}/staff/items/${CODE}`);
  await page.getByTestId('editor').waitFor();
  assert.equal(await page.getByLabel('事项名称', { exact: true }).inputValue(), NAME, 'the name field holds the payload');
  await assertInert(page, seen, 'editor');
  await page.getByRole('button', { name: '群众看到的页面（预览）' }).click();
  const preview = page.getByTestId('preview');
  await preview.waitFor();
  await assertInert(page, seen, 'editor preview', {
    scope: '[data-testid="preview"]',
    texts: [NAME, ...XSS, item.faq[0].a, item.materials[0].name, item.place.address, PHONE_LABEL],
  });
  assert.equal(await preview.getByRole('heading', { level: 1 }).textContent(), NAME);
});

test('the payload draft publishes', async () => {
  const job = await publishedJob(admin, await admin.call('POST', '/api/v1/staff/publish', { codes: [CODE], acknowledge_warnings: true, note: 'XSS 语料测试' }));
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.deepEqual(job.info.changed, [CODE]);
});

test('the item JSON and the search index give the payload back exactly', async () => {
  const { response, body } = await getJson(`/api/v1/items/${CODE}`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  for (const field of FIELDS) assert.deepEqual(body[field], item[field], `${field} round-trips`);
  const index = (await getJson('/api/v1/search-index')).body;
  assert.ok(index.e.some((e) => e.n === NAME), 'the search index holds the name as written');
});

/** Opens `path` on a phone, JavaScript on or off, and checks it like assertInert. */
async function citizenPage(path, { javaScriptEnabled = true, app = true, texts = [], scope = 'main', ready } = {}) {
  const context = await guardedContext({ phone: true, javaScriptEnabled });
  try {
    const page = await context.newPage();
    const seen = watch(page);
    const response = await page.goto(BASE + path, { waitUntil: 'load' });
    assert.equal(response.status(), 200, path);
    if (javaScriptEnabled && app) await waitForApp(page);
    if (ready) await ready(page);
    await assertInert(page, seen, `${path} (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { texts, scope, javaScript: javaScriptEnabled });
    return { title: await page.title(), og: await page.locator('meta[property="og:title"]').getAttribute('content').catch(() => null),
      h1: await page.locator('h1').first().textContent().catch(() => null), hrefs: await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))).catch(() => []) };
  } finally {
    await context.close();
  }
}

test('the published guide shows every payload as text, with JavaScript on and off', async () => {
  const texts = [NAME, ...XSS, item.faq[0].q, item.faq[0].a, item.materials[0].name, item.place.address, item.conditions[0], item.window];
  for (const javaScriptEnabled of [true, false]) {
    const seen = await citizenPage(`/g/${CODE}`, { javaScriptEnabled, texts });
    assert.equal(seen.h1, NAME, 'the heading is the name as written');
    assert.ok(seen.title.includes(NAME), `tab title: ${seen.title}`);
    if (!javaScriptEnabled) assert.equal(seen.og, NAME, 'the OpenGraph title attribute holds the name as written');
    // Links keep their address exactly (an attribute, not markup).
    for (const link of [LINKS.blank, LINKS.sample]) assert.ok(seen.hrefs.includes(link), `link ${link} in ${seen.hrefs.join(' ')}`);
    assert.ok(!seen.hrefs.some((h) => /^\s*javascript:/i.test(h)), 'no javascript: link');
  }
});

test('the embeds for government websites show the payload as text', async () => {
  const texts = [NAME, item.faq[0].q, item.materials[0].name, item.place.address];
  for (const javaScriptEnabled of [true, false]) {
    const seen = await citizenPage(`/embed/g/${CODE}`, { javaScriptEnabled, app: false, texts });
    assert.equal(seen.h1, NAME);
  }
  const ready = (page) => page.locator('.results .entry-name', { hasText: TERM }).first().waitFor();
  await citizenPage(`/embed/s?q=${encodeURIComponent(TERM)}`, { app: false, texts: [NAME], ready });
});

test('search finds the item and lists its name as text, with JavaScript on and off', async () => {
  const path = `/s?q=${encodeURIComponent(TERM)}`;
  const ready = (page) => page.locator('.results .entry-name', { hasText: TERM }).first().waitFor();
  await citizenPage(path, { texts: [NAME], ready });
  await citizenPage(path, { javaScriptEnabled: false, texts: [NAME], ready });
});

test('the print notice, the hall page and the QR poster keep the payload inert', async () => {
  for (const javaScriptEnabled of [true, false]) {
    await citizenPage(`/g/${CODE}/print`, { javaScriptEnabled, app: false, scope: 'body', texts: [NAME, item.materials[0].name, item.place.address] });
  }
  await citizenPage(`/h/${item.hall}`, { texts: [NAME] });
  // The poster is an SVG document of its own: no script in it may run when it is opened.
  const context = await guardedContext({});
  const page = await context.newPage();
  const seen = watch(page);
  const response = await page.goto(`${BASE}/qr/${CODE}.svg`);
  assert.equal(response.status(), 200);
  // Loaded and a task later (an SVG document draws no animation frames here): anything
  // run on load has had its turn.
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  assert.deepEqual(seen.dialogs, [], 'QR poster: a dialog opened');
  assert.equal(await page.locator('script, [onload], [onerror], foreignObject').count(), 0, 'QR poster: script or handler in the SVG');
  await context.close();
});

test('the exports carry the payload as data, downloaded rather than shown', async () => {
  const json = await admin.file('GET', `/api/v1/staff/export?format=json&scope=published&hall=${item.hall}`);
  assert.equal(json.status, 200);
  assert.match(json.headers.get('content-type'), /^application\/json/);
  assert.match(json.headers.get('content-disposition'), /^attachment/);
  const exported = json.body.find((i) => i.code === CODE);
  for (const field of FIELDS) assert.deepEqual(exported[field], item[field], `export ${field} as written`);
  const csv = await admin.file('GET', `/api/v1/staff/export?format=csv&scope=published&hall=${item.hall}`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /^attachment/);
  const text = csv.bytes.toString('utf8');
  for (const payload of XSS) assert.ok(text.includes(payload.replaceAll('"', '""')), `CSV holds ${JSON.stringify(payload)}`);
  // In the browser, an export is a file to save: never rendered as a page.
  for (const format of ['json', 'csv', 'xlsx']) {
    const page = await staffContext.newPage();
    const seen = watch(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.goto(`${BASE}/api/v1/staff/export?format=${format}&scope=published&hall=${item.hall}`).catch(() => {}),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`\\.${format}$`));
    assert.deepEqual(seen.dialogs, [], `export ${format}: a dialog opened`);
    await download.cancel();
    await page.close();
  }
});
