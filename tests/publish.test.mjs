// Publishing that never loses or blocks: a selection goes out while another department's
// broken draft waits; two publishes at once both land, one after the other; a large
// publish goes on in the background and a draft saved meanwhile is kept; an editor who
// edited an older version gets both versions instead of undoing the newer publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson, signIn } from './helpers.mjs';

const ADMIN = process.env.ADMIN_PASSWORD;
const EDITOR = process.env.EDITOR_PASSWORD;
const POLICE = '新县公安局交通警察大队';
const MARKET = '新县市场监督管理局';

let ipSeq = 0;
const ip = () => `198.18.7.${++ipSeq}`;

/** Published items of a department, from the citizens' API. */
async function itemsOf(department) {
  const { items } = (await getJson('/api/v1/catalog')).body;
  const out = [];
  for (const entry of items.filter((i) => i.department === department)) {
    out.push((await getJson(`/api/v1/items/${entry.code}`)).body);
  }
  return out;
}

/** Waits until the latest publish is done (large ones go on in the background). */
async function settled(admin, job) {
  for (let i = 0; job.state !== 'done' && job.state !== 'failed' && i < 120; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await admin.call('GET', '/api/v1/staff/publish')).body;
  }
  return job;
}

async function rollbackTo(admin, version) {
  assert.equal((await admin.call('POST', '/api/v1/staff/rollback', { version })).status, 200);
}

test('a selection is published while another department\'s broken draft waits', async () => {
  const admin = await signIn('admin', ADMIN, ip());
  const police = await signIn('jiaojing', EDITOR, ip());
  const market = await signIn('shichang', EDITOR, ip());
  const before = (await getJson('/api/v1/catalog')).body.version;
  const [broken] = await itemsOf(POLICE);
  const [good] = await itemsOf(MARKET);
  // 即办件 with a 22-day promise: a lint error.
  const bad = { ...broken, kind: 'instant', promised_limit: { value: 22, unit: 'working_days' } };
  assert.equal((await police.call('PUT', `/api/v1/staff/items/${broken.code}/draft`, { item: bad, base_rev: null })).status, 200);
  const note = `${good.limit_note ?? ''}（选择发布测试）`;
  assert.equal((await market.call('PUT', `/api/v1/staff/items/${good.code}/draft`, { item: { ...good, limit_note: note }, base_rev: null })).status, 200);
  try {
    // Everything: the broken draft stays out, the good one goes.
    const all = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true });
    assert.ok([200, 202].includes(all.status), JSON.stringify(all.body));
    const job = await settled(admin, all.body);
    assert.equal(job.state, 'done');
    assert.ok(job.info.changed.includes(good.code));
    assert.ok(!job.info.changed.includes(broken.code));
    assert.ok(job.blocked.some((b) => b.code === broken.code && b.findings.some((f) => f.rule === 'instant-must-be-instant')));
    assert.equal((await getJson(`/api/v1/items/${good.code}`)).body.limit_note, note);
    assert.equal((await getJson(`/api/v1/items/${broken.code}`)).body.kind, broken.kind, 'the broken draft did not reach citizens');
    // The broken draft is still there for its editor to fix.
    const still = await police.call('GET', `/api/v1/staff/items/${broken.code}`);
    assert.equal(still.body.draft.item.promised_limit.value, 22);
    // Selecting only the broken one is refused, naming it.
    const refused = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: [broken.code] });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'lint_errors');
  } finally {
    await police.call('DELETE', `/api/v1/staff/items/${broken.code}/draft`);
    await rollbackTo(admin, before);
  }
});

test('two publishes at once both land, one version after the other', async () => {
  const admin = await signIn('admin', ADMIN, ip());
  const market = await signIn('shichang', EDITOR, ip());
  const before = (await getJson('/api/v1/catalog')).body.version;
  const [a, b] = await itemsOf(MARKET);
  for (const item of [a, b]) {
    const draft = { ...item, limit_note: `${item.limit_note ?? ''}（并发发布 ${item.code}）` };
    assert.equal((await market.call('PUT', `/api/v1/staff/items/${item.code}/draft`, { item: draft, base_rev: null })).status, 200);
  }
  try {
    const [first, second] = await Promise.all([
      admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: [a.code] }),
      admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: [b.code] }),
    ]);
    assert.ok([200, 202].includes(first.status) && [200, 202].includes(second.status), `${first.status} ${second.status}`);
    assert.notEqual(first.body.version, second.body.version, 'each reserved its own version');
    const last = await settled(admin, (await admin.call('GET', '/api/v1/staff/publish')).body);
    assert.equal(last.state, 'done');
    const now = (await getJson('/api/v1/catalog')).body.version;
    assert.equal(now, Math.max(first.body.version, second.body.version));
    for (const item of [a, b]) {
      assert.match((await getJson(`/api/v1/items/${item.code}`)).body.limit_note, /并发发布/, `${item.code} is in the newest version`);
    }
  } finally {
    await rollbackTo(admin, before);
  }
});

