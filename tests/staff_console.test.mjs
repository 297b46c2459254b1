// The staff console as a whole: a strict script policy (an injected script does not run),
// no axe violations on any of its pages, the preview beside the form, and the audit log
// read by person, action and object, a page at a time, in Beijing time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const CODE = '11411523005960128G-000201001'; // 机动车注册登记（新车上牌）
let browser;
before(async () => { browser = await launch(); });
after(() => browser?.close());

let ip = 0;
/** A wide-screen console page signed in as the admin, recording CSP violations. */
async function console_(path) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    extraHTTPHeaders: { 'CF-Connecting-IP': `198.18.9.${++ip}` },
  });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(BASE + path);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(ADMIN);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('whoami').waitFor();
  return { context, page, errors };
}

test('the console page has a strict script policy: an injected inline script does not run', async () => {
  const res = await fetch(`${BASE}/staff/`);
  const csp = res.headers.get('content-security-policy');
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.match(scriptSrc, /'sha256-[A-Za-z0-9+/=]+'/, 'Trunk’s boot script pinned by its hash');
  assert.match(scriptSrc, /'wasm-unsafe-eval'/);
  assert.doesNotMatch(scriptSrc, /'unsafe-inline'|'unsafe-eval'(?!')|\*/);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    assert.ok(csp.includes(directive), directive);
  }
  const { context, page, errors } = await console_('/staff');
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return window.__injected === true;
  });
  assert.equal(ran, false, 'the policy blocked the injected script');
  assert.ok((await page.evaluate(() => window.__csp)).some((v) => v.startsWith('script-src')));
  assert.deepEqual(errors, []);
  await context.close();
});

const pages = {
  items: '/staff',
  editor: `/staff/items/${CODE}`,
  // An item with conditions, materials with conditions and steps: every repeating group.
  'editor (groups)': '/staff/items/11411523005962416Q-000701001',
  publish: '/staff/publish',
  import: '/staff/import',
  quality: '/staff/quality',
  holidays: '/staff/holidays',
  audit: '/staff/audit',
  users: '/staff/users',
  password: '/staff/password',
  embed: '/staff/embed',
  desk: '/staff/desk',
  'village desk': '/staff/desk',
};

