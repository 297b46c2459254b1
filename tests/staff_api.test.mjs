// Staff API: sign-in, roles, CSRF, the seed's 22-day "instant" item caught by the lint,
// drafts with conflicts, atomic publish (also when interrupted), rollback, diff, audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, getJson, signIn, publishedJob } from './helpers.mjs';

const CODE = '11411523005960128G-000201001'; // 机动车注册登记（新车上牌）, 新县公安局交通警察大队
const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;

async function publishedItem() {
  return (await getJson(`/api/v1/items/${CODE}`)).body;
}

async function guideText() {
  const res = await fetch(`${BASE}/g/${CODE}`);
  return res.text();
}

test('every staff endpoint answers 401 without a session', async () => {
  const calls = [
    ['GET', '/api/v1/staff/me'], ['GET', '/api/v1/staff/items'], ['GET', `/api/v1/staff/items/${CODE}`],
    ['PUT', `/api/v1/staff/items/${CODE}/draft`], ['DELETE', `/api/v1/staff/items/${CODE}/draft`],
    ['GET', `/api/v1/staff/items/${CODE}/diff?from=1&to=1`], ['POST', '/api/v1/staff/publish'],
    ['GET', '/api/v1/staff/versions'], ['POST', '/api/v1/staff/rollback'], ['GET', '/api/v1/staff/audit'],
    ['POST', '/api/v1/staff/users'], ['POST', '/api/v1/staff/logout'],
    ['PATCH', '/api/v1/staff/users/shichang'], ['POST', '/api/v1/staff/me/password'],
    ['GET', '/api/v1/staff/holidays'], ['PUT', '/api/v1/staff/holidays/2027'], ['DELETE', '/api/v1/staff/holidays/2027'],
  ];
  for (const [method, path] of calls) {
    const res = await fetch(BASE + path, { method, headers: { Cookie: '__Host-zhinan_staff=forged.0000' } });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal((await res.json()).code, 'unauthorized');
  }
});

test('sign-in: session cookie is HttpOnly, Secure, SameSite=Strict; wrong passwords are rate-limited', async () => {
  const admin = await signIn('admin', ADMIN);
  assert.equal(admin.status, 200);
  assert.equal(admin.body.user.role, 'admin');
  assert.match(admin.setCookie, /HttpOnly/);
  assert.match(admin.setCookie, /Secure/);
  assert.match(admin.setCookie, /SameSite=Strict/);
  assert.match(admin.setCookie, /^__Host-/, 'a __Host- cookie: no sibling subdomain can set or overwrite it');
  assert.match(admin.setCookie, /Path=\//);
  assert.doesNotMatch(admin.setCookie, /Domain=/i);
  assert.equal((await signIn('admin', 'wrong-password')).status, 401);
  const username = `lock-${Date.now()}`;
  const created = await admin.call('POST', '/api/v1/staff/users',
    { username, display_name: '锁定测试', password: 'right-password-1', role: 'viewer' });
  assert.equal(created.status, 201);
  const statuses = [];
  const guesser = '203.0.113.250';
  for (let i = 0; i < 7; i += 1) statuses.push((await signIn(username, `guess-${i}`, guesser)).status);
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.equal(statuses[6], 429);
  assert.equal((await signIn(username, 'right-password-1', guesser)).status, 429, 'locked from there even with the right password for a while');
  assert.equal((await signIn(username, 'right-password-1')).status, 200, 'but not from the owner’s own desk');
});

test('state-changing calls need the CSRF token', async () => {
  const admin = await signIn('admin', ADMIN);
  const res = await admin.call('POST', '/api/v1/staff/publish', {}, { 'X-CSRF-Token': 'nope' });
  assert.equal(res.status, 403);
  assert.match(res.body.error, /CSRF/);
});

test('roles: an editor of another department cannot touch the item; viewers and editors cannot publish', async () => {
  const other = await signIn('shichang', EDITOR);
  assert.equal(other.status, 200);
  const list = await other.call('GET', '/api/v1/staff/items');
  assert.ok(list.body.rows.length > 0 && list.body.total >= list.body.rows.length);
  assert.ok(list.body.rows.every((row) => row.department === '新县市场监督管理局'));
  // Asking for another department still lists only one's own.
  const asked = await other.call('GET', `/api/v1/staff/items?department=${encodeURIComponent('新县公安局交通警察大队')}`);
  assert.ok(asked.body.rows.every((row) => row.department === '新县市场监督管理局'));
  const badStatus = await other.call('GET', '/api/v1/staff/items?status=nonsense');
  assert.equal(badStatus.status, 400);
  assert.equal(badStatus.body.fields[0].field, 'status');
  assert.equal((await other.call('GET', `/api/v1/staff/items/${CODE}`)).status, 403);
  const item = await publishedItem();
  assert.equal((await other.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item, base_rev: null })).status, 403);
  item.department = '新县市场监督管理局';
  assert.equal((await other.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item, base_rev: null })).status, 403,
    'cannot take over an item by renaming its department');
  assert.equal((await other.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true })).status, 403);
  assert.equal((await other.call('GET', '/api/v1/staff/audit')).status, 403);
  const viewer = await signIn('duchaban', EDITOR);
  assert.equal((await viewer.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: await publishedItem(), base_rev: null })).status, 403);
  assert.equal((await viewer.call('POST', '/api/v1/staff/rollback', { version: 1 })).status, 403);
  assert.equal((await viewer.call('POST', '/api/v1/staff/users', {})).status, 403);
});

