// Citizen pages tell the truth and forgive (issue 15): required materials stay required
// with their exemptions shown, the progress lookup is reachable, 大字模式 enlarges all
// text, expandable sections look expandable, the print notice reads on a phone, plain
// words stand beside official terms, the window's hours follow the holiday calendar,
// ticks follow materials rather than positions, and search forgives typos and knows
// citizens' words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, catalog, waitForApp, signIn, publishedJob, BASE } from './helpers.mjs';

const TRANSFER = '不动产转移登记（房屋买卖）';
const ADMIN = process.env.ADMIN_PASSWORD;

let browser;
let items;
before(async () => {
  browser = await launch();
  items = (await catalog()).items;
});
after(() => browser?.close());

const codeOf = (name) => items.find((i) => i.name === name).code;

test('required materials with an exemption stay required, the exemption under them', { timeout: 180_000 }, async () => {
  const code = codeOf(TRANSFER);
  const item = (await getJson(`/api/v1/items/${code}`)).body;
  const required = item.materials.filter((m) => !m.needed_when);
  const exempt = required.filter((m) => m.optional_when);
  assert.ok(exempt.length > 0, 'the transfer guide has materials with an exemption');
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${code}`);
  const summary = await page.locator('#materials-title + p').innerText();
  assert.match(summary, new RegExp(`共 ${required.length} 项必交材料`));
  const firstList = page.locator('#materials-title ~ ul.checklist').first();
  const names = await firstList.locator('.material-name').allInnerTexts();
  assert.deepEqual(names, required.map((m) => m.name));
  // The ID cards are in the list everyone brings, each exemption written under it.
  assert.ok(names.some((n) => n.includes('身份证')), names.join('、'));
  for (const m of exempt) {
    const row = firstList.locator('.material', { hasText: m.name });
    assert.ok((await row.locator('.material-when').innerText()).includes(m.optional_when));
  }
  assert.equal(await page.getByText('特定情形需要或可免的材料').count(), 0);
  await ctx.close();
});

test('a life event keeps each material\'s real condition', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, '/e/canji');
  const text = await page.locator('#event-materials').locator('..').innerText();
  // Nothing is labelled "only in special cases" without saying which case.
  assert.ok(!text.includes('特定情形才需要\n') && !text.includes('· 特定情形才需要'), text);
  const once = page.locator('.once-list').first();
  const id = once.locator('.material-once', { hasText: '身份证' }).first();
  assert.equal(await id.count(), 1, 'the ID card is with the materials everyone brings');
  for (const when of await page.locator('.material-once .material-when').allInnerTexts()) {
    assert.match(when, /^(可免情形|需要的情形)(（.+）)?：.+/);
  }
  await ctx.close();
});

test('the progress lookup is one tap from home, the header and a 承诺件 guide', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(ctx, '/');
  assert.equal(await page.locator('.site-header a[href="/c"]').count(), 1);
  assert.ok(await page.locator('main a[href="/c"]').count() >= 1);
  await page.goto(`${BASE}/g/${codeOf(TRANSFER)}`);
  await page.locator('#where-title ~ .progress-link a[href="/c"]').waitFor();
  await page.locator('main a[href="/c"]').first().click();
  await page.locator('#lookup-form').waitFor();
  await ctx.close();
});

test('大字模式 makes every text a citizen reads at least 18 px, key facts larger', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  await ctx.addInitScript(() => localStorage.setItem('zhinan:elderly', '1'));
  const code = codeOf(TRANSFER);
  for (const path of ['/', `/g/${code}`, `/g/${code}/print`, '/e/fangchan-guohu', '/s?q=%E8%90%A5%E4%B8%9A', '/c']) {
    const { page } = await openPage(ctx, path);
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    const small = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!own || !el.getClientRects().length) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 18) out.push(`${el.tagName}.${el.className}: ${size}px "${el.textContent.trim().slice(0, 20)}"`);
      }
      return out;
    });
    assert.deepEqual(small, [], `${path}: text under 18 px`);
    if (path === `/g/${code}`) {
      const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      for (const selector of ['.fact-main', '.where-main', 'h2']) {
        const size = await page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        assert.ok(size > body, `${selector} ${size}px is larger than the body's ${body}px`);
      }
    }
    await page.close();
  }
  await ctx.close();
});

