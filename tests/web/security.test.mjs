// security.test.mjs — what an attacker tries against `ketnap serve`:
//   * CSRF: every state-changing route, with the token missing, wrong, of
//     another session or only in the URL → 403 and nothing written (the
//     CSV exports, the accounts and the candidacies compared before and
//     after); with the right token the same request goes through;
//   * XSS: `<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>` and
//     `'` in people's names, step notes and search strings come back
//     escaped in every HTML page, and chromium fires no dialog;
//   * SQL metacharacters ' " ; -- % _ \ and `' OR 1=1 --` in every query
//     parameter, path argument and posted field: no 5xx, no extra rows,
//     nothing written by a GET, the database intact;
//   * sessions: the cookie stops working after logout, after the idle
//     timeout, after its absolute lifetime and after the password changes
//     (an admin's reset, the user's own change, `ketnap user passwd`);
//     login throttling (6 wrong passwords → 429 even with the right one;
//     40 parallel wrong passwords on a 16-thread server get 5 checked);
//     no open redirect after sign-in, whatever `next` holds;
//   * bodies: before sign-in a request body is small (1 MiB → 413), and
//     twenty parallel 31 MiB bodies leave the server's memory alone;
//   * a busy database (SQLite locked by another process past the busy
//     timeout): reads go on, a write is 503 with Retry-After, not 409 "someone
//     else changed this record", and the command line exits 3;
//   * scopes: a step that names a person outside the user's subtree is
//     answered exactly as one naming no one (API check and record, the
//     candidate page's form), and the person's name never shows;
//   * headers: a Content-Security-Policy without 'unsafe-inline', nosniff,
//     HttpOnly + SameSite=Strict cookies, Secure and HSTS behind TLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import * as L from './lib.mjs';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const QUOTE = "'";
// People whose names and notes carry the payloads (ward CT.BT.P01).
const XSS = [
  { ref: '096090000001', name: `Lê ${SCRIPT} An`, note: SCRIPT, raw: [SCRIPT, '<script>alert'] },
  { ref: '096090000002', name: `Trần ${IMG} Bình`, note: IMG, raw: ['<img src=x', '"><img'] },
  { ref: '096090000003', name: `Phạm O${QUOTE}Hara Chi`, note: `it${QUOTE}s a ${QUOTE}note${QUOTE}`, raw: ["O'Hara", "it's a"] },
];
const FORBIDDEN = ['<script>alert(1)</script>', '<img src=x onerror', '"><img', "O'Hara", "it's a 'note'"];
const SQL_PAYLOADS = ["'", '"', ';', '--', '%', '_', '\\', "' OR 1=1 --", "'; DROP TABLE people; --"];
const PARAMS = ['q', 'unit', 'step', 'overdue', 'category', 'page', 'per_page', 'open', 'kind', 'year',
  'from', 'to', 'as_of', 'depth', 'level', 'format', 'next', 'lang', 'dry_run', 'user', 'action', 'date'];

let d, srv;
const ROUTES = L.routes();
const EXTRA = [['viewer.p02', 'CT.BT.P02', 'viewer'], ['logout.p01', 'CT.BT.P01', 'editor'],
  ['expiry.p01', 'CT.BT.P01', 'editor'], ['expiry2.p01', 'CT.BT.P01', 'editor'],
  ['throttle.p01', 'CT.BT.P01', 'viewer'], ['bystander.p01', 'CT.BT.P01', 'viewer'],
  ['proxy.p01', 'CT.BT.P01', 'viewer'], ['reader.ct', 'CT', 'admin'],
  ['race.p01', 'CT.BT.P01', 'viewer'], ['reset.p01', 'CT.BT.P01', 'viewer'],
  ['selfpw.p01', 'CT.BT.P01', 'admin'], ['clipw.p01', 'CT.BT.P01', 'viewer'],
  ['lifetime.p01', 'CT.BT.P01', 'viewer'], ['lifetime2.p01', 'CT.BT.P01', 'viewer']];
let inPerson, inMember;

before(async () => {
  d = L.makeDatabase('security', { extraUsers: EXTRA });
  const people = ['ref,full_name,sex,birth_date,unit,education,note',
    ...XSS.map((x) => `${x.ref},"${x.name.replace(/"/g, '""')}",M,1990-01-01,CT.BT.P01.C01,12/12,"${x.note.replace(/"/g, '""')}"`)].join('\n') + '\n';
  const steps = ['person,step,date,org,note',
    ...XSS.map((x) => `${x.ref},source,2025-03-01,cell,"${x.note.replace(/"/g, '""')}"`)].join('\n') + '\n';
  L.cli(d.db, ['import', 'people', L.writeFile(`${d.dir}/xss-people.csv`, people)]);
  L.cli(d.db, ['import', 'steps', L.writeFile(`${d.dir}/xss-steps.csv`, steps)]);
  inPerson = L.openCandidate(d.db, 'CT.BT.P01', ['applied', 'trained']);
  inMember = L.fullMember(d.db, inPerson.unit);
  srv = await L.startServer(d);
});

after(async () => {
  if (srv) await srv.stop();
  if (d) d.drop();
});

const hex64 = () => randomBytes(32).toString('hex');
let seq = 0;
const uniq = () => `${process.pid % 1000}${String(++seq).padStart(5, '0')}`;

