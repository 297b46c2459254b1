// Account management: the hall admin lists accounts and creates one in the console; the
// new editor can sign in and sees only their department; editors cannot manage accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, signIn } from './helpers.mjs';

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
  assert.ok(items.rows.length > 0);
  assert.ok(items.rows.every((row) => row.department === '新县卫生健康委员会'));
});

/** A fresh viewer account for one test, so the seeded accounts stay as they are. */
async function freshAccount(admin, prefix) {
  const username = `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const password = `${prefix}-initial-pw`;
  const created = await admin.call('POST', '/api/v1/staff/users', {
    username, display_name: '测试账号', password, role: 'viewer',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { username, password };
}

test('the admin stops and restores an account; a stopped account is signed out at once', async () => {
  const admin = await signIn('admin', ADMIN, `192.0.2.${++ip}`);
  const { username, password } = await freshAccount(admin, 'tingyong');
  const their = await signIn(username, password, `192.0.2.${++ip}`);
  assert.equal((await their.call('GET', '/api/v1/staff/me')).status, 200);

  const editor = await signIn('jiaojing', EDITOR, `192.0.2.${++ip}`);
  assert.equal((await editor.call('PATCH', `/api/v1/staff/users/${username}`, { disabled: true })).status, 403);
  const nothing = await admin.call('PATCH', `/api/v1/staff/users/${username}`, {});
  assert.equal(nothing.status, 400);
  const unknownField = await admin.call('PATCH', `/api/v1/staff/users/${username}`, { role: 'admin' });
  assert.equal(unknownField.body.fields[0].field, 'role', 'roles are not changed this way');
  assert.equal((await admin.call('PATCH', '/api/v1/staff/users/nobody-here', { disabled: true })).status, 404);
  const self = await admin.call('PATCH', '/api/v1/staff/users/admin', { disabled: true });
  assert.equal(self.status, 400);
  assert.equal(self.body.fields[0].field, 'disabled');
  // Not even an admin sets their own password without the current one.
  const ownReset = await admin.call('PATCH', '/api/v1/staff/users/admin', { password: 'no-current-needed' });
  assert.equal(ownReset.status, 400);
  assert.equal(ownReset.body.fields[0].field, 'password');

  const stopped = await admin.call('PATCH', `/api/v1/staff/users/${username}`, { disabled: true });
  assert.equal(stopped.status, 200);
  assert.equal(stopped.body.disabled, true);
  assert.equal((await their.call('GET', '/api/v1/staff/me')).status, 401, 'the open session ends');
  const refused = await signIn(username, password, `192.0.2.${++ip}`);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /已停用/);
  const listed = (await admin.call('GET', '/api/v1/staff/users')).body.find((u) => u.username === username);
  assert.equal(listed.disabled, true);

  assert.equal((await admin.call('PATCH', `/api/v1/staff/users/${username}`, { disabled: false })).status, 200);
  assert.equal((await signIn(username, password, `192.0.2.${++ip}`)).status, 200);
  const actions = (await admin.call('GET', '/api/v1/staff/audit')).body.entries
    .filter((e) => e.target === username).map((e) => e.action);
  assert.ok(actions.includes('disable_user') && actions.includes('enable_user'), actions.join());
});

test('a forgotten password is reset by the admin; everyone changes their own', async () => {
  const admin = await signIn('admin', ADMIN, `192.0.2.${++ip}`);
  const { username, password } = await freshAccount(admin, 'chongshe');
  const before = await signIn(username, password, `192.0.2.${++ip}`);
  const short = await admin.call('PATCH', `/api/v1/staff/users/${username}`, { password: 'short', admin_password: ADMIN });
  assert.equal(short.status, 400);
  assert.equal(short.body.fields[0].field, 'password');
  // Setting someone else's password asks for the admin's own: a borrowed session cannot.
  const unconfirmed = await admin.call('PATCH', `/api/v1/staff/users/${username}`, { password: 'reset-by-admin-1' });
  assert.equal(unconfirmed.status, 400);
  assert.equal(unconfirmed.body.fields[0].field, 'admin_password');
  const misconfirmed = await admin.call('PATCH', `/api/v1/staff/users/${username}`, { password: 'reset-by-admin-1', admin_password: 'not-the-admin-pw' });
  assert.equal(misconfirmed.status, 400);
  assert.equal(misconfirmed.body.fields[0].field, 'admin_password');
  assert.equal((await admin.call('PATCH', `/api/v1/staff/users/${username}`, { password: 'reset-by-admin-1', admin_password: ADMIN })).status, 200);
  assert.equal((await before.call('GET', '/api/v1/staff/me')).status, 401, 'sessions with the old password end');
  assert.equal((await signIn(username, password, `192.0.2.${++ip}`)).status, 401);

  // Two sessions of the user; changing the password from one ends the other.
  const here = await signIn(username, 'reset-by-admin-1', `192.0.2.${++ip}`);
  const elsewhere = await signIn(username, 'reset-by-admin-1', `192.0.2.${++ip}`);
  const wrong = await here.call('POST', '/api/v1/staff/me/password', { current: 'not-it-at-all', new: 'my-own-password-2' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.fields[0].field, 'current');
  const weak = await here.call('POST', '/api/v1/staff/me/password', { current: 'reset-by-admin-1', new: 'short' });
  assert.equal(weak.body.fields[0].field, 'new');
  const noCsrf = await here.call('POST', '/api/v1/staff/me/password',
    { current: 'reset-by-admin-1', new: 'my-own-password-2' }, { 'X-CSRF-Token': 'forged' });
  assert.equal(noCsrf.status, 403);
  const changed = await here.call('POST', '/api/v1/staff/me/password', { current: 'reset-by-admin-1', new: 'my-own-password-2' });
  assert.equal(changed.status, 200);
  assert.equal((await here.call('GET', '/api/v1/staff/me')).status, 200, 'this session goes on');
  assert.equal((await elsewhere.call('GET', '/api/v1/staff/me')).status, 401, 'the other one ends');
  assert.equal((await signIn(username, 'my-own-password-2', `192.0.2.${++ip}`)).status, 200);

  // Guessing the current password through a session stops like guessing at sign-in.
  const guesser = await signIn(username, 'my-own-password-2', `192.0.2.${++ip}`);
  const statuses = [];
  for (let i = 0; i < 6; i += 1) {
    statuses.push((await guesser.call('POST', '/api/v1/staff/me/password', { current: `guess-${i}-xxxxx`, new: 'never-set-pw-9' })).status);
  }
  assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
  const audit = (await admin.call('GET', `/api/v1/staff/audit?target=${username}&action=password_check_failed`)).body.entries;
  // The five guesses and the earlier wrong entry; the refused sixth guess was never checked.
  assert.equal(audit.length, 6, 'each wrong entry is in the log, found by the filters');
  assert.ok(audit.every((e) => e.who === username));
});

test('in the console: the admin stops, restores and resets an account; its user changes the password', async () => {
  const admin = await signIn('admin', ADMIN, `192.0.2.${++ip}`);
  const { username } = await freshAccount(admin, 'kongzhi');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  await page.goto(`${BASE}/staff/users`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(ADMIN);
  await page.getByRole('button', { name: '登录' }).click();
  const row = page.locator(`tr[data-username="${username}"]`);
  await row.waitFor();
  assert.equal(await page.locator('tr[data-username="admin"]').getByRole('button', { name: /停用/ }).count(), 0,
    'no button to stop one’s own account');
  await page.getByRole('button', { name: `停用账号 ${username}` }).click();
  await page.getByText(`已停用账号 ${username}`).waitFor();
  assert.match(dialogs[0], /立即退出登录/, 'stopping asks first');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'account-message');
  await row.locator('.account-state', { hasText: '已停用' }).waitFor();
  await page.getByRole('button', { name: `启用账号 ${username}` }).click();
  await row.locator('.account-state', { hasText: '正常' }).waitFor();
  await page.getByRole('button', { name: `为 ${username} 重设密码` }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'reset-password');
  await page.getByLabel(`${username} 的新密码（至少10位）`).fill('console-reset-pw');
  await page.getByLabel('你自己的密码（确认是你本人操作）').fill(ADMIN);
  await page.getByRole('button', { name: '设置新密码' }).click();
  await page.getByText(`已为 ${username} 设置新密码`).waitFor();
  await context.close();

  const userContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const userPage = await userContext.newPage();
  userPage.on('pageerror', (e) => errors.push(String(e)));
  await userPage.goto(`${BASE}/staff/password`);
  await userPage.getByLabel('用户名').fill(username);
  await userPage.getByLabel('密码').fill('console-reset-pw');
  await userPage.getByRole('button', { name: '登录' }).click();
  await userPage.getByRole('heading', { name: '修改密码' }).waitFor();
  await userPage.getByLabel('当前密码').fill('console-reset-pw');
  await userPage.getByLabel('新密码（至少10位）').fill('chosen-by-me-3');
  await userPage.getByLabel('再次输入新密码').fill('chosen-by-me-4');
  await userPage.getByRole('button', { name: '修改密码' }).click();
  await userPage.getByText('两次输入的新密码不一致').waitFor();
  await userPage.getByLabel('再次输入新密码').fill('chosen-by-me-3');
  await userPage.getByRole('button', { name: '修改密码' }).click();
  await userPage.getByText('密码已修改').waitFor();
  await userContext.close();
  assert.equal((await signIn(username, 'chosen-by-me-3', `192.0.2.${++ip}`)).status, 200);
  assert.deepEqual(errors, []);
});

test('making another admin asks for the acting admin’s own password', async () => {
  const admin = await signIn('admin', ADMIN, `192.0.2.${++ip}`);
  const username = `guanli-${Date.now().toString(36)}`;
  const body = { username, display_name: '副管理员', password: 'second-admin-pw', role: 'admin' };
  const bare = await admin.call('POST', '/api/v1/staff/users', body);
  assert.equal(bare.status, 400);
  assert.equal(bare.body.fields[0].field, 'admin_password');
  const wrong = await admin.call('POST', '/api/v1/staff/users', { ...body, admin_password: 'guess-guess-1' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.fields[0].field, 'admin_password');
  const made = await admin.call('POST', '/api/v1/staff/users', { ...body, admin_password: ADMIN });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.role, 'admin');
  // A viewer or editor needs no confirmation.
  const viewer = await admin.call('POST', '/api/v1/staff/users', { ...body, username: `${username}-v`, role: 'viewer' });
  assert.equal(viewer.status, 201);
});
