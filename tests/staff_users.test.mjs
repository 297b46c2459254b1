// Account management: the hall admin lists accounts and creates one in the console; the
// new editor can sign in and sees only their department; editors cannot manage accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
let browser;
before(async () => { browser = await launch(); });
after(() => browser?.close());

let ip = 0;
async function login(username, password) {
  const res = await fetch(`${BASE}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `192.0.2.${++ip}` },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  return { status: res.status, body, cookie };
}

test('GET /api/v1/staff/users: admins only, never a password hash', async () => {
  const admin = await login('admin', ADMIN);
  const res = await fetch(`${BASE}/api/v1/staff/users`, { headers: { Cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const text = await res.text();
  const users = JSON.parse(text);
  assert.ok(users.some((u) => u.username === 'jiaojing' && u.department === '新县公安局交通警察大队'));
  assert.doesNotMatch(text, /hash|salt|password/);
  const editor = await login('jiaojing', EDITOR);
  assert.equal((await fetch(`${BASE}/api/v1/staff/users`, { headers: { Cookie: editor.cookie } })).status, 403);
});

test('the admin creates an editor in the console, who then signs in to their department', async () => {
  const username = `weijian${Date.now() % 100000}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/staff/users`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(ADMIN);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '账号管理' }).waitFor();
  assert.ok((await page.locator('.users-table').innerText()).includes('jiaojing'));
  await page.getByLabel('用户名（字母、数字、-、_）').fill(username);
  await page.getByLabel('姓名或岗位').fill('卫健委 窗口编辑');
  await page.getByLabel('初始密码（至少10位）').fill('weijian-password-1');
  await page.getByLabel('部门（与事项的实施主体一致）').fill('新县卫生健康委员会');
  await page.getByRole('button', { name: '创建账号' }).click();
  await page.getByText(`已创建账号 ${username}`).waitFor();
  await page.locator('.users-table', { hasText: username }).waitFor();
  await context.close();

  const created = await login(username, 'weijian-password-1');
  assert.equal(created.status, 200);
  assert.equal(created.body.user.role, 'editor');
  const items = await (await fetch(`${BASE}/api/v1/staff/items`, { headers: { Cookie: created.cookie } })).json();
  assert.ok(items.length > 0);
  assert.ok(items.every((row) => row.department === '新县卫生健康委员会'));
});