test('axe finds no violations on any console page, and the app keeps to its script policy', { timeout: 240_000 }, async () => {
  const found = [];
  for (const [name, path] of Object.entries(pages)) {
    const { context, page, errors } = await console_(path);
    await page.locator('main h1, main h2').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 15000 });
    if (name.startsWith('editor')) {
      await page.getByRole('button', { name: '群众看到的页面（预览）' }).click();
      await page.getByTestId('preview').waitFor();
    }
    if (name === 'desk') {
      // The admin picks a hall; then its registration form, list and one case open.
      await page.selectOption('#desk-hall', 'xinxian');
      await page.locator('table.desk-table button.handle').first().click();
      await page.locator('#desk-case').waitFor();
    }
    if (name === 'village desk') {
      // A village service point: the 代办 form with an item's checklist, and its list.
      await page.selectOption('#desk-hall', 'guangming');
      await page.locator('#proxy-item-q').fill('高龄津贴');
      await page.locator('button.pick-item').first().click();
      await page.locator('.proxy-materials input').first().waitFor();
    }
    // Ids repeated anywhere break labels and aria references (axe reports only some).
    const repeated = await page.evaluate(() => {
      const seen = new Map();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
    });
    if (repeated.length) found.push(`${name}: repeated ids ${repeated.join(', ')}`);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    for (const v of result.violations) {
      found.push(`${name}: ${v.id}: ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
    }
    const csp = await page.evaluate(() => window.__csp);
    if (csp.length) found.push(`${name}: CSP violations ${csp.join(' | ')}`);
    if (errors.length) found.push(`${name}: errors ${errors.join(' | ')}`);
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('the preview opens beside the field being edited, in view', async () => {
  const { context, page } = await console_(`/staff/items/${CODE}`);
  const field = page.locator('#f-place-address');
  await field.scrollIntoViewIfNeeded();
  await field.fill('新县行政服务中心一楼（预览测试）');
  await page.getByRole('button', { name: '群众看到的页面（预览）' }).click();
  const preview = page.getByTestId('preview');
  await preview.waitFor();
  const box = await preview.boundingBox();
  assert.ok(box.y < 900 && box.y + 100 > 0, `the preview starts in view (top at ${Math.round(box.y)} px)`);
  const fieldBox = await field.boundingBox();
  assert.ok(fieldBox.y >= 0 && fieldBox.y < 900, 'and the field is still in view');
  assert.ok(box.x > fieldBox.x + fieldBox.width / 2, 'beside the form, not under it');
  await preview.getByText('新县行政服务中心一楼（预览测试）').first().waitFor();
  await context.close();
});

test('the audit log filters by person and action, pages, and shows Beijing wall-clock times', async () => {
  const { context, page } = await console_('/staff/audit');
  await page.locator('.audit-table tbody tr').first().waitFor();
  const firstTime = await page.locator('.audit-table tbody tr td time').first().innerText();
  assert.match(firstTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await page.getByLabel('操作人（用户名）').fill('admin');
  await page.getByLabel('操作', { exact: true }).selectOption('login');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.audit-table tbody tr')]
    .every((tr) => tr.dataset.action === 'login'));
  const rows = await page.locator('.audit-table tbody tr').count();
  assert.ok(rows >= 1);
  const who = await page.locator('.audit-table tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(who.every((w) => w === 'admin'), who.join());
  await context.close();
});

test('the webmaster page gives the snippet for a guide, a hall’s search or the lookup, with previews', async () => {
  const { context, page } = await console_('/staff/embed');
  await page.getByLabel('查找事项（名称或编码）').fill('机动车注册登记');
  await page.getByRole('button', { name: '查找' }).click();
  await page.getByRole('button', { name: /^选择 机动车注册登记/ }).first().click();
  await page.getByTestId('embed-code').filter({ hasText: CODE }).waitFor();
  const snippet = () => page.locator('#embed-snippet').inputValue();
  assert.match(await snippet(), new RegExp(`<iframe data-zhinan title="办事指南" src="${BASE}/embed/g/${CODE}"`));
  assert.match(await snippet(), new RegExp(`<script src="${BASE}/embed.js" async></script>`));
  // The previews show the guide as the website will.
  const phone = page.frameLocator('iframe.embed-phone');
  await phone.locator('h1#guide-title').waitFor();
  assert.match(await phone.locator('h1#guide-title').innerText(), /机动车注册登记/);
  await page.getByLabel(/自定义元素/).check();
  assert.match(await snippet(), new RegExp(`<zhinan-guide code="${CODE}"></zhinan-guide>\\n<script src="${BASE}/zhinan.js" defer></script>`));

  await page.getByLabel(/事项搜索/).check();
  await page.getByLabel('服务中心').selectOption('xinxian');
  const zone = (await page.locator('#embed-zone option').allTextContents()).find((z) => z !== '（全部）');
  await page.getByLabel('区域（可选）').selectOption(zone);
  await page.getByRole('radio', { name: /^iframe/ }).check();
  assert.match(await snippet(), new RegExp(`/embed/s\\?hall=xinxian&amp;zone=${encodeURIComponent(zone).replace(/%/g, '%')}`));
  await page.frameLocator('iframe.embed-desktop').locator('main').waitFor();

  await page.getByLabel(/办件进度查询/).check();
  assert.match(await snippet(), new RegExp(`src="${BASE}/embed/c"`));
  await page.getByLabel(/自定义元素/).check();
  await page.getByRole('status').filter({ hasText: '进度查询只提供 iframe 方式' }).waitFor();
  await context.close();
});
