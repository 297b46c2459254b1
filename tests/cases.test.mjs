// Cases: a window accepts through the staff API, the receipt prints with a QR code that
// opens the progress page, events appear, overdue shows red, 好差评 works once and only
// after 办结, wrong codes and brute force are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, decodeQrSvg, BASE } from './helpers.mjs';

const KEYS = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const ITEM = '11411523005962416Q-000701001'; // 不动产转移登记（房屋买卖）, xinxian, 3 working days
const DEMO_OVERDUE = { number: '6EGN-ZUSM-7E6T', query_code: '240159' };
const DEMO_FLAGGED = '7DZP-32RA-NJMT';
let browser;
let clientSeq = 0;

before(async () => { browser = await launch(); });
after(() => browser?.close());

/** A distinct client address per call site, so per-client limits do not mix tests. */
function client() { clientSeq += 1; return `198.51.100.${clientSeq}`; }

const ALPHABET = '2345679ACDEFGHJKMNPQRSTUVWXYZ';
/** A well-formed receipt number (right check character) that was never issued. */
function unissuedNumber(payload = 'ZZZZZZZZZZZ') {
  const sum = [...payload].reduce((s, ch, i) => s + (12 - i) * ALPHABET.indexOf(ch), 0);
  const check = ALPHABET[[...Array(29).keys()].find((v) => (sum + v) % 29 === 0)];
  const n = payload + check;
  return `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`;
}