test('expandable sections show a marker that turns when opened', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${codeOf(TRANSFER)}`);
  // Measured once the app has taken the page over (it replaces the server's elements).
  await waitForApp(page);
  const summary = page.locator('details > summary').first();
  const marker = () => summary.evaluate((el) => {
    const s = getComputedStyle(el, '::before');
    return { content: s.content, width: parseFloat(s.width), transform: s.transform };
  });
  const closed = await marker();
  assert.notEqual(closed.content, 'none');
  assert.ok(closed.width > 4, `marker width ${closed.width}`);
  await summary.click();
  await page.locator('details[open] > summary').first().waitFor();
  const open = await marker();
  assert.notEqual(open.transform, closed.transform, 'the marker turns');
  await ctx.close();
});

test('official terms come with plain words', { timeout: 180_000 }, async () => {
  const item = (await getJson(`/api/v1/items/${codeOf(TRANSFER)}`)).body;
  const ctx = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(ctx, `/g/${item.code}`);
  const badges = await page.locator('.badges').innerText();
  if (item.kind === 'promised') {
    assert.match(badges, /受理后\d+个?工作日内办结（承诺件）|受理后\d+日内办结（承诺件）/);
  } else {
    assert.match(badges, /当场办结（即办件）/);
  }
  assert.match(badges, /（行政[^）]+|公共服务）/);
  assert.ok(!/^承诺件/.test(badges.trim()), 'the plain words come first');
  await ctx.close();
});

test('the print notice reads on a phone: title and material names are not cut per character', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser, { javaScriptEnabled: false });
  const { page } = await openPage(ctx, `/g/${codeOf(TRANSFER)}/print`);
  const title = await page.locator('.notice h1').boundingBox();
  assert.ok(title.width > 250, `title box ${title.width}px wide`);
  const lineHeight = await page.locator('.notice h1').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  assert.ok(title.height <= lineHeight * 2.2, `title wraps onto ${title.height / lineHeight} lines`);
  const nameCells = page.locator('.notice-materials tbody td:nth-child(2)');
  assert.ok(await nameCells.count() > 0);
  for (const box of await nameCells.evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width))) {
    assert.ok(box > 200, `material name cell ${box}px wide`);
  }
  // A4 print keeps the table.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.notice-materials thead').evaluate((el) => getComputedStyle(el).display), 'table-header-group');
  await ctx.close();
});

test('现在办公 follows the holiday calendar: closed on 国庆, open on a 调休 Saturday', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const code = codeOf(TRANSFER);
  const openNow = async () => {
    await page.goto(`${BASE}/g/${code}`);
    await waitForApp(page);
    await page.waitForFunction(() => document.querySelector('.open-now')?.innerText.length > 0);
    return page.locator('.open-now').innerText();
  };
  // Thursday 2026-10-01, 10:00 in Beijing: a weekday, but 国庆.
  await page.clock.setFixedTime(new Date('2026-10-01T02:00:00Z'));
  assert.match(await openNow(), /^今天放假，不办公，10月8日（周四）\d+:\d\d 上班$/);
  // Saturday 2026-10-10, 10:00: worked instead (调休), weekday hours.
  await page.clock.setFixedTime(new Date('2026-10-10T02:00:00Z'));
  assert.match(await openNow(), /^现在办公，\d+:\d\d 下班$/);
  await ctx.close();
});

test('ticks follow the material, not its position, when a publish inserts one', { timeout: 180_000 }, async () => {
  const code = codeOf(TRANSFER);
  const before = (await getJson('/api/v1/catalog')).body.version;
  const item = (await getJson(`/api/v1/items/${code}`)).body;
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, `/g/${code}`);
  await waitForApp(page);
  const ticked = item.materials[1].name;
  await page.locator('.material', { hasText: ticked }).locator('input.tick').check();

  const admin = await signIn('admin', ADMIN, '198.18.9.1');
  const inserted = { ...item.materials[0], name: '测试插入的材料（勾选测试）', optional_when: undefined, needed_when: undefined };
  const draft = { ...item, materials: [inserted, ...item.materials] };
  assert.equal((await admin.call('PUT', `/api/v1/staff/items/${code}/draft`, { item: draft, base_rev: null })).status, 200);
  try {
    const job = await publishedJob(admin, await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: [code] }));
    assert.equal(job.state, 'done');
    await page.reload();
    await waitForApp(page);
    const row = (name) => page.locator('.material', { hasText: name }).locator('input.tick');
    await page.waitForFunction((name) => [...document.querySelectorAll('.material')]
      .some((m) => m.innerText.includes(name) && m.querySelector('input.tick').checked), ticked);
    assert.equal(await row(ticked).isChecked(), true);
    assert.equal(await row('测试插入的材料（勾选测试）').isChecked(), false);
    assert.equal(await row(item.materials[0].name).isChecked(), false);
  } finally {
    assert.equal((await admin.call('POST', '/api/v1/staff/rollback', { version: before })).status, 200);
    await ctx.close();
  }
});

test('search forgives one wrong character and knows citizens\' words', { timeout: 180_000 }, async () => {
  const ctx = await phone(browser);
  const { page } = await openPage(ctx, '/s');
  await waitForApp(page);
  // From an empty box each time, so a result read is never the previous query's.
  const first = async (query) => {
    await page.fill('#q', '');
    await page.locator('.search-hint').waitFor();
    await page.fill('#q', query);
    const name = page.locator('.results .entry-name').first();
    await name.waitFor();
    return name.innerText();
  };
  assert.equal(await first('营业执造'), await first('营业执照'));
  assert.equal(await first('身分证'), await first('身份证'));
  assert.equal(await first('卖房'), TRANSFER);
  assert.equal(await first('房本'), TRANSFER);
  assert.equal(await first('养老金'), '城乡居民基本养老保险参保登记');
  // The server's page (no JavaScript) ranks the same.
  const still = await phone(browser, { javaScriptEnabled: false });
  const { page: plain } = await openPage(still, `/s?q=${encodeURIComponent('卖房')}`);
  assert.equal(await plain.locator('.results .entry-name').first().innerText(), TRANSFER);
  await still.close();
  await ctx.close();
});
