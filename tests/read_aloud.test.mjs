// 朗读 on a guide: with a Chinese voice the button reads the guide in the order a person
// needs it (what, how long, visits, materials each with its condition, where, when,
// phones digit by digit) with pause and stop, slower in 大字模式; without one, or on a page that is not a
// guide, there is no button. Headless Chromium has no voices of its own, so the page's
// speech synthesis is replaced by a recorder that offers the voices given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, openPage, getJson, sampleItems, waitForApp, limitLabel, BASE } from './helpers.mjs';

let browser;
let item;
before(async () => {
  browser = await launch();
  // An item with a material that has a condition, so the condition is read.
  for (const entry of await sampleItems(8)) {
    const full = (await getJson(`/api/v1/items/${entry.code}`)).body;
    if (full.materials.some((m) => m.needed_when || m.optional_when)) { item = full; break; }
  }
  item ??= (await getJson(`/api/v1/items/${(await sampleItems(1))[0].code}`)).body;
});
after(() => browser?.close());

/** Speech synthesis that records what it is asked to say, offering `voices`. */
function recorder(voices) {
  window.__spoken = [];
  window.__calls = [];
  const synth = new EventTarget();
  synth.getVoices = () => voices;
  synth.speak = (u) => { window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name, rate: u.rate }); };
  synth.pause = () => window.__calls.push('pause');
  synth.resume = () => window.__calls.push('resume');
  synth.cancel = () => window.__calls.push('cancel');
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
}

test('a guide reads aloud in order, with pause and stop', { timeout: 120_000 }, async () => {
  const context = await phone(browser);
  await context.addInitScript(recorder, [{ name: '普通话', lang: 'zh-CN' }, { name: 'English', lang: 'en-US' }]);
  const { page, errors } = await openPage(context, `/g/${item.code}`);
  await waitForApp(page);
  const start = page.getByRole('button', { name: '朗读' });
  await start.waitFor();
  await start.click();
  const spoken = await page.evaluate(() => window.__spoken);
  const texts = spoken.map((s) => s.text);
  assert.ok(spoken.every((s) => s.lang === 'zh-CN' && s.voice === '普通话'), 'the Chinese voice');
  assert.equal(texts[0], `${item.name}。`);
  const at = (re) => texts.findIndex((t) => re.test(t));
  const limit = at(/^承诺时限：/);
  const visits = at(/^到现场次数：/);
  const count = at(/^需要带的材料，共 \d+ 项。$/);
  const where = at(/^到哪里办：/);
  const hours = at(/^办公时间：/);
  assert.ok(texts[limit].includes(limitLabel(item.promised_limit)), texts[limit]);
  assert.ok(limit > 0 && limit < visits && visits < count && count < where && where < hours, texts.join('\n'));
  // Every material, in order, each with its condition.
  const materials = texts.slice(count + 1, where);
  assert.equal(materials.length, Number(texts[count].match(/共 (\d+) 项/)[1]));
  for (const m of item.materials) {
    const said = materials.find((t) => t.includes(`，${m.name}，`));
    assert.ok(said, `material ${m.name}`);
    if (m.needed_when) assert.ok(said.includes(m.needed_when), said);
    if (m.optional_when) assert.ok(said.includes(m.optional_when), said);
  }
  assert.ok(texts[where].includes(item.place.address), texts[where]);
  // Phones digit by digit, after the hours.
  const phone0 = item.consult_phone.match(/\d{3,}/)[0];
  const phoneLine = at(/^咨询电话/);
  assert.ok(phoneLine > hours, texts.join('\n'));
  assert.ok(texts[phoneLine].includes(phone0.split('').join(' ')), texts[phoneLine]);

  // Pause, resume, stop.
  const pause = page.locator('#read-aloud-pause');
  await pause.click();
  assert.equal(await pause.innerText(), '继续');
  assert.equal(await pause.getAttribute('aria-pressed'), 'true');
  await pause.click();
  assert.equal(await pause.innerText(), '暂停');
  await page.getByRole('button', { name: '停止' }).click();
  assert.deepEqual((await page.evaluate(() => window.__calls)).slice(-3), ['pause', 'resume', 'cancel']);
  assert.ok(await start.isVisible());
  // 大字模式 reads slower too.
  await page.getByRole('button', { name: '大字模式' }).first().click();
  await start.click();
  const again = await page.evaluate(() => window.__spoken);
  assert.ok(again.at(-1).rate < spoken[0].rate, `${again.at(-1).rate} < ${spoken[0].rate}`);
  assert.deepEqual(errors, []);

  // Not a guide: no button (the app navigates in place).
  await page.goto(`${BASE}/s`);
  await waitForApp(page);
  assert.equal(await page.locator('#read-aloud').isVisible(), false);
  await context.close();
});

test('a saved guide reads aloud offline', { timeout: 120_000 }, async () => {
  const context = await phone(browser);
  await context.addInitScript(recorder, [{ name: '普通话', lang: 'zh-CN' }]);
  const { page } = await openPage(context, `/g/${item.code}`);
  await waitForApp(page);
  // The service worker keeps the guide and, beside the bundle, the read-aloud script.
  await page.waitForFunction(async (path) => {
    const pages = await caches.open('zhinan-pages-v1');
    const assets = await caches.open('zhinan-assets-v1');
    return Boolean(await pages.match(new URL(path, location.origin).href)) && Boolean(await assets.match('/readaloud.js'));
  }, `/g/${item.code}`, { timeout: 15000 });
  // The reload must go through the worker: until it controls the page, a navigation
  // without network is Chromium's own error page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await context.setOffline(true);
  await page.reload();
  await page.locator('#offline-banner').waitFor();
  await page.getByRole('button', { name: '朗读' }).click();
  const texts = (await page.evaluate(() => window.__spoken)).map((s) => s.text);
  assert.equal(texts[0], `${item.name}。`);
  assert.ok(texts.length > 5, texts.join('\n'));
  await context.close();
});

test('without a Chinese voice, or without JavaScript, there is no button', { timeout: 60_000 }, async () => {
  const english = await phone(browser);
  await english.addInitScript(recorder, [{ name: 'English', lang: 'en-US' }]);
  const { page } = await openPage(english, `/g/${item.code}`);
  await waitForApp(page);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#read-aloud').isVisible(), false);
  await english.close();

  const none = await phone(browser, { javaScriptEnabled: false });
  const { page: plain } = await openPage(none, `/g/${item.code}`);
  assert.equal(await plain.locator('#read-aloud').isVisible(), false, 'hidden without JavaScript');
  await none.close();
});
