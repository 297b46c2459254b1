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
  assert.match(res.headers.get('content-disposition'), /attachment; filename="zhinan-metrics-v\d+\.csv"/);
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