// ---- a valid request for every state-changing route ----
// kind: form | json | multipart | csv. A POST route missing here fails.
const POSTS = {
  'POST /logout': () => ({ path: '/logout', kind: 'form', fields: {} }),
  'POST /candidates/new': () => {
    const ref = `R0981${uniq()}`;
    return { path: '/candidates/new', kind: 'form', ref, fields: { ref, full_name: `Trần Thị Mới ${ref}`, sex: 'F', birth_date: '1995-05-05', unit: 'CT.BT.P01.C01', education: '12/12', source_date: '2025-12-01', org: 'cell' } };
  },
  'POST /step/*': async () => ({ path: `/step/${inPerson.ref}`, kind: 'form', fields: { ...(await hiddenOf(`/people/${inPerson.ref}?step=mentor`, `/step/${inPerson.ref}`)), action: 'record', step: 'mentor', date: L.TODAY, member: inMember.ref, note: 'kèm cặp' } }),
  'POST /edit/*': async () => {
    const p = L.parseCsv(L.cli(d.db, ['export', 'people']).stdout).find((r) => r.ref === inPerson.ref);
    return { path: `/edit/${inPerson.ref}`, kind: 'form', fields: { ...p, ...(await hiddenOf(`/edit/${inPerson.ref}`, `/edit/${inPerson.ref}`)), phone: '0909123456' } };
  },
  // issue 15: a letter to the person's own unit and the arrival of a
  // person not in transit: refused by the rules (422), nothing written.
  'POST /transfer/*': () => ({ path: `/transfer/${inPerson.ref}`, kind: 'form', fields: { to: inPerson.unit, date: L.TODAY, doc_no: 'GT-1', note: 'chuyển nơi ở' } }),
  'POST /arrive/*': () => ({ path: `/arrive/${inPerson.ref}`, kind: 'form', fields: { date: L.TODAY } }),
  'POST /decisions': () => ({ path: '/decisions', kind: 'form', fields: { ref: inPerson.ref, date: L.TODAY, first: uniq(), suffix: 'QĐ/QU' } }),
  'POST /decisions/*': () => ({ path: `/decisions/${inPerson.ref}`, kind: 'form', fields: { doc_no: `${uniq()}-QĐ/QU`, date: L.TODAY } }),
  'POST /import': () => {
    const ref = `R0982${uniq()}`;
    return { path: '/import', kind: 'multipart', ref, fields: { kind: 'people' }, file: { field: 'file', name: 'people.csv', text: `ref,full_name,sex,birth_date,unit\n${ref},Lê Văn Nhập,M,1996-06-06,CT.BT.P01.C01\n` } };
  },
  'POST /admin/units': () => ({ path: '/admin/units', kind: 'form', fields: { mode: 'add', focus: 'CT.BT.P01', code: `CT.BT.P01.T${uniq()}`, parent: 'CT.BT.P01', name: 'Chi bộ thử', kind: 'cell', sector: 'other' } }),
  'POST /admin/quotas': () => ({ path: '/admin/quotas', kind: 'form', fields: { year: '2026', focus: 'CT.BT.P01', 'q:total:CT.BT.P01': '9' } }),
  'POST /admin/users': () => ({ path: '/admin/users', kind: 'form', fields: { action: 'add', name: `u${uniq()}`, unit: 'CT.BT.P01', role: 'viewer', password: 'mat-khau-moi-2025' } }),
  'POST /admin/holidays': () => ({ path: '/admin/holidays', kind: 'form', fields: { date: '2026-01-02', name: 'Nghỉ bù thử', workday: '0' } }),
  'POST /admin/policy': () => ({ path: '/admin/policy', kind: 'form', fields: { key: 'probation.months', value: '12', from: '2031-01-01' } }),
  'POST /extend/*': () => ({ path: `/extend/${inPerson.ref}`, kind: 'form', fields: { doc_no: `${uniq()}-QĐ/QU`, date: L.TODAY } }),
  // issue 15: a merge of a person with themselves (refused, 422: nothing written).
  'POST /admin/duplicates': () => ({ path: '/admin/duplicates', kind: 'form', fields: { keep: inPerson.ref, drop: inPerson.ref } }),
  'POST /api/v1/people': () => {
    const ref = `R0983${uniq()}`;
    return { path: '/api/v1/people', kind: 'json', ref, fields: { ref, full_name: `Đỗ Văn Mới ${ref}`, sex: 'M', birth_date: '1994-04-04', unit: 'CT.BT.P01.C01' } };
  },
  'POST /api/v1/people/*': () => ({ path: `/api/v1/people/${inPerson.ref}`, kind: 'json', fields: { phone: '0909654321' } }),
  'POST /api/v1/steps/*': () => ({ path: `/api/v1/steps/${inPerson.ref}`, kind: 'json', fields: { step: 'mentor', date: L.TODAY, member: inMember.ref } }),
  'POST /api/v1/check/*': () => ({ path: `/api/v1/check/${inPerson.ref}`, kind: 'json', fields: { step: 'mentor', date: L.TODAY, member: inMember.ref } }),
  'POST /api/v1/imports/*': () => {
    const ref = `R0984${uniq()}`;
    return { path: '/api/v1/imports/people', kind: 'csv', ref, text: `ref,full_name,sex,birth_date,unit\n${ref},Lê Văn Nhập,M,1996-06-06,CT.BT.P01.C01\n` };
  },
};

// The hidden fields (version, stamp …) of a form as the city admin's page
// has them, less its CSRF token (each request sets its own).
let pageReader;
async function hiddenOf(path, action) {
  pageReader ??= await L.session(srv.url, 'reader.ct');
  const { csrf: _, ...h } = L.formHidden((await pageReader.get(path)).text, action);
  return h;
}

// csrf: the token to send (undefined: none); where: 'body' (form field or
// header, as the page and the API do) or 'query' (only in the URL).
function encode(req, csrf, where = 'body') {
  const path = where === 'query' && csrf ? `${req.path}${req.path.includes('?') ? '&' : '?'}csrf=${csrf}` : req.path;
  const inBody = where === 'body' && csrf !== undefined;
  switch (req.kind) {
  case 'form':
    return { path, opts: { form: { ...req.fields, ...(inBody ? { csrf } : {}) } } };
  case 'json':
    return { path, opts: { json: req.fields, ...(inBody ? { csrf } : {}) } };
  case 'csv':
    return { path, opts: { body: req.text, headers: { 'Content-Type': 'text/csv', ...(inBody ? { 'X-CSRF-Token': csrf } : {}) } } };
  case 'multipart': {
    const b = `----kn${uniq()}`;
    let s = '';
    const fields = { ...req.fields, ...(inBody ? { csrf } : {}) };
    for (const [k, v] of Object.entries(fields))
      s += `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    s += `--${b}\r\nContent-Disposition: form-data; name="${req.file.field}"; filename="${req.file.name}"\r\nContent-Type: text/csv\r\n\r\n${req.file.text}\r\n--${b}--\r\n`;
    return { path, opts: { body: s, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` } } };
  }
  default: throw new Error(`unknown request kind ${req.kind}`);
  }
}

const stateChanging = ROUTES.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !r.public && !r.noCsrf);

// ---- CSRF ----

test('every state-changing route has a CSRF case', () => {
  const missing = stateChanging.map((r) => `${r.method} ${r.pattern}`).filter((k) => !POSTS[k]);
  assert.deepEqual(missing, [], 'POST routes of routes.c with no CSRF case in security.test.mjs');
});

test('CSRF: a missing, wrong, foreign or URL-only token → 403 and nothing written', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const token = await admin.csrfToken();
  const other = await L.session(srv.url, L.userName('admin', 'district'));
  const foreign = await other.csrfToken();
  const beforeSnap = L.snapshot(d.db);
  const bad = [];
  for (const r of stateChanging) {
    const key = `${r.method} ${r.pattern}`;
    for (const [label, csrf, where] of [['missing', undefined, 'body'], ['empty', '', 'body'],
      ['wrong', hex64(), 'body'], ['another session\'s', foreign, 'body'],
      ['in the URL only', token, 'query'], ['not hex', 'x'.repeat(64), 'body'],
      ['a prefix of the right one', token.slice(0, 63), 'body']]) {
      const req = await POSTS[key]();
      const { path, opts } = encode(req, csrf, where);
      const res = await admin.send(r.method, path, opts);
      if (res.status !== 403) bad.push(`${key} with the token ${label}: expected 403, got ${res.status} (${L.gist(res)})`);
    }
  }
  const afterSnap = L.snapshot(d.db);
  for (const k of Object.keys(beforeSnap))
    if (beforeSnap[k] !== afterSnap[k]) bad.push(`the ${k} changed although every request was refused`);
  // The refused logout did not end the session.
  const still = await admin.get('/api/v1/me');
  if (still.status === 401) bad.push('POST /logout without a token ended the session');
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('CSRF: the same requests with the session\'s token are not refused as forgeries', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const token = await admin.csrfToken();
  const bad = [];
  for (const r of stateChanging) {
    const key = `${r.method} ${r.pattern}`;
    if (key === 'POST /logout') continue;
    const { path, opts } = encode(await POSTS[key](), token);
    const res = await admin.send(r.method, path, opts);
    if (!((res.status >= 200 && res.status < 400) || res.status === 422))
      bad.push(`${key} with the right token: expected 2xx/3xx/422, got ${res.status} (${L.gist(res)})`);
  }
  const res = await admin.post('/logout', { form: { csrf: token } });
  if (res.status !== 303) bad.push(`POST /logout with the right token: expected 303, got ${res.status}`);
  assert.equal(bad.length, 0, bad.join('\n'));
});

