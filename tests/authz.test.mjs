// Who may call what. One table: every staff route of edge/src/editorial/router.rs and
// every hall route (`/api/v1/halls/{hall}/cases…`), each tried by every kind of caller,
// with the exact status each must get — a new route is one line. Then the routes the
// worker serves against `/api/v1/openapi.json`, both ways: every route in the source is
// documented, and every documented path and method is really routed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { BASE, getJson, signIn } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
const KEYS = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
// Department A is 市场监管局 (editor shichang), department B 交警大队 (editor jiaojing).
// 特种设备使用登记 (xinxian hall, department A): no other test file edits it.
const CODE = '11411523MB1D00001A-000201007';
const DEPT_A = '新县市场监督管理局';
const DEPT_B = '新县公安局交通警察大队';
const S = '/api/v1/staff';

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;
// Every request from its own client address: the sign-in limits count per client.
let ipSeq = 0;
const nextIp = () => `198.18.${40 + (Math.floor(++ipSeq / 250) % 20)}.${(ipSeq % 250) + 1}`;

let published; // item CODE as citizens see it
let caseNumber; // a case of hall xinxian, made for this file
let target; // a throwaway viewer account the admin changes
const sessions = {};

before(async () => {
  published = (await getJson(`/api/v1/items/${CODE}`)).body;
  assert.equal(published.department, DEPT_A);
  for (const [who, username, password] of [
    ['editorA', 'shichang', EDITOR], ['editorB', 'jiaojing', EDITOR],
    ['viewer', 'duchaban', EDITOR], ['admin', 'admin', ADMIN],
  ]) {
    sessions[who] = await signIn(username, password, nextIp());
    assert.equal(sessions[who].status, 200, `sign in ${username}`);
  }
  await sessions.admin.call('DELETE', `${S}/items/${CODE}/draft`);
  target = `authz-${uniq()}`;
  const made = await sessions.admin.call('POST', `${S}/users`,
    { username: target, display_name: '授权矩阵测试（可停用）', password: 'authz-target-pw', role: 'viewer' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const accepted = await fetch(`${BASE}/api/v1/halls/xinxian/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.xinxian}` },
    body: JSON.stringify({ item_code: CODE, applicant_name: '授权测试', delivery: 'window', by: '授权矩阵' }),
  });
  assert.equal(accepted.status, 201);
  caseNumber = (await accepted.json()).number;
});

/** How each kind of caller presents itself: cookie, CSRF token, hall key. */
function credentials(who) {
  const admin = sessions.admin;
  const [id, signature] = admin.cookie.split('=')[1].split('.');
  const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
  switch (who) {
    case 'anonymous': return {};
    case 'garbage': return { cookie: 'zhinan_staff=garbage', csrf: 'garbage' };
    // The admin's own session id and CSRF token, with a signature that is not the server's.
    case 'forged': return { cookie: `zhinan_staff=${id}.${flipped}`, csrf: admin.body.csrf_token };
    case 'hallKey': return { auth: `Bearer ${KEYS.xinxian}` };
    case 'noKey': return {};
    case 'wrongKey': return { auth: 'Bearer not-a-hall-key' };
    case 'staffCookie': return { cookie: admin.cookie, csrf: admin.body.csrf_token };
    case 'xinxian': case 'shangji': case 'guangming': return { auth: `Bearer ${KEYS[who]}` };
    default: {
      const s = sessions[who];
      return { cookie: s.cookie, csrf: s.body.csrf_token };
    }
  }
}

// The callers of staff routes and of hall routes, in table column order.
const STAFF = ['anonymous', 'garbage', 'forged', 'hallKey', 'editorA', 'editorB', 'viewer', 'admin'];
const HALL = ['noKey', 'wrongKey', 'staffCookie', 'xinxian', 'shangji', 'guangming'];

/** A staff route: whoever is not signed in gets 401; then editor A, editor B, viewer, admin. */
const staff = (method, path, body, [editorA, editorB, viewer, admin], options = {}) => ({
  method, path: S + path, body, options, callers: STAFF,
  expect: { anonymous: 401, garbage: 401, forged: 401, hallKey: 401, editorA, editorB, viewer, admin },
});
/** A route whose answer does not depend on who asks. */
const anyone = (method, path, body, status, options = {}) => ({
  method, path: S + path, body, options, callers: STAFF, expect: Object.fromEntries(STAFF.map((w) => [w, status])),
});
/** A hall route on hall `{hall}` (xinxian unless options.params says): no key, a wrong key, a staff cookie, then each hall's key. */
const hall = (method, path, body, [xinxian, shangji, guangming], options = {}) => ({
  method, path, body, options, callers: HALL,
  expect: { noKey: 401, wrongKey: 401, staffCookie: 401, xinxian, shangji, guangming },
});