test('the 22-day 即办件 is caught, fixed, conflicts are shown, publish is atomic, rollback restores', async () => {
  const editor = await signIn('jiaojing', EDITOR);
  const admin = await signIn('admin', ADMIN);
  await editor.call('DELETE', `/api/v1/staff/items/${CODE}/draft`);
  const original = await publishedItem();
  const before = (await getJson('/api/v1/catalog')).body.version;

  // The seed's mistake: legal and promised both 22 days, yet "instant".
  const bad = { ...original, kind: 'instant',
    legal_limit: { value: 22, unit: 'working_days' }, promised_limit: { value: 22, unit: 'working_days' } };
  const saved = await editor.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: bad, base_rev: null });
  assert.equal(saved.status, 200);
  const finding = saved.body.findings.find((f) => f.rule === 'instant-must-be-instant');
  assert.equal(finding.severity, 'error');
  assert.ok(finding.fields.includes('kind'));
  const refused = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'lint_errors');
  assert.equal(refused.body.errors[0].code, CODE);

  // Fixed: a promised item, 11 of 22 days.
  const good = { ...bad, kind: 'promised', promised_limit: { value: 11, unit: 'working_days' } };
  const fixed = await editor.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: good, base_rev: saved.body.rev });
  assert.equal(fixed.status, 200);
  assert.equal(fixed.body.rev, saved.body.rev + 1);
  assert.ok(!fixed.body.findings.some((f) => f.severity === 'error'), JSON.stringify(fixed.body.findings));

  // A second editor (the admin) still holds the old revision: conflict, both versions shown.
  const stale = { ...good, name: '机动车注册登记（新车上牌）（管理员改）' };
  const conflict = await admin.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: stale, base_rev: saved.body.rev });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.code, 'draft_conflict');
  assert.equal(conflict.body.theirs.rev, fixed.body.rev);
  assert.equal(conflict.body.yours.name, stale.name);
  assert.ok(conflict.body.changes.some((c) => c.path === 'name'));
  assert.equal((await editor.call('GET', `/api/v1/staff/items/${CODE}`)).body.draft.item.name, original.name, 'no silent overwrite');

  // Citizens still see the published item until the admin publishes.
  assert.equal((await publishedItem()).promised_limit.value, original.promised_limit.value);
  let published = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: false, note: '机动车登记时限' });
  if (published.status === 409) {
    assert.equal(published.body.code, 'warnings_unacknowledged');
    published = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, note: '机动车登记时限' });
  }
  const job = await publishedJob(admin, published);
  assert.equal(job.state, 'done', JSON.stringify(job));
  const v2 = job.version;
  assert.ok(v2 > before);
  assert.deepEqual(job.info.changed, [CODE]);
  const afterPublish = await publishedItem();
  assert.equal(afterPublish.promised_limit.value, 11);
  assert.equal(afterPublish.version, original.version + 1);
  assert.ok((await guideText()).includes('11个工作日'), 'the citizen page shows the change');

  // An interrupted publish leaves the published version whole.
  const catalogBefore = (await getJson('/api/v1/catalog')).body;
  const renamed = { ...afterPublish, name: '机动车注册登记（新车上牌，中断测试）' };
  await editor.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: renamed, base_rev: null });
  // Stop after the item and its shard are written, before the manifest and the pointer.
  const interrupted = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true },
    { 'X-Fault-After-Writes': '2' });
  assert.equal(interrupted.status, 503);
  const catalogAfter = (await getJson('/api/v1/catalog')).body;
  assert.equal(catalogAfter.version, v2);
  assert.deepEqual(catalogAfter.items, catalogBefore.items);
  for (const entry of catalogAfter.items) {
    const { response, body } = await getJson(`/api/v1/items/${entry.code}`);
    assert.equal(response.status, 200);
    assert.equal(body.name, entry.name, 'every item from the same version');
  }
  assert.equal((await publishedItem()).name, original.name);
  assert.equal((await editor.call('DELETE', `/api/v1/staff/items/${CODE}/draft`)).status, 204);

  // Diff between versions, then roll back in one action.
  const diff = await admin.call('GET', `/api/v1/staff/items/${CODE}/diff?from=${before}&to=${v2}`);
  assert.equal(diff.status, 200);
  const paths = diff.body.map((c) => c.path);
  assert.ok(paths.includes('promised_limit.value') && paths.includes('legal_limit.value'), paths.join(','));
  const rolled = await admin.call('POST', '/api/v1/staff/rollback', { version: before });
  assert.equal(rolled.status, 200);
  assert.equal(rolled.body.current, before);
  assert.deepEqual(await publishedItem(), original);
  assert.ok(!(await guideText()).includes('11个工作日'));

  // The audit log tells who did what.
  const audit = await admin.call('GET', '/api/v1/staff/audit');
  const actions = audit.body.entries.map((e) => `${e.who}:${e.action}`);
  for (const expected of ['jiaojing:save_draft', 'admin:publish', 'admin:publish_interrupted', 'admin:rollback', 'jiaojing:login']) {
    assert.ok(actions.includes(expected), `${expected} in audit`);
  }
});

