// Citizens' words staff add in the console (`/staff/search-words`): "开小吃店" finds
// nothing until the admin maps it to 食品经营许可; then the search page, the phone's
// search as you type and the websites' search API all put that item first (the word is
// added to the county's index as the item's keyword where the index is served). The line the
// admin got wrong is named; editors only read; the change is in the audit log. The list
// is emptied again at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, waitForApp, signIn, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
const QUERY = '开小吃店';
const ITEM = '食品经营许可（新办）';
let browser;
let admin;

before(async () => {
  browser = await launch();
  admin = await signIn('admin', ADMIN, '198.18.9.1');
  assert.equal(admin.status, 200);
});
after(async () => {
  await admin?.call('PUT', '/api/v1/staff/search-words', { words: [] });
  await browser?.close();
});

const names = (page) => page.locator('.results .entry-name').allInnerTexts();

test('a word the admin adds in the console finds the item on the page, as one types, and in the API', { timeout: 180_000 }, async () => {
  // Before: nothing found, and the page says so.
  const citizen = await phone(browser, { javaScriptEnabled: false });
  const { page: before } = await openPage(citizen, `/s?q=${encodeURIComponent(QUERY)}`);
  assert.deepEqual(await names(before), []);
  const etagBefore = (await fetch(`${BASE}/api/v1/search-index`)).headers.get('etag');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/staff/search-words`);
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', ADMIN);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '检索同义词' }).waitFor();
  // The shipped words are listed.
  const shipped = page.locator('table', { hasText: '随系统发布的同义词' });
  assert.match(await shipped.locator('tr', { hasText: '卖房' }).innerText(), /二手房过户/);

  // A line without "=" is named by its number; nothing is saved.
  await page.fill('#words-text', `# 群众说法\n${QUERY} 食品经营许可`);
  await page.getByRole('button', { name: '保存' }).click();
  assert.match(await page.locator('#words-problems').innerText(), /第 2 行缺少“=”/);
  assert.deepEqual((await admin.call('GET', '/api/v1/staff/search-words')).body.staff, []);
  // A term equal to its word is refused by the server, named by its line.
  await page.fill('#words-text', `# 群众说法\n${QUERY} = 食品经营许可\n\n低保 = 低保`);
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#words-problems li', { hasText: '第 4 行' }).first().waitFor();
  assert.match(await page.locator('#words-problems').innerText(), /第 4 行：“低保”与原词相同/);

  await page.fill('#words-text', `# 群众说法\n${QUERY} = 食品经营许可、餐饮许可证`);
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#words-saved', { hasText: '已保存 1 条' }).waitFor();
  assert.equal(await page.inputValue('#words-text'), `${QUERY} = 食品经营许可、餐饮许可证\n`);
  assert.deepEqual(errors, []);
  await context.close();

  // The search page (the same browser: its cached copy is not reused), first result.
  const { page: afterPage } = await openPage(citizen, `/s?q=${encodeURIComponent(QUERY)}`);
  assert.equal((await names(afterPage))[0], ITEM);
  await citizen.close();

  // The index phones download has the word as the item's keyword; a phone's copy
  // revalidates to it.
  const index = await fetch(`${BASE}/api/v1/search-index`, { headers: { 'If-None-Match': etagBefore } });
  assert.equal(index.status, 200, 'the words changed the index phones get');
  const entries = (await index.json()).e;
  assert.ok(entries.find((e) => e.n === ITEM).k.includes(QUERY));
  assert.ok(entries.filter((e) => (e.k ?? []).includes(QUERY)).length <= 40);

  // Search as you type on a phone.
  const live = await phone(browser);
  const { page: app } = await openPage(live, '/s');
  await waitForApp(app);
  await app.locator('#q').pressSequentially(QUERY, { delay: 40 });
  await app.locator('.results .entry-name', { hasText: ITEM }).first().waitFor();
  assert.equal((await names(app))[0], ITEM);
  await live.close();

  // The websites' search API.
  const api = await getJson(`/api/v1/search?q=${encodeURIComponent(QUERY)}&hall=xinxian`);
  assert.equal(api.body.results[0].name, ITEM);

  // The audit log has it.
  const audit = await admin.call('GET', '/api/v1/staff/audit?action=edit_search_words');
  assert.equal(audit.status, 200);
  assert.match(audit.body.entries[0].detail, /共 1 条：新增或修改 1 条，删除 0 条/);
});

test('editors read the words but cannot change them', { timeout: 60_000 }, async () => {
  const editor = await signIn('jiaojing', EDITOR, '198.18.9.2');
  const listing = await editor.call('GET', '/api/v1/staff/search-words');
  assert.equal(listing.status, 200);
  assert.ok(listing.body.builtin.some((w) => w.word === '房本'));
  const refused = await editor.call('PUT', '/api/v1/staff/search-words', { words: [{ word: '房本', terms: ['营业执照'] }] });
  assert.equal(refused.status, 403);
  const bad = await admin.call('PUT', '/api/v1/staff/search-words', { words: [{ word: '房本', terms: [] }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'words[0].terms');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/staff/search-words`);
  await page.fill('#login-username', 'jiaojing');
  await page.fill('#login-password', EDITOR);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '检索同义词' }).waitFor();
  await page.locator('table', { hasText: '随系统发布的同义词' }).waitFor();
  assert.equal(await page.locator('#words-text').count(), 0, 'no editing for an editor');
  await context.close();
});
