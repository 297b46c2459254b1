// QR posters (`/staff/posters`): a 4-up sheet for a zone prints on the right number of
// A4 pages with every poster's name, code, short address, hall and zone, the warning and
// its serial; each QR code (≥ 3 cm) decodes, with an independent reader, to
// `{origin}/q/{serial}`, which leads to the right guide saying whose poster it is; scans
// are counted per serial (never scanned, count, last day); a serial never issued is
// refused and listed; retiring a poster is one click and its page says so;
// a zone's door poster leads to the hall's page; editors print only their department.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, signIn, decodeQrSvg, BASE } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
const HALL = 'xinxian';
let browser;
let zone; // the zone of HALL with the most items (at most 16)
let zoneItems;
let hallName;

before(async () => {
  browser = await launch();
  const rows = [];
  let cursor = null;
  do {
    const { body } = await getJson(`/api/v1/catalog?hall=${HALL}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    rows.push(...body.items);
    hallName = body.halls.find((h) => h.id === HALL).name;
    cursor = body.next;
  } while (cursor);
  const byZone = new Map();
  for (const r of rows.filter((r) => r.hall === HALL)) byZone.set(r.zone, [...(byZone.get(r.zone) ?? []), r]);
  [zone, zoneItems] = [...byZone.entries()].filter(([, items]) => items.length <= 16).sort((a, b) => b[1].length - a[1].length)[0];
  assert.ok(zoneItems.length >= 3, `a zone with several items (${zone}: ${zoneItems.length})`);
});
after(() => browser?.close());

/** The serial of poster number `n`, as domain/src/catalog/poster.rs writes it. */
function serialOf(n) {
  const alphabet = '2345679ACDEFGHJKMNPQRSTUVWXYZ';
  const values = [];
  for (let i = 0; i < 4; i += 1) { values.unshift(n % 29); n = Math.floor(n / 29); }
  const sum = values.reduce((s, v, i) => s + v * (5 - i), 0) % 29;
  values.push((29 - sum) % 29);
  return values.map((v) => alphabet[v]).join('');
}

async function pdfPages(page) {
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  return (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

test('a 4-up sheet for a zone prints, decodes to short addresses that land on the right guides', { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}/staff/posters`);
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', ADMIN);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: '二维码海报' }).waitFor();
  await page.locator(`#poster-hall option[value="${HALL}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#poster-hall', HALL);
  await page.fill('#poster-zone', zone);
  await page.selectOption('#poster-layout', '4');
  await page.getByRole('button', { name: '生成海报' }).click();
  const expectedPages = Math.ceil(zoneItems.length / 4);
  await page.locator('#sheet-status').waitFor();
  assert.match(await page.locator('#sheet-status').innerText(), new RegExp(`已生成 ${zoneItems.length} 张海报，共 ${expectedPages} 页`));

  const posters = page.locator('.sheet .poster');
  assert.equal(await posters.count(), zoneItems.length);
  const first = posters.first();
  const serial = await first.getAttribute('data-serial');
  assert.match(serial, /^[2-79A-HJKMNP-Z]{5}$/);
  const text = await first.innerText();
  const item = zoneItems.find((i) => text.includes(i.code));
  assert.ok(item, text);
  assert.ok(text.includes(item.name));
  assert.ok(text.includes(`${BASE}/q/${serial}`), text);
  assert.ok(text.includes(`${hallName} · ${zone}`), text);
  assert.ok(text.includes('政府二维码不会要求付款、不会索要验证码'), text);
  assert.ok(text.includes(`海报编号 ${serial}`), text);

  // Print: A4 pages, 4 posters each, QR codes at least 3 cm across.
  await page.waitForFunction(() => [...document.querySelectorAll('.poster-qr')].every((i) => i.complete && i.naturalWidth > 0));
  await page.emulateMedia({ media: 'print' });
  const qrWidth = await first.locator('.poster-qr').evaluate((img) => img.getBoundingClientRect().width);
  assert.ok(qrWidth >= 113, `QR ${qrWidth}px ≥ 3 cm`);
  assert.equal(await page.locator('.staff-header').isVisible(), false, 'the console is not printed');
  assert.equal(await pdfPages(page), expectedPages);
  await page.emulateMedia({ media: 'screen' });

  // The code decodes to the short address, which lands on the guide saying whose it is.
  const svg = await (await fetch(`${BASE}/qr/q/${serial}.svg`)).text();
  assert.equal(await decodeQrSvg(page, svg), `${BASE}/q/${serial}`);
  const hop = await fetch(`${BASE}/q/${serial.toLowerCase()}`, { redirect: 'manual' });
  assert.equal(hop.status, 302);
  assert.equal(hop.headers.get('location'), `${BASE}/g/${item.code}?q=${serial}`);
  const citizen = await phone(browser);
  const { page: landing } = await openPage(citizen, `/q/${serial}`);
  assert.equal(await landing.locator('h1#guide-title').innerText(), item.name);
  const note = await landing.locator('#poster-note').innerText();
  assert.ok(note.includes(`${hallName}${zone}张贴的“${item.name}”二维码，海报编号 ${serial}`), note);
  assert.ok(note.includes('政府二维码不会要求付款、不会索要验证码'), note);

  // A serial never issued is not ours: refused, and listed when well formed.
  assert.equal((await fetch(`${BASE}/q/ZZZZZ`, { redirect: 'manual' })).status, 404);
  const forged = serialOf(700_000);
  assert.equal((await fetch(`${BASE}/q/${forged}`, { redirect: 'manual' })).status, 404);

  // Retiring is one click; the list then shows the scans (two so far: the redirect and
  // the landing), the posters never scanned, and the forged serial.
  const row = page.locator(`table.posters-table tr[data-serial="${serial}"]`);
  await row.getByRole('button', { name: '撤下' }).click();
  await row.filter({ hasText: '已撤下' }).waitFor();
  assert.match(await row.innerText(), /2 次，最近 \d{4}-\d{2}-\d{2}/);
  const other = page.locator('table.posters-table tr[data-serial]').filter({ hasNotText: serial }).first();
  assert.match(await other.innerText(), /从未扫码/);
  assert.match(await page.locator('.unknown-serials').innerText(), new RegExp(`${forged}：1 次`));
  const { page: again } = await openPage(citizen, `/q/${serial}`);
  assert.match(await again.locator('#poster-note').innerText(), /该海报已撤下/);
  await citizen.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a door poster leads to the hall page; editors print only their own department', { timeout: 60_000 }, async () => {
  const admin = await signIn('admin', ADMIN, '198.18.11.1');
  const door = await admin.call('POST', '/api/v1/staff/posters', { hall: HALL, zone, door: true });
  assert.equal(door.status, 201);
  assert.equal(door.body.posters.length, 1);
  const [poster] = door.body.posters;
  assert.equal(poster.code, undefined);
  const hop = await fetch(`${BASE}/q/${poster.serial}`, { redirect: 'manual' });
  assert.equal(hop.headers.get('location'), `${BASE}/h/${HALL}?q=${poster.serial}`);
  const page = await fetch(`${BASE}/h/${HALL}?q=${poster.serial}`);
  assert.match(await page.text(), new RegExp(`${zone}的事项清单二维码，海报编号 ${poster.serial}`));

  // A village's bulletin board: one code for the hall's list.
  const board = await admin.call('POST', '/api/v1/staff/posters', { hall: 'guangming', door: true });
  assert.equal(board.status, 201);
  const boardPage = await fetch(`${BASE}/q/${board.body.posters[0].serial}`);
  assert.match(await boardPage.text(), /光明社区[^<]*张贴的事项清单二维码/);
  // A life event's items, by their codes.
  const event = (await getJson('/api/v1/halls')).body.life_events.find((e) => e.items.length > 1);
  const eventSheet = await admin.call('POST', '/api/v1/staff/posters', { codes: event.items });
  assert.equal(eventSheet.status, 201);
  const printed = eventSheet.body.posters.map((p) => p.code);
  assert.ok(printed.length > 0 && printed.every((c) => event.items.includes(c)), printed.join());

  const tooMany = await admin.call('POST', '/api/v1/staff/posters', { hall: HALL });
  assert.ok([201, 400].includes(tooMany.status));
  if (tooMany.status === 400) assert.equal(tooMany.body.fields[0].field, 'hall');

  // 交警大队's editor and an item of 市场监管局: nothing of theirs to print.
  const editor = await signIn('jiaojing', EDITOR, '198.18.11.2');
  const other = zoneItems.find((i) => i.department !== '新县公安局交通警察大队');
  const refused = await editor.call('POST', '/api/v1/staff/posters', { codes: [other.code] });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.code, 'no_items');
  const viewer = await signIn('duchaban', EDITOR, '198.18.11.3');
  assert.equal((await viewer.call('POST', '/api/v1/staff/posters', { codes: [other.code] })).status, 403);
});
