// The window desk (窗口工作台): an admin makes a window clerk for a hall; the clerk signs
// in, registers a case from the item list, prints its receipt (without spending the
// public lookup limit), asks for 补正 naming two of the item's materials, records 补正完成
// and 办结 — the citizen sees each step with the receipt — finds an overdue case and a 差评
// at the top of the list and records the call back; every step carries the clerk's
// account, the audit log names them, the list filters by clerk and exports CSV, and
// another hall's cases are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const KEYS = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const ITEM = '11411523005962416Q-000701001'; // 不动产转移登记（房屋买卖）, xinxian, 3 working days
const S = '/api/v1/staff';
const CLERK = `clerk${Date.now().toString(36)}`;
const CLERK_PASSWORD = 'window-desk-pass-1';
let browser;
let admin;

before(async () => {
  browser = await launch();
  admin = await signIn('admin', ADMIN, '198.18.60.1');
  assert.equal(admin.status, 200);
});
after(() => browser?.close());

async function hall(method, path, body, key = KEYS.xinxian) {
  const res = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function lookup(number, query_code, ip) {
  const res = await fetch(`${BASE}/api/v1/cases/lookup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify({ number, query_code }),
  });
  return { status: res.status, body: await res.json() };
}

const beijingDay = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

test('an admin makes a window clerk for one hall; a clerk without a real hall is refused', async () => {
  const noHall = await admin.call('POST', `${S}/users`, { username: `${CLERK}x`, display_name: '王芳', password: CLERK_PASSWORD, role: 'clerk' });
  assert.equal(noHall.status, 400);
  assert.equal(noHall.body.fields[0].field, 'hall');
  const unknown = await admin.call('POST', `${S}/users`, { username: `${CLERK}y`, display_name: '王芳', password: CLERK_PASSWORD, role: 'clerk', hall: 'no-such-hall' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.fields[0].field, 'hall');
  const made = await admin.call('POST', `${S}/users`, { username: CLERK, display_name: '王芳', password: CLERK_PASSWORD, role: 'clerk', hall: 'xinxian' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.role, 'clerk');
  assert.equal(made.body.hall, 'xinxian');
});

test('a clerk registers a case, prints its receipt, and records 补正, 补正完成 and 办结; the citizen sees each step', { timeout: 240_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const lookups = [];
  context.on('request', (r) => { if (r.url().includes('/api/v1/cases/lookup') || r.url().includes('/api/v1/cases/receipt-qr')) lookups.push(r.url()); });
  await page.goto(`${BASE}/staff/desk`);
  await page.fill('#login-username', CLERK);
  await page.fill('#login-password', CLERK_PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.getByRole('heading', { name: '窗口工作台', level: 1 }).waitFor();
  assert.match(await page.getByTestId('whoami').innerText(), /王芳（窗口人员，xinxian）/);
  await page.locator('.desk-hall', { hasText: '新县政务服务中心' }).waitFor();

  // Enter with nothing found says so.
  await page.locator('#desk-item-q').fill('没有这种事项');
  await page.keyboard.press('Enter');
  await page.locator('#desk-item-hint', { hasText: '请先从列表中选择要办理的事项' }).waitFor();
  // Registration from the keyboard: the item by name, Enter takes the first found, then
  // the applicant.
  await page.locator('#desk-item-q').fill('不动产转移');
  await page.locator(`button.pick-item[data-code="${ITEM}"]`).waitFor();
  assert.equal(await page.locator('button.pick-item').first().getAttribute('data-code'), ITEM);
  await page.keyboard.press('Enter');
  await page.locator('.desk-chosen', { hasText: '不动产转移登记（房屋买卖）' }).waitFor();
  assert.equal(await page.locator('#desk-item-hint').innerText(), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'desk-applicant');
  await page.keyboard.type('孙晓梅');
  await page.fill('#desk-contact', '139 0376 5678');
  await page.check('#desk-delivery-post');
  await page.getByRole('button', { name: '受理', exact: true }).click();
  const accepted = page.locator('#desk-accepted');
  await accepted.locator('.accepted-number').waitFor();
  const number = await accepted.locator('.accepted-number').innerText();
  const code = await accepted.locator('.accepted-code').innerText();
  assert.match(number, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  assert.match(code, /^\d{6}$/);

  // The receipt, printed through the desk: no public lookup is spent.
  const [receipt] = await Promise.all([context.waitForEvent('page'), accepted.getByRole('link', { name: '打印受理通知单' }).click()]);
  await receipt.locator('.receipt-number').waitFor();
  assert.equal(await receipt.locator('.receipt-number').innerText(), number);
  assert.equal(await receipt.locator('.receipt-code').innerText(), code);
  assert.ok((await receipt.locator('.receipt-qr svg').count()) === 1);
  assert.deepEqual(lookups, [], 'the desk prints without the public lookup');
  await receipt.close();

  // The case in the hall's list; 补正 naming two of the item's materials.
  const row = page.locator(`table.desk-table tr[data-number="${number}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(CLERK));
  await row.getByRole('button', { name: '办理' }).click();
  await page.locator('#desk-case-title', { hasText: number }).waitFor();
  await page.selectOption('#step-type', 'correction_requested');
  const materials = page.locator('.missing-material');
  await materials.nth(1).waitFor();
  const named = [await materials.nth(1).getAttribute('value'), await materials.nth(3).getAttribute('value')];
  await materials.nth(1).check();
  await materials.nth(3).check();
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.locator('#desk-case-message', { hasText: '已登记：补正' }).waitFor();
  let seen = await lookup(number, code, '198.51.100.61');
  assert.equal(seen.status, 200);
  assert.equal(seen.body.status, 'correcting');
  assert.deepEqual(seen.body.missing, named);

  await page.selectOption('#step-type', 'correction_done');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.locator('#desk-case-message', { hasText: '已登记：补正完成' }).waitFor();
  await page.selectOption('#step-type', 'approved');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.locator('#desk-case-message', { hasText: '已登记：办结（准予）' }).waitFor();
  // A step out of order is refused with the case model's reason.
  await page.selectOption('#step-type', 'ready_for_pickup');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.locator('#desk-case-message', { hasText: '邮寄送达' }).waitFor();

  seen = await lookup(number, code, '198.51.100.62');
  const labels = seen.body.timeline.map((t) => t.label);
  assert.deepEqual(labels, ['受理', '补正通知', '补正完成', '办结（准予）']);
  assert.ok(!JSON.stringify(seen.body).includes('5678'), 'the phone is not shown to the public');

  // Each step carries the clerk's account; the audit log names the clerk.
  const full = await hall('GET', `/api/v1/halls/xinxian/cases/${number}`);
  assert.equal(full.body.contact, '139 0376 5678');
  assert.ok(full.body.events.every((e) => e.account === CLERK && e.by === `王芳（${CLERK}）`), JSON.stringify(full.body.events));
  const audit = await admin.call('GET', `${S}/audit?who=${CLERK}`);
  const actions = audit.body.entries.map((e) => e.action);
  for (const action of ['desk_accept', 'desk_event', 'desk_receipt']) assert.ok(actions.includes(action), actions.join());
  assert.deepEqual(errors, []);
  await context.close();
});

test('the desk lists overdue cases first and 差评 to call back, and records the call back', { timeout: 240_000 }, async () => {
  // An old case still in review (overdue) and a decided one rated 非常不满意.
  const old = await hall('POST', '/api/v1/halls/xinxian/cases', {
    item_code: ITEM, applicant_name: '周八', delivery: 'window', by: '后台系统', accepted_at: `${beijingDay(-30)}T09:00:00+08:00`,
  });
  assert.equal(old.status, 201);
  assert.equal((await hall('POST', `/api/v1/halls/xinxian/cases/${old.body.number}/events`, { type: 'reviewing', by: '后台系统', at: `${beijingDay(-29)}T09:00:00+08:00` })).status, 200);
  const rated = await hall('POST', '/api/v1/halls/xinxian/cases', { item_code: ITEM, applicant_name: '吴九', delivery: 'window', by: '后台系统' });
  assert.equal((await hall('POST', `/api/v1/halls/xinxian/cases/${rated.body.number}/events`, { type: 'approved', by: '后台系统' })).status, 200);
  const rate = await fetch(`${BASE}/api/v1/cases/rate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '198.51.100.63' },
    body: JSON.stringify({ number: rated.body.number, query_code: rated.body.query_code, level: 'very_dissatisfied', comment: '等了很久' }),
  });
  assert.equal(rate.status, 200);

  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/staff/desk`);
  await page.fill('#login-username', CLERK);
  await page.fill('#login-password', CLERK_PASSWORD);
  await page.press('#login-password', 'Enter');
  const rows = page.locator('table.desk-table tbody tr');
  await rows.first().waitFor();
  // Overdue first, then due soon, then 差评 waiting for a call back.
  const marks = await rows.evaluateAll((trs) => trs.map((tr) => ({
    number: tr.dataset.number,
    overdue: !!tr.querySelector('.mark-overdue'),
    soon: !!tr.querySelector('.mark-soon'),
    flagged: !!tr.querySelector('.mark-follow-up'),
  })));
  const rank = (m) => (m.overdue ? 0 : m.soon ? 1 : m.flagged ? 2 : 3);
  assert.deepEqual(marks.map(rank), [...marks.map(rank)].sort((a, b) => a - b), JSON.stringify(marks));
  assert.ok(marks[0].overdue);
  assert.ok(marks.find((m) => m.number === old.body.number).overdue);
  assert.ok(marks.find((m) => m.number === rated.body.number).flagged);

  // The call back: nobody answered, then reached.
  const flagged = page.locator(`table.desk-table tr[data-number="${rated.body.number}"]`);
  await flagged.getByRole('button', { name: '办理' }).click();
  await page.fill('#follow-outcome', '电话未接通');
  await page.uncheck('#follow-done');
  await page.getByRole('button', { name: '记录回访' }).click();
  await page.locator('#desk-case-message', { hasText: '仍待回访' }).waitFor();
  await page.fill('#follow-outcome', '已致电致歉并说明办理时限，申请人表示理解');
  await page.check('#follow-done');
  await page.getByRole('button', { name: '记录回访' }).click();
  await page.locator('#desk-case-message', { hasText: '回访完成' }).waitFor();
  await page.locator(`table.desk-table tr[data-number="${rated.body.number}"] .mark-follow-up`).waitFor({ state: 'detached' });
  const full = await hall('GET', `/api/v1/halls/xinxian/cases/${rated.body.number}`);
  assert.deepEqual(full.body.follow_ups.map((f) => [f.done, f.by, f.account]), [[false, `王芳（${CLERK}）`, CLERK], [true, `王芳（${CLERK}）`, CLERK]]);
  await context.close();
});

test('the list filters by clerk and exports CSV; another hall\'s cases are refused to a clerk', async () => {
  const clerk = await signIn(CLERK, CLERK_PASSWORD, '198.18.60.2');
  assert.equal(clerk.status, 200);
  const mine = await clerk.call('GET', `${S}/desk/xinxian/cases?all=1&clerk=${CLERK}`);
  assert.equal(mine.status, 200);
  assert.ok(mine.body.cases.length >= 2);
  assert.ok(mine.body.cases.every((c) => c.clerk === CLERK || c.last_clerk === CLERK));
  const csv = await clerk.file('GET', `${S}/desk/xinxian/cases?all=1&clerk=${CLERK}&format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], '受理编号,事项,窗口,受理时间,应办结日期,状态,超期,差评待回访,受理人,最近经办人');
  assert.equal(lines.length - 1, mine.body.cases.length);

  // Another hall: its list, a new case, a step and a receipt are all refused.
  const other = await hall('POST', '/api/v1/halls/shangji/cases', {
    item_code: (await (await fetch(`${BASE}/api/v1/catalog?hall=shangji&limit=1`)).json()).items[0].code,
    applicant_name: '郑十', delivery: 'window', by: '后台系统',
  }, KEYS.shangji);
  assert.equal(other.status, 201, JSON.stringify(other.body));
  for (const [method, path, body] of [
    ['GET', `${S}/desk/shangji/cases`],
    ['POST', `${S}/desk/shangji/cases`, { item_code: ITEM, applicant_name: '郑十', delivery: 'window' }],
    ['POST', `${S}/desk/shangji/cases/${other.body.number}/events`, { type: 'reviewing' }],
    ['POST', `${S}/desk/shangji/cases/${other.body.number}/follow-ups`, { outcome: '回访', done: true }],
    ['GET', `${S}/desk/receipts/${other.body.number}`],
  ]) {
    const res = await clerk.call(method, path, body);
    assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
  }
  // A registration sent twice (a dropped connection) is one case.
  const key = { 'Idempotency-Key': `desk-test-${Date.now()}` };
  const body = { item_code: ITEM, applicant_name: '冯十一', delivery: 'window' };
  const first = await clerk.call('POST', `${S}/desk/xinxian/cases`, body, key);
  const retry = await clerk.call('POST', `${S}/desk/xinxian/cases`, body, key);
  assert.deepEqual([first.status, retry.status], [201, 200]);
  assert.equal(retry.body.number, first.body.number);
  // A clerk names no one else in a step.
  const forged = await clerk.call('POST', `${S}/desk/xinxian/cases/${mine.body.cases[0].number}/events`, { type: 'reviewing', by: '别人' });
  assert.equal(forged.status, 400);
  assert.equal(forged.body.fields[0].field, 'by');
});