const draftBody = () => ({ item: published, base_rev: null });
const harmlessPublish = { codes: ['11411523MB1D00001A-000201999'], acknowledge_warnings: false };
const newViewer = () => ({ username: `authz-${uniq()}`, display_name: '授权矩阵测试（可停用）', password: 'authz-new-password', role: 'viewer' });
const wrongLogin = () => ({ username: `nobody-${uniq()}`, password: 'not-the-password' });
const onlyDepartment = (department) => (rows) => rows.every((i) => i.department === department);

// staff(method, path, body, [editor A, editor B, viewer, admin], options) and
// hall(method, path, body, [xinxian's key, shangji's key, guangming's key], options); the path
// is the openapi.json template ({code} {username} {year} {hall} {number} {serial}). Options: query;
// params (path values other than the defaults of `fill`); draft (a draft of CODE exists
// while the row is tried); csrf ('none', or 'foreign': another session's token); fresh (a
// new session per caller); contentType and raw (a body sent as is); check(who, res, creds)
// for what the answer must hold beyond its status; undocumented (not an openapi operation).
const ROWS = [
  staff('GET', '/me', undefined, [200, 200, 200, 200]),
  staff('POST', '/logout', undefined, [204, 204, 204, 204], { fresh: true, check: loggedOut }),
  staff('GET', '/items', undefined, [200, 200, 200, 200],
    { query: `?department=${encodeURIComponent(DEPT_A)}`, check: (who, res) => who !== 'editorB' || onlyDepartment(DEPT_B)(res.body.rows) }),
  staff('GET', '/items/{code}', undefined, [200, 403, 200, 200]),
  staff('PUT', '/items/{code}/draft', draftBody, [200, 403, 403, 200]),
  staff('DELETE', '/items/{code}/draft', undefined, [204, 403, 403, 204], { draft: true }),
  staff('GET', '/items/{code}/diff', undefined, [200, 403, 200, 200], { query: '?to=draft', draft: true }),
  staff('GET', '/items/{code}/diff', undefined, [200, 403, 200, 200], { query: '?from=1&to=1' }),
  staff('POST', '/import', () => [published], [200, 200, 403, 200],
    { query: '?dry_run=true', check: (who, res) => res.status !== 200 || res.body.rows[0].status === (who === 'editorB' ? 'unreadable' : 'unchanged') }),
  staff('GET', '/export', undefined, [200, 200, 200, 200],
    { query: '?format=json', check: (who, res) => who !== 'editorB' || onlyDepartment(DEPT_B)(res.body) }),
  staff('GET', '/quality', undefined, [200, 200, 200, 200]),
  staff('GET', '/metrics', undefined, [200, 200, 200, 200]),
  staff('GET', '/posters', undefined, [200, 200, 200, 200]),
  staff('POST', '/posters', {}, [400, 400, 403, 400]),
  staff('POST', '/posters/{serial}/retire', {}, [404, 404, 403, 404], { params: { serial: 'ZZZZZ' } }),
  staff('POST', '/publish', harmlessPublish, [403, 403, 403, 409]),
  staff('GET', '/publish', undefined, [200, 200, 200, 200]),
  staff('GET', '/versions', undefined, [200, 200, 200, 200]),
  staff('POST', '/rollback', { version: 999999 }, [403, 403, 403, 400]),
  staff('GET', '/audit', undefined, [403, 403, 200, 200]),
  staff('GET', '/users', undefined, [403, 403, 403, 200]),
  staff('POST', '/users', newViewer, [403, 403, 403, 201]),
  staff('PATCH', '/users/{username}', { disabled: false }, [403, 403, 403, 200]),
  staff('POST', '/me/password', { current: 'authz-same-password', new: 'authz-same-password' }, [400, 400, 400, 400]),
  staff('GET', '/holidays', undefined, [200, 200, 200, 200]),
  staff('PUT', '/holidays/{year}', {}, [403, 403, 403, 400]),
  staff('DELETE', '/holidays/{year}', undefined, [403, 403, 403, 404]),
  staff('POST', '/holidays', {}, [404, 404, 404, 404], { undocumented: true }),
  staff('GET', '/search-words', undefined, [200, 200, 200, 200]),
  staff('PUT', '/search-words', { words: [{ word: '', terms: [] }] }, [403, 403, 403, 400]),
  // The window desk: admins everywhere, read-only accounts read; editors neither (a
  // clerk's own hall and no other is tried in desk.test.mjs).
  staff('GET', '/desk/{hall}/cases', undefined, [403, 403, 200, 200]),
  staff('GET', '/desk/{hall}/cases', undefined, [403, 403, 200, 200], { query: '?format=csv&all=1' }),
  staff('POST', '/desk/{hall}/cases', { item_code: CODE, applicant_name: '授权测试', delivery: 'window' }, [403, 403, 403, 201]),
  staff('POST', '/desk/{hall}/cases/{number}/events', { type: 'reviewing' }, [403, 403, 403, 200]),
  staff('POST', '/desk/{hall}/cases/{number}/follow-ups', { outcome: '电话未接通', done: false }, [403, 403, 403, 409]),
  staff('GET', '/desk/receipts/{number}', undefined, [403, 403, 403, 200]),
  // Village 代办: agents at their village and clerks at the receiving hall are tried in
  // proxy.test.mjs; here the case number has no 代办 request behind it.
  staff('GET', '/desk/{hall}/proxy', undefined, [403, 403, 200, 200]),
  staff('POST', '/desk/{hall}/proxy', { item_code: '11411523005967013W-000501003', applicant_name: '授权测试', mandate_signed: true }, [403, 403, 403, 201],
    { params: { hall: 'guangming' } }),
  staff('POST', '/desk/{hall}/proxy/{number}/steps', { type: 'mandate_signed' }, [403, 403, 403, 404], { params: { hall: 'guangming' } }),
  staff('POST', '/desk/{hall}/proxy/{number}/accept', {}, [403, 403, 403, 404]),
  staff('GET', '/desk/proxy-slips/{number}', undefined, [403, 403, 403, 404]),
  staff('GET', '/no-such-route', undefined, [404, 404, 404, 404], { undocumented: true }),
  // Writes without the session's CSRF token, or with another session's.
  staff('PUT', '/items/{code}/draft', draftBody, [403, 403, 403, 403], { csrf: 'none', check: noDraft }),
  staff('DELETE', '/items/{code}/draft', undefined, [403, 403, 403, 403], { csrf: 'none', draft: true, check: draftKept }),
  staff('POST', '/publish', harmlessPublish, [403, 403, 403, 403], { csrf: 'foreign' }),
  staff('POST', '/users', newViewer, [403, 403, 403, 403], { csrf: 'foreign' }),
  // Signing in needs no session; only JSON is read.
  anyone('POST', '/login', wrongLogin, 401),
  anyone('POST', '/login', () => ({ username: 'duchaban', password: EDITOR }), 200),
  anyone('POST', '/login', JSON.stringify({ username: 'duchaban', password: EDITOR }), 400,
    { contentType: 'text/plain', raw: true, check: (who, res) => res.body.code === 'bad_content_type' }),
  hall('GET', '/api/v1/halls/{hall}/cases', undefined, [200, 403, 403]),
  hall('POST', '/api/v1/halls/{hall}/cases', { item_code: CODE, applicant_name: '授权测试', delivery: 'window', by: '授权矩阵' }, [201, 403, 403]),
  hall('GET', '/api/v1/halls/{hall}/cases/{number}', undefined, [200, 403, 403]),
  hall('POST', '/api/v1/halls/{hall}/cases/{number}/events', { type: 'reviewing', by: '授权矩阵' }, [200, 403, 403]),
  // xinxian's case asked for through another hall's path: that hall's own key finds nothing.
  hall('GET', '/api/v1/halls/{hall}/cases/{number}', undefined, [403, 404, 403], { params: { hall: 'shangji' } }),
  hall('POST', '/api/v1/halls/{hall}/cases/{number}/events', { type: 'reviewing', by: '授权矩阵' }, [403, 404, 403], { params: { hall: 'shangji' } }),
  // The matrix's case has no 差评: its own hall is told there is nothing to follow up.
  hall('POST', '/api/v1/halls/{hall}/cases/{number}/follow-ups', { by: '授权矩阵', outcome: '电话未接通', done: false }, [409, 403, 403]),
  hall('POST', '/api/v1/halls/{hall}/cases/{number}/follow-ups', { by: '授权矩阵', outcome: '电话未接通', done: false }, [403, 404, 403], { params: { hall: 'shangji' } }),
  hall('GET', '/api/v1/halls/{hall}/cases', undefined, [403, 403, 403], { params: { hall: 'no-such-hall' } }),
];

