// Zhinan service worker: every guide a person has opened opens again without network.
// Pages and the public catalog API are network-first (a newer catalog replaces the
// saved copy as soon as the network is back); the hashed app bundle is cache-first.
// A page served from the cache says so, with the time it was saved.
'use strict';

const PAGES = 'zhinan-pages-v1';
const ASSETS = 'zhinan-assets-v1';
const SAVED_AT = 'x-zhinan-saved-at';
const READ_ALOUD = '/readaloud.js';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function isPage(url) {
  return url.pathname === '/' || url.pathname === '/s' || /^\/(g|e|h)\/[^/]+(\/print)?\/?$/.test(url.pathname);
}

function isPublicApi(url) {
  return url.pathname === '/api/v1/catalog' || url.pathname === '/api/v1/halls' ||
    url.pathname === '/api/v1/search-index' ||
    url.pathname.startsWith('/api/v1/items/');
}

/** A copy of `response` stamped with the time it was saved. */
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

async function save(cacheName, request, response) {
  if (response.status !== 200) return;
  const cache = await caches.open(cacheName);
  await cache.put(request, await stamped(response));
}

function savedLabel(iso) {
  try {
    return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  } catch (_) {
    return iso;
  }
}

/** The saved page, with a line saying it is the saved copy, from when, and why. */
async function fromCache(cached, serverDown = false) {
  const html = await cached.text();
  const when = savedLabel(cached.headers.get(SAVED_AT) || '');
  const why = serverDown
    ? `服务器暂时无法访问，显示的是 ${when} 保存的版本；请稍后刷新查看最新版本。`
    : `当前没有网络，显示的是 ${when} 保存的版本；联网后打开即更新为最新版本。`;
  const banner = `<p class="offline-banner" role="status" id="offline-banner">${why}</p>`;
  const headers = new Headers(cached.headers);
  headers.set('x-zhinan-from-cache', '1');
  return new Response(html.replace('<body>', '<body>' + banner), { status: 200, headers });
}

const OFFLINE_PAGE = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>当前没有网络 · 办事指南</title></head><body style="font:18px/1.6 sans-serif;padding:1rem;color:#1a1a1a"><h1>当前没有网络</h1><p>这个页面还没有在本机保存过。打开过的办事指南在没有网络时也能查看；请联网后再打开本页。</p><p><a href="/">返回首页</a></p></body></html>';

/**
 * The kept copy of a page. A copy being rewritten at that moment (a guide kept again
 * while the network fails) is briefly absent from the cache: look once more before
 * saying there is none.
 */
async function kept(request) {
  const options = { cacheName: PAGES, ignoreVary: true };
  const cached = await caches.match(request, options);
  if (cached) return cached;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return caches.match(request, options);
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.status === 200) await save(PAGES, request, response.clone());
    // The server failing (its store unreachable) is no reason to lose a guide kept here.
    if (response.status >= 500) {
      const cached = await kept(request);
      if (cached) return fromCache(cached, true);
    }
    return response;
  } catch (err) {
    const cached = await kept(request);
    if (cached) return fromCache(cached);
    if (request.mode === 'navigate') return offline();
    throw err;
  }
}

async function api(request) {
  try {
    const response = await fetch(request);
    if (response.status === 200) await save(PAGES, request, response.clone());
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

function offline() {
  return new Response(OFFLINE_PAGE, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

/** The read-aloud script: the network first (it is not hashed), the kept copy offline. */
async function script(request) {
  try {
    const response = await fetch(request);
    if (response.status === 200) {
      const cache = await caches.open(ASSETS);
      await cache.put(READ_ALOUD, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(READ_ALOUD, { cacheName: ASSETS });
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: ASSETS });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.status === 200) {
    const cache = await caches.open(ASSETS);
    await cache.put(request, response.clone());
  }
  return response;
}

/** Saves a page and the app bundle it loads (first visit, before this worker controlled it). */
async function remember(path) {
  const url = new URL(path, self.location.origin);
  if (!isPage(url)) return;
  const response = await fetch(url, { credentials: 'same-origin' });
  if (response.status !== 200) return;
  const html = await response.clone().text();
  await save(PAGES, new Request(url), response);
  const bundle = [...html.matchAll(/\/pkg\/[A-Za-z0-9._-]+/g)].map((m) => m[0]);
  // The read-aloud script is not hashed: kept beside the bundle, refreshed by `script`.
  if (html.includes(READ_ALOUD)) bundle.push(READ_ALOUD);
  const assets = await caches.open(ASSETS);
  for (const file of new Set(bundle)) {
    if (!(await assets.match(file))) {
      const res = await fetch(file);
      if (res.status === 200) await assets.put(file, res);
    }
  }
}

self.addEventListener('message', (event) => {
  const path = event.data && event.data.cache;
  if (typeof path === 'string' && path.startsWith('/')) {
    event.waitUntil(remember(path).catch(() => {}));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/pkg/')) {
    event.respondWith(asset(request));
  } else if (url.pathname === READ_ALOUD) {
    event.respondWith(script(request));
  } else if (isPage(url)) {
    event.respondWith(page(request));
  } else if (request.mode === 'navigate' && !url.pathname.startsWith('/staff')) {
    // Any other citizen page (the progress lookup): the network, and without one the
    // offline page — never kept, only guides and lists are. The console is left alone.
    event.respondWith(fetch(request).catch(() => offline()));
  } else if (isPublicApi(url)) {
    event.respondWith(api(request));
  }
});