// ---- XSS ----

// Pages where the payload people, their notes or a payload search show.
function xssPages() {
  const pages = [];
  for (const x of XSS)
    pages.push(`/people/${x.ref}`, `/edit/${x.ref}`, `/candidates?q=${encodeURIComponent(x.name)}`,
      `/candidates?q=${encodeURIComponent(x.note)}`, `/candidates?unit=CT.BT.P01.C01`);
  for (const p of [SCRIPT, IMG, QUOTE, "O'Hara", `${IMG}${SCRIPT}`]) {
    const e = encodeURIComponent(p);
    pages.push(`/candidates?q=${e}`, `/candidates?unit=${e}`, `/candidates?step=${e}`, `/?q=${e}`, `/?unit=${e}`,
      `/reports?kind=${e}`, `/reports?unit=${e}`, `/reports?kind=achievement&year=${e}`,
      `/reports/${e}.html`, `/reports/deadlines.html?unit=${e}`, `/units/${e}`, `/people/${e}`, `/edit/${e}`,
      `/admin/audit?q=${e}`, `/admin/audit?user=${e}`, `/admin/users?q=${e}`, `/decisions?q=${e}`,
      `/login?next=${e}`, `/no-such-page/${e}`);
  }
  pages.push('/', '/candidates', '/reports/deadlines.html', '/reports?kind=deadlines', '/decisions', '/admin/audit');
  return pages;
}

