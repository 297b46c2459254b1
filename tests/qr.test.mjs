// `/qr/{code}.svg`: the poster QR code decodes, with an independent reader (jsQR), to the
// item's official guide URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { launch, BASE, catalog } from './helpers.mjs';

const require = createRequire(import.meta.url);
let browser;
before(async () => { browser = await launch(); });
after(() => browser?.close());

/** Rasterizes the SVG in the browser and decodes it with jsQR. */
async function decodeSvg(page, svgUrl) {
  const jsqr = await readFile(require.resolve('jsqr/dist/jsQR.js'), 'utf8');
  await page.goto(`${BASE}/api/v1/ping`);
  await page.addScriptTag({ content: jsqr });
  return page.evaluate(async (url) => {
    const svg = await (await fetch(url)).text();
    const img = new Image();
    img.src = 'data:image/svg+xml;base64,' + btoa(svg);
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 480; canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 480, 480);
    ctx.drawImage(img, 0, 0, 480, 480);
    const pixels = ctx.getImageData(0, 0, 480, 480);
    return window.jsQR(pixels.data, 480, 480)?.data ?? null;
  }, svgUrl);
}

test('the QR code of an item decodes to its guide URL', async () => {
  const { items } = await catalog();
  const page = await browser.newPage();
  for (const item of items.slice(0, 3)) {
    const res = await fetch(`${BASE}/qr/${item.code}.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /image\/svg\+xml/);
    assert.equal(await decodeSvg(page, `${BASE}/qr/${item.code}.svg`), `${BASE}/g/${item.code}`);
  }
  await page.close();
});

test('no QR code for an unknown or malformed code', async () => {
  assert.equal((await fetch(`${BASE}/qr/NO-SUCH-CODE.svg`)).status, 404);
  assert.equal((await fetch(`${BASE}/qr/bad%20code.svg`)).status, 400);
});