test('a large publish goes on in the background; a draft saved meanwhile is kept', async () => {
  const admin = await signIn('admin', ADMIN, ip());
  const police = await signIn('jiaojing', EDITOR, ip());
  const market = await signIn('shichang', EDITOR, ip());
  const before = (await getJson('/api/v1/catalog')).body.version;
  const items = [...(await itemsOf(MARKET)), ...(await itemsOf(POLICE))];
  const editors = { [MARKET]: market, [POLICE]: police };
  const clean = [];
  for (const item of items) {
    const draft = { ...item, limit_note: `${item.limit_note ?? ''}（批量发布）` };
    const saved = await editors[item.department].call('PUT', `/api/v1/staff/items/${item.code}/draft`, { item: draft, base_rev: null });
    assert.equal(saved.status, 200);
    if (!saved.body.findings.some((f) => f.severity === 'error')) clean.push(item);
  }
  assert.ok(clean.length >= 8, `enough items for several batches (${clean.length})`);
  const kept = clean[clean.length - 1];
  try {
    // (The test deployment spaces the background steps out, so there is time to act.)
    const started = await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: clean.map((i) => i.code) },
      { 'X-Publish-Pause-Ms': '2000' });
    assert.equal(started.status, 202, 'too large for one request');
    assert.ok([200, 202].includes(started.status), JSON.stringify(started.body));
    // Saved again while the publish runs: this newer draft must survive it.
    const editor = editors[kept.department];
    const current = (await editor.call('GET', `/api/v1/staff/items/${kept.code}`)).body.draft;
    const newer = { ...current.item, limit_note: `${current.item.limit_note}（发布期间再次修改）` };
    assert.equal((await editor.call('PUT', `/api/v1/staff/items/${kept.code}/draft`, { item: newer, base_rev: current.rev })).status, 200);
    const job = await settled(admin, started.body);
    assert.equal(job.state, 'done');
    assert.equal(job.done, clean.length);
    assert.equal(job.info.changed.length, clean.length);
    assert.match((await getJson(`/api/v1/items/${clean[0].code}`)).body.limit_note, /批量发布/);
    const after = (await editor.call('GET', `/api/v1/staff/items/${kept.code}`)).body;
    assert.ok(after.draft, 'the draft saved during the publish is still there');
    assert.match(after.draft.item.limit_note, /发布期间再次修改/);
  } finally {
    for (const item of items) {
      await editors[item.department].call('DELETE', `/api/v1/staff/items/${item.code}/draft`);
    }
    await rollbackTo(admin, before);
  }
});

test('a draft edited from an older publish gets both versions, not a silent revert', async () => {
  const admin = await signIn('admin', ADMIN, ip());
  const market = await signIn('shichang', EDITOR, ip());
  const before = (await getJson('/api/v1/catalog')).body.version;
  const [item] = await itemsOf(MARKET);
  const stale = structuredClone(item); // opened before the publish below
  const note = `${item.limit_note ?? ''}（较新的发布）`;
  assert.equal((await market.call('PUT', `/api/v1/staff/items/${item.code}/draft`, { item: { ...item, limit_note: note }, base_rev: null })).status, 200);
  try {
    const job = await settled(admin, (await admin.call('POST', '/api/v1/staff/publish', { acknowledge_warnings: true, codes: [item.code] })).body);
    assert.equal(job.state, 'done');
    const conflict = await market.call('PUT', `/api/v1/staff/items/${item.code}/draft`, { item: { ...stale, name: `${stale.name}（旧稿）` }, base_rev: null });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, 'published_since');
    assert.equal(conflict.body.theirs.item.limit_note, note);
    assert.ok(conflict.body.changes.some((c) => c.path === 'name'));
  } finally {
    await rollbackTo(admin, before);
  }
});
