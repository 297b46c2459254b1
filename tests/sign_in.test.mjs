// Sign-in under attack: a flood from one address stops before the editorial object's slow
// password hash, IPv6 clients count by their /64, one address guessing an account does not
// lock its owner out elsewhere, and made-up names do not grow the audit log row by row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, signIn } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
/** Sign-ins per client per minute let through to the editorial object (edge/src/limiter.rs). */
const PER_MINUTE = 30;

async function attempt(username, password, ip) {
  const res = await fetch(`${BASE}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

test('a flood of sign-ins from one /64 is refused before it reaches the office; the next /64 is not', async () => {
  const statuses = [];
  // Right passwords: the office forgives successes, so only the edge's limit can refuse.
  for (let i = 0; i <= PER_MINUTE; i += 1) {
    statuses.push((await attempt('jiaojing', EDITOR, `2001:db8:77:1::${(i + 1).toString(16)}`)).status);
  }
  assert.deepEqual(statuses.slice(0, PER_MINUTE), Array(PER_MINUTE).fill(200));
  const refused = await attempt('jiaojing', EDITOR, '2001:db8:77:1:ffff:1:2:3');
  assert.equal(statuses[PER_MINUTE], 429, 'the next one from the same /64 is refused');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 60, refused.retryAfter);
  assert.equal((await attempt('jiaojing', EDITOR, '2001:db8:77:2::1')).status, 200, 'a neighbouring /64 is another client');
});

test('one address guessing an account locks only itself out of it', async () => {
  const attacker = '198.18.0.66';
  const statuses = [];
  for (let i = 0; i < 6; i += 1) statuses.push((await attempt('shichang', `wrong-guess-${i}`, attacker)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  assert.equal((await attempt('shichang', EDITOR, attacker)).status, 429, 'not even the right password from there');
  const owner = await signIn('shichang', EDITOR, '198.18.0.67');
  assert.equal(owner.status, 200, 'the owner at their own desk still signs in');
});

test('failed sign-ins with made-up names are summarised in one audit row per client', async () => {
  const client = '198.18.1.9';
  const names = Array.from({ length: 8 }, (_, i) => `nobody-${Date.now().toString(36)}-${i}`);
  for (const name of names) assert.equal((await attempt(name, 'whatever-123', client)).status, 401);
  const admin = await signIn('admin', ADMIN, '198.18.1.10');
  const { body } = await admin.call('GET', `/api/v1/staff/audit?action=login_failed&target=${client}`);
  assert.equal(body.entries.length, 1, JSON.stringify(body.entries));
  const [row] = body.entries;
  assert.match(row.detail, /^8 次：/);
  assert.ok(row.detail.includes(names[0]) && row.detail.endsWith('…'), row.detail);
  assert.ok(!row.detail.includes(names[7]), 'only the first few names are kept');
});

test('the audit log pages and filters', async () => {
  const admin = await signIn('admin', ADMIN, '198.18.2.1');
  const first = (await admin.call('GET', '/api/v1/staff/audit?limit=3')).body;
  assert.equal(first.entries.length, 3);
  assert.ok(first.next_before, 'there is an older page');
  const second = (await admin.call('GET', `/api/v1/staff/audit?limit=3&before=${first.next_before}`)).body;
  assert.ok(second.entries.every((e) => e.seq < first.entries[2].seq), 'older entries, none repeated');
  const logins = (await admin.call('GET', '/api/v1/staff/audit?action=login&who=admin')).body.entries;
  assert.ok(logins.length > 0 && logins.every((e) => e.action === 'login' && e.who === 'admin'));
  const bad = await admin.call('GET', '/api/v1/staff/audit?before=abc');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'before');
});