test('XSS: payloads in names, notes and search strings come back escaped in every HTML page', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const anon = new L.Client(srv.url);
  const bad = [];
  const seen = new Set();
  for (const p of xssPages()) {
    for (const [who, c] of [['admin', admin], ['anonymous', anon]]) {
      if (who === 'anonymous' && !p.startsWith('/login') && !p.startsWith('/no-such')) continue;
      const r = await c.get(p);
      if (r.status >= 500) bad.push(`GET ${p} as ${who}: ${r.status} (${L.gist(r)})`);
      if (!/html/.test(r.ctype)) continue;
      for (const f of FORBIDDEN)
        if (r.text.includes(f)) bad.push(`GET ${p} as ${who} (${r.status}) has ${JSON.stringify(f)} unescaped`);
      if (r.status === 200) seen.add(p);
    }
  }
  // The payloads are shown, escaped, where they belong.
  const page1 = await admin.get(`/people/${XSS[0].ref}`);
  if (!page1.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
    bad.push(`GET /people/${XSS[0].ref} (${page1.status}) does not show the name escaped as &lt;script&gt;…`);
  const page2 = await admin.get(`/people/${XSS[1].ref}`);
  if (!page2.text.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'))
    bad.push(`GET /people/${XSS[1].ref} (${page2.status}) does not show the name escaped as &quot;&gt;&lt;img…`);
  const page3 = await admin.get(`/people/${XSS[2].ref}`);
  if (!page3.text.includes('O&#39;Hara') && !page3.text.includes('O&#x27;Hara'))
    bad.push(`GET /people/${XSS[2].ref} (${page3.status}) does not show O'Hara escaped as O&#39;Hara`);
  const search = await admin.get(`/candidates?q=${encodeURIComponent(SCRIPT)}`);
  if (!search.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
    bad.push(`GET /candidates?q=<script>… (${search.status}) does not echo the search string escaped`);
  // JSON is JSON: the payload stays inside a string, served as JSON.
  const api = await admin.get(`/api/v1/people/${XSS[0].ref}`);
  if (api.status !== 200 || !/^application\/json/.test(api.ctype)) bad.push(`GET /api/v1/people/${XSS[0].ref}: ${api.status} ${api.ctype}`);
  else if (JSON.parse(api.text).person?.full_name !== XSS[0].name && JSON.parse(api.text).full_name !== XSS[0].name)
    bad.push(`GET /api/v1/people/${XSS[0].ref} does not give the name back as it was stored`);
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('XSS: payloads posted through the forms come back escaped, also in a form shown again with its errors', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const token = await admin.csrfToken();
  const bad = [];
  const look = (what, r) => {
    if (r.status >= 500) bad.push(`${what}: ${r.status} (${L.gist(r)})`);
    for (const f of FORBIDDEN)
      if (r.text.includes(f)) bad.push(`${what} (${r.status}) has ${JSON.stringify(f)} unescaped`);
  };
  // A new candidate whose every text field holds a payload, with the birth
  // date missing: the form comes back with the typed values.
  const payload = `${IMG}${SCRIPT}O'Hara`;
  look('POST /candidates/new (refused, shown again)', await admin.post('/candidates/new', {
    form: { csrf: token, ref: `R${IMG}`, full_name: payload, sex: 'M', birth_date: `x${SCRIPT}`, unit: 'CT.BT.P01.C01',
      ethnicity: payload, religion: payload, phone: payload, note: payload, source_date: '2025-12-01', org: 'cell', source_note: payload },
  }));
  // Accepted: a new candidate named with the payload, through the form.
  const ref = '096199000009';
  const created = await admin.post('/candidates/new', {
    form: { csrf: token, ref, full_name: `Ngô ${SCRIPT} ${IMG} O'Hara`, sex: 'F', birth_date: '1999-09-09', unit: 'CT.BT.P01.C01',
      source_date: '2025-12-01', org: 'cell', source_note: `it's a 'note' ${SCRIPT}` },
  });
  if (created.status !== 303) bad.push(`POST /candidates/new with a payload name: expected 303, got ${created.status} (${L.gist(created)})`);
  look(`GET /people/${ref}`, await admin.get(`/people/${ref}`));
  // A step note and an edit, refused and accepted.
  const h = await hiddenOf(`/people/${ref}?step=mentor`, `/step/${ref}`);
  look('POST /step (refused: no member)', await admin.post(`/step/${ref}`, { form: { ...h, csrf: token, action: 'record', step: 'mentor', date: L.TODAY, member: SCRIPT, note: payload } }));
  look('POST /step (check)', await admin.post(`/step/${ref}`, { form: { ...h, csrf: token, action: 'check', step: 'mentor', date: L.TODAY, member: inMember.ref, note: payload } }));
  const rec = await admin.post(`/step/${ref}`, { form: { ...h, csrf: token, action: 'record', step: 'mentor', date: L.TODAY, member: inMember.ref, note: payload } });
  if (rec.status !== 303) bad.push(`POST /step mentor with a payload note: expected 303, got ${rec.status} (${L.gist(rec)})`);
  const page = await admin.get(`/people/${ref}`);
  look(`GET /people/${ref} with the note`, page);
  if (!page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;')) bad.push(`GET /people/${ref}: the payload is not shown escaped`);
  const e = await hiddenOf(`/edit/${ref}`, `/edit/${ref}`);
  const p = L.parseCsv(L.cli(d.db, ['export', 'people']).stdout).find((r) => r.ref === ref);
  look('POST /edit (refused, shown again)', await admin.post(`/edit/${ref}`, { form: { ...p, ...e, csrf: token, birth_date: payload, note: payload } }));
  look('GET /decisions?done=…', await admin.get(`/decisions?done=${encodeURIComponent(payload)}`));
  look('GET /admin/audit', await admin.get('/admin/audit'));
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('XSS: chromium opens the payload pages and no script runs, no dialog fires', async () => {
  const browser = await L.launchBrowser();
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const dialogs = [];
    page.on('dialog', async (dlg) => { dialogs.push(`${dlg.type()}: ${dlg.message()} on ${page.url()}`); await dlg.dismiss(); });
    await L.browserLogin(page, srv.url, L.userName('admin', 'city'));
    const urls = [...XSS.map((x) => `/people/${x.ref}`), ...XSS.map((x) => `/edit/${x.ref}`),
      `/candidates?q=${encodeURIComponent(SCRIPT)}`, `/candidates?q=${encodeURIComponent(IMG)}`,
      `/candidates?q=${encodeURIComponent("O'Hara")}`, '/candidates?unit=CT.BT.P01.C01', '/reports/deadlines.html'];
    const bad = [];
    const shots = { [`/people/${XSS[0].ref}`]: 'security-01-xss-name-script', [`/people/${XSS[1].ref}`]: 'security-02-xss-name-img',
      [`/candidates?q=${encodeURIComponent(SCRIPT)}`]: 'security-03-xss-search-script' };
    for (const u of urls) {
      await page.goto(srv.url + u);
      const injected = await page.evaluate(() => ({
        img: document.querySelectorAll('img[src="x"]').length,
        script: [...document.scripts].filter((s) => /alert/.test(s.textContent)).length,
      }));
      if (injected.img || injected.script) bad.push(`${u}: ${injected.img} injected <img>, ${injected.script} injected <script>`);
      if (shots[u]) await L.screenshot(page, shots[u]);
    }
    await page.waitForTimeout(300);
    assert.equal(dialogs.length + bad.length, 0, [...dialogs, ...bad].join('\n'));
  } finally {
    await browser.close();
  }
});

// ---- SQL metacharacters ----

test('SQL metacharacters in every query parameter and path argument: no 5xx, nothing written', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const viewer = await L.session(srv.url, 'viewer.p02');
  const beforeSnap = L.snapshot(d.db);
  const bad = [];
  const jobs = [];
  const gets = ROUTES.filter((r) => r.method === 'GET');
  for (const r of gets) {
    const base = r.pattern.endsWith('*') ? r.pattern.slice(0, -1) : r.pattern;
    const arg = r.pattern.endsWith('*') ? ({ '/lang/': 'en', '/static/': 'app.css', '/reports/': 'deadlines.csv', '/api/v1/reports/': 'deadlines', '/units/': 'CT.BT', '/api/v1/units/': 'CT.BT' }[base] ?? inPerson.ref) : '';
    for (const p of SQL_PAYLOADS) {
      const e = encodeURIComponent(p);
      if (r.pattern.endsWith('*')) {
        jobs.push([admin, `${base}${e}`, r]);
        jobs.push([admin, `${base}${encodeURIComponent(arg + p)}`, r]);
      }
      for (const k of PARAMS) jobs.push([admin, `${base}${arg}?${k}=${e}`, r]);
    }
  }
  // 5xx answers, counted by route and status, with one example each.
  const fails = new Map();
  for (let i = 0; i < jobs.length; i += 8) {
    const rs = await Promise.all(jobs.slice(i, i + 8).map(([c, p, r]) => c.get(p).then((res) => [p, r, res])));
    for (const [p, r, res] of rs) {
      if (res.status < 500) continue;
      const k = `GET ${r.pattern} → ${res.status}`;
      const f = fails.get(k) || { n: 0, example: `GET ${p} (${L.gist(res)})` };
      f.n++;
      fails.set(k, f);
    }
  }
  for (const [k, f] of fails) bad.push(`${k} for ${f.n} request(s), e.g. ${f.example}`);
  // No extra rows: no one's name holds these strings, so a search finds
  // no one (not everyone, as an unescaped LIKE wildcard or an injected
  // OR would).
  const p02 = new Set(L.peopleUnder(d.db, 'CT.BT.P02').map((p) => p.ref));
  for (const p of SQL_PAYLOADS) {
    if (p === "'" || p === '"') continue; // the XSS people have them in their names (ward P01, not visible here)
    const e = encodeURIComponent(p);
    const api = await viewer.get(`/api/v1/people?q=${e}`);
    if (api.status === 200) {
      const j = JSON.parse(api.text);
      const n = j.total ?? (j.people || []).length;
      if (n !== 0) bad.push(`GET /api/v1/people?q=${p} as viewer of CT.BT.P02 found ${n} people (expected none)`);
    } else if (api.status >= 500 || api.status === 501) bad.push(`GET /api/v1/people?q=${p}: ${api.status}`);
    const html = await viewer.get(`/candidates?q=${e}`);
    const shown = [...p02].filter((ref) => html.text.includes(ref));
    if (html.status !== 200) bad.push(`GET /candidates?q=${p} as viewer of CT.BT.P02: ${html.status}, expected 200 with no rows`);
    else if (shown.length) bad.push(`GET /candidates?q=${p} as viewer of CT.BT.P02 lists ${shown.length} people (expected none)`);
  }
  for (const p of ["'", '"']) {
    const api = await viewer.get(`/api/v1/people?q=${encodeURIComponent(p)}`);
    if (api.status === 200 && JSON.parse(api.text).total !== 0) bad.push(`GET /api/v1/people?q=${p} as viewer of CT.BT.P02 found people`);
  }
  const afterSnap = L.snapshot(d.db);
  for (const k of Object.keys(beforeSnap))
    if (beforeSnap[k] !== afterSnap[k]) bad.push(`GET requests changed the ${k}`);
  assert.equal(bad.length, 0, `${bad.length} problem(s):\n${bad.slice(0, 60).join('\n')}`);
});

test('SQL metacharacters in every posted field: no 5xx, the database intact', async () => {
  const admin = await L.session(srv.url, L.userName('admin', 'city'));
  const token = await admin.csrfToken();
  const count = () => Number(L.sql(d.db, 'SELECT count(*) FROM people')[0][0]);
  const people = count();
  const bad = [];
  const fails = new Map();
  const note = (k, example) => {
    const f = fails.get(k) || { n: 0, example };
    f.n++;
    fails.set(k, f);
  };
  for (const r of stateChanging) {
    const key = `${r.method} ${r.pattern}`;
    if (key === 'POST /logout') continue;
    for (const p of ["' OR 1=1 --", "'; DROP TABLE people; --", '%_\\";--']) {
      const proto = await POSTS[key]();
      const fields = proto.kind === 'csv' ? { text: null } : { ...proto.fields };
      for (const f of Object.keys(fields)) {
        const req = await POSTS[key]();
        if (req.kind === 'csv') req.text = req.text.replace('Lê Văn Nhập', `"${p.replace(/"/g, '""')}"`);
        else req.fields = { ...req.fields, [f]: p };
        const { path, opts } = encode(req, token);
        const res = await admin.send(r.method, path, opts);
        if (res.status >= 500) note(`${key} → ${res.status}`, `${f}=${p} (${L.gist(res)})`);
      }
      // And in the path argument.
      if (r.pattern.endsWith('*')) {
        const req = await POSTS[key]();
        req.path = r.pattern.slice(0, -1) + encodeURIComponent(`nope${p}`); // no one has this ref
        const { path, opts } = encode(req, token);
        const res = await admin.send(r.method, path, opts);
        if (res.status >= 500) note(`${key} → ${res.status}`, `path ${path}`);
        else if (res.status >= 200 && res.status < 300 && !key.includes('imports')) bad.push(`${r.method} ${path}: ${res.status} (expected 404: no such person)`);
      }
    }
  }
  for (const [k, f] of fails) bad.push(`${k} for ${f.n} request(s), e.g. ${f.example}`);
  const integrity = /^postgres/.test(d.db) ? 'ok' : L.sql(d.db, 'PRAGMA integrity_check').map((x) => x[0]).join(' ');
  if (integrity !== 'ok') bad.push(`integrity_check: ${integrity}`);
  if (count() < people) bad.push(`people went from ${people} to ${count()}`);
  for (const t of ['people', 'steps', 'units', 'users', 'sessions', 'audit'])
    L.sql(d.db, `SELECT count(*) FROM ${t}`); // throws when a table is gone
  assert.equal(bad.length, 0, `${bad.length} problem(s):\n${bad.slice(0, 60).join('\n')}`);
});

// ---- sessions ----

const authed = async (c) => {
  const r = await c.get('/api/v1/me');
  const page = await c.get('/candidates');
  return { api: r.status, page: page.status, pageLoc: page.location };
};

test('a session cookie stops working after logout', async () => {
  const c = await L.session(srv.url, 'logout.p01');
  const token = await c.csrfToken();
  const cookie = c.cookies.kn_session;
  const before = await authed(c);
  assert.ok(before.api !== 401 && !(before.page === 303 && /^\/login/.test(before.pageLoc)), `signed in: ${JSON.stringify(before)}`);
  const out = await c.post('/logout', { form: { csrf: token } });
  assert.equal(out.status, 303);
  assert.match(out.location, /^\/login/);
  const sc = out.setCookies.kn_session;
  assert.ok(sc && sc.value === '' && /Max-Age=0/i.test(sc.raw), `logout clears the cookie: ${sc && sc.raw}`);
  // The old cookie, replayed, is refused everywhere.
  const replay = new L.Client(srv.url);
  replay.cookies.kn_session = cookie;
  const page = await replay.get('/candidates');
  assert.equal(page.status, 303, 'GET /candidates with the old cookie');
  assert.match(page.location, /^\/login/);
  assert.equal((await replay.get('/api/v1/me')).status, 401, 'GET /api/v1/me with the old cookie');
  const snap = L.snapshot(d.db);
  const post = await replay.post(`/step/${inPerson.ref}`, { form: { step: 'mentor', date: L.TODAY, member: inMember.ref, csrf: token } });
  assert.equal(post.status, 303, 'POST with the old cookie and token');
  const api = await replay.post(`/api/v1/steps/${inPerson.ref}`, { json: { step: 'mentor', date: L.TODAY, member: inMember.ref }, csrf: token });
  assert.equal(api.status, 401, 'API POST with the old cookie and token');
  assert.deepEqual(L.snapshot(d.db), snap, 'nothing written with the old cookie');
  const rows = L.sql(d.db, "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'logout.p01'");
  assert.equal(rows[0][0], '0', 'the session row is gone');
});

test('a session idle longer than the timeout is refused (and one idle less is not)', async () => {
  const ageSessions = (user, seconds) => L.sql(d.db,
    `UPDATE sessions SET last_seen = last_seen - ${seconds}, created = created - ${seconds} WHERE user_id = (SELECT id FROM users WHERE name = '${user}')`);
  // Default idle timeout: 30 minutes.
  const fresh = await L.session(srv.url, 'expiry.p01');
  ageSessions('expiry.p01', 29 * 60);
  const ok = await fresh.get('/api/v1/me');
  assert.notEqual(ok.status, 401, 'idle 29 minutes: still signed in');
  const page = await fresh.get('/candidates');
  assert.ok(!(page.status === 303 && /^\/login/.test(page.location)), 'idle 29 minutes: the page is shown');

  const old = await L.session(srv.url, 'expiry2.p01');
  ageSessions('expiry2.p01', 31 * 60);
  const r = await old.get('/candidates');
  assert.equal(r.status, 303, 'idle 31 minutes: sent to sign in');
  assert.match(r.location, /^\/login/);
  assert.equal((await old.get('/api/v1/me')).status, 401, 'idle 31 minutes: the API says 401');
  const rows = L.sql(d.db, "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'expiry2.p01'");
  assert.equal(rows[0][0], '0', 'the expired session is deleted');

  // `serve --idle-timeout 1`: one minute.
  const short = await L.startServer(d, { extraArgs: ['--idle-timeout', '1'], label: 'idle1' });
  try {
    const c = await L.session(short.url, 'expiry.p01');
    ageSessions('expiry.p01', 61);
    const s = await c.get('/candidates');
    assert.equal(s.status, 303, '--idle-timeout 1, idle 61 s: sent to sign in');
    assert.match(s.location, /^\/login/);
  } finally {
    await short.stop();
  }
});

test('login throttling: 6 wrong passwords, then 429 even with the right one; others unaffected', async () => {
  const c = new L.Client(srv.url);
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await c.login('throttle.p01', `wrong-password-${i}`)).status);
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401], `the first wrong passwords: ${statuses}`);
  assert.equal(statuses[5], 429, `the 6th try: ${statuses}`);
  const right = await c.login('throttle.p01');
  assert.equal(right.status, 429, 'the right password while throttled');
  assert.ok(!c.cookies.kn_session, 'no session while throttled');
  const other = new L.Client(srv.url);
  const ok = await other.login('bystander.p01');
  assert.equal(ok.status, 303, 'another user from the same address still signs in');
});