async function loggedOut(who, res, creds) {
  if (!['editorA', 'editorB', 'viewer', 'admin'].includes(who)) return true;
  const me = await fetch(`${BASE}${S}/me`, { headers: { Cookie: creds.cookie } });
  return me.status === 401;
}
async function noDraft() {
  return (await sessions.admin.call('GET', `${S}/items/${CODE}`)).body.draft === null;
}
async function draftKept() {
  return (await sessions.admin.call('GET', `${S}/items/${CODE}`)).body.draft !== null;
}

function fill(template, params = {}) {
  const values = { code: CODE, username: target, year: '2098', hall: 'xinxian', number: caseNumber, ...params };
  return template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]));
}

async function send(who, row, creds) {
  const { method, body, options } = row;
  const headers = { 'CF-Connecting-IP': nextIp() };
  if (creds.cookie) headers.Cookie = creds.cookie;
  if (creds.auth) headers.Authorization = creds.auth;
  if (creds.csrf && method !== 'GET') {
    if (options.csrf === 'foreign') headers['X-CSRF-Token'] = (who === 'viewer' ? sessions.admin : sessions.viewer).body.csrf_token;
    else if (options.csrf !== 'none') headers['X-CSRF-Token'] = creds.csrf;
  }
  const value = typeof body === 'function' ? body() : body;
  if (value !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const res = await fetch(BASE + fill(row.path, options.params) + (options.query ?? ''), {
    method, headers, body: value === undefined ? undefined : options.raw ? value : JSON.stringify(value),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* empty or not JSON */ }
  return { status: res.status, body: json, text };
}

async function ensureDraft() {
  const saved = await sessions.admin.call('PUT', `${S}/items/${CODE}/draft`, draftBody());
  assert.ok(saved.status === 200 || saved.body?.code === 'draft_conflict', `draft for the row: ${saved.status}`);
}

test('authorization matrix: every staff and hall route, by every kind of caller', async () => {
  const failures = [];
  for (const row of ROWS) {
    for (const who of row.callers) {
      const label = `${row.method} ${row.path}${row.options.query ?? ''}${row.options.params ? ` ${JSON.stringify(row.options.params)}` : ''}`
        + `${row.options.csrf ? ` (CSRF token: ${row.options.csrf})` : ''} as ${who}`;
      if (row.options.draft) await ensureDraft();
      let creds = credentials(who);
      if (row.options.fresh && sessions[who]) {
        const fresh = await signIn(sessions[who].body.user.username, who === 'admin' ? ADMIN : EDITOR, nextIp());
        creds = { cookie: fresh.cookie, csrf: fresh.body.csrf_token };
      }
      try {
        const res = await send(who, row, creds);
        const expected = row.expect[who];
        if (res.status !== expected) {
          failures.push(`${label}: expected ${expected}, got ${res.status} ${res.text.slice(0, 160)}`);
        } else if (expected >= 400 && res.body?.code === undefined) {
          failures.push(`${label}: ${expected} without a JSON error body: ${res.text.slice(0, 160)}`);
        } else if (row.options.check && !(await Promise.resolve().then(() => row.options.check(who, res, creds)).catch(() => false))) {
          failures.push(`${label}: ${expected} as expected, but the answer fails its check: ${res.text.slice(0, 160)}`);
        }
      } finally {
        if (row.path.includes('{code}')) await sessions.admin.call('DELETE', `${S}/items/${CODE}/draft`);
      }
    }
  }
  assert.deepEqual(failures, [], `\n${failures.join('\n')}`);
});

test('every status the matrix expects is one openapi.json documents for that operation', async () => {
  const { body: doc } = await getJson('/api/v1/openapi.json');
  const missing = [];
  for (const row of ROWS.filter((r) => !r.options.undocumented)) {
    const op = doc.paths[row.path]?.[row.method.toLowerCase()];
    if (!op) { missing.push(`${row.method} ${row.path}: not in openapi.json`); continue; }
    for (const status of new Set(Object.values(row.expect))) {
      if (!(String(status) in op.responses)) missing.push(`${row.method} ${row.path}: ${status} not documented`);
    }
  }
  assert.deepEqual(missing, [], `\n${missing.join('\n')}`);
});

/** `(method, path template)` of every `/api/v1` route the worker's source matches. */
async function sourceRoutes() {
  const routes = [];
  const segmentsOf = (list) => list.split(',').map((s) => s.trim()).filter(Boolean)
    .map((s) => (s.startsWith('"') ? s.slice(1, -1) : `{${s}}`));
  // The staff router: `(Method::Get, ["items", code])`; `(method, [...])` is any method.
  const router = await readFile(new URL('../edge/src/editorial/router.rs', import.meta.url), 'utf8');
  for (const m of router.matchAll(/\((Method::(\w+)|method), \[([^\]]*)\]\)/g)) {
    routes.push({ method: m[2]?.toUpperCase() ?? 'ANY', path: `${S}/${segmentsOf(m[3]).join('/')}` });
  }
  // `(method, ["holidays"])` hands every method to calendar.rs, which matches
  // `(Method::Get, None)` (no year) and `(Method::Put, Some(raw))` (a year).
  const calendar = await readFile(new URL('../edge/src/editorial/calendar.rs', import.meta.url), 'utf8');
  const byYear = [...calendar.matchAll(/\(Method::(\w+), (None|Some\(\w+\))\) =>/g)];
  assert.ok(byYear.length >= 3, 'the holiday methods read from calendar.rs');
  for (const [, method, year] of byYear) {
    const path = `${S}/holidays${year === 'None' ? '' : '/{year}'}`;
    const any = routes.findIndex((r) => r.method === 'ANY' && r.path === path);
    if (any >= 0) routes.splice(any, 1);
    routes.push({ method: method.toUpperCase(), path });
  }
  for (const m of router.matchAll(/method == Method::(\w+) && segs == \[([^\]]*)\]/g)) {
    routes.push({ method: m[1].toUpperCase(), path: `${S}/${segmentsOf(m[2]).join('/')}` });
  }
  // `fn route` in lib.rs: arms under `if *method == Method::Post` are POST, the rest GET.
  const lib = await readFile(new URL('../edge/src/lib.rs', import.meta.url), 'utf8');
  const body = lib.slice(lib.indexOf('fn route('), lib.indexOf('\n}\n', lib.indexOf('fn route(')));
  const getFrom = body.indexOf('if !matches!(method, Method::Get | Method::Head)');
  for (const m of body.matchAll(/\[("api", "v1", [^\]]*)\]/g)) {
    const segments = segmentsOf(m[1]);
    if (segments.includes('{..}')) continue;
    routes.push({ method: m.index < getFrom ? 'POST' : 'GET', path: `/${segments.join('/')}` });
  }
  return routes;
}

