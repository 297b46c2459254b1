// `/qr/{code}.svg`: the poster QR code decodes, with an independent reader (jsQR), to the
// item's official guide URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, catalog, decodeQrSvg } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(() => browser?.close());

test('the QR code of an item decodes to its guide URL', async () => {
  const { items } = await catalog();
  const page = await browser.newPage();
  await page.goto(`${BASE}/api/v1/ping`);
  for (const item of items.slice(0, 3)) {
    const res = await fetch(`${BASE}/qr/${item.code}.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /image\/svg\+xml/);
    assert.equal(await decodeQrSvg(page, await res.text()), `${BASE}/g/${item.code}`);
  }
  await page.close();
});

test('no QR code for an unknown or malformed code', async () => {
  assert.equal((await fetch(`${BASE}/qr/NO-SUCH-CODE.svg`)).status, 404);
  assert.equal((await fetch(`${BASE}/qr/bad%20code.svg`)).status, 400);
});
