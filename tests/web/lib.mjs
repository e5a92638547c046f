// lib.mjs — what the web tests share: a `ketnap serve` on a free port over
// a fresh `demo --size small` database with accounts of every role at three
// units (the city CT, the district CT.BT, the ward CT.BT.P01), plain HTTP
// helpers (sign in, CSRF token, requests with the session cookie), a
// headless Debian chromium through playwright-core, and the command line.
//
// Environment (tests/cli/web_browser.sh sets it; defaults suit a run from
// the source tree after `make build`):
//   KETNAP            the binary              (default $KN_BUILD/ketnap)
//   KN_BUILD          the build directory     (default <source>/build)
//   KETNAP_LOCALEDIR  the message catalogues  (default $KN_BUILD/locale)
//   KN_TEST_PG        a PostgreSQL base URL: the databases go there instead
//   CHROMIUM          the browser             (default /usr/bin/chromium)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, existsSync, writeFileSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = resolve(process.env.KN_BUILD || join(SRC, 'build'));
export const KETNAP = resolve(process.env.KETNAP || join(BUILD, 'ketnap'));
export const LOCALEDIR = process.env.KETNAP_LOCALEDIR || join(BUILD, 'locale');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TODAY = '2025-12-20';
// Runs on PostgreSQL (pg/cli/web_browser) keep their files apart.
const TAG = process.env.KN_TEST_PG ? 'pg-' : '';
export const SHOTS = join(BUILD, TAG ? 'screenshots-pg' : 'screenshots');

// The units the accounts belong to, and for each a unit inside its subtree
// and one outside it ("another ward" for the ward, another bloc for the
// district; the city has nothing outside).
export const UNITS = {
  ward: { code: 'CT.BT.P01', inside: 'CT.BT.P01.C01', outside: 'CT.BT.P02', tag: 'p01' },
  district: { code: 'CT.BT', inside: 'CT.BT.P01', outside: 'CT.DN', tag: 'bt' },
  city: { code: 'CT', inside: 'CT.BT.P01', outside: null, tag: 'ct' },
};
export const ROLES = ['viewer', 'editor', 'approver', 'admin'];
export const ROLE_RANK = { none: 0, viewer: 1, editor: 2, approver: 3, admin: 4 };

export function userName(role, level) {
  return `${role}.${UNITS[level].tag}`;
}
export function password(name) {
  return `mat-khau-${name}-2025`;
}

const BASE_ENV = {
  ...process.env,
  KETNAP_TODAY: TODAY,
  KETNAP_LOCALEDIR: LOCALEDIR,
  LANG: 'C.UTF-8',
  // The command line acts as an account once there are any (CLI.md):
  // the city's administrator, the first account makeDatabase() adds.
  KETNAP_USER: 'admin.ct',
};

// ---- the command line ----