const normalise = (path) => path.replace(/\{[^}]*\}/g, '{}');

test('every /api/v1 route in the worker\'s source is in openapi.json', async () => {
  const { body: doc } = await getJson('/api/v1/openapi.json');
  const documented = new Map(Object.entries(doc.paths).map(([p, ops]) => [normalise(p), Object.keys(ops)]));
  const routes = await sourceRoutes();
  assert.ok(routes.filter((r) => r.path.startsWith(S)).length >= 20, `staff routes read from router.rs: ${routes.length}`);
  assert.ok(routes.filter((r) => !r.path.startsWith(S)).length >= 12, 'routes read from lib.rs');
  const missing = routes.filter(({ method, path }) => {
    const ops = documented.get(normalise(path)) ?? [];
    return method === 'ANY' ? ops.length === 0 : !ops.includes(method.toLowerCase());
  });
  assert.deepEqual(missing.map((r) => `${r.method} ${r.path}`), []);
});

test('every path and method in openapi.json is routed and answers JSON as documented', async () => {
  const { response, body: doc } = await getJson('/api/v1/openapi.json');
  assert.equal(response.status, 200);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.servers[0].url, BASE);
  for (const ref of JSON.stringify(doc).matchAll(/#\/components\/(schemas|responses)\/(\w+)/g)) {
    assert.ok(doc.components[ref[1]]?.[ref[2]], `${ref[1]} ${ref[2]} defined`);
  }
  const admin = await signIn('admin', ADMIN, nextIp());
  const problems = [];
  let calls = 0;
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const headers = { 'CF-Connecting-IP': nextIp() };
      // Staff routes answer 401 before routing: ask as the admin (a session of its own to
      // sign out). Every write carries `[]`, which no endpoint takes as a request.
      if (template.startsWith(`${S}/`)) {
        const session = template === `${S}/logout` ? await signIn('admin', ADMIN, nextIp()) : admin;
        headers.Cookie = session.cookie;
        headers['X-CSRF-Token'] = session.body.csrf_token;
      }
      const write = !['get', 'head', 'delete'].includes(method);
      if (write) headers['Content-Type'] = 'application/json';
      const res = await fetch(BASE + fill(template), { method: method.toUpperCase(), headers, body: write ? '[]' : undefined });
      calls += 1;
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      let body = null;
      try { body = JSON.parse(text); } catch { /* checked below */ }
      const label = `${method.toUpperCase()} ${template} -> ${res.status}`;
      if (body?.code === 'no_route') problems.push(`${label}: not routed (${body.error})`);
      if (!(String(res.status) in op.responses)) problems.push(`${label}: status not documented`);
      const media = Object.keys(op.responses[res.status]?.content ?? {});
      if (res.status !== 204 && !(/json/.test(type) && body !== null) && !media.some((m) => type.startsWith(m))) {
        problems.push(`${label}: ${type || 'no content type'} is neither JSON nor a documented media type`);
      }
    }
  }
  assert.ok(calls >= 30, `operations called: ${calls}`);
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});

