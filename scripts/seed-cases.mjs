// Imports the demo cases of data/demo_cases.json into a running server through the
// back-office API (the same calls a department system makes), dated relative to today.
// Their receipt numbers and query codes are fixed (the README names one), so this is a
// migration: the server must hold CASE_MIGRATION_KEY, which this sends.
// Usage: BASE_URL=http://127.0.0.1:8787 HALL_API_KEYS=hall=key,... CASE_MIGRATION_KEY=… [CASES_FILE=…] node scripts/seed-cases.mjs
import { readFile } from 'node:fs/promises';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const keys = Object.fromEntries((process.env.HALL_API_KEYS ?? '').split(',').filter(Boolean)
  .map((pair) => pair.split('=')));
// CASES_FILE: another catalog's demo cases (make run DATA=…); data/demo_cases.json by default.
const file = process.env.CASES_FILE ?? new URL('../data/demo_cases.json', import.meta.url);
const { cases } = JSON.parse(await readFile(file, 'utf8'));

/** A Beijing-time timestamp `daysAgo` days before today, at hh:mm. */
function beijing(daysAgo, hh, mm) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo, hh, mm));
  const today = daysAgo === 0 && (hh * 60 + mm > now.getUTCHours() * 60 + now.getUTCMinutes());
  const t = today ? now : d;
  return t.toISOString().slice(0, 19) + '+08:00';
}

async function call(method, path, hall, body) {
  const headers = { 'Content-Type': 'application/json', 'X-Migration-Key': process.env.CASE_MIGRATION_KEY ?? '' };
  if (hall) headers.Authorization = `Bearer ${keys[hall]}`;
  const res = await fetch(base + path, { method, headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let made = 0;
for (const c of cases) {
  const accepted = await call('POST', `/api/v1/halls/${c.hall}/cases`, c.hall, {
    item_code: c.item_code,
    applicant_name: c.applicant_name,
    delivery: c.delivery,
    by: c.by,
    accepted_at: beijing(c.accepted_days_ago, 9, 30),
    receipt: { number: c.number, query_code: c.query_code },
  });
  if (accepted.status === 409) continue; // already imported
  made += 1;
  let minute = 0;
  for (const { day, ...event } of c.events) {
    minute += 7;
    await call('POST', `/api/v1/halls/${c.hall}/cases/${c.number}/events`, c.hall, {
      ...event,
      at: beijing(c.accepted_days_ago - day, 10, minute),
    });
  }
  if (c.rating) {
    await call('POST', '/api/v1/cases/rate', null, {
      number: c.number, query_code: c.query_code, level: c.rating.level, comment: c.rating.comment,
    });
  }
}
console.log(`demo cases: ${made} imported, ${cases.length - made} already there`);