test('login: the pre-login token is required, and `next` never leaves the site', async () => {
  const c = new L.Client(srv.url);
  const noPre = await c.post('/login', { form: { name: 'bystander.p01', password: L.password('bystander.p01'), next: '/' } });
  assert.equal(noPre.status, 403, 'POST /login without the pre-login token');
  assert.ok(!c.cookies.kn_session);
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const c2 = new L.Client(srv.url);
    const r = await c2.login('bystander.p01', L.password('bystander.p01'), next);
    assert.equal(r.status, 303);
    assert.equal(r.location, '/', `next=${next} → ${r.location}`);
  }
});

// ---- headers ----

test('headers: CSP without unsafe-inline, nosniff, no-store, HttpOnly + SameSite=Strict cookies', async () => {
  const c = new L.Client(srv.url);
  const form = await c.get('/login');
  const pre = form.setCookies.kn_pre;
  assert.ok(pre, 'GET /login sets the pre-login cookie');
  assert.match(pre.raw, /HttpOnly/i);
  assert.match(pre.raw, /SameSite=Strict/i);
  const login = await c.login('bystander.p01');
  const sc = login.setCookies.kn_session;
  assert.ok(sc, 'login sets the session cookie');
  assert.match(sc.raw, /;\s*HttpOnly/i);
  assert.match(sc.raw, /;\s*SameSite=Strict/i);
  assert.match(sc.raw, /;\s*Path=\//i);
  assert.match(sc.value, /^[0-9a-f]{64}$/, 'a 256-bit random token');
  const bad = [];
  const responses = [['GET /login', form], ['POST /login', login]];
  for (const p of ['/', '/candidates', `/people/${inPerson.ref}`, '/reports', '/reports/achievement.csv', '/reports/achievement.xlsx',
    '/api/v1/me', '/api/v1/people', '/static/app.css', '/static/app.js', '/healthz', '/no-such-page', '/admin', '/api/v1/nothing'])
    responses.push([`GET ${p}`, await c.get(p)]);
  responses.push(['GET /candidates (anonymous)', await new L.Client(srv.url).get('/candidates')]);
  for (const [what, r] of responses) {
    const csp = r.headers.get('content-security-policy');
    if (!csp) { bad.push(`${what}: no Content-Security-Policy`); continue; }
    if (/unsafe-inline|unsafe-eval/.test(csp)) bad.push(`${what}: CSP allows ${csp}`);
    if (!/default-src 'none'|default-src 'self'/.test(csp)) bad.push(`${what}: CSP has no restrictive default-src: ${csp}`);
    if (!/frame-ancestors 'none'/.test(csp)) bad.push(`${what}: CSP lets other sites frame the page`);
    if (r.headers.get('x-content-type-options') !== 'nosniff') bad.push(`${what}: X-Content-Type-Options is ${r.headers.get('x-content-type-options')}`);
    if (!what.includes('/static/') && !/no-store/.test(r.headers.get('cache-control') || '')) bad.push(`${what}: Cache-Control ${r.headers.get('cache-control')} (expected no-store)`);
  }
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('behind a TLS proxy (--trust-proxy, X-Forwarded-Proto: https): Secure cookies and HSTS', async () => {
  const s = await L.startServer(d, { extraArgs: ['--trust-proxy'], label: 'proxy' });
  try {
    const c = new L.Client(s.url);
    const h = { 'X-Forwarded-Proto': 'https' };
    const form = await c.get('/login', { headers: h });
    assert.match(form.setCookies.kn_pre.raw, /;\s*Secure/i, 'the pre-login cookie is Secure');
    const pre = L.hiddenField(form.text, 'pre');
    const r = await c.post('/login', { headers: h, form: { pre, name: 'proxy.p01', password: L.password('proxy.p01'), next: '/' } });
    assert.equal(r.status, 303);
    assert.match(r.setCookies.kn_session.raw, /;\s*Secure/i, 'the session cookie is Secure');
    assert.match(r.setCookies.kn_session.raw, /HttpOnly/i);
    assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d+/, 'HSTS');
  } finally {
    await s.stop();
  }
});

// ---- hardening (issue 11): redirects, throttle race, sessions, bodies, scopes ----

test('login: `next` from a crafted link never leaves the site (tab, backslash, CR/LF, scheme)', async () => {
  // As an attacker's link carries them: the query of GET /login.
  const links = ['%2F%09%2Fevil.com', '%2F%2Fevil.com', '%2F%5Cevil.com', 'https%3A%2F%2Fevil.com',
    '%2F%0d%0aSet-Cookie%3Ax', '%2F%0aevil', '%2F%20%2Fevil.com', '%2F%5C%2Fevil.com', '%09%2F%2Fevil.com'];
  const bad = [];
  for (const q of links) {
    const c = new L.Client(srv.url);
    const form = await c.get(`/login?next=${q}`);
    const hidden = L.hiddenField(form.text, 'next');
    if (hidden !== '/') bad.push(`GET /login?next=${q}: the form carries next=${JSON.stringify(hidden)}`);
    const r = await c.login('bystander.p01', L.password('bystander.p01'), decodeURIComponent(q));
    if (r.status !== 303 || r.location !== '/') bad.push(`next=${q}: ${r.status} → ${JSON.stringify(r.location)}`);
    if (r.setCookies.x) bad.push(`next=${q} set a cookie x`);
  }
  // A plain local path is still followed.
  const c = new L.Client(srv.url);
  const ok = await c.login('bystander.p01', L.password('bystander.p01'), '/candidates?unit=CT.BT.P01');
  if (ok.location !== '/candidates?unit=CT.BT.P01') bad.push(`a local next: → ${ok.location}`);
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('login throttling holds under a race: 40 parallel wrong passwords on 16 threads get at most 5 checked', async () => {
  const s = await L.startServer(d, { extraArgs: ['--threads', '16'], label: 'race' });
  try {
    const clients = [];
    for (let i = 0; i < 40; i++) {
      const c = new L.Client(s.url);
      const form = await c.get('/login');
      clients.push([c, L.hiddenField(form.text, 'pre')]);
    }
    const answers = await Promise.all(clients.map(([c, pre], i) =>
      c.post('/login', { form: { pre, name: 'race.p01', password: `wrong-${i}`, next: '/' } })));
    const wrong = answers.filter((r) => r.status === 401).length;
    const throttled = answers.filter((r) => r.status === 429).length;
    assert.equal(wrong + throttled, 40, `every answer is 401 or 429: ${answers.map((r) => r.status)}`);
    assert.ok(wrong <= 5, `${wrong} passwords were checked (told "wrong password"), at most 5 may be`);
    const audited = Number(L.sql(d.db, "SELECT count(*) FROM audit WHERE action = 'login-failed' AND key = 'race.p01'")[0][0]);
    assert.ok(audited <= 5, `${audited} failed sign-ins in the audit, at most 5 may be`);
    const right = await new L.Client(s.url).login('race.p01');
    assert.equal(right.status, 429, 'the right password while throttled');
  } finally {
    await s.stop();
  }
});

const signedIn = async (c) => (await c.get('/api/v1/me')).status === 200;

test('an admin\'s password reset ends the user\'s sessions', async () => {
  const victim = await L.session(srv.url, 'reset.p01');
  assert.ok(await signedIn(victim), 'signed in before the reset');
  const admin = await L.session(srv.url, L.userName('admin', 'ward'));
  const r = await admin.post('/admin/users', { form: { csrf: await admin.csrfToken(), action: 'passwd', name: 'reset.p01', password: 'mat-khau-moi-2026' } });
  assert.equal(r.status, 303, `the reset: ${r.status} ${L.gist(r)}`);
  assert.ok(!(await signedIn(victim)), 'the old session still works after the reset');
  assert.ok(await signedIn(admin), 'the admin\'s own session goes on');
  const again = await new L.Client(srv.url).login('reset.p01', 'mat-khau-moi-2026');
  assert.equal(again.status, 303, 'the new password signs in');
});

test('changing one\'s own password ends one\'s other sessions, not this one', async () => {
  const here = await L.session(srv.url, 'selfpw.p01');
  const there = await L.session(srv.url, 'selfpw.p01');
  const r = await here.post('/admin/users', { form: { csrf: await here.csrfToken(), action: 'passwd', name: 'selfpw.p01', password: 'mat-khau-moi-2026' } });
  assert.equal(r.status, 303, `the change: ${r.status} ${L.gist(r)}`);
  assert.ok(await signedIn(here), 'the session that changed the password goes on');
  assert.ok(!(await signedIn(there)), 'the second session still works after the change');
});

test('`ketnap user passwd` ends the user\'s web sessions', async () => {
  const c = await L.session(srv.url, 'clipw.p01');
  assert.ok(await signedIn(c));
  L.cli(d.db, ['user', 'passwd', 'clipw.p01'], { input: 'mat-khau-moi-2026\n' });
  assert.ok(!(await signedIn(c)), 'the session still works after `user passwd`');
});

test('a session older than its absolute lifetime is refused, however active', async () => {
  const old = await L.session(srv.url, 'lifetime.p01');
  const young = await L.session(srv.url, 'lifetime2.p01');
  // Created 13 hours ago (the default lifetime is 12), seen just now.
  L.sql(d.db, "UPDATE sessions SET created = created - 13 * 3600 WHERE user_id = (SELECT id FROM users WHERE name = 'lifetime.p01')");
  L.sql(d.db, "UPDATE sessions SET created = created - 11 * 3600 WHERE user_id = (SELECT id FROM users WHERE name = 'lifetime2.p01')");
  assert.equal((await old.get('/api/v1/me')).status, 401, 'a 13-hour-old session');
  const page = await old.get('/candidates');
  assert.equal(page.status, 303);
  assert.match(page.location, /^\/login/);
  assert.ok(await signedIn(young), 'an 11-hour-old session still works');
  // `serve --session-lifetime 1`: one hour.
  const short = await L.startServer(d, { extraArgs: ['--session-lifetime', '1'], label: 'lifetime1' });
  try {
    const c = await L.session(short.url, 'lifetime2.p01');
    L.sql(d.db, "UPDATE sessions SET created = created - 3700 WHERE user_id = (SELECT id FROM users WHERE name = 'lifetime2.p01')");
    assert.equal((await c.get('/api/v1/me')).status, 401, '--session-lifetime 1, a session of 62 minutes');
  } finally {
    await short.stop();
  }
});

// Peak and current resident memory of a process, in MiB.
function memoryOf(pid) {
  const t = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((t.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

test('bodies before sign-in are small: 1 MiB → 413, twenty parallel 31 MiB bodies leave memory alone', async () => {
  const s = await L.startServer(d, { label: 'bodies' });
  try {
    const c = new L.Client(s.url);
    const form = await c.get('/login');
    const pre = L.hiddenField(form.text, 'pre');
    const big = `pre=${pre}&name=bystander.p01&password=${'x'.repeat(1 << 20)}`;
    const r = await c.post('/login', { body: big, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 413, `1 MiB to /login: ${r.status}`);
    assert.match(L.gist(r), /KiB|large|lớn/i, `the 413 says why: ${L.gist(r)}`);
    const api = await new L.Client(s.url).post('/api/v1/imports/people', { body: 'x'.repeat(1 << 20), headers: { 'Content-Type': 'text/csv' } });
    assert.equal(api.status, 413, `1 MiB to an import without signing in: ${api.status}`);
    const before = memoryOf(s.proc.pid);
    const huge = Buffer.alloc(31 << 20, 'a');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      fetch(`${s.url}${i % 2 ? '/login' : '/api/v1/imports/people'}`, {
        method: 'POST', body: huge, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }).then((x) => x.status, (e) => `error ${e.cause?.code || e.message}`)));
    const after = memoryOf(s.proc.pid);
    assert.ok(answers.every((x) => x === 413), `the 31 MiB bodies: ${answers}`);
    assert.ok(after.hwm - before.rss < 64, `the server grew from ${before.rss.toFixed(0)} to a peak of ${after.hwm.toFixed(0)} MiB`);
    if (!process.env.ASAN_OPTIONS) assert.ok(after.hwm < 120, `the server's peak memory: ${after.hwm.toFixed(0)} MiB`);
    // Signed in, an admin's import may still be large.
    const admin = await L.session(s.url, L.userName('admin', 'city'));
    const csv = 'ref,full_name,sex,birth_date,unit\n' + Array.from({ length: 25000 }, (_, i) =>
      `092096${String(i).padStart(6, '0')},Lê Văn Lớn,M,1996-06-06,CT.BT.P01.C01`).join('\n') + '\n';
    assert.ok(csv.length > 1 << 20);
    const imp = await admin.post('/api/v1/imports/people?dry_run=1', { body: csv, headers: { 'Content-Type': 'text/csv' }, csrf: await admin.csrfToken() });
    assert.ok(imp.status !== 413 && imp.status < 500, `a signed-in admin's 1.5 MiB import: ${imp.status} ${L.gist(imp)}`);
    // But not to a route that takes no uploads.
    const json = await admin.post('/api/v1/people', { json: { ref: '098600000001', full_name: 'x'.repeat(2 << 20) }, csrf: await admin.csrfToken() });
    assert.equal(json.status, 413, `2 MiB of JSON to POST /api/v1/people: ${json.status}`);
  } finally {
    await s.stop();
  }
});

test('scopes: a step naming a person of another district is answered exactly as one naming no one', async () => {
  const viewer = await L.session(srv.url, L.userName('viewer', 'ward'));
  const editor = await L.session(srv.url, L.userName('editor', 'ward'));
  const far = L.fullMember(d.db, 'CT.DN');
  assert.ok(far, 'a member of CT.DN');
  const nobody = '099999999998';
  const bad = [];
  const same = (what, a, b) => {
    if (a.status !== b.status) bad.push(`${what}: ${a.status} for another district's member, ${b.status} for no one`);
    const ta = a.text.split(far.ref).join('REF'), tb = b.text.split(nobody).join('REF');
    if (ta !== tb) bad.push(`${what}: the answers differ:\n  ${L.gist(a)}\n  ${L.gist(b)}`);
    for (const r of [a, b])
      if (L.readable(r).includes(far.name.normalize('NFC'))) bad.push(`${what}: the answer names ${far.name}`);
  };
  const intro = (ref) => ({ step: 'introduced', date: L.TODAY, introducer1: ref, introducer1_since: '2023-01-01' });
  const mentor = (ref) => ({ step: 'mentor', date: L.TODAY, member: ref });
  for (const [label, body] of [['introducer', intro], ['mentor', mentor]]) {
    same(`POST /api/v1/check (${label}) as a viewer`,
      await viewer.post(`/api/v1/check/${inPerson.ref}`, { json: body(far.ref), csrf: await viewer.csrfToken() }),
      await viewer.post(`/api/v1/check/${inPerson.ref}`, { json: body(nobody), csrf: await viewer.csrfToken() }));
    const snap = L.snapshot(d.db);
    same(`POST /api/v1/steps (${label}) as an editor`,
      await editor.post(`/api/v1/steps/${inPerson.ref}`, { json: body(far.ref), csrf: await editor.csrfToken() }),
      await editor.post(`/api/v1/steps/${inPerson.ref}`, { json: body(nobody), csrf: await editor.csrfToken() }));
    if (JSON.stringify(L.snapshot(d.db)) !== JSON.stringify(snap)) bad.push(`POST /api/v1/steps (${label}) wrote a step`);
    for (const action of ['check', 'record']) {
      const h = L.formHidden((await editor.get(`/people/${inPerson.ref}?step=${body('').step}`)).text, `/step/${inPerson.ref}`);
      const form = (ref) => ({ ...h, csrf: h.csrf || editor.csrf, action, ...Object.fromEntries(Object.entries(body(ref)).map(([k, v]) => [k, String(v)])) });
      same(`POST /step (${label}, ${action}) on the candidate's page`,
        await editor.post(`/step/${inPerson.ref}`, { form: form(far.ref) }),
        await editor.post(`/step/${inPerson.ref}`, { form: form(nobody) }));
    }
  }
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('a busy database: reads go on, a write is 503 with Retry-After (not a conflict), the CLI exits 3', { skip: /^postgres/.test(process.env.KN_TEST_PG || '') && 'SQLite only' }, async () => {
  assert.equal(L.sql(d.db, 'PRAGMA journal_mode')[0][0], 'wal', 'the database is in WAL mode: readers never wait for the writer');
  const viewer = await L.session(srv.url, L.userName('viewer', 'ward'));
  const editor = await L.session(srv.url, L.userName('editor', 'ward'));
  const token = await editor.csrfToken();
  // Sessions last seen 2 minutes ago: the next request touches them (a write).
  L.sql(d.db, 'UPDATE sessions SET last_seen = last_seen - 120');
  // Another process takes the write lock and keeps it.
  const holder = spawn('sqlite3', [d.db], { stdio: ['pipe', 'pipe', 'inherit'] });
  const locked = new Promise((res) => holder.stdout.on('data', (b) => { if (String(b).includes('locked')) res(); }));
  holder.stdin.write("BEGIN IMMEDIATE;\nUPDATE units SET name = name WHERE code = 'CT';\nSELECT 'locked';\n");
  await locked;
  try {
    const t0 = Date.now();
    const reads = await Promise.all([viewer.get('/api/v1/people?q=a'), viewer.get('/candidates'), viewer.get(`/people/${inPerson.ref}`)]);
    const readMs = Date.now() - t0;
    assert.deepEqual(reads.map((r) => r.status), [200, 200, 200], 'reads while another process writes');
    assert.ok(readMs < 5000, `the reads waited ${readMs} ms for the writer's lock`);
    // A write, through the API and through the command line, at once.
    const cli = new Promise((res) => {
      const p = spawn(L.KETNAP, ['--db', d.db, 'step', inPerson.ref, 'mentor', '--date', L.TODAY, '--member', inMember.ref],
        { env: { ...process.env, KETNAP_TODAY: L.TODAY, KETNAP_LOCALEDIR: L.LOCALEDIR, LANG: 'C.UTF-8', KETNAP_USER: 'admin.ct' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      p.stderr.on('data', (b) => { err += b; });
      p.on('exit', (code) => res({ code, err }));
    });
    const api = await editor.post(`/api/v1/steps/${inPerson.ref}`, { json: { step: 'mentor', date: L.TODAY, member: inMember.ref }, csrf: token });
    assert.equal(api.status, 503, `a write while the database is locked: ${api.status} ${L.gist(api)}`);
    assert.match(api.headers.get('retry-after') || '', /^\d+$/, 'Retry-After');
    const c = await cli;
    assert.equal(c.code, 3, `ketnap step while the database is locked exits ${c.code}: ${c.err}`);
    assert.match(c.err, /busy/i, 'the CLI says the database is busy');
  } finally {
    holder.stdin.end('ROLLBACK;\n.quit\n');
    await new Promise((res) => holder.on('exit', res));
  }
});

test('large uploads: at most two at once, the third gets 503 with Retry-After', async () => {
  const s = await L.startServer(d, { label: 'uploads' });
  const held = [];
  try {
    const admin = await L.session(s.url, L.userName('admin', 'city'));
    const csrf = await admin.csrfToken();
    const headers = { Cookie: `kn_session=${admin.cookies.kn_session}`, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' };
    const chunk = Buffer.alloc(2 << 20, 'a');
    // Two uploads of 10 MiB that send 2 MiB and then wait: each holds a slot.
    for (let i = 0; i < 2; i++) {
      const sock = connect(s.port, '127.0.0.1');
      sock.on('error', () => {});
      await new Promise((res) => sock.once('connect', res));
      sock.write(`POST /api/v1/imports/people?dry_run=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${10 << 20}\r\n\r\n`);
      await new Promise((res) => sock.write(chunk, res));
      held.push(sock);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const third = await admin.post('/api/v1/imports/people?dry_run=1', { body: chunk, headers: { 'Content-Type': 'text/csv' }, csrf });
    assert.equal(third.status, 503, `a third large upload: ${third.status} ${L.gist(third)}`);
    assert.match(third.headers.get('retry-after') || '', /^\d+$/, 'Retry-After');
    // The two end: the slots are free again.
    for (const sock of held) sock.destroy();
    held.length = 0;
    let again;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
      again = await admin.post('/api/v1/imports/people?dry_run=1', { body: chunk, headers: { 'Content-Type': 'text/csv' }, csrf });
      if (again.status !== 503) break;
    }
    assert.ok(again.status !== 503 && again.status !== 413 && again.status < 500, `a large upload once the others ended: ${again.status} ${L.gist(again)}`);
  } finally {
    for (const sock of held) sock.destroy();
    await s.stop();
  }
});
