// Village 代办: an admin makes a 代办员 at the 光明社区 service point and a clerk at the
// 上集镇 hall; the agent registers a request for a township item (委托书 not yet signed,
// one material received), prints the 委托书 and checklist, records the signature and
// hands the file over; the villager follows it at /c before the hall has accepted it;
// the township clerk finds it in the desk's inbox and accepts it (the case begins under
// the same number), decides it; the agent brings the result back and hands it over.
// Items that need the person are refused, and nobody acts outside their own hall.
// The guide of a township item lists the village points; an in-person item says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, openPage, waitForApp, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const ITEM = '11411523005967013W-000501003'; // 高龄津贴申领, shangji, proxy allowed
const IN_PERSON = '11411523005960101Q-000701002'; // 居民身份证换领, xinxian, fingerprints
const S = '/api/v1/staff';
const tag = Date.now().toString(36);
const AGENT = `agent${tag}`;
const CLERK = `town${tag}`;
const COUNTY_CLERK = `county${tag}`;
const OTHER_AGENT = `tianpu${tag}`;
const PASSWORD = 'village-proxy-pass-1';
let browser;
let admin;

before(async () => {
  browser = await launch();
  admin = await signIn('admin', ADMIN, '198.18.70.1');
  assert.equal(admin.status, 200);
  const townHall = await admin.call('POST', `${S}/users`, { username: `${AGENT}x`, display_name: '赵代办', password: PASSWORD, role: 'agent', hall: 'shangji' });
  assert.equal(townHall.status, 400, 'an agent sits at a village service point');
  assert.equal(townHall.body.fields[0].field, 'hall');
  for (const [username, display_name, role, hall] of [
    [AGENT, '赵代办', 'agent', 'guangming'],
    [CLERK, '陈窗口', 'clerk', 'shangji'],
    [COUNTY_CLERK, '刘窗口', 'clerk', 'xinxian'],
    [OTHER_AGENT, '孙代办', 'agent', 'tianpu'],
  ]) {
    const made = await admin.call('POST', `${S}/users`, { username, display_name, password: PASSWORD, role, hall });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
});
after(() => browser?.close());

async function lookup(number, query_code, ip) {
  const res = await fetch(`${BASE}/api/v1/cases/lookup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify({ number, query_code }),
  });
  return { status: res.status, body: await res.json() };
}

async function signInPage(context, username) {
  const page = await context.newPage();
  await page.goto(`${BASE}/staff/desk`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  return page;
}

test('a village agent registers, hands over and delivers a 代办 request the township accepts; the villager follows it', { timeout: 300_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const errors = [];
  context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  const page = await signInPage(context, AGENT);
  await page.getByRole('heading', { name: '代办工作台', level: 1 }).waitFor();
  await page.locator('.desk-hall', { hasText: '光明社区党群服务中心' }).waitFor();

  // The item from the township's catalog; the guide's materials as a checklist.
  await page.locator('#proxy-item-q').fill('高龄津贴');
  await page.locator(`button.pick-item[data-code="${ITEM}"]`).click();
  await page.locator('.desk-chosen', { hasText: '高龄津贴申领' }).waitFor();
  const boxes = page.locator('.proxy-materials input[type=checkbox]');
  await boxes.first().waitFor();
  const firstMaterial = (await page.locator('.proxy-materials label').first().innerText()).trim();
  await boxes.first().check();
  await page.fill('#proxy-applicant', '李桂兰');
  await page.fill('#proxy-contact', '138 0376 1122');
  await page.getByRole('button', { name: '登记代办' }).click();
  const done = page.locator('#proxy-registered');
  await done.locator('.accepted-number').waitFor();
  const number = await done.locator('.accepted-number').innerText();
  const code = await done.locator('.accepted-code').innerText();
  assert.match(number, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  assert.match(code, /^\d{6}$/);

  // The slip: 委托书 naming both halls and the item, the checklist, number, code and QR.
  const [slip] = await Promise.all([context.waitForEvent('page'), done.getByRole('link', { name: '打印代办委托书和资料清单' }).click()]);
  await slip.locator('.slip-item').waitFor();
  const slipText = await slip.locator('.proxy-slip').innerText();
  for (const text of ['村（社区）代办委托书', '光明社区党群服务中心', '上集镇综合服务中心', '高龄津贴申领', '李*兰', '尚未签字', number, code]) {
    assert.ok(slipText.includes(text), `${text} in the slip:\n${slipText}`);
  }
  const ticked = await slip.locator('.slip-materials tr.received td:first-child').allInnerTexts();
  assert.equal(ticked.length, 1);
  assert.ok(firstMaterial.startsWith(ticked[0]), `${ticked[0]} is ${firstMaterial}`);
  assert.equal(await slip.locator('.receipt-qr svg').count(), 1);
  await slip.close();

  // Not signed: it cannot go to the township yet; sign, then hand over.
  const agent = await signIn(AGENT, PASSWORD, '198.18.70.2');
  const compact = number.replaceAll('-', '');
  const early = await agent.call('POST', `${S}/desk/guangming/proxy/${compact}/steps`, { type: 'handed_over' });
  assert.equal(early.status, 409);
  assert.match(early.body.error, /委托书尚未签字/);
  const row = page.locator(`table.proxy-table tr[data-number="${number}"]`);
  await row.locator('button[data-step="mandate_signed"]').click();
  await row.locator('button[data-step="handed_over"]').click();
  await page.locator(`table.proxy-table tr[data-number="${number}"] .proxy-status`, { hasText: '已递交' }).waitFor();

  // The villager follows it before the hall has accepted it.
  let seen = await lookup(number, code, '198.51.100.71');
  assert.equal(seen.status, 200, JSON.stringify(seen.body));
  assert.equal(seen.body.proxy.status, 'handed_over');
  assert.deepEqual(seen.body.proxy.timeline.map((t) => t.label), ['村（社区）代办登记', '代办委托书已签字', '代办员已递交受理中心']);
  assert.ok(!JSON.stringify(seen.body).includes('1122'), 'the phone stays with staff');
  const wrong = await lookup(number, code === '000000' ? '111111' : '000000', '198.51.100.72');
  assert.equal(wrong.status, 404);

  // The agent cannot touch the township's cases, nor another hall its requests.
  assert.equal((await agent.call('GET', `${S}/desk/shangji/cases`)).status, 403);
  assert.equal((await agent.call('POST', `${S}/desk/shangji/proxy/${compact}/accept`, {})).status, 403);
  const county = await signIn(COUNTY_CLERK, PASSWORD, '198.18.70.3');
  assert.equal((await county.call('POST', `${S}/desk/shangji/proxy/${compact}/accept`, {})).status, 403);
  assert.equal((await county.call('POST', `${S}/desk/xinxian/proxy/${compact}/accept`, {})).status, 404);
  assert.equal((await county.call('GET', `${S}/desk/proxy-slips/${compact}`)).status, 403);
  const neighbour = await signIn(OTHER_AGENT, PASSWORD, '198.18.70.6');
  assert.equal((await neighbour.call('POST', `${S}/desk/guangming/proxy/${compact}/steps`, { type: 'withdrawn', reason: '试试' })).status, 403);
  assert.equal((await neighbour.call('POST', `${S}/desk/tianpu/proxy/${compact}/steps`, { type: 'withdrawn', reason: '试试' })).status, 404);
  assert.equal((await neighbour.call('GET', `${S}/desk/proxy-slips/${compact}`)).status, 403);

  // The township clerk accepts it from the inbox; the case begins under the same number.
  // The clerk works on another PC (a browser of their own).
  const clerkContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  clerkContext.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  const clerkPage = await signInPage(clerkContext, CLERK);
  await clerkPage.getByRole('heading', { name: '窗口工作台', level: 1 }).waitFor();
  const inbox = clerkPage.locator(`table.proxy-table tr[data-number="${number}"]`);
  await inbox.waitFor();
  assert.match(await inbox.innerText(), /光明社区/);
  await inbox.locator('button[data-step="accept"]').click();
  await clerkPage.locator(`table.desk-table tr[data-number="${number}"]`).waitFor();
  const clerk = await signIn(CLERK, PASSWORD, '198.18.70.4');
  const again = await clerk.call('POST', `${S}/desk/shangji/proxy/${compact}/accept`, {});
  assert.equal(again.status, 409, 'accepted once');
  seen = await lookup(number, code, '198.51.100.73');
  assert.equal(seen.body.status, 'accepted');
  assert.equal(seen.body.hall, 'shangji');
  assert.equal(seen.body.proxy.status, 'accepted');

  // The result is not back before the hall decides.
  const tooSoon = await agent.call('POST', `${S}/desk/guangming/proxy/${compact}/steps`, { type: 'result_back' });
  assert.equal(tooSoon.status, 409);
  for (const step of [{ type: 'approved' }, { type: 'ready_for_pickup', place: '由代办员带回光明社区' }]) {
    const recorded = await clerk.call('POST', `${S}/desk/shangji/cases/${compact}/events`, step);
    assert.equal(recorded.status, 200, JSON.stringify(recorded.body));
  }

  // Back at the village: result back, then handed to the villager.
  await page.reload();
  await row.locator('button[data-step="result_back"]').click();
  await row.locator('button[data-step="delivered"]').click();
  await page.locator('#proxy-all').check();
  await page.locator(`table.proxy-table tr[data-number="${number}"] .proxy-status`, { hasText: '已交付申请人' }).waitFor();

  // The villager's /c page shows both legs.
  const villager = await browser.newContext({ locale: 'zh-CN' });
  const c = await villager.newPage();
  await c.goto(`${BASE}/c`);
  await c.fill('#number', number);
  await c.fill('#query_code', code);
  await c.getByRole('button', { name: '查询' }).click();
  await c.locator('.proxy .status-label', { hasText: '已交付申请人' }).waitFor();
  const proxyText = await c.locator('.proxy').innerText();
  assert.ok(!(await c.content()).includes('1122'), 'the phone is not on the /c page');
  assert.ok(!(await c.content()).includes('李桂兰'), 'only the masked name');
  for (const text of ['光明社区党群服务中心', '上集镇综合服务中心', '办理结果已带回村（社区）', '已交付申请人']) {
    assert.ok(proxyText.includes(text), `${text} on /c:\n${proxyText}`);
  }
  assert.match(await c.locator('.progress:not(.proxy) .status-label').innerText(), /待领取/);
  await villager.close();

  // Every step in the audit log with the person.
  const audit = await admin.call('GET', `${S}/audit?who=${AGENT}`);
  const actions = audit.body.entries.map((e) => e.action);
  for (const action of ['proxy_register', 'proxy_step', 'proxy_slip']) assert.ok(actions.includes(action), actions.join());
  const accepted = await admin.call('GET', `${S}/audit?who=${CLERK}`);
  assert.ok(accepted.body.entries.some((e) => e.action === 'proxy_accept' && e.target === compact), JSON.stringify(accepted.body.entries));
  assert.deepEqual(errors, []);
  await clerkContext.close();
  await context.close();
});

test('items that need the person cannot be requested; bad requests name the field', async () => {
  const agent = await signIn(AGENT, PASSWORD, '198.18.70.5');
  const inPerson = await agent.call('POST', `${S}/desk/guangming/proxy`, { item_code: IN_PERSON, applicant_name: '王五', mandate_signed: true });
  assert.equal(inPerson.status, 400);
  assert.equal(inPerson.body.fields[0].field, 'item_code');
  assert.match(inPerson.body.error, /须本人到场/);
  const unknownMaterial = await agent.call('POST', `${S}/desk/guangming/proxy`, { item_code: ITEM, applicant_name: '王五', mandate_signed: true, received: ['户口本（伪造的材料名）'] });
  assert.equal(unknownMaterial.status, 400);
  assert.equal(unknownMaterial.body.fields[0].field, 'received');
  const noName = await agent.call('POST', `${S}/desk/guangming/proxy`, { item_code: ITEM, applicant_name: ' ', mandate_signed: true });
  assert.equal(noName.status, 400);
  assert.equal(noName.body.fields[0].field, 'applicant_name');
  const otherVillage = await agent.call('POST', `${S}/desk/tianpu/proxy`, { item_code: ITEM, applicant_name: '王五', mandate_signed: true });
  assert.equal(otherVillage.status, 403);
  const badStep = await agent.call('POST', `${S}/desk/guangming/proxy/2222-2222-2222/steps`, { type: 'teleported' });
  assert.equal(badStep.status, 400);
  assert.equal(badStep.body.fields[0].field, 'type');
  const badPhone = await agent.call('POST', `${S}/desk/guangming/proxy`, { item_code: ITEM, applicant_name: '王五', contact: 'call me', mandate_signed: true });
  assert.equal(badPhone.status, 400);
  assert.equal(badPhone.body.fields[0].field, 'contact');

  // Withdrawn before the hall accepted it: nothing more happens to it, and rating it
  // (right code, nothing to rate) neither works nor counts as a wrong guess.
  const made = await agent.call('POST', `${S}/desk/guangming/proxy`, { item_code: ITEM, applicant_name: '王五', mandate_signed: true });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const number = made.body.request.number;
  for (let i = 0; i < 6; i += 1) {
    const rate = await fetch(`${BASE}/api/v1/cases/rate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `198.51.100.${80 + i}` },
      body: JSON.stringify({ number, query_code: made.body.query_code, level: 'satisfied' }),
    });
    assert.equal(rate.status, 409);
  }
  assert.equal((await lookup(number, made.body.query_code, '198.51.100.90')).status, 200, 'not locked by the refused ratings');
  const noReason = await agent.call('POST', `${S}/desk/guangming/proxy/${number}/steps`, { type: 'withdrawn', reason: ' ' });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.fields[0].field, 'reason');
  assert.equal((await agent.call('POST', `${S}/desk/guangming/proxy/${number}/steps`, { type: 'handed_over' })).status, 200);
  assert.equal((await agent.call('POST', `${S}/desk/guangming/proxy/${number}/steps`, { type: 'withdrawn', reason: '申请人改为自行办理' })).status, 200);
  const clerk = await signIn(CLERK, PASSWORD, '198.18.70.7');
  const late = await clerk.call('POST', `${S}/desk/shangji/proxy/${number}/accept`, {});
  assert.equal(late.status, 409);
  assert.match(late.body.error, /已撤回/);
});