test('an incomplete draft is kept with the lint naming each gap; an unreadable body gets 400 naming the field', async () => {
  const editor = await signIn('jiaojing', EDITOR);
  const item = await publishedItem();
  const path = `/api/v1/staff/items/${CODE}/draft`;
  const gaps = { ...item, window: '', materials: [{ ...item.materials[0], name: '' }, ...item.materials.slice(1)] };
  const saved = await editor.call('PUT', path, { item: gaps, base_rev: null });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const named = saved.body.findings.flatMap((f) => f.fields);
  assert.ok(named.includes('window') && named.includes('materials[0].name'), named.join());
  assert.ok(saved.body.findings.some((f) => f.rule === 'guide-complete' && f.severity === 'error'));
  // Citizens never see a draft.
  assert.ok((await (await fetch(`${BASE}/g/${CODE}`)).text()).includes(item.materials[0].name));
  assert.equal((await editor.call('DELETE', path)).status, 204);

  const unreadable = await editor.call('PUT', path, { item: { ...item, materials: [{ ...item.materials[0], originals: 'two' }] }, base_rev: null });
  assert.equal(unreadable.status, 400);
  assert.equal(unreadable.body.fields[0].field, 'item.materials[0].originals');
  const wrongCode = await editor.call('PUT', path, { item: { ...item, code: 'OTHER-1' }, base_rev: null });
  assert.equal(wrongCode.status, 400);
  assert.equal(wrongCode.body.fields[0].field, 'item.code');
});

test('a withdrawn item keeps its guide URL and says where to go instead', async () => {
  const code = '11411523MB1D00001A-000201006'; // 药品经营许可（零售药店）新办, 市场监管局
  const editor = await signIn('shichang', EDITOR);
  const admin = await signIn('admin', ADMIN);
  const before = (await getJson('/api/v1/catalog')).body.version;
  const item = (await getJson(`/api/v1/items/${code}`)).body;
  const withdrawn = { ...item, withdrawn: { reason: '该事项已并入“药品经营许可（零售）变更”一并办理。', instead: '请到综合受件专区 20 号窗口咨询办理。' } };
  assert.equal((await editor.call('PUT', `/api/v1/staff/items/${code}/draft`, { item: withdrawn, base_rev: null })).status, 200);
  const published = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true });
  assert.equal((await publishedJob(admin, published)).state, 'done');
  const page = await fetch(`${BASE}/g/${code}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes('本事项已停止办理'));
  assert.ok(html.includes('请到综合受件专区 20 号窗口咨询办理。'));
  assert.equal((await admin.call('POST', '/api/v1/staff/rollback', { version: before })).status, 200);
  assert.ok(!(await (await fetch(`${BASE}/g/${code}`)).text()).includes('本事项已停止办理'));
});

test('an editor cannot read another department\'s draft through the diff', async () => {
  const police = await signIn('jiaojing', EDITOR);
  const market = await signIn('shichang', EDITOR);
  const item = (await getJson(`/api/v1/items/${CODE}`)).body;
  const secret = `${item.limit_note ?? ''}（未公开的草稿：差异权限测试）`;
  assert.equal((await police.call('PUT', `/api/v1/staff/items/${CODE}/draft`, { item: { ...item, limit_note: secret }, base_rev: null })).status, 200);
  try {
    const own = await police.call('GET', `/api/v1/staff/items/${CODE}/diff?to=draft`);
    assert.equal(own.status, 200);
    assert.ok(JSON.stringify(own.body).includes('差异权限测试'));
    // The same rule as opening the item: 403, and nothing of the draft in the answer.
    assert.equal((await market.call('GET', `/api/v1/staff/items/${CODE}`)).status, 403);
    const other = await market.call('GET', `/api/v1/staff/items/${CODE}/diff?to=draft`);
    assert.equal(other.status, 403);
    assert.ok(!JSON.stringify(other.body).includes('差异权限测试'));
    assert.equal((await market.call('GET', `/api/v1/staff/items/${CODE}/diff?from=1&to=1`)).status, 403);
  } finally {
    await police.call('DELETE', `/api/v1/staff/items/${CODE}/draft`);
  }
});