async function staff(method, path, body, { hall = 'xinxian', key = KEYS[hall], headers: extra = {} } = {}) {
  const headers = { 'Content-Type': 'application/json', ...extra };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(BASE + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function citizen(path, body, ip = client()) {
  const res = await fetch(BASE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function accept(extra = {}) {
  const res = await staff('POST', '/api/v1/halls/xinxian/cases', {
    item_code: ITEM, applicant_name: '孙晓梅', delivery: 'window', by: '3号窗口 测试', ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** The progress form on a phone, filled and sent: the page then shows the answer. */
async function lookUp(number, query_code, { js = false } = {}) {
  const context = await phone(browser, { javaScriptEnabled: js });
  const page = await context.newPage();
  await page.goto(`${BASE}/c`);
  await page.fill('#number', number);
  await page.fill('#query_code', query_code);
  await page.click('#lookup-form button[type=submit]');
  return { context, page };
}

async function event(number, body) {
  return staff('POST', `/api/v1/halls/xinxian/cases/${number}/events`, { by: '审核岗', ...body });
}

test('accept a case, print its receipt, and the receipt QR opens the progress page', async () => {
  const accepted = await accept();
  assert.match(accepted.number, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  assert.doesNotMatch(accepted.number, /[01OIL8B]/);
  assert.match(accepted.query_code, /^\d{6}$/);
  assert.match(accepted.due, /^\d{4}-\d{2}-\d{2}$/);
  const receiptUrl = new URL(accepted.receipt_url);
  assert.equal(receiptUrl.hash, `#q=${accepted.query_code}`, 'the secret travels in the fragment only');

  const context = await phone(browser);
  const { page, errors } = await openPage(context, receiptUrl.pathname + receiptUrl.hash);
  await page.locator('.receipt-number').waitFor();
  assert.equal(await page.locator('.receipt-number').innerText(), accepted.number);
  assert.equal(await page.locator('.receipt-code').innerText(), accepted.query_code);
  assert.equal(await page.locator('.receipt-due').innerText(), accepted.due);
  assert.ok((await page.locator('.receipt').innerText()).includes('不动产转移登记'));
  assert.equal(new URL(page.url()).hash, '', 'the query code leaves the address once read');
  await page.reload();
  await page.locator('.receipt-code').waitFor();
  assert.equal(await page.locator('.receipt-code').innerText(), accepted.query_code, 'a reload in the same tab still prints');
  const qr = await decodeQrSvg(page, await page.locator('.receipt-qr').innerHTML());
  assert.equal(qr, `${BASE}/c#n=${accepted.case.number}&q=${accepted.query_code}`);

  await page.goto(qr);
  await page.locator('#progress-title').waitFor();
  assert.equal(await page.locator('#progress-title').innerText(), '不动产转移登记（房屋买卖）');
  assert.ok(!(await page.evaluate(() => location.hash)).includes(accepted.query_code), 'code removed from the address bar');
  assert.ok((await page.locator('.timeline').innerText()).includes('受理'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('events appended through the API appear on the progress page', async () => {
  const { number, query_code } = await accept({ delivery: 'post' });
  assert.equal((await event(number, { type: 'reviewing', note: '权属审核中' })).status, 200);
  assert.equal((await event(number, { type: 'correction_requested', missing: ['契税完税证明'] })).status, 200);

  const context = await phone(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${BASE}/c`);
  await page.fill('#number', number.toLowerCase().replaceAll('-', ' '));
  await page.fill('#query_code', query_code);
  await page.click('#lookup-form button[type=submit]');
  await page.locator('#progress-title').waitFor();
  assert.ok((await page.locator('.missing').innerText()).includes('契税完税证明'));
  assert.ok((await page.locator('.status').innerText()).includes('补正中'));
  assert.ok((await page.locator('.timeline').innerText()).includes('权属审核中'));

  assert.equal((await event(number, { type: 'correction_done' })).status, 200);
  assert.equal((await event(number, { type: 'approved' })).status, 200);
  assert.equal((await event(number, { type: 'mailed', carrier: 'EMS', tracking: 'EM123456789CN' })).status, 200);
  await page.goto(`${BASE}/c`);
  await page.fill('#number', number);
  await page.fill('#query_code', query_code);
  await page.click('#lookup-form button[type=submit]');
  assert.ok((await page.locator('.tracking').innerText()).includes('EM123456789CN'));
  assert.equal(await page.locator('.timeline .step').count(), 6);
  await context.close();
});

test('an event dated before the case was accepted, or in the future, is refused', async () => {
  const { number } = await accept();
  const early = await event(number, { type: 'reviewing', at: '2001-01-01T09:00:00+08:00' });
  assert.equal(early.status, 400);
  assert.equal(early.body.fields[0].field, 'at');
  assert.match(early.body.error, /早于受理时间/);
  const future = await event(number, { type: 'reviewing', at: '2999-01-01T09:00:00+08:00' });
  assert.equal(future.status, 400);
  assert.equal(future.body.fields[0].field, 'at');
  assert.equal((await event(number, { type: 'reviewing' })).status, 200);
});

test('invalid transitions are refused with 409 and a reason', async () => {
  const { number } = await accept();
  const mailed = await event(number, { type: 'mailed', carrier: 'EMS', tracking: '1' });
  assert.equal(mailed.status, 409);
  assert.equal(mailed.body.code, 'invalid_transition');
  assert.ok(mailed.body.error.length > 0);
  assert.equal((await event(number, { type: 'correction_done' })).status, 409);
  const bad = await event(number, { type: 'teleported' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'type');
});

test('staff calls need the hall key: 401 without or wrong, 403 for another hall', async () => {
  assert.equal((await staff('GET', '/api/v1/halls/xinxian/cases', null, { key: null })).status, 401);
  assert.equal((await staff('GET', '/api/v1/halls/xinxian/cases', null, { key: 'wrong' })).status, 401);
  const other = await staff('GET', '/api/v1/halls/xinxian/cases', null, { key: KEYS.shangji });
  assert.equal(other.status, 403);
  assert.equal(other.body.code, 'forbidden');
  const post = await staff('POST', '/api/v1/halls/xinxian/cases', { item_code: ITEM }, { key: KEYS.guangming });
  assert.equal(post.status, 403);
  const missing = await staff('POST', '/api/v1/halls/xinxian/cases', { item_code: ITEM, delivery: 'window', by: 'x' });
  assert.equal(missing.status, 400);
  assert.match(missing.body.fields[0].message, /applicant_name/);
});

test('the hall list puts overdue cases first and flags bad ratings', async () => {
  const { status, body } = await staff('GET', '/api/v1/halls/xinxian/cases');
  assert.equal(status, 200);
  assert.ok(body.cases.length >= 4);
  assert.equal(body.cases[0].overdue, true);
  assert.equal(body.cases[0].number, DEMO_OVERDUE.number);
  const firstNotOverdue = body.cases.findIndex((c) => !c.overdue);
  assert.ok(body.cases.slice(firstNotOverdue).every((c) => !c.overdue));
  const flagged = body.cases.find((c) => c.number === DEMO_FLAGGED);
  assert.ok(flagged?.follow_up, 'dissatisfied rating flagged for follow-up');
});

for (const js of [false, true]) {
  test(`an overdue case shows red (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const { context, page } = await lookUp(DEMO_OVERDUE.number, DEMO_OVERDUE.query_code, { js });
    const flag = page.locator('.overdue-flag');
    await flag.waitFor();
    assert.equal(await flag.innerText(), '已超期');
    assert.equal(await flag.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(179, 38, 30)');
    // What to do comes first: the guide's phones and the 12345 complaint line, above
    // the form (which is now for another case).
    const help = page.locator('.overdue-help');
    assert.match(await help.innerText(), /已超过承诺办结日期/);
    assert.equal(await help.locator('a[href="tel:12345"]').count(), 1);
    const guide = await help.locator('a[href^="/g/"]').getAttribute('href');
    const order = await page.evaluate(() => {
      const help = document.querySelector('.overdue-help');
      const form = document.querySelector('#lookup-form');
      return help.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, 'the help is above the form');
    await page.goto(`${BASE}${guide}`);
    assert.ok((await page.locator('#where-title').innerText()).includes('到哪里办'));
    await context.close();
  });
}

test('rating works once and only after 办结', async () => {
  const { number, query_code } = await accept();
  const early = await citizen('/api/v1/cases/rate', { number, query_code, level: 'satisfied' });
  assert.equal(early.status, 409);
  await event(number, { type: 'approved' });
  const { context, page } = await lookUp(number, query_code);
  await page.check('input[name=level][value=very_dissatisfied]');
  await page.fill('textarea[name=comment]', '<b>排队太久</b>');
  await page.click('#rating-form button[type=submit]');
  assert.ok((await page.locator('.rated').innerText()).includes('非常不满意'));
  assert.ok((await page.locator('.rated').innerText()).includes('<b>排队太久</b>'), 'comment shown as text');
  assert.equal(await page.locator('.rated b').count(), 0);
  assert.equal(await page.locator('#rating-form').count(), 0, 'no second rating form');
  await context.close();
  const again = await citizen('/api/v1/cases/rate', { number, query_code, level: 'satisfied' });
  assert.equal(again.status, 409);
  const list = await staff('GET', '/api/v1/halls/xinxian/cases');
  assert.ok(list.body.cases.find((c) => c.number === number)?.follow_up);
});

test('a wrong code and an unknown number get the same answer', async () => {
  const { number, query_code } = await accept();
  const wrong = await citizen('/api/v1/cases/lookup', { number, query_code: query_code === '000000' ? '111111' : '000000' });
  assert.equal(unissuedNumber('5DW96MM4M27'), '5DW9-6MM4-M27R', 'test helper agrees with the check character');
  const unknown = await citizen('/api/v1/cases/lookup', { number: unissuedNumber(), query_code });
  assert.equal(wrong.status, 404);
  assert.equal(unknown.status, 404);
  assert.deepEqual(wrong.body, unknown.body);
  const typo = await citizen('/api/v1/cases/lookup', { number: number.slice(0, -1) + (number.endsWith('2') ? '3' : '2'), query_code });
  assert.equal(typo.status, 400, 'a mistyped number is caught by its check character');
});

test('brute force on one receipt stops, even from many addresses', async () => {
  const { number, query_code } = await accept();
  const statuses = [];
  for (let i = 0; i < 8; i += 1) {
    const guess = String(100000 + i);
    if (guess === query_code) continue;
    statuses.push((await citizen('/api/v1/cases/lookup', { number, query_code: guess })).status);
  }
  assert.ok(statuses.includes(429), `statuses ${statuses}`);
  const right = await citizen('/api/v1/cases/lookup', { number, query_code });
  assert.equal(right.status, 429, 'locked even for the right code');
  assert.ok(Number(right.headers.get('retry-after')) > 0);
  assert.match(right.body.error, /请在 \d+ (秒|分钟)后再试/);

  // The citizen at the form: told how long to wait, and nothing they typed is lost.
  const { context, page } = await lookUp(number, query_code);
  assert.match(await page.locator('.notice[role=alert]').innerText(), /查询过于频繁，请在 \d+ (秒|分钟)后再试/);
  assert.equal(await page.inputValue('#number'), number);
  assert.equal(await page.inputValue('#query_code'), query_code);
  await context.close();
});

test('one client cannot sweep many receipts', async () => {
  const ip = client();
  const statuses = [];
  for (let i = 0; i < 35; i += 1) {
    const payload = `ZZZZZZZZZ${ALPHABET[i % 29]}${ALPHABET[Math.floor(i / 29)]}`;
    statuses.push((await citizen('/api/v1/cases/lookup', { number: unissuedNumber(payload), query_code: '123456' }, ip)).status);
  }
  assert.ok(statuses.slice(0, 30).every((s) => s !== 429));
  assert.equal(statuses.at(-1), 429);
});

test('concurrent appends are all kept, in order', async () => {
  const { number } = await accept();
  const notes = Array.from({ length: 15 }, (_, i) => `并发环节 ${i}`);
  const results = await Promise.all(notes.map((note) => event(number, { type: 'reviewing', note })));
  assert.ok(results.every((r) => r.status === 200));
  const { body } = await staff('GET', `/api/v1/halls/xinxian/cases/${number}`);
  assert.equal(body.events.length, 16);
  assert.deepEqual(new Set(body.events.slice(1).map((e) => e.note)), new Set(notes));
  const times = body.events.map((e) => e.at);
  assert.deepEqual(times, [...times].sort());
});

test('a hall key alone cannot import a case under a number and query code of its choosing', async () => {
  const receipt = { number: unissuedNumber('ZZZZZZZZZZY'), query_code: '000000' };
  const body = { item_code: ITEM, applicant_name: '孙晓梅', delivery: 'window', by: '迁移', receipt };
  const refused = await staff('POST', '/api/v1/halls/xinxian/cases', body);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /迁移/);
  const wrongKey = await staff('POST', '/api/v1/halls/xinxian/cases', body, { headers: { 'X-Migration-Key': 'x'.repeat(36) } });
  assert.equal(wrongKey.status, 403);
  // With the migration key a guessable code is still refused, naming the field.
  const migration = { 'X-Migration-Key': process.env.CASE_MIGRATION_KEY };
  for (const weak of ['000000', '123456', '121212', '654321', '123123']) {
    const res = await staff('POST', '/api/v1/halls/xinxian/cases', { ...body, receipt: { ...receipt, query_code: weak } }, { headers: migration });
    assert.equal(res.status, 400, weak);
    assert.equal(res.body.code, 'weak_query_code');
    assert.equal(res.body.fields[0].field, 'receipt.query_code');
  }
  const imported = await staff('POST', '/api/v1/halls/xinxian/cases', { ...body, receipt: { ...receipt, query_code: '390417' } }, { headers: migration });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.equal(imported.body.number, receipt.number);
  assert.equal(imported.body.query_code, '390417');
});

test('a retried acceptance with the same Idempotency-Key gives the same receipt and one list row', async () => {
  const key = `window3-${Date.now()}`;
  const body = { item_code: ITEM, applicant_name: '重试测试', delivery: 'window', by: '3号窗口 测试' };
  const first = await staff('POST', '/api/v1/halls/xinxian/cases', body, { headers: { 'Idempotency-Key': key } });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const retry = await staff('POST', '/api/v1/halls/xinxian/cases', body, { headers: { 'Idempotency-Key': key } });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.number, first.body.number);
  assert.equal(retry.body.query_code, first.body.query_code, 'the receipt printed after the retry is the one stored');
  const other = await staff('POST', '/api/v1/halls/xinxian/cases', { ...body, applicant_name: '另一人' }, { headers: { 'Idempotency-Key': key } });
  assert.equal(other.status, 409);
  assert.equal(other.body.code, 'idempotency_conflict');
  const bad = await staff('POST', '/api/v1/halls/xinxian/cases', body, { headers: { 'Idempotency-Key': 'a b' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'Idempotency-Key');
  const list = await staff('GET', '/api/v1/halls/xinxian/cases');
  assert.equal(list.body.cases.filter((c) => c.number === first.body.number).length, 1);

  // A retried event is recorded once.
  const eventKey = `${key}-review`;
  const step = { type: 'reviewing', by: '审核岗', note: '重试只记一次' };
  const once = await staff('POST', `/api/v1/halls/xinxian/cases/${first.body.number}/events`, step, { headers: { 'Idempotency-Key': eventKey } });
  assert.equal(once.status, 200, JSON.stringify(once.body));
  const twice = await staff('POST', `/api/v1/halls/xinxian/cases/${first.body.number}/events`, step, { headers: { 'Idempotency-Key': eventKey } });
  assert.equal(twice.status, 200);
  assert.equal(twice.body.events.length, once.body.events.length, 'the retry added no event');
});

test('a hall list write that fails after the case was stored is repaired, and the receipt stands', async () => {
  const body = { item_code: ITEM, applicant_name: '列表修复', delivery: 'window', by: '3号窗口 测试' };
  const key = `repair-${Date.now()}`;
  const accepted = await staff('POST', '/api/v1/halls/xinxian/cases', body, { headers: { 'Idempotency-Key': key, 'X-Fault': 'case-index' } });
  assert.equal(accepted.status, 201, 'the case is accepted although its list row was not written');
  const listed = async () => (await staff('GET', '/api/v1/halls/xinxian/cases')).body.cases
    .filter((c) => c.number === accepted.body.number).length;
  assert.equal(await listed(), 0, 'the injected failure really skipped the row');
  let rows = 0;
  for (let i = 0; i < 40 && rows === 0; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    rows = await listed();
  }
  assert.equal(rows, 1, 'the case object rewrote the row from its alarm');
  const lookup = await citizen('/api/v1/cases/lookup', { number: accepted.body.number, query_code: accepted.body.query_code });
  assert.equal(lookup.status, 200);
});

test('an append whose case object stops before answering is kept once: the retry with its key adds nothing', async () => {
  const { number } = await accept();
  const step = { type: 'reviewing', by: '审核岗', note: '对象中断后重试' };
  const key = `crash-${Date.now()}`;
  const path = `/api/v1/halls/xinxian/cases/${number}/events`;
  const crashed = await staff('POST', path, step, { headers: { 'Idempotency-Key': key, 'X-Fault': 'case-crash-after-store' } });
  assert.equal(crashed.status, 503, 'the window sees a failure and will retry');
  for (let i = 0; i < 2; i += 1) {
    const retried = await staff('POST', path, step, { headers: { 'Idempotency-Key': key } });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
  }
  const stored = await staff('GET', `/api/v1/halls/xinxian/cases/${number}`);
  const kept = stored.body.events.filter((e) => e.note === '对象中断后重试');
  assert.equal(kept.length, 1, 'stored by the interrupted call, not lost and not doubled by the retries');
});
