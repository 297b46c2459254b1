// Import (issue 11): guides from a provincial platform's spreadsheet in the national
// 实施清单 layout — incomplete and real-style — become drafts, never published ones; a dry
// run reports every row (new / changed / unchanged / unreadable, the lint's findings and
// what could not be read, each with its field) without writing. Export → import changes
// nothing. And the console's import page does the same in a browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, getJson, signIn, launch } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const CODES = ['11411523MB1D00001A-000299001', '11411523MB1D00001A-000299002', '11411523MB1D00001A-000299003'];

/** One CSV cell, quoted. */
const cell = (v) => `"${String(v).replaceAll('"', '""')}"`;

/** A CSV as a county's platform exports it: its own column order, a column we do not know,
 * gaps, a multi-office phone, 12345, materials by name only — and a row that cannot be read. */
function realStyleCsv() {
  const headers = ['事项名称', '实施编码', '实施机构', '事项类型', '办件类型', '法定办结时限', '法定时限单位',
    '承诺办结时限', '承诺办结时限单位', '到办事现场次数', '办理形式', '服务中心', '办理专区', '办理地点', '办理时间',
    '咨询电话', '监督投诉电话', '申请材料', '备用字段'];
  const rows = [
    ['城乡居民养老保险参保登记（导入测试）', CODES[0], '新县人力资源和社会保障局', '行政确认', '即办件', '20', '工作日', '0', '工作日',
      '1', '窗口办理、网上办理', 'xinxian', '人力资源和社保专区', '新县新区金融大厦2楼', '工作日上午9:00-12:00，下午15:00-18:00',
      '县城办理点：0376-2981234\n上集办理点：0376-2851201转801', '12345', '居民身份证\n户口簿', 'x'],
    ['城乡居民养老保险待遇领取（导入测试）', CODES[1], '新县人力资源和社会保障局', '行政给付', '', '20', '工作日', '10', '工作日',
      '1', '窗口办理', 'xinxian', '人力资源和社保专区', '新县新区金融大厦2楼', '', '0376-2981234', '', '居民身份证', ''],
    ['养老保险关系转移（导入测试）', CODES[2], '新县人力资源和社会保障局', '行政确认', '承诺件', '20', '工作日', '10', '工作日',
      '两次', '窗口办理', 'xinxian', '人力资源和社保专区', '', '', '', '', '', ''],
  ];
  return '\ufeff' + [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const fieldsOf = (row) => row.findings.flatMap((f) => f.fields);

let admin;
before(async () => { admin = await signIn('admin', ADMIN, '198.18.9.1'); });
// Leaves no drafts behind for the suites that publish every draft.
after(async () => {
  for (const code of CODES) await admin.call('DELETE', `/api/v1/staff/items/${code}/draft`);
});

test('a real-style CSV: the dry run reports each row and field, and writes nothing', async () => {
  const res = await admin.file('POST', '/api/v1/staff/import?dry_run=true', realStyleCsv(), CSV);
  assert.equal(res.status, 200, res.bytes.toString());
  const report = res.body;
  assert.equal(report.dry_run, true);
  assert.deepEqual(report.unknown_columns, ['备用字段']);
  assert.deepEqual(report.rows.map((r) => [r.row, r.code, r.status]),
    [[2, CODES[0], 'new'], [3, CODES[1], 'new'], [4, CODES[2], 'unreadable']]);
  assert.deepEqual([report.new, report.changed, report.unchanged, report.unreadable], [2, 0, 0, 1]);
  const [first, second, third] = report.rows;
  // Handled online without a depth: the lint says so, on its field.
  assert.ok(fieldsOf(first).includes('online_depth'), JSON.stringify(first.findings));
  // 12345 and a phone per office are real complaint and consultation lines.
  assert.ok(!fieldsOf(first).includes('complain_phone'));
  assert.ok(!fieldsOf(first).includes('consult_phone'));
  // A blank complaint phone and a blank 办件类型 are named; the row is still a draft.
  assert.ok(fieldsOf(second).includes('complain_phone'), JSON.stringify(second.findings));
  assert.ok(second.problems.some((p) => p.field === 'kind' && /办件类型/.test(p.message)));
  // Materials without counts are named per material.
  assert.ok(fieldsOf(first).some((f) => f.startsWith('materials[0]')), JSON.stringify(first.findings));
  // What cannot be read is named with its column.
  assert.equal(third.problems[0].field, 'visits');
  assert.match(third.problems[0].message, /到办事现场次数/);
  // Nothing written.
  assert.equal((await admin.call('GET', `/api/v1/staff/items/${CODES[0]}`)).status, 404);
});

test('the import writes drafts, never what citizens see; again, nothing has changed', async () => {
  const res = await admin.file('POST', '/api/v1/staff/import', realStyleCsv(), CSV);
  assert.equal(res.status, 200);
  assert.equal(res.body.dry_run, false);
  assert.deepEqual([res.body.new, res.body.unreadable], [2, 1]);
  const staff = await admin.call('GET', `/api/v1/staff/items/${CODES[0]}`);
  assert.equal(staff.status, 200);
  assert.equal(staff.body.published, null);
  assert.equal(staff.body.draft.item.consult_phone, '县城办理点：0376-2981234\n上集办理点：0376-2851201转801');
  assert.equal((await getJson(`/api/v1/items/${CODES[0]}`)).response.status, 404, 'not published');
  assert.equal((await fetch(`${BASE}/g/${CODES[0]}`)).status, 404);
  const listed = await admin.call('GET', `/api/v1/staff/items?status=new&q=${encodeURIComponent('导入测试')}`);
  assert.deepEqual(listed.body.rows.map((r) => r.code).sort(), CODES.slice(0, 2));

  const again = await admin.file('POST', '/api/v1/staff/import?dry_run=true', realStyleCsv(), CSV);
  assert.deepEqual(again.body.rows.map((r) => r.status), ['unchanged', 'unchanged', 'unreadable']);
});

test('the data-quality report counts the findings by rule and department, and links to the items', async () => {
  const HR = '新县人力资源和社会保障局';
  const report = (await admin.call('GET', '/api/v1/staff/quality')).body;
  assert.ok(report.items >= 46 && report.with_errors >= 2, JSON.stringify(report).slice(0, 300));
  const complete = report.by_rule.find((r) => r.rule === 'guide-complete');
  assert.ok(complete && complete.items >= 2 && complete.title);
  const hr = report.by_department.find((d) => d.department === HR);
  assert.ok(hr.rules.some((r) => r.rule === 'guide-complete' && r.items >= 2));
  const listed = await admin.call('GET', `/api/v1/staff/items?rule=guide-complete&department=${encodeURIComponent(HR)}`);
  assert.ok(CODES.slice(0, 2).every((c) => listed.body.rows.some((r) => r.code === c)));
  assert.ok(listed.body.rows.every((r) => r.department === HR && r.errors + r.warnings > 0));
  const bad = await admin.call('GET', '/api/v1/staff/items?rule=no-such-rule');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'rule');
  const csv = await admin.file('GET', '/api/v1/staff/quality?format=csv');
  assert.equal(csv.status, 200);
  const lines = csv.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], '部门,规则编号,规则,级别,事项数');
  assert.ok(lines.some((l) => l.startsWith(`${HR},guide-complete,`)));

  const browser = await launch();
  try {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${BASE}/staff/quality`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN);
    await page.getByRole('button', { name: '登录' }).click();
    const row = page.locator(`tr[data-department="${HR}"]`);
    await row.waitFor();
    await row.locator('a', { hasText: complete.title }).click();
    await page.locator('.active-filter', { hasText: HR }).waitFor();
    await page.locator('.items-table', { hasText: '参保登记（导入测试）' }).waitFor();
    await context.close();
  } finally {
    await browser.close();
  }
});

for (const [format, type] of [['xlsx', XLSX], ['csv', CSV], ['json', 'application/json']]) {
  test(`export → import (${format}): every published guide reads back unchanged`, async () => {
    const exported = await admin.file('GET', `/api/v1/staff/export?format=${format}&scope=published`);
    assert.equal(exported.status, 200, exported.bytes.toString().slice(0, 300));
    assert.match(exported.headers.get('content-disposition'), new RegExp(`attachment; filename="zhinan-published\\.${format}"`));
    const total = (await getJson('/api/v1/catalog')).body.total;
    const report = (await admin.file('POST', '/api/v1/staff/import?dry_run=true', exported.bytes, type)).body;
    assert.deepEqual(report.unknown_columns, []);
    assert.equal(report.rows.length, total);
    const moved = report.rows.filter((r) => r.status !== 'unchanged');
    assert.deepEqual(moved.map((r) => [r.code, r.status, r.problems]), [], 'nothing changes');
  });
}

test('an XLSX of real-style drafts imports as it was exported: same rows, same findings', async () => {
  const exported = await admin.file('GET', '/api/v1/staff/export?format=xlsx&scope=drafts');
  assert.equal(exported.status, 200);
  assert.equal(exported.headers.get('content-type'), XLSX);
  const report = (await admin.file('POST', '/api/v1/staff/import?dry_run=true', exported.bytes, XLSX)).body;
  const ours = report.rows.filter((r) => CODES.includes(r.code));
  assert.deepEqual(ours.map((r) => r.status), ['unchanged', 'unchanged']);
  assert.ok(fieldsOf(ours[0]).includes('online_depth'));
  const police = await signIn('jiaojing', EDITOR, '198.18.9.3');
  const theirs = await police.file('GET', '/api/v1/staff/export?format=json&scope=published');
  assert.equal(theirs.status, 200);
  assert.ok(theirs.body.length > 0 && theirs.body.every((i) => i.department === '新县公安局交通警察大队'));
  const bad = await admin.file('GET', '/api/v1/staff/export?format=pdf');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'format');
});

test('an editor imports only their own department', async () => {
  const police = await signIn('jiaojing', EDITOR, '198.18.9.2');
  const res = await police.file('POST', '/api/v1/staff/import?dry_run=true', realStyleCsv(), CSV);
  assert.equal(res.status, 200);
  assert.ok(res.body.rows.every((r) => r.status === 'unreadable'));
  assert.ok(res.body.rows[0].problems.some((p) => p.field === 'department'));
});

test('JSON items with gaps are drafts too; an unknown file type is refused naming it', async () => {
  const items = [{ code: '11411523MB1D00001A-000299004', name: '只有名称的事项（导入测试）', department: '新县人力资源和社会保障局', hall: 'xinxian' }];
  const res = await admin.file('POST', '/api/v1/staff/import?dry_run=true', JSON.stringify(items), 'application/json');
  assert.equal(res.status, 200);
  assert.equal(res.body.rows[0].status, 'new');
  assert.ok(res.body.rows[0].findings.length > 3);
  const bad = await admin.file('POST', '/api/v1/staff/import?dry_run=true', 'x', 'application/pdf');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'Content-Type');
  const broken = await admin.file('POST', '/api/v1/staff/import?dry_run=true', 'not json', 'application/json');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.fields[0].field, 'body');
});

test('the console imports a CSV: check, then confirm as drafts', async () => {
  const browser = await launch();
  try {
    const dir = await mkdtemp(join(tmpdir(), 'zhinan-import-'));
    const path = join(dir, '实施清单.csv');
    await writeFile(path, realStyleCsv());
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${BASE}/staff/import`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('h1', { hasText: '导入事项' }).waitFor();
    await page.setInputFiles('#import-file', path);
    await page.getByRole('button', { name: '检查（不写入）' }).click();
    await page.locator('.import-summary').waitFor();
    // Imported before: both readable rows are unchanged, so there is nothing to confirm.
    assert.match(await page.locator('.import-summary').innerText(), /未变 2、无法读取 1/);
    assert.equal(await page.locator('tr[data-status="unreadable"]').count(), 1);
    assert.match(await page.locator('tr[data-status="unreadable"]').innerText(), /visits：到办事现场次数/);
    assert.match(await page.locator('.alert-warning').innerText(), /备用字段/);
    assert.equal(await page.getByRole('button', { name: '确认导入为草稿' }).isDisabled(), true);

    // The same file with one guide renamed: one change to confirm.
    const renamed = join(dir, '实施清单（修订）.csv');
    await writeFile(renamed, realStyleCsv().replace('参保登记（导入测试）', '参保登记（导入测试·修订）'));
    await page.setInputFiles('#import-file', renamed);
    await page.getByRole('button', { name: '检查（不写入）' }).click();
    await page.locator('.import-summary', { hasText: '修改 1' }).waitFor();
    await page.getByRole('button', { name: '确认导入为草稿' }).click();
    await page.locator('.alert-ok', { hasText: '已保存为草稿' }).waitFor();
    const draft = (await admin.call('GET', `/api/v1/staff/items/${CODES[0]}`)).body.draft;
    assert.equal(draft.item.name, '城乡居民养老保险参保登记（导入测试·修订）');
    assert.equal(draft.rev, 2);

    // An XLSX in the national layout (two sheets), uploaded the same way.
    const xlsx = join(dir, '实施清单.xlsx');
    await writeFile(xlsx, (await admin.file('GET', '/api/v1/staff/export?format=xlsx&scope=drafts')).bytes);
    await page.setInputFiles('#import-file', xlsx);
    await page.getByRole('button', { name: '检查（不写入）' }).click();
    await page.locator('.import-summary', { hasText: '未变' }).waitFor();
    assert.ok(await page.locator(`tr[data-status="unchanged"]`, { hasText: CODES[0] }).count() === 1);

    // The imported guide's preview: one tap-to-call link per office, the extension dialled.
    await page.locator(`a[href="/staff/items/${CODES[0]}"]`).first().click();
    await page.getByRole('button', { name: '群众看到的页面（预览）' }).click();
    const tel = await page.locator('a[href^="tel:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(tel.includes('tel:03762981234') && tel.includes('tel:03762851201,801') && tel.includes('tel:12345'), tel.join(' '));
    await context.close();
  } finally {
    await browser.close();
  }
});
