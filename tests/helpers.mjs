// Shared setup of the end-to-end suite: one headless Debian Chromium, a phone-sized
// context per test, and small API helpers. BASE_URL comes from scripts/e2e.sh.
import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8787';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A phone: small screen, touch, Chinese locale. */
export async function phone(browser, { javaScriptEnabled = true, serviceWorkers = 'allow' } = {}) {
  return browser.newContext({
    serviceWorkers,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    javaScriptEnabled,
  });
}

/** Opens a page and records console errors and uncaught exceptions. */
export async function openPage(context, path) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  return { page, response, errors };
}

/**
 * A GET of JSON. Local workerd has, rarely, left one of several concurrent reads
 * unanswered until the client went away (a 180 s stall seen once in CI, after a client
 * had aborted a page mid-response): a read gets 30 s, then one more try, said on stderr.
 * Only reads without a body are retried.
 */
export async function getJson(path, init) {
  const once = () => fetch(BASE + path, { ...init, signal: AbortSignal.timeout(30_000) });
  let response;
  try {
    response = await once();
  } catch (error) {
    if (error.name !== 'TimeoutError' || (init?.method && init.method !== 'GET')) throw error;
    console.error(`getJson: no answer to ${path} in 30 s; trying once more`);
    response = await once();
  }
  const body = response.status === 304 ? null : await response.json();
  return { response, body };
}

/** The catalog as the API serves it. */
export async function catalog() {
  return (await getJson('/api/v1/catalog')).body;
}

/** A few items spread over the halls: the first of each hall. */
export async function sampleItems(count = 4) {
  const { items, halls } = await catalog();
  const picked = [];
  for (const hall of halls) {
    const item = items.find((i) => i.hall === hall.id);
    if (item) picked.push(item);
  }
  for (const item of items) {
    if (picked.length >= count) break;
    if (!picked.includes(item)) picked.push(item);
  }
  return picked;
}

/** Waits until the app has replaced the server markup (it marks the root when live). */
export async function waitForApp(page) {
  await page.waitForFunction(() => document.documentElement.dataset.app === 'live', null, { timeout: 15000 });
}

/**
 * Decodes QR code SVG markup with jsQR (an independent reader from npm), rasterized at
 * 480×480 on white in a blank page beside `page`. Returns the text or null.
 */
export async function decodeQrSvg(page, svgMarkup) {
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const jsqr = await readFile(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');
  // A blank page of the same browser: the page under test forbids inline scripts (CSP).
  const context = await page.context().browser().newContext();
  try {
    const reader = await context.newPage();
    await reader.addScriptTag({ content: jsqr });
    return await decodeIn(reader, svgMarkup);
  } finally {
    await context.close();
  }
}

function decodeIn(page, svgMarkup) {
  return page.evaluate(async (markup) => {
    // Inline SVG taken from a page's DOM has no namespace; an image needs one.
    const svg = markup.includes('xmlns=') ? markup : markup.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
    const img = new Image();
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 480; canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 480, 480);
    ctx.drawImage(img, 0, 0, 480, 480);
    return window.jsQR(ctx.getImageData(0, 0, 480, 480).data, 480, 480)?.data ?? null;
  }, svgMarkup);
}

/** The limit as the guide writes it: "即办", "20个工作日", "60日". */
export function limitLabel(limit) {
  if (limit.value === 0) return '即办';
  return limit.unit === 'working_days' ? `${limit.value}个工作日` : `${limit.value}日`;
}

let signInSeq = 0;

/** A signed-in staff client: cookie jar of one, CSRF token echoed on writes. */
export async function signIn(username, password, ip = `203.0.113.${++signInSeq}`) {
  const res = await fetch(`${BASE}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  if (res.status !== 200) return { status: res.status, body };
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie.split(';')[0];
  const call = async (method, path, payload, headers = {}) => {
    const r = await fetch(BASE + path, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': body.csrf_token, ...headers },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  /** Sends a file as the body (an import) or fetches one (an export). */
  const file = async (method, path, payload, contentType) => {
    const headers = { Cookie: cookie, 'X-CSRF-Token': body.csrf_token };
    if (contentType) headers['Content-Type'] = contentType;
    const r = await fetch(BASE + path, { method, headers, body: payload });
    const bytes = Buffer.from(await r.arrayBuffer());
    let parsed = null;
    try { parsed = JSON.parse(bytes.toString('utf8')); } catch { /* a file */ }
    return { status: r.status, headers: r.headers, bytes, body: parsed };
  };
  return { status: 200, body, setCookie, cookie, call, file };
}

/**
 * The publish a `POST /api/v1/staff/publish` answer started, once done: 200 when it
 * finished within the request, 202 while it goes on in the office's alarm (polled here).
 */
export async function publishedJob(admin, answer) {
  if (![200, 202].includes(answer.status)) throw new Error(`publish: ${answer.status} ${JSON.stringify(answer.body)}`);
  let job = answer.body;
  for (let i = 0; job.state !== 'done' && job.state !== 'failed' && i < 120; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await admin.call('GET', '/api/v1/staff/publish')).body;
  }
  return job;
}
