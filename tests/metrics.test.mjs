// The assessment dashboard (`/staff/metrics`): its figures are the ones anybody can
// compute from the published catalog (`/api/v1/catalog`): 即办件率 and 不见面 (visits = 0,
// and ≤ 1 apart) overall and per department, the laggard first; every metric has its
// definition beside it and a chart; a read-only account sees it too; the CSV export
// carries the same figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, getJson, signIn, BASE } from './helpers.mjs';

const EDITOR = process.env.EDITOR_PASSWORD;
let browser;

before(async () => { browser = await launch(); });
after(() => browser?.close());

/** Every published item of the catalog, page by page. */
async function published() {
  const items = [];
  let cursor = null;
  do {
    const { body } = await getJson(`/api/v1/catalog${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...body.items);
    cursor = body.next;
  } while (cursor);
  return items;
}

const pct = (part, whole) => `${((100 * part) / whole).toFixed(2)}%`;

test('the dashboard shows the figures the published catalog gives, laggards first, to a read-only account', { timeout: 120_000 }, async () => {
  const items = await published();
  assert.ok(items.length > 10);
  const instant = items.filter((i) => i.kind === 'instant').length;
  const zero = items.filter((i) => i.visits === 0).length;
  const atMostOne = items.filter((i) => i.visits <= 1).length;
  const byDepartment = new Map();
  for (const item of items) {
    const d = byDepartment.get(item.department) ?? { n: 0, instant: 0 };
    d.n += 1;
    d.instant += item.kind === 'instant' ? 1 : 0;
    byDepartment.set(item.department, d);
  }
  const lowest = Math.min(...[...byDepartment.values()].map((d) => d.instant / d.n));

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/staff/metrics`);
  await page.fill('#login-username', 'duchaban');
  await page.fill('#login-password', EDITOR);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '考核指标', level: 1 }).waitFor();
  await page.getByTestId('metric-instant-value').waitFor();
  assert.match(await page.locator('.summary').innerText(), new RegExp(`已发布事项 ${items.length} 个`));
  assert.equal(await page.getByTestId('metric-instant-value').innerText(), pct(instant, items.length));
  assert.equal(await page.getByTestId('metric-visits-zero-value').innerText(), pct(zero, items.length));
  assert.equal(await page.getByTestId('metric-visits-one-value').innerText(), pct(atMostOne, items.length));

  // Each metric: its definition beside it and a chart.
  const sections = page.locator('section.metric');
  assert.equal(await sections.count(), 8);
  for (const section of await sections.all()) {
    assert.match(await section.locator('.metric-definition').innerText(), /^计算方法：.+/);
    assert.equal(await section.locator('svg.metric-chart[role=img] rect.bar').count(), Math.min(12, byDepartment.size));
    // Each bar is labelled with its department (drawn, not only in the markup).
    const label = section.locator('svg.metric-chart text.label').first();
    const box = await label.evaluate((t) => ({ width: t.getBBox().width }));
    assert.ok(box.width > 10, `label drawn ${box.width}`);
    assert.ok(byDepartment.has((await label.textContent()).replace(/…$/, '')) || (await label.textContent()).endsWith('…'));
  }

  // 即办件率 by department: the laggard first, linking to its items.
  const instantSection = page.locator('#metric-instant');
  await instantSection.locator('summary').click();
  const first = instantSection.locator('table.metric-ranking tbody tr').first();
  const [, name, value] = await first.locator('td').allInnerTexts();
  const d = byDepartment.get(name);
  assert.equal(d.instant / d.n, lowest, `${name} is a laggard`);
  assert.equal(value, pct(d.instant, d.n));
  await first.getByRole('link').click();
  await page.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('department') === name);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the CSV export carries the same figures', { timeout: 60_000 }, async () => {
  const viewer = await signIn('duchaban', EDITOR, '198.18.10.1');
  const items = await published();
  const res = await viewer.file('GET', '/api/v1/staff/metrics?format=csv');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="zhinan-metrics-v\d+-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"/);
  const lines = res.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 4), ['类别', '名称', '已发布事项数', '即办件率']);
  const total = lines[1].split(',');
  assert.equal(total[0], '全部');
  assert.equal(Number(total[2]), items.length);
  const instant = items.filter((i) => i.kind === 'instant').length;
  assert.equal(total[3], pct(instant, items.length));
  assert.ok(lines.some((l) => l.startsWith('部门,')));
  const json = await viewer.call('GET', '/api/v1/staff/metrics');
  assert.equal(json.body.total.items, items.length);
  assert.equal(json.body.uncounted, 0);
});

const KEYS = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const ITEM = '11411523005962416Q-000701001'; // 不动产转移登记（房屋买卖）, xinxian, 3 working days

