// Adding an item: staff copy a similar item under a new code (复制为新事项), the copy is a
// draft listed as 新事项, and publishing puts it in the catalog with its guide page and QR
// code. The test rolls the catalog back afterwards, so other tests see the seeded one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, getJson, signIn, publishedJob } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
// Copies start from an item of 交警大队 (jiaojing's department) without lint errors.
let SOURCE;
let browser;
let ipSeq = 0;
const ip = () => `198.18.9.${++ipSeq}`;

before(async () => {
  browser = await launch();
  const editor = await signIn('jiaojing', process.env.EDITOR_PASSWORD, '198.18.9.250');
  const rows = (await editor.call('GET', '/api/v1/staff/items?status=clean&limit=200')).body.rows;
  SOURCE = rows.find((r) => r.errors === 0 && !r.has_draft && !r.withdrawn).code;
});
after(() => browser?.close());

/** A code of the source item's department that the catalog does not have yet. */
function unusedCode(catalogItems, offset) {
  const prefix = SOURCE.split('-')[0];
  for (let n = 900 + offset; n < 1000; n += 1) {
    const code = `${prefix}-000201${String(n).padStart(3, '0')}`;
    if (!catalogItems.some((i) => i.code === code)) return code;
  }
  throw new Error('no unused code');
}

test('a new item saved as a draft is listed as 新事项 and published into the catalog', async () => {
  const admin = await signIn('admin', ADMIN, ip());
  const editor = await signIn('jiaojing', EDITOR, ip());
  const { body: catalog } = await getJson('/api/v1/catalog');
  const source = (await getJson(`/api/v1/items/${SOURCE}`)).body;
  const code = unusedCode(catalog.items, 0);
  const item = { ...source, code, name: `${source.name}（测试新增事项）`, version: 1 };

  const wrongHall = await editor.call('PUT', `/api/v1/staff/items/${code}/draft`, { item: { ...item, hall: 'nowhere' } });
  assert.equal(wrongHall.status, 400);
  assert.equal(wrongHall.body.fields[0].field, 'item.hall');
  const otherDept = await signIn('shichang', EDITOR, ip());
  assert.equal((await otherDept.call('PUT', `/api/v1/staff/items/${code}/draft`, { item })).status, 403,
    'an editor adds items of their own department only');

  const saved = await editor.call('PUT', `/api/v1/staff/items/${code}/draft`, { item });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const row = (await editor.call('GET', `/api/v1/staff/items?q=${code}`)).body.rows.find((r) => r.code === code);
  assert.ok(row, 'listed before it is published');
  assert.equal(row.is_new, true);
  assert.equal((await getJson(`/api/v1/items/${code}`)).response.status, 404, 'citizens do not see drafts');

  const before = catalog.version;
  const published = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, note: '新增事项（测试）' });
  try {
    const job = await publishedJob(admin, published);
    assert.equal(job.state, 'done', JSON.stringify(job));
    assert.ok(job.info.changed.includes(code));
    assert.equal(job.info.items, catalog.items.length + 1);
    const live = await getJson(`/api/v1/items/${code}`);
    assert.equal(live.response.status, 200);
    assert.equal(live.body.version, 1);
    assert.equal(live.body.name, item.name);
    const page = await fetch(`${BASE}/g/${code}`);
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes('（测试新增事项）'));
    assert.equal((await fetch(`${BASE}/qr/${code}.svg`)).status, 200);
    const listed = (await editor.call('GET', `/api/v1/staff/items?q=${code}`)).body.rows.find((r) => r.code === code);
    assert.equal(listed.is_new, false);
  } finally {
    assert.equal((await admin.call('POST', '/api/v1/staff/rollback', { version: before })).status, 200);
  }
  assert.equal((await getJson(`/api/v1/items/${code}`)).response.status, 404, 'rolled back');
  // Its printed URL and QR code keep working: the guide says it was adjusted.
  const adjusted = await fetch(`${BASE}/g/${code}`);
  assert.equal(adjusted.status, 200);
  assert.match(await adjusted.text(), /此事项已调整/);
  assert.equal((await fetch(`${BASE}/qr/${code}.svg`)).status, 200);
});

test('复制为新事项 in the editor opens the copy as a draft of the new code', async () => {
  const { body: catalog } = await getJson('/api/v1/catalog');
  const code = unusedCode(catalog.items, 50);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/staff/items/${SOURCE}`);
  await page.getByLabel('用户名').fill('jiaojing');
  await page.getByLabel('密码').fill(EDITOR);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('复制为新事项').click();
  await page.getByLabel('新事项的编码').fill('机动车 001');
  await page.getByRole('button', { name: '复制并打开' }).click();
  assert.notEqual(await page.locator('#copy-code-problem').innerText(), '', 'a malformed code is refused');
  await page.getByLabel('新事项的编码').fill(SOURCE);
  await page.getByRole('button', { name: '复制并打开' }).click();
  await page.locator('#copy-code-problem', { hasText: '已有事项' }).waitFor();
  await page.getByLabel('新事项的编码').fill(code);
  await page.getByRole('button', { name: '复制并打开' }).click();
  await page.waitForURL(`**/staff/items/${code}`);
  await page.locator('[data-testid="save-message"], .editor-head').first().waitFor();
  const editor = await signIn('jiaojing', EDITOR, ip());
  const staffItem = await editor.call('GET', `/api/v1/staff/items/${code}`);
  assert.equal(staffItem.status, 200);
  assert.equal(staffItem.body.published, null);
  assert.equal(staffItem.body.draft.item.code, code);
  await page.goto(`${BASE}/staff`);
  await page.locator(`tr[data-code="${code}"]`, { hasText: '新事项，未发布' }).waitFor();

  // Discarding a new item's only draft deletes it and returns to the list.
  await page.goto(`${BASE}/staff/items/${code}`);
  await page.getByRole('button', { name: '放弃草稿' }).click();
  await page.getByText('这是尚未发布的新事项，放弃后将被删除。').waitFor();
  await page.getByRole('button', { name: '确认放弃草稿' }).click();
  await page.waitForURL(`${BASE}/staff`);
  assert.equal((await editor.call('GET', `/api/v1/staff/items/${code}`)).status, 404);
  assert.deepEqual(errors, []);
  await context.close();
});
