// Creates the demo staff accounts through the staff API, signed in as the first admin
// (whose password the worker takes from its ADMIN_PASSWORD secret).
// Usage: BASE_URL=… ADMIN_PASSWORD=… EDITOR_PASSWORD=… node scripts/seed-staff.mjs
const base = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const adminPassword = process.env.ADMIN_PASSWORD;
const editorPassword = process.env.EDITOR_PASSWORD;
if (!adminPassword || !editorPassword) throw new Error('ADMIN_PASSWORD and EDITOR_PASSWORD are needed');

const login = await fetch(`${base}/api/v1/staff/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: adminPassword }),
});
if (!login.ok) throw new Error(`admin login: ${login.status} ${await login.text()}`);
const { csrf_token: csrf } = await login.json();
const cookie = login.headers.get('set-cookie').split(';')[0];

const accounts = [
  { username: 'jiaojing', display_name: '交警大队 窗口编辑', role: 'editor', department: '新县公安局交通警察大队' },
  { username: 'shichang', display_name: '市场监管局 窗口编辑', role: 'editor', department: '新县市场监督管理局' },
  { username: 'duchaban', display_name: '督查办（只读）', role: 'viewer' },
];
let made = 0;
for (const account of accounts) {
  const res = await fetch(`${base}/api/v1/staff/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ ...account, password: editorPassword }),
  });
  if (res.status === 201) made += 1;
  else if (res.status !== 409) throw new Error(`create ${account.username}: ${res.status} ${await res.text()}`);
}
console.log(`staff accounts: ${made} created, ${accounts.length - made} already there`);