async function hall(method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.xinxian}` },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function citizen(path, body, ip) {
  const res = await fetch(BASE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The Beijing date `days` from today, YYYY-MM-DD. */
const beijingDay = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

test('the case metrics add up the cases of the period: on time, overdue now, days against the promise, 好差评', { timeout: 180_000 }, async () => {
  const viewer = await signIn('duchaban', EDITOR, '198.18.10.2');
  const from = beijingDay(-45);
  const to = beijingDay();
  const period = `from=${from}&to=${to}`;
  const item = (await getJson(`/api/v1/items/${ITEM}`)).body;
  const window = `指标测试窗口${Date.now() % 100000}`;
  const before = (await viewer.call('GET', `/api/v1/staff/metrics?${period}`)).body.cases;
  const departmentId = `xinxian/${item.department}`;
  const departmentBefore = before.departments.find((d) => d.id === departmentId)?.tally ?? { accepted: 0, decided: 0, on_time: 0, overdue: 0, follow_up: 0 };

  // Four cases accepted 30 days ago at the test's own window.
  const acceptedAt = `${beijingDay(-30)}T09:00:00+08:00`;
  const cases = [];
  for (const name of ['赵一', '钱二', '孙三', '李四']) {
    const res = await hall('POST', '/api/v1/halls/xinxian/cases', {
      item_code: ITEM, applicant_name: name, delivery: 'window', by: '指标测试', window, accepted_at: acceptedAt,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    cases.push(res.body);
  }
  const [onTime, late, overdue, paused] = cases;
  const step = async (c, body) => {
    const res = await hall('POST', `/api/v1/halls/xinxian/cases/${c.number}/events`, { by: '指标测试', ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  // Decided the day it was accepted: on time.
  await step(onTime, { type: 'reviewing', at: `${beijingDay(-30)}T10:00:00+08:00` });
  await step(onTime, { type: 'approved', at: `${beijingDay(-30)}T11:00:00+08:00` });
  // Decided today, a month after acceptance: late.
  await step(late, { type: 'reviewing', at: `${beijingDay(-30)}T10:00:00+08:00` });
  await step(late, { type: 'approved' });
  // Still in review a month later: overdue now.
  await step(overdue, { type: 'reviewing', at: `${beijingDay(-29)}T10:00:00+08:00` });
  // Waiting for 补正 since the next day: the clock stopped, not overdue.
  await step(paused, { type: 'correction_requested', missing: ['购房合同'], at: `${beijingDay(-29)}T10:00:00+08:00` });
  assert.equal((await citizen('/api/v1/cases/rate', { number: onTime.number, query_code: onTime.query_code, level: 'very_satisfied' }, '198.51.100.201')).status, 200);
  const comment = '补交材料跑了三趟，窗口说法不一';
  assert.equal((await citizen('/api/v1/cases/rate', { number: late.number, query_code: late.query_code, level: 'very_dissatisfied', comment }, '198.51.100.202')).status, 200);
  // What the citizen sees of each decided case: the days used against the promise.
  const used = [];
  for (const c of [onTime, late]) {
    const progress = await citizen('/api/v1/cases/lookup', { number: c.number, query_code: c.query_code }, '198.51.100.203');
    assert.equal(progress.status, 200);
    assert.equal(progress.body.promised_days, 3);
    used.push(progress.body.days_used);
  }
  assert.equal(used[0], 0);
  assert.ok(used[1] > 3, `late: ${used[1]} days`);

  const report = (await viewer.call('GET', `/api/v1/staff/metrics?${period}`)).body.cases;
  assert.equal(report.from, from);
  assert.equal(report.to, to);
  const windowRow = report.windows.find((w) => w.id === `xinxian/${window}`);
  assert.ok(windowRow, 'the window has its row');
  assert.deepEqual(windowRow.tally, {
    accepted: 4, decided: 2, on_time: 1, days_used: used[0] + used[1], days_promised: 6, open: 2,
    ratings: [1, 0, 0, 0, 1], overdue: 1, follow_up: 1,
  });
  const department = report.departments.find((d) => d.id === departmentId).tally;
  for (const [key, delta] of Object.entries({ accepted: 4, decided: 2, on_time: 1, overdue: 1, follow_up: 1 })) {
    assert.equal(department[key] - departmentBefore[key], delta, key);
  }
  assert.equal(report.total.overdue - before.total.overdue, 1);
  assert.ok(report.overdue.some((n) => n.number === overdue.number && n.window === window));
  assert.ok(!report.overdue.some((n) => n.number === paused.number), 'a case waiting for 补正 is not overdue');
  const flagged = report.follow_up.find((n) => n.number === late.number);
  assert.equal(flagged.rating_comment, comment);

  // Before the period: none of them.
  const earlier = (await viewer.call('GET', `/api/v1/staff/metrics?from=${beijingDay(-60)}&to=${beijingDay(-31)}`)).body.cases;
  assert.ok(!earlier.windows.some((w) => w.id === `xinxian/${window}` && w.tally.accepted > 0));
  // A period that cannot be read is refused, naming the field.
  const bad = await viewer.call('GET', '/api/v1/staff/metrics?from=2026-13-01');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'from');
  const backwards = await viewer.call('GET', `/api/v1/staff/metrics?from=${to}&to=${from}`);
  assert.equal(backwards.status, 400);
  assert.equal(backwards.body.fields[0].field, 'from');

  // The same figures on the dashboard, for the period chosen there.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/staff/metrics`);
  await page.fill('#login-username', 'duchaban');
  await page.fill('#login-password', EDITOR);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '办件指标', level: 2 }).waitFor();
  await page.fill('#period-from', from);
  await page.fill('#period-to', to);
  await page.getByRole('button', { name: '统计' }).click();
  await page.locator('.case-summary', { hasText: `${from} 至 ${to}` }).waitFor();
  const t = report.total;
  assert.equal(await page.getByTestId('case-on-time').innerText(), pct(t.on_time, t.decided));
  assert.equal(await page.getByTestId('case-overdue').innerText(), `${t.overdue} 件`);
  assert.equal(await page.getByTestId('case-days').innerText(), `${(t.days_used / t.decided).toFixed(1)} / ${(t.days_promised / t.decided).toFixed(1)} 天`);
  assert.equal(await page.getByTestId('case-follow-up').innerText(), `${t.follow_up} 件`);
  const cells = await page.locator(`table.case-groups[data-kind=windows] tr[data-id="xinxian/${window}"] > *`).allInnerTexts();
  assert.deepEqual(cells, [
    windowRow.name, '4', '2', '50.00%',
    `${((used[0] + used[1]) / 2).toFixed(1)} / 3.0`, '2', '1', '1', '0', '0', '0', '1', '1',
  ]);
  assert.ok((await page.locator('table.case-overdue').innerText()).includes(overdue.number));
  const followUp = page.locator('table.case-follow-up tr', { hasText: late.number });
  assert.ok((await followUp.innerText()).includes(comment));
  assert.ok((await followUp.innerText()).includes('非常不满意'));
  const csvHref = await page.getByRole('link', { name: /导出 CSV/ }).getAttribute('href');
  assert.ok(csvHref.includes(period), csvHref);
  assert.deepEqual(errors, []);
  await context.close();

  // The export carries the same rows.
  const csv = await viewer.file('GET', `/api/v1/staff/metrics?format=csv&${period}`);
  const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  assert.ok(lines.some((l) => l.startsWith(`办件指标（${from} 至 ${to} 受理的办件）`)), 'the case table follows');
  const row = lines.find((l) => l.startsWith(`窗口,${window}`));
  assert.ok(row, 'the window row');
  assert.deepEqual(row.split(',').slice(2, 16), ['4', '2', '1', '50.00%', ((used[0] + used[1]) / 2).toFixed(1), '3.0', '2', '1', '1', '0', '0', '0', '1', '1']);

  // The window calls the citizen back: a call nobody answers keeps the 差评 waiting, a
  // done one takes it off the list.
  const callBack = async (body) => hall('POST', `/api/v1/halls/xinxian/cases/${late.number}/follow-ups`, { by: '指标测试', ...body });
  assert.equal((await callBack({ outcome: '电话未接通', done: false })).status, 200);
  let after = (await viewer.call('GET', `/api/v1/staff/metrics?${period}`)).body.cases;
  assert.equal(after.windows.find((w) => w.id === `xinxian/${window}`).tally.follow_up, 1);
  const called = await callBack({ outcome: '已致电说明补交材料的要求，申请人表示理解', done: true });
  assert.equal(called.status, 200);
  assert.equal(called.body.follow_ups.length, 2);
  after = (await viewer.call('GET', `/api/v1/staff/metrics?${period}`)).body.cases;
  assert.equal(after.windows.find((w) => w.id === `xinxian/${window}`).tally.follow_up, 0);
  assert.ok(!after.follow_up.some((n) => n.number === late.number));
  const list = await hall('GET', '/api/v1/halls/xinxian/cases?all=1');
  assert.equal(list.body.cases.find((c) => c.number === late.number).follow_up, false);
  // Nothing left to follow up, and a body that cannot be read, are refused.
  const again = await callBack({ outcome: '再次回访', done: true });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'follow_up_refused');
  const none = await hall('POST', `/api/v1/halls/xinxian/cases/${onTime.number}/follow-ups`, { by: '指标测试', outcome: '回访', done: true });
  assert.equal(none.status, 409);
  const unreadable = await callBack({ outcome: '回访', finished: true });
  assert.equal(unreadable.status, 400);
});
