// Staff console (/staff) in the browser, the done-when flow: an editor signs in,
// turns the seed's 机动车注册登记 into a 22-day "instant" item, sees the lint error next to
// the field as they type, fixes it and saves; another department's editor cannot touch
// it; an admin publishes and the citizen guide changes; one click rolls it back; two
// editors saving the same draft get a conflict showing both versions.
// (API-level checks, 401/403 on every endpoint, interrupted publish: staff_api.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './helpers.mjs';

const CODE = '11411523005960128G-000201001'; // 机动车注册登记（新车上牌）, 新县公安局交通警察大队
const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
let browser;

before(async () => {
  browser = await launch();
  // Start from the published catalog: no drafts left over by earlier tests.
  const admin = await api('admin', ADMIN);
  for (const row of (await admin('GET', '/api/v1/staff/items?status=draft&limit=200')).rows) {
    if (row.has_draft) await admin('DELETE', `/api/v1/staff/items/${row.code}/draft`);
  }
});
after(() => browser?.close());

let ip = 0;
/** A signed-in API caller (for test setup only; the flow itself goes through the UI). */
async function api(username, password) {
  const res = await fetch(`${BASE}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `198.51.100.${++ip}` },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login ${username}`);
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return async (method, path, body) => {
    const r = await fetch(BASE + path, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return text ? JSON.parse(text) : null;
  };
}

/** A desktop browser context signed in through the console's login form. */
async function signIn(username, password, path = '/staff') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(BASE + path);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('whoami').waitFor();
  return { context, page, errors };
}

async function openEditor(page) {
  await page.goto(`${BASE}/staff/items/${CODE}`);
  await page.getByTestId('editor').waitFor();
}

async function citizenGuide() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(`${BASE}/g/${CODE}`, { waitUntil: 'load' });
  const instant = await page.locator('.badge-instant').count();
  const text = await page.locator('main').innerText();
  await context.close();
  return { instant, text, requested };
}

test('editor: live lint beside the field, fix, save; other department refused; admin publishes; citizen sees it; rollback restores it', async () => {
  const before = await citizenGuide();
  assert.equal(before.instant, 0, 'the seed item is a 承诺件');
  assert.ok(!before.requested.some((p) => p.startsWith('/staff')), 'citizens never load the console');

  const editor = await signIn('jiaojing', EDITOR);
  const list = editor.page.locator(`tr[data-code="${CODE}"]`);
  await list.waitFor();
  assert.match(await list.innerText(), /机动车注册登记/);
  await editor.page.getByRole('link', { name: /机动车注册登记/ }).click();
  await editor.page.getByTestId('editor').waitFor();

  // Introduce the seed's contradiction: an 即办件 with 22 days legal and promised.
  await editor.page.getByLabel('办件类型').selectOption({ label: '即办件' });
  await editor.page.locator('#f-legal_limit-value').fill('22');
  await editor.page.locator('#f-promised_limit-value').fill('22');
  const beside = editor.page.locator('#f-kind-lint [data-rule="instant-must-be-instant"]');
  await beside.waitFor();
  assert.match(await beside.innerText(), /错误/);
  assert.equal(await editor.page.locator('#f-kind').getAttribute('aria-invalid'), 'true');
  assert.equal(await editor.page.locator('#f-promised_limit-lint [data-rule="instant-must-be-instant"]').count(), 1);
  assert.equal(await editor.page.getByTestId('lint-summary').locator('[data-rule="instant-must-be-instant"]').count(), 1);

  // Fix it: an instant item is promised 即办 (0 days).
  await editor.page.locator('#f-promised_limit-value').fill('0');
  await editor.page.locator('[data-rule="instant-must-be-instant"]').first().waitFor({ state: 'detached' });
  assert.equal(await editor.page.locator('#f-kind').getAttribute('aria-invalid'), 'false');
  await editor.page.getByRole('button', { name: '保存草稿' }).click();
  await editor.page.getByTestId('save-message').filter({ hasText: '草稿已保存' }).waitFor();
  assert.deepEqual(editor.errors, []);
  await editor.context.close();

  // An editor of another department neither lists nor opens it.
  const other = await signIn('shichang', EDITOR);
  await other.page.locator('table.items-table tbody tr').first().waitFor();
  assert.equal(await other.page.locator(`tr[data-code="${CODE}"]`).count(), 0);
  await openEditorOrRefusal(other.page);
  await other.context.close();

  // The admin publishes; the citizen guide shows the change.
  const admin = await signIn('admin', ADMIN, '/staff/publish');
  const draftRow = admin.page.locator(`tr[data-code="${CODE}"]`);
  await draftRow.waitFor();
  const previous = Number(await admin.page.locator('.versions-table tr.current').getAttribute('data-version'));
  await admin.page.getByLabel('我已阅读全部提醒，确认发布').check();
  await admin.page.getByRole('button', { name: '发布为新版本' }).click();
  await admin.page.getByTestId('publish-result').filter({ hasText: '已发布' }).waitFor();
  const published = await citizenGuide();
  assert.equal(published.instant, 1, 'the guide now says 即办件');
  assert.match(published.text, /22个工作日/);

  // One click rolls the catalog back; the guide is the old one again.
  await admin.page.getByRole('button', { name: `回滚到第${previous}版` }).click();
  await admin.page.locator(`.versions-table tr.current[data-version="${previous}"]`).waitFor();
  const rolledBack = await citizenGuide();
  assert.equal(rolledBack.instant, 0);
  assert.deepEqual(admin.errors, []);
  await admin.context.close();
});

async function openEditorOrRefusal(page) {
  await page.goto(`${BASE}/staff/items/${CODE}`);
  await page.getByText('您没有权限查看或修改这个事项').waitFor();
  assert.equal(await page.getByTestId('editor').count(), 0);
}

test('two editors save the same draft: the second sees both versions and chooses', async () => {
  const first = await signIn('jiaojing', EDITOR);
  const second = await signIn('admin', ADMIN);
  await openEditor(first.page);
  await openEditor(second.page);

  await first.page.getByLabel('窗口', { exact: true }).fill('6号窗口（交警）');
  await first.page.getByRole('button', { name: '保存草稿' }).click();
  await first.page.getByTestId('save-message').filter({ hasText: '草稿已保存' }).waitFor();

  await second.page.getByLabel('专区', { exact: true }).fill('车驾管专区');
  await second.page.getByRole('button', { name: '保存草稿' }).click();
  const conflict = second.page.getByTestId('conflict');
  await conflict.waitFor();
  // Both versions side by side: their window, my zone.
  assert.match(await conflict.locator('tr[data-path="window"]').innerText(), /6号窗口（交警）/);
  assert.match(await conflict.locator('tr[data-path="zone"]').innerText(), /车驾管专区/);
  await conflict.getByRole('button', { name: /采用对方的版本/ }).click();
  await conflict.waitFor({ state: 'detached' });
  assert.equal(await second.page.getByLabel('窗口', { exact: true }).inputValue(), '6号窗口（交警）');

  // Leave the catalog as it was: discard the draft.
  await second.page.getByRole('button', { name: '放弃草稿' }).click();
  await second.page.getByRole('button', { name: '确认放弃草稿' }).click();
  await second.page.getByTestId('editor').waitFor();
  await second.page.locator('.badge-draft').waitFor({ state: 'detached' });
  assert.deepEqual([...first.errors, ...second.errors], []);
  await first.context.close();
  await second.context.close();
});