// Run `ketnap --db DB ARGS…`; returns {status, stdout, stderr}. Throws when
// `check` and the exit status is not 0.
export function cli(db, args, { input, check = true } = {}) {
  const r = spawnSync(KETNAP, ['--db', db, ...args], {
    env: BASE_ENV, input: input ?? '', encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  if (check && r.status !== 0)
    throw new Error(`ketnap ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Rows of a SQL query on the database (sqlite3 or psql), as arrays of
// strings ('|' separates the columns, so keep '|' out of the values).
export function sql(db, query) {
  const pg = /^postgres(ql)?:\/\//.test(db);
  const r = pg
    ? spawnSync('psql', [db, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`sql failed (${query}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

// A minimal RFC 4180 CSV parser (the exports quote fields with commas).
export function parseCsv(text) {
  const rows = [];
  let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; }
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; }
    else if (c === '\n') { row.push(f.replace(/\r$/, '')); rows.push(row); row = []; f = ''; }
    else f += c;
  }
  if (f !== '' || row.length) { row.push(f); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

// Everything written so far, as text: comparing two snapshots tells
// whether a refused request wrote anything.
export function snapshot(db) {
  const out = {};
  for (const kind of ['units', 'people', 'quotas', 'steps', 'holidays'])
    out[kind] = cli(db, ['export', kind]).stdout;
  out.users = cli(db, ['user', 'list']).stdout;
  out.candidacies = sql(db, 'SELECT id, person_id, unit_id, stage, is_open, version FROM candidacies ORDER BY id')
    .map((r) => r.join('|')).join('\n');
  return out;
}

// ---- a server on a fresh database ----

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A fresh database for test `name`: a file under $KN_BUILD/web-tests/, or
// a PostgreSQL database when KN_TEST_PG is set.
function freshDb(name) {
  const dir = join(BUILD, 'web-tests', TAG + name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pgBase = process.env.KN_TEST_PG;
  if (!pgBase) return { dir, db: join(dir, 'ketnap.db'), drop() {} };
  const dbName = `kn_web_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`;
  const run = (q) => {
    const r = spawnSync('psql', [pgBase, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', q], {
      encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  };
  run(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  run(`CREATE DATABASE "${dbName}"`);
  const prefix = pgBase.split('?')[0];
  const query = pgBase.slice(prefix.length);
  const db = `${prefix.slice(0, prefix.lastIndexOf('/'))}/${dbName}${query}`;
  return { dir, db, drop: () => { try { run(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`); } catch { /* best effort */ } } };
}

// Make the demo database and the accounts: for each of ward, district and
// city, one user of each role (userName(role, level), password(name)),
// and the extra [name, unit, role] accounts asked for.
export function makeDatabase(name, { extraUsers = [] } = {}) {
  const d = freshDb(name);
  cli(d.db, ['demo', '--size', 'small']);
  const users = [];
  // The city's administrator first: the first account must be an
  // administrator of a top unit, and the others are added as it.
  for (const level of Object.keys(UNITS).reverse())
    for (const role of [...ROLES].reverse()) users.push([userName(role, level), UNITS[level].code, role]);
  for (const [n, unit, role] of [...users, ...extraUsers])
    cli(d.db, ['user', 'add', n, '--unit', unit, '--role', role], { input: password(n) + '\n' });
  return d;
}

// Start `ketnap serve` on database d (from makeDatabase) and wait for
// /healthz. Returns {url, port, db, dir, proc, log, stop()}.
export async function startServer(d, { extraArgs = [], label = 'server' } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const log = join(d.dir, `${label}-${port}.log`);
    const out = openSync(join(d.dir, `${label}-${port}.out`), 'a');
    const proc = spawn(KETNAP, ['--db', d.db, 'serve', '--listen', `127.0.0.1:${port}`,
      '--threads', '2', '--access-log', log, ...extraArgs],
    { env: BASE_ENV, stdio: ['ignore', out, out] });
    let exited = null;
    proc.on('exit', (code, sig) => { exited = { code, sig }; });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline && !exited) {
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.status === 200 && (await r.text()).startsWith('ok')) {
          return {
            url, port, db: d.db, dir: d.dir, proc, log,
            // SIGTERM, then the server's own words: a sanitizer's report
            // (the suite runs under ASan/UBSan too) fails the test file.
            async stop() {
              const early = exited;
              if (!exited) {
                const done = new Promise((r) => proc.once('exit', r));
                proc.kill('SIGTERM');
                const t = setTimeout(() => proc.kill('SIGKILL'), 15000);
                await done;
                clearTimeout(t);
              }
              const out = readFileSync(join(d.dir, `${label}-${port}.out`), 'utf8');
              const m = out.match(/^.*(ERROR: (Address|Leak|Thread)Sanitizer|runtime error:).*$/m);
              if (m) throw new Error(`ketnap serve (${label}) reported: ${m[0]}\n(see ${join(d.dir, `${label}-${port}.out`)})`);
              if (early) throw new Error(`ketnap serve (${label}) died during the tests: ${JSON.stringify(early)}; see ${d.dir}`);
              if (exited && exited.sig === 'SIGKILL') throw new Error(`ketnap serve (${label}) did not stop on SIGTERM within 15 s`);
            },
            output() { return readFileSync(join(d.dir, `${label}-${port}.out`), 'utf8'); },
          };
        }
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    if (!exited) proc.kill('SIGKILL');
    // Someone took the port between our probe and the server's bind: retry.
  }
  throw new Error(`ketnap serve did not answer /healthz; see ${d.dir}`);
}

// ---- HTTP with a session ----

// The cookies a response sets: {name: {value, raw}}. Node 18's fetch
// (Debian's) has no getSetCookie() and joins the headers with ", ", which
// is safe to split here: these cookies carry no Expires date.
function setCookies(res) {
  const list = typeof res.headers.getSetCookie === 'function'
    ? res.headers.getSetCookie()
    : (res.headers.get('set-cookie') || '').split(/,\s*(?=[A-Za-z0-9_-]+=)/).filter(Boolean);
  const out = {};
  for (const c of list) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i).trim()] = { value: pair.slice(i + 1).trim(), raw: c };
  }
  return out;
}
export { setCookies };

export function hiddenField(html, name) {
  const re = new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'i');
  const m = html.match(re);
  if (!m) return null;
  const v = m[0].match(/value="([^"]*)"/i);
  return v ? v[1] : null;
}

// The hidden inputs of the first form whose action is `action` (with or
// without a query), as {name: value}; {} when there is no such form.
export function formHidden(html, action) {
  const esc = action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = html.match(new RegExp(`<form[^>]*action="${esc}(\\?[^"]*)?"[^>]*>([\\s\\S]*?)</form>`));
  const out = {};
  if (!m) return out;
  for (const inp of m[2].matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const n = inp[0].match(/name="([^"]*)"/), v = inp[0].match(/value="([^"]*)"/);
    if (n) out[n[1]] = v ? v[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : '';
  }
  return out;
}

// A client: a cookie jar of one session. send() never follows redirects.
export class Client {
  constructor(base, { lang } = {}) {
    this.base = base;
    this.cookies = {};
    if (lang) this.cookies.kn_lang = lang;
    this.csrf = null;
  }

  cookieHeader(path) {
    return Object.entries(this.cookies)
      .filter(([k]) => k !== 'kn_pre' || path.startsWith('/login'))
      .map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // method, path (with query), {form, json, body, headers, csrf}; returns
  // {status, headers, location, text, bytes, ctype}.
  async send(method, path, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    const ch = this.cookieHeader(path);
    if (ch && !opts.noCookies) headers.Cookie = ch;
    let body;
    if (opts.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) p.append(k, v);
      body = p.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
      headers['Content-Type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
    }
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    let res;
    try {
      res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    } catch (e) {
      // Most often the server died on an earlier request: its output (a
      // sanitizer's report, a crash) is in $KN_BUILD/web-tests/<test>/.
      throw new Error(`${method} ${path}: no answer from ${this.base} (${e.cause?.code || e.cause?.message || e.message}); ` +
        'has ketnap serve crashed? see its output under $KN_BUILD/web-tests/');
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    for (const [k, v] of Object.entries(setCookies(res))) {
      if (v.value === '' || /Max-Age=0/i.test(v.raw)) delete this.cookies[k];
      else this.cookies[k] = v.value;
    }
    const ctype = res.headers.get('content-type') || '';
    return {
      status: res.status, headers: res.headers, location: res.headers.get('location'),
      bytes, ctype, text: bytes.toString('utf8'), setCookies: setCookies(res),
    };
  }

  get(path, opts) { return this.send('GET', path, opts); }
  post(path, opts) { return this.send('POST', path, opts); }

  // Sign in through the form: GET /login for the pre-login token, then
  // POST it with the credentials. Returns the POST's response.
  async login(name, pw = password(name), next = '/') {
    const form = await this.get('/login');
    const pre = hiddenField(form.text, 'pre');
    if (!pre) throw new Error(`GET /login gave no pre-login token (status ${form.status})`);
    return this.post('/login', { form: { pre, name, password: pw, next } });
  }

  // The session's CSRF token: the hidden field of any page of the signed-in
  // layout (the sign-out form has it), or GET /api/v1/me.
  async csrfToken() {
    if (this.csrf) return this.csrf;
    for (const p of ['/', '/candidates', '/reports']) {
      const r = await this.get(p);
      const t = hiddenField(r.text, 'csrf');
      if (t) return (this.csrf = t);
    }
    const me = await this.get('/api/v1/me');
    try {
      const j = JSON.parse(me.text);
      const t = j.csrf || j.csrf_token || (j.session && j.session.csrf);
      if (t) return (this.csrf = t);
    } catch { /* not JSON */ }
    throw new Error('no CSRF token found on /, /candidates, /reports or /api/v1/me');
  }
}

// A signed-in client of user `name`.
export async function session(base, name, opts) {
  const c = new Client(base, opts);
  const r = await c.login(name);
  if (r.status !== 303 || !c.cookies.kn_session)
    throw new Error(`login of ${name} failed: ${r.status} ${r.text.slice(0, 300)}`);
  return c;
}

// ---- reading what comes back ----

// The texts of every entry of a ZIP (an XLSX workbook), joined: enough to
// search a download for names.
export function zipText(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error('not a ZIP file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad ZIP central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const off = buf.readUInt32LE(p + 42);
    const name = buf.slice(p + 46, p + 46 + nlen).toString('utf8');
    const lnlen = buf.readUInt16LE(off + 26), lxlen = buf.readUInt16LE(off + 28);
    const data = buf.slice(off + 30 + lnlen + lxlen, off + 30 + lnlen + lxlen + csize);
    const raw = method === 8 ? inflateRawSync(data) : data;
    parts.push(`--- ${name}\n${raw.toString('utf8')}`);
    p += 46 + nlen + xlen + clen;
  }
  return parts.join('\n');
}

// A response's text as a reader would search it: XLSX unzipped, JSON
// re-serialised without \u escapes, everything NFC.
export function readable(r) {
  let t = r.text;
  if (r.bytes.length > 4 && r.bytes.readUInt32LE(0) === 0x04034b50) {
    try { t = zipText(r.bytes); } catch { /* keep the bytes */ }
  } else if (/json/.test(r.ctype)) {
    try { t = JSON.stringify(JSON.parse(r.text)); } catch { /* keep */ }
  }
  return t.normalize('NFC');
}

// A response in a few words for a failure message: the error paragraph of
// an HTML page, the message of a JSON error, else the start of the body.
export function gist(r) {
  const t = r.text || '';
  let m = t.match(/<p class="error"[^>]*>([\s\S]*?)<\/p>/) || t.match(/<title>([\s\S]*?)<\/title>/);
  if (/json/.test(r.ctype || '')) {
    try { const j = JSON.parse(t); if (j.error) return JSON.stringify(j.error).slice(0, 200); } catch { /* fall through */ }
  }
  const s = (m ? m[1] : t).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return s.slice(0, 160);
}

// ---- the demo's people, read from the database ----

// People whose unit is `code` or below it: [{ref, name, unit}].
export function peopleUnder(db, code) {
  return sql(db, `SELECT p.ref, p.full_name, u.code FROM people p JOIN units u ON u.id = p.unit_id
                  WHERE u.code = '${code}' OR u.code LIKE '${code}.%' ORDER BY p.ref`)
    .map(([ref, name, unit]) => ({ ref, name: name.normalize('NFC'), unit }));
}

// An open candidacy under `code`: {ref, name, unit, stage}, preferring
// the given stages in order.
export function openCandidate(db, code, stages = []) {
  const rows = sql(db, `SELECT p.ref, p.full_name, u.code, c.stage FROM candidacies c
                        JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id
                        WHERE c.is_open = 1 AND (u.code = '${code}' OR u.code LIKE '${code}.%')
                        ORDER BY p.ref`)
    .map(([ref, name, unit, stage]) => ({ ref, name, unit, stage }));
  for (const s of stages) {
    const hit = rows.find((r) => r.stage === s);
    if (hit) return hit;
  }
  return rows[0] || null;
}

// A full member under `code` (official before 2024): {ref, name, unit}.
export function fullMember(db, code, skip = 0) {
  const rows = sql(db, `SELECT p.ref, p.full_name, u.code FROM people p JOIN units u ON u.id = p.unit_id
                        WHERE p.official_since IS NOT NULL AND p.official_since < '2023-01-01'
                        AND (u.code = '${code}' OR u.code LIKE '${code}.%') ORDER BY p.ref`);
  const r = rows[skip];
  return r ? { ref: r[0], name: r[1], unit: r[2] } : null;
}

// ---- chromium ----

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: scripts/deps.sh installs Debian's chromium`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// Sign in through the page's form; leaves the page where the server sent it.
export async function browserLogin(page, base, name, pw = password(name)) {
  await page.goto(`${base}/login`);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', pw);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
}

// A full-page screenshot to $KN_BUILD/screenshots/NAME.png (NAME as
// "NN-what", numbered by the caller so the files sort in story order).
export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function writeFile(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

// The route table, parsed from src/web/routes.c, so that a route added
// there is in every matrix without anyone remembering to add it.
export function routes() {
  const text = readFileSync(join(SRC, 'src', 'web', 'routes.c'), 'utf8');
  const body = text.slice(text.indexOf('kn_routes[]'));
  const re = /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*([^,]+?)\s*,\s*(ROLE_[A-Z]+)\s*,\s*(\w+)\s*\}/g;
  const out = [];
  for (let m; (m = re.exec(body));) {
    const flags = m[3];
    out.push({
      method: m[1], pattern: m[2], public: /R_PUBLIC/.test(flags), noCsrf: /R_NO_CSRF/.test(flags),
      minRole: m[4].replace('ROLE_', '').toLowerCase(), handler: m[5],
    });
  }
  const declared = (body.match(/\{\s*"[A-Z]+"\s*,/g) || []).length;
  if (out.length !== declared || out.length === 0)
    throw new Error(`parsed ${out.length} of ${declared} routes in routes.c: the pattern needs updating`);
  return out;
}