/** A request whose body is streamed (`Transfer-Encoding: chunked`), without a length. */
function chunked(method, path) {
  const url = new URL(BASE + path);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'CF-Connecting-IP': nextIp() } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.write('[');
    req.end(']');
  });
}

test('the refusals before reading (411, 413, 414, 431) are answered and documented on every operation', async () => {
  const { body: doc } = await getJson('/api/v1/openapi.json');
  const source = await readFile(new URL('../edge/src/limits.rs', import.meta.url), 'utf8');
  const bound = (name) => source.match(new RegExp(`pub const ${name}: usize = ([\\d *]+);`))[1].split('*').reduce((a, b) => a * Number(b), 1);
  const bodyMax = (method, template) => (method === 'put' && template === `${S}/items/{code}/draft` ? bound('DRAFT_MAX')
    : method === 'post' && template === `${S}/import` ? bound('IMPORT_MAX') : bound('BODY_MAX'));
  const problems = [];
  const expect = async (label, op, status, code, answer) => {
    const { status: got, text } = await answer;
    let body = null;
    try { body = JSON.parse(text); } catch { /* reported below */ }
    if (got !== status || body?.code !== code) problems.push(`${label}: expected ${status} ${code}, got ${got} ${text.slice(0, 120)}`);
    else if (!(String(status) in op.responses)) problems.push(`${label}: ${status} not documented`);
  };
  const plain = async (method, url, init) => {
    const res = await fetch(url, { method: method.toUpperCase(), ...init });
    return { status: res.status, text: await res.text() };
  };
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const url = BASE + fill(template);
      const label = `${method.toUpperCase()} ${template}`;
      await expect(`${label} with a ${bound('URL_MAX') + 1}-byte address`, op, 414, 'url_too_long',
        plain(method, `${url}?pad=${'a'.repeat(bound('URL_MAX'))}`, { headers: { 'CF-Connecting-IP': nextIp() } }));
      await expect(`${label} with headers over ${bound('HEADERS_MAX')} bytes`, op, 431, 'headers_too_large',
        plain(method, url, { headers: { 'X-Padding': 'a'.repeat(bound('HEADERS_MAX')), 'CF-Connecting-IP': nextIp() } }));
      if (!op.requestBody) continue;
      const limit = bodyMax(method, template);
      await expect(`${label} with a ${limit + 1}-byte body`, op, 413, 'body_too_large',
        plain(method, url, { headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': nextIp() }, body: Buffer.alloc(limit + 1, 32) }));
      await expect(`${label} with a chunked body`, op, 411, 'length_required', chunked(method.toUpperCase(), fill(template)));
    }
  }
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  // The login's one refusal that is not about size: a body that is not JSON.
  assert.match(doc.paths[`${S}/login`].post.responses['400'].description, /bad_content_type/);
});