test('a township guide lists the village points that take it over; an in-person item says why it cannot', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const { page } = await openPage(context, `/g/${ITEM}`);
  await waitForApp(page);
  const section = page.locator('section.villages');
  await section.waitFor();
  const text = await section.innerText();
  for (const expected of ['可在村（社区）代办', '光明社区党群服务中心', '新县光明社区光明路66号', '0376-2966012', '田铺村党群服务中心', '0376-2851366']) {
    assert.ok(text.includes(expected), `${expected} in:\n${text}`);
  }
  assert.equal(await section.locator('a.phone[href="tel:0376-2966012"]').count(), 1);
  const { page: person } = await openPage(context, `/g/${IN_PERSON}`);
  await waitForApp(person);
  await person.locator('.in-person', { hasText: '须本人到场采集人像和指纹信息' }).waitFor();
  assert.equal(await person.locator('section.villages').count(), 0);
  assert.ok(!(await person.locator('.ways').innerText()).includes('可委托他人或村（社区）代办员代办'));
  // The printed notice says the same.
  const notice = await (await fetch(`${BASE}/g/${IN_PERSON}/print`)).text();
  assert.ok(notice.includes('须本人到场（须本人到场采集人像和指纹信息），不能代办'), 'the print notice names the reason');
  const proxiedNotice = await (await fetch(`${BASE}/g/${ITEM}/print`)).text();
  assert.ok(proxiedNotice.includes('可委托他人或村（社区）代办员代办'));
  await context.close();
});
