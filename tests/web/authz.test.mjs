// authz.test.mjs — the authorisation matrix of `ketnap serve`: every route
// of src/web/routes.c (parsed, so a new route cannot escape) × every role
// (none, viewer, editor, approver, admin) × a target inside and outside the
// user's subtree, at three levels (ward CT.BT.P01, district CT.BT, city CT).
//
// Expected: no session → 303 to /login (pages) or 401 (API); a role below
// the route's → 403; a target outside the subtree → 404 (a unit, person or
// report named in the path or in ?unit=) or a refusal that writes nothing
// (a unit named in a posted form); inside → 2xx, 3xx or 422. Posts carry
// the session's CSRF token, so that this tests authorisation, not CSRF.
// And a user never reads another subtree's people: every body a ward or
// district user gets is searched for the names and refs of the people of
// the unit outside (the neighbouring ward, the other bloc), whatever the
// route or parameter (?unit=, ?q=, report kind and format).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

const LEVELS = ['ward', 'district', 'city'];
let d, srv;
const clients = {}; // user name → Client
let anon;
const T = {}; // level → targets

function refOf(x) { return x ? x.ref : 'no-such-person'; }

before(async () => {
  d = L.makeDatabase('authz');
  srv = await L.startServer(d);
  anon = new L.Client(srv.url);
  for (const level of LEVELS)
    for (const role of L.ROLES) {
      const n = L.userName(role, level);
      clients[n] = await L.session(srv.url, n);
      await clients[n].csrfToken();
    }
  for (const level of LEVELS) {
    const u = L.UNITS[level];
    const t = { unit: u };
    // The ward CT.BT.P01 is inside for all three levels.
    t.inPerson = L.openCandidate(d.db, 'CT.BT.P01', ['cell_vote', 'committee_vote', 'applied', 'trained']);
    t.inMember = L.fullMember(d.db, t.inPerson.unit);
    if (u.outside) {
      t.outPerson = L.openCandidate(d.db, u.outside, ['committee_vote', 'cell_vote', 'applied', 'trained']);
      t.outMember = L.fullMember(d.db, t.outPerson.unit);
      // What must never show: the outside unit's people, less any name that
      // also belongs to someone visible (same name inside, a unit's name, a
      // mentor or introducer of an inside candidacy).
      const inside = L.peopleUnder(d.db, u.code);
      const insideNames = inside.map((p) => p.name);
      const unitNames = L.sql(d.db, 'SELECT name FROM units').map((r) => r[0].normalize('NFC'));
      const linked = new Set(L.sql(d.db, `SELECT DISTINCT q.ref FROM steps s
          JOIN candidacies c ON c.id = s.candidacy_id JOIN units un ON un.id = c.unit_id
          JOIN people q ON q.id IN (s.member_id, s.intro1_id, s.intro2_id)
          WHERE un.code = '${u.code}' OR un.code LIKE '${u.code}.%'`).map((r) => r[0]));
      t.secret = L.peopleUnder(d.db, u.outside).filter((p) => !linked.has(p.ref) &&
        !insideNames.some((n) => n.includes(p.name)) && !unitNames.some((n) => n.includes(p.name)));
      assert.ok(t.secret.length > 5, `the ${u.outside} has people to hide`);
    }
    T[level] = t;
  }
});

after(async () => {
  if (srv) await srv.stop();
  if (d) d.drop();
});

// ---- what each route is sent ----

let seq = 0;
const uniq = () => `${Date.now() % 100000}${++seq}`.padStart(8, '0');

const personFields = (unit, ref) => ({
  ref, full_name: `Trần Thị Thử ${ref}`, sex: 'F', birth_date: '1995-05-05', unit,
  ethnicity: 'Kinh', education: '12/12', occupation: 'worker',
});

function currentPerson(ref) {
  const rows = L.parseCsv(L.cli(d.db, ['export', 'people']).stdout);
  return rows.find((r) => r.ref === ref) || { ref };
}

function multipart(fields, file) {
  const b = `----kn${uniq()}`;
  let s = '';
  for (const [k, v] of Object.entries(fields))
    s += `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  if (file)
    s += `--${b}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
      `Content-Type: text/csv\r\n\r\n${file.text}\r\n`;
  s += `--${b}--\r\n`;
  return { body: s, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` } };
}

const peopleCsv = (unit, ref) =>
  `ref,full_name,sex,birth_date,unit\n${ref},Lê Văn Nhập ${ref},M,1996-06-06,${unit}\n`;

// How a route is reached for a target unit code and person: the request,
// and how an outside answer is judged ('404': exactly 404, as for a unit
// or person named in the path or in ?unit=; 'refuse': 403/404/422 with
// nothing written, for a unit named in a posted form). null: the route
// has no outside (it names no unit or person), only inside is tried.
// A route missing here fails the test: add it.
const PLAN = {
  'GET /login': () => ({ path: '/login' }),
  'POST /login': () => ({ special: 'login' }),
  'POST /logout': () => ({ special: 'logout' }),
  'GET /lang/*': () => ({ path: '/lang/en' }),
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /static/*': () => ({ path: '/static/app.css' }),
  'GET /': () => ({ path: '/' }),
  'GET /units/*': (t) => ({ path: `/units/${t.unit}`, outside: '404' }),
  'GET /candidates': (t) => ({ path: `/candidates?unit=${t.unit}`, outside: '404' }),
  'GET /candidates/new': () => ({ path: '/candidates/new' }),
  'POST /candidates/new': (t) => {
    const ref = `R09${uniq()}99`;
    return { form: { ...personFields(t.unit, ref), source_date: '2025-12-01', org: 'cell' }, outside: 'refuse', written: () => personExists(ref) };
  },
  'GET /people/*': (t) => ({ path: `/people/${refOf(t.person)}`, outside: '404' }),
  'POST /step/*': async (t) => ({ path: `/step/${refOf(t.person)}`, form: { ...(await hiddenOf(`/people/${refOf(t.person)}?step=mentor`, `/step/${refOf(t.person)}`)), action: 'record', step: 'mentor', date: L.TODAY, member: refOf(t.member) }, outside: '404' }),
  'GET /edit/*': (t) => ({ path: `/edit/${refOf(t.person)}`, outside: '404' }),
  'POST /edit/*': async (t) => ({ path: `/edit/${refOf(t.person)}`, form: { ...currentPerson(refOf(t.person)), ...(await hiddenOf(`/edit/${refOf(t.person)}`, `/edit/${refOf(t.person)}`)) }, outside: '404' }),
  // issue 15: transfers. The letter to the person's own unit is refused
  // (KN-TRANSFER-DEST, 422) and the arrival of a person not in transit too
  // (422): nothing is written inside, 404 outside.
  'POST /transfer/*': (t) => ({ path: `/transfer/${refOf(t.person)}`, form: { to: t.person ? t.person.unit : 'CT', date: L.TODAY }, outside: '404' }),
  'POST /arrive/*': (t) => ({ path: `/arrive/${refOf(t.person)}`, form: { date: L.TODAY }, outside: '404' }),
  'GET /decisions': () => ({ path: '/decisions' }),
  'POST /decisions': (t) => ({ path: '/decisions', form: { ref: refOf(t.person), date: L.TODAY, first: uniq(), suffix: 'QĐ/QU' }, outside: 'refuse', decision: true, written: () => hasDecision(refOf(t.person)) }),
  'POST /decisions/*': (t) => ({ path: `/decisions/${refOf(t.person)}`, form: { doc_no: `${uniq()}-QĐ/QU`, date: L.TODAY }, outside: '404', decision: true }),
  'GET /reports': (t) => ({ path: `/reports?kind=achievement&unit=${t.unit}`, outside: '404' }),
  'GET /reports/*': (t) => ({ path: `/reports/achievement.csv?unit=${t.unit}`, outside: '404' }),
  'GET /import': () => ({ path: '/import' }),
  'POST /import': (t) => {
    const ref = `R08${uniq()}88`;
    return { ...multipart({ kind: 'people', dry_run: '1' }, { field: 'file', name: 'people.csv', text: peopleCsv(t.unit, ref) }), outside: 'refuse', written: () => personExists(ref) };
  },
  'GET /admin': () => ({ path: '/admin' }),
  'GET /admin/units': () => ({ path: '/admin/units' }),
  'POST /admin/units': (t) => {
    const code = `${t.unit}.T${uniq()}`;
    return { form: { mode: 'add', focus: t.unit, code, parent: t.unit, name: `Chi bộ thử ${code}`, kind: 'cell', sector: 'other' }, outside: 'refuse', written: () => L.sql(d.db, `SELECT 1 FROM units WHERE code = '${code}'`).length > 0 };
  },
  'GET /admin/quotas': () => ({ path: '/admin/quotas' }),
  'POST /admin/quotas': (t) => {
    const year = String(2030 + (seq % 60));
    // The quota grid posts q:CATEGORY:UNIT = target for a year.
    return { form: { year, focus: t.unit, [`q:total:${t.unit}`]: '7' }, outside: 'refuse', written: () => L.cli(d.db, ['export', 'quotas']).stdout.split('\n').some((l) => l.startsWith(`${t.unit},${year},`)) };
  },
  'GET /admin/users': () => ({ path: '/admin/users' }),
  'POST /admin/users': (t) => {
    const name = `u${uniq()}`;
    return { form: { action: 'add', name, unit: t.unit, role: 'viewer', password: 'mat-khau-moi-2025' }, outside: 'refuse', written: () => L.cli(d.db, ['user', 'list']).stdout.includes(name) };
  },
  'GET /admin/holidays': () => ({ path: '/admin/holidays' }),
  // The calendar is everyone's: only an admin of the top unit changes it.
  'POST /admin/holidays': () => ({ form: { date: '2026-01-02', name: 'Nghỉ bù thử', workday: '0' }, rootOnly: true }),
  'GET /admin/audit': () => ({ path: '/admin/audit' }),
  // issue 15: the policy is everyone's, like the calendar: only an admin of
  // the top unit adds a row (the value is the default's: nothing changes).
  'GET /admin/policy': () => ({ path: '/admin/policy' }),
  'POST /admin/policy': () => ({ form: { key: 'probation.months', value: '12', from: '2031-01-01' }, rootOnly: true }),
  // The DL-DECISION extension: whoever may record the decision (422 when
  // the candidacy is not before a committee, or was extended already).
  'POST /extend/*': (t) => ({ path: `/extend/${refOf(t.person)}`, form: { doc_no: `${uniq()}-QĐ/QU`, date: L.TODAY }, outside: '404', decision: true }),
  // issue 15: the possible duplicates and their merge (a person with
  // themselves: refused, 422, inside; 404 outside; never written).
  'GET /admin/duplicates': () => ({ path: '/admin/duplicates' }),
  'POST /admin/duplicates': (t) => ({ form: { keep: refOf(t.person), drop: refOf(t.person) }, outside: 'refuse', written: () => L.sql(d.db, `SELECT 1 FROM merged_refs WHERE ref = '${refOf(t.person)}'`).length > 0 }),
  'GET /api/v1/me': () => ({ path: '/api/v1/me' }),
  'GET /api/v1/units': () => ({ path: '/api/v1/units' }),
  'GET /api/v1/units/*': (t) => ({ path: `/api/v1/units/${t.unit}`, outside: '404' }),
  'GET /api/v1/people': (t) => ({ path: `/api/v1/people?unit=${t.unit}`, outside: '404' }),
  'POST /api/v1/people': (t) => {
    const ref = `R07${uniq()}77`;
    return { json: personFields(t.unit, ref), outside: 'refuse', written: () => personExists(ref) };
  },
  'GET /api/v1/people/*': (t) => ({ path: `/api/v1/people/${refOf(t.person)}`, outside: '404' }),
  'POST /api/v1/people/*': (t) => ({ path: `/api/v1/people/${refOf(t.person)}`, json: { phone: '0909000000' }, outside: '404' }),
  'POST /api/v1/steps/*': (t) => ({ path: `/api/v1/steps/${refOf(t.person)}`, json: { step: 'mentor', date: L.TODAY, member: refOf(t.member) }, outside: '404' }),
  'POST /api/v1/check/*': (t) => ({ path: `/api/v1/check/${refOf(t.person)}`, json: { step: 'mentor', date: L.TODAY, member: refOf(t.member) }, outside: '404' }),
  'GET /api/v1/reports/*': (t) => ({ path: `/api/v1/reports/achievement?unit=${t.unit}`, outside: '404' }),
  'GET /api/v1/dashboard': (t) => ({ path: `/api/v1/dashboard?unit=${t.unit}`, outside: '404' }),
  'GET /api/v1/decisions': () => ({ path: '/api/v1/decisions' }),
  'POST /api/v1/imports/*': (t) => {
    const ref = `R06${uniq()}66`;
    return { path: '/api/v1/imports/people?dry_run=1', body: peopleCsv(t.unit, ref), headers: { 'Content-Type': 'text/csv' }, outside: 'refuse', written: () => personExists(ref) };
  },
  'GET /api/v1/audit': () => ({ path: '/api/v1/audit' }),
};

// The hidden fields (version, stamp, action …) of the form posting to
// `action` on page `path`, as the city admin sees it: the tokens a real
// form would carry, also for people outside the user's subtree.
async function hiddenOf(path, action) {
  const admin = clients[L.userName('admin', 'city')];
  const r = await admin.get(path);
  return L.formHidden(r.text, action);
}

// Whether a decision dated today is recorded for ref (a batch decision
// through POST /decisions writes one).
function hasDecision(ref) {
  return L.cli(d.db, ['export', 'steps']).stdout.includes(`\n${ref},decision,${L.TODAY},`);
}

function personExists(ref) {
  return L.sql(d.db, `SELECT 1 FROM people WHERE ref = '${ref}'`).length > 0;
}

// ---- sending and judging ----

// The first 40 lines of a list of failures (the rest counted), so that a
// route still answering 501 does not drown the report.
function summarise(bad) {
  const notBuilt = (l) => / 501\b|: 501/.test(l);
  const sorted = [...bad.filter((l) => !notBuilt(l)), ...bad.filter(notBuilt)];
  const n501 = bad.filter(notBuilt).length;
  return sorted.slice(0, 40).join('\n') + (sorted.length > 40 ? `\n… and ${sorted.length - 40} more` : '') +
    (n501 ? `\n(${n501} of them answered 501: a page not built yet)` : '');
}

const isRedirectToLogin = (r) => (r.status === 302 || r.status === 303) && /^\/login(\?|$)/.test(r.location || '');
const ok = (s) => (s >= 200 && s < 400) || s === 422;

// The outside people a response shows. A search string the page echoes
// back (the search box's value) is not a leak: it is taken out first.
function leaks(level, r, path = '') {
  const t = T[level];
  if (!t || !t.secret) return [];
  let body = L.readable(r);
  const q = new URL(path, 'http://x').searchParams.get('q');
  if (q) body = body.split(q.normalize('NFC')).join(' ');
  const out = [];
  for (const p of t.secret) {
    if (body.includes(p.ref)) out.push(`ref ${p.ref}`);
    if (body.includes(p.name)) out.push(`name ${p.name}`);
  }
  return out;
}

async function send(client, route, req) {
  const path = req.path || route.pattern;
  const opts = {};
  if (req.form) { const { csrf: _, ...rest } = req.form; opts.form = { ...rest, csrf: client.csrf || '' }; }
  if (req.json) { opts.json = req.json; opts.csrf = client.csrf || undefined; }
  if (req.body !== undefined) {
    opts.body = req.body;
    opts.headers = req.headers;
    if (client.csrf) opts.csrf = client.csrf;
  }
  if (route.method === 'POST' && !req.form && !req.json && req.body === undefined) {
    opts.form = { csrf: client.csrf || '' };
  }
  return client.send(route.method, path, opts);
}

const targetFor = (level, where) => {
  const t = T[level];
  return where === 'inside'
    ? { unit: t.unit.inside, person: t.inPerson, member: t.inMember }
    : { unit: t.unit.outside, person: t.outPerson, member: t.outMember };
};

function describeReq(route, role, level, where, req) {
  return `${route.method} ${req.path || route.pattern} as ${role}${role === 'none' ? '' : ` of ${L.UNITS[level].code}`} (${where})`;
}

const ROUTES = L.routes();
// Every status seen, as a table in $KN_BUILD/web-tests/authz-matrix.tsv
// (route, role, unit, inside/outside, status) for review.
const observed = [];
after(() => {
  if (observed.length)
    L.writeFile(`${L.BUILD}/web-tests/${process.env.KN_TEST_PG ? 'pg-' : ''}authz-matrix.tsv`,
      `route\trole\tunit\ttarget\tstatus\n${observed.join('\n')}\n`);
});

test('the route table parses and every route has a plan', () => {
  assert.ok(ROUTES.length >= 40, `only ${ROUTES.length} routes parsed`);
  const missing = ROUTES.map((r) => `${r.method} ${r.pattern}`).filter((k) => !PLAN[k]);
  assert.deepEqual(missing, [], 'routes of routes.c with no entry in the authorisation matrix');
});

for (const route of ROUTES) {
  const key = `${route.method} ${route.pattern}`;
  test(`matrix: ${key} (least role ${route.minRole}${route.public ? ', public' : ''})`, async () => {
    const plan = PLAN[key];
    assert.ok(plan, `no plan for ${key}`);
    const bad = [];
    const check = (cond, what, r, expected) => {
      if (!cond) bad.push(`${what}: expected ${expected}, got ${r.status}${r.location ? ` → ${r.location}` : ''} (${L.gist(r)})`);
    };

    // No session.
    {
      const req = await plan(targetFor('ward', 'inside'));
      let r;
      if (req.special === 'login') {
        const c = new L.Client(srv.url);
        r = await c.login('nobody.here', 'wrong-password-1');
        check(r.status === 401, describeReq(route, 'none', 'ward', 'inside', req), r, '401 (wrong credentials)');
      } else if (req.special === 'logout') {
        r = await anon.post('/logout', { form: { csrf: 'x' } });
        check(isRedirectToLogin(r), describeReq(route, 'none', 'ward', 'inside', req), r, '303 to /login');
      } else {
        r = await send(anon, route, req);
        if (route.public) check(r.status >= 200 && r.status < 400, describeReq(route, 'none', 'ward', 'inside', req), r, '2xx/3xx');
        else if (key.includes('/api/')) check(r.status === 401, describeReq(route, 'none', 'ward', 'inside', req), r, '401');
        else check(isRedirectToLogin(r), describeReq(route, 'none', 'ward', 'inside', req), r, '303 to /login');
      }
    }

    for (const level of LEVELS)
      for (const role of L.ROLES) {
        const name = L.userName(role, level);
        const client = clients[name];
        const allowed = route.public || L.ROLE_RANK[role] >= L.ROLE_RANK[route.minRole];
        for (const where of ['inside', 'outside']) {
          if (where === 'outside' && !L.UNITS[level].outside) continue;
          const req = await plan(targetFor(level, where));
          if (where === 'outside' && !req.outside) continue;
          const what = describeReq(route, role, level, where, req);
          let r;
          if (req.special === 'login') {
            const c = new L.Client(srv.url);
            r = await c.login(name);
            check(r.status === 303 && c.cookies.kn_session, what, r, '303 with a session');
            continue;
          }
          if (req.special === 'logout') {
            const c = await L.session(srv.url, name);
            await c.csrfToken();
            r = await c.post('/logout', { form: { csrf: c.csrf } });
            check(isRedirectToLogin(r), what, r, '303 to /login');
            continue;
          }
          r = await send(client, route, req);
          observed.push(`${key}\t${role}\t${L.UNITS[level].code}\t${where}\t${r.status}`);
          if (r.status >= 500) {
            check(false, what, r, !allowed ? '403' : where === 'inside' ? '2xx/3xx/422' : req.outside === '404' ? '404' : '403/404/422');
            continue;
          }
          if (!allowed) {
            check(r.status === 403, what, r, '403 (role below the route\'s)');
          } else if (where === 'inside') {
            // An approver whose unit is not the competent committee may
            // not record the decision: 403 or 422 (KN-AUTHORITY) then.
            const competent = level === 'district' || role === 'admin';
            if (req.rootOnly && level !== 'city')
              check(r.status === 403, what, r, '403 (only an admin of the top unit)');
            else if (req.decision && !competent)
              check(r.status === 403 || r.status === 422, what, r, '403/422 (not the competent committee)');
            else
              check(ok(r.status), what, r, '2xx/3xx/422');
          } else if (req.outside === '404') {
            check(r.status === 404, what, r, '404 (outside the subtree)');
          } else {
            check([403, 404, 422].includes(r.status), what, r, '403/404/422 (outside the subtree)');
            if (req.written) check(!req.written(), `${what} wrote`, r, 'nothing written');
          }
          const leaked = leaks(level, r, req.path || '');
          check(leaked.length === 0, `${what} leaks ${leaked.slice(0, 4).join(', ')}`, r, 'no outside people in the body');
        }
      }
    assert.equal(bad.length, 0, `${bad.length} cell(s) of the matrix wrong:\n${summarise(bad)}`);
  });
}

// ---- no route or parameter shows the other ward's people ----

const REPORT_KINDS = ['achievement', 'structure', 'funnel', 'sources', 'deadlines', 'ranking', 'summary'];
const FORMATS = ['csv', 'xlsx', 'html', 'json'];

for (const level of ['ward', 'district']) {
  test(`no leak: users of ${L.UNITS[level].code} never read ${L.UNITS[level].outside}'s people by any route or parameter`, async () => {
    const t = T[level];
    const out = t.unit.outside;
    const probe = t.secret.slice(0, 3);
    // [path, must be refused]: a unit or person outside named in the path
    // or in ?unit= is refused (403/404); searches and lists only must not
    // show anyone from outside.
    const paths = [];
    const R = (p) => paths.push([p, true]);
    const S = (p) => paths.push([p, false]);
    for (const p of probe) {
      const name = encodeURIComponent(p.name);
      const folded = encodeURIComponent(p.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase());
      R(`/people/${p.ref}`); R(`/edit/${p.ref}`); R(`/api/v1/people/${p.ref}`);
      R(`/units/${p.unit}`); R(`/api/v1/units/${p.unit}`);
      R(`/candidates?unit=${p.unit}`); R(`/candidates?q=${name}&unit=${out}`);
      R(`/api/v1/people?unit=${p.unit}&q=${name}`);
      S(`/candidates?q=${name}`); S(`/candidates?q=${folded}`); S(`/candidates?q=${p.ref}`);
      S(`/api/v1/people?q=${name}`); S(`/api/v1/people?q=${folded}`); S(`/api/v1/people?q=${p.ref}`);
      S(`/?q=${name}`); S(`/admin/audit?q=${p.ref}`); S(`/api/v1/audit?q=${p.ref}`);
    }
    R(`/candidates?unit=${out}&step=cell_vote`); R('/candidates?unit=CT'); R('/api/v1/people?unit=CT');
    R(`/api/v1/dashboard?unit=${out}`); R(`/reports?unit=${out}`); R(`/units/${out}`);
    for (const p of ['/', '/candidates', '/candidates?overdue=1', '/candidates?page=2', '/decisions',
      '/api/v1/people', '/api/v1/decisions', '/api/v1/dashboard', '/admin/audit', '/api/v1/audit',
      '/api/v1/units', '/api/v1/me', `/?unit=${out}`, `/decisions?unit=${out}`,
      `/api/v1/decisions?unit=${out}`, `/admin/audit?unit=${out}`, `/api/v1/audit?unit=${out}`]) S(p);
    for (const kind of REPORT_KINDS) {
      S(`/reports?kind=${kind}`); S(`/api/v1/reports/${kind}`);
      R(`/reports?kind=${kind}&unit=${out}`); R(`/api/v1/reports/${kind}?unit=${out}`);
      R(`/api/v1/reports/${kind}?unit=CT&depth=9`);
      for (const f of FORMATS) {
        S(`/reports/${kind}.${f}`); S(`/reports/${kind}.${f}?depth=9&level=3`);
        R(`/reports/${kind}.${f}?unit=${out}`); R(`/reports/${kind}.${f}?unit=CT&depth=9&level=3`);
      }
    }
    const bad = [];
    for (const role of L.ROLES) {
      const c = clients[L.userName(role, level)];
      for (const [p, refuse] of paths) {
        const r = await c.get(p);
        if (r.status >= 500) bad.push(`GET ${p} as ${role}: ${r.status}`);
        else if (refuse && r.status !== 403 && r.status !== 404)
          bad.push(`GET ${p} as ${role}: expected 403/404 (outside the subtree), got ${r.status}`);
        const leaked = leaks(level, r, p);
        if (leaked.length) bad.push(`GET ${p} as ${role} (${r.status}) shows ${leaked.slice(0, 4).join(', ')}`);
      }
    }
    assert.equal(bad.length, 0, `${bad.length} leak(s) or wrong answer(s):\n${summarise(bad)}`);
  });
}

// ---- bearer tokens obey the same subtree ----

test('bearer token: a ward viewer\'s script gets 404 outside, 403 above its role, and needs no CSRF token', async () => {
  const tokenOf = (n) => L.cli(d.db, ['user', 'token', n]).stdout.trim();
  const viewer = tokenOf(L.userName('viewer', 'ward'));
  const editor = tokenOf(L.userName('editor', 'ward'));
  const t = T.ward;
  const c = new L.Client(srv.url);
  const bad = [];
  const expect = async (method, path, status, tok, json) => {
    const r = await c.send(method, path, { headers: { Authorization: `Bearer ${tok}` }, noCookies: true, json });
    const okk = Array.isArray(status) ? status.includes(r.status) : r.status === status;
    if (!okk) bad.push(`${method} ${path}: expected ${status}, got ${r.status} (${L.gist(r)})`);
    const leaked = leaks('ward', r, path);
    if (leaked.length) bad.push(`${method} ${path} shows ${leaked.slice(0, 3).join(', ')}`);
    return r;
  };
  await expect('GET', '/api/v1/me', 200, viewer);
  await expect('GET', `/api/v1/people/${t.outPerson.ref}`, 404, viewer);
  await expect('GET', `/api/v1/people?unit=${t.unit.outside}`, 404, viewer);
  await expect('GET', `/api/v1/reports/deadlines?unit=${t.unit.outside}`, 404, viewer);
  await expect('GET', `/api/v1/people/${t.inPerson.ref}`, 200, viewer);
  await expect('POST', `/api/v1/steps/${t.inPerson.ref}`, 403, viewer, { step: 'mentor', date: L.TODAY, member: t.inMember.ref });
  await expect('POST', `/api/v1/steps/${t.outPerson.ref}`, 404, editor, { step: 'mentor', date: L.TODAY, member: t.outMember.ref });
  await expect('POST', `/api/v1/steps/${t.inPerson.ref}`, [200, 201, 422], editor, { step: 'mentor', date: L.TODAY, member: t.inMember.ref });
  await expect('GET', '/api/v1/me', 401, 'f'.repeat(64));
  assert.equal(bad.length, 0, bad.join('\n'));
});

test('unknown methods and paths: 405 / 404, never 5xx', async () => {
  const c = clients[L.userName('admin', 'city')];
  const bad = [];
  for (const [m, p, want] of [['PUT', '/candidates', 405], ['DELETE', `/people/${T.ward.inPerson.ref}`, 405],
    ['PATCH', '/api/v1/people', 405], ['GET', '/no-such-page', 404], ['GET', '/api/v1/nothing', 404],
    ['POST', '/healthz', 405]]) {
    const r = await c.send(m, p, { csrf: c.csrf });
    if (r.status !== want) bad.push(`${m} ${p}: expected ${want}, got ${r.status}`);
  }
  assert.equal(bad.length, 0, bad.join('\n'));
});

// ---- an override needs an approver or admin above the candidate's unit,
// on every path: an import (API body, API ?override=, the import page's
// field) is no back door (RULES.md §3) ----

test('override by import: refused for the admin of the candidate\'s own unit, nothing written; accepted from the unit above', async () => {
  // An open candidacy at stage "applied" in a unit below the ward, not the
  // matrix's candidate; a background check dated the day before its
  // application breaks KN-ORDER, so only an override records it.
  const rows = L.sql(d.db, `SELECT p.ref, u.code, MAX(s.date) FROM candidacies c
      JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id
      JOIN steps s ON s.candidacy_id = c.id
      WHERE c.is_open = 1 AND c.stage = 'applied' AND u.code LIKE 'CT.BT.P01.%'
      GROUP BY p.ref, u.code ORDER BY p.ref`);
  const pick = rows.find((r) => r[0] !== T.ward.inPerson.ref) || rows[0];
  assert.ok(pick, 'an applied candidate below CT.BT.P01');
  const [ref, unit, last] = pick;
  const day = new Date(`${last}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  const date = day.toISOString().slice(0, 10);
  const reason = 'Thường vụ đồng ý (thử)';
  const withColumn = `person,step,date,override\n${ref},verified,${date},${reason}\n`;
  const plain = `person,step,date\n${ref},verified,${date}\n`;
  const stepLine = `${ref},verified,${date},`;
  const stepsNow = () => L.cli(d.db, ['export', 'steps']).stdout;
  assert.ok(!stepsNow().includes(stepLine), 'the step is not there yet');

  // An admin of the candidate's own unit (not above it).
  const own = `admin.own${uniq()}`;
  L.cli(d.db, ['user', 'add', own, '--unit', unit, '--role', 'admin'], { input: L.password(own) + '\n' });
  const ownC = await L.session(srv.url, own);
  await ownC.csrfToken();
  const before = L.snapshot(d.db);
  const bad = [];
  const expect = (what, r, status, test) => {
    if (r.status !== status) bad.push(`${what}: expected ${status}, got ${r.status} (${L.gist(r)})`);
    else if (test && !test(r)) bad.push(`${what}: ${L.gist(r)}`);
  };
  const namesOverride = (r) => /override/.test(r.text) && /only an approver or administrator of a unit above/.test(r.text);
  const csv = { 'Content-Type': 'text/csv' };

  for (const dry of ['1', '0']) {
    expect(`own-unit admin, override column, dry_run=${dry}`,
      await ownC.send('POST', `/api/v1/imports/steps?dry_run=${dry}&lang=en`, { body: withColumn, headers: csv, csrf: ownC.csrf }),
      422, (r) => namesOverride(r) && JSON.parse(r.text).error.problems.some((p) => p.line === 2 && p.column === 'override'));
    expect(`own-unit admin, ?override=, dry_run=${dry}`,
      await ownC.send('POST', `/api/v1/imports/steps?dry_run=${dry}&lang=en&override=${encodeURIComponent(reason)}`, { body: plain, headers: csv, csrf: ownC.csrf }),
      422, namesOverride);
  }
  // The import page, committing at once, with the override field and with
  // the column.
  for (const [text, fields] of [[plain, { override: reason }], [withColumn, {}]]) {
    const m = multipart({ csrf: ownC.csrf, kind: 'steps', commit: '1', ...fields }, { field: 'file', name: 'steps.csv', text });
    expect(`own-unit admin, import page${fields.override ? ' override field' : ' override column'}`,
      await ownC.send('POST', '/import?lang=en', { body: m.body, headers: m.headers }), 422, namesOverride);
  }
  // An approver of the district may override, but imports are an admin's.
  const approver = clients[L.userName('approver', 'district')];
  expect('district approver, override column',
    await approver.send('POST', '/api/v1/imports/steps?lang=en', { body: withColumn, headers: csv, csrf: approver.csrf }), 403);
  const after = L.snapshot(d.db);
  for (const k of Object.keys(before))
    if (before[k] !== after[k]) bad.push(`a refused override import changed ${k}`);

  // The admin of the ward, above the candidate's unit: recorded, with the
  // reason and who gave it.
  const above = clients[L.userName('admin', 'ward')];
  expect('ward admin (above), override column',
    await above.send('POST', '/api/v1/imports/steps?lang=en', { body: withColumn, headers: csv, csrf: above.csrf }),
    200, (r) => JSON.parse(r.text).added === 1);
  const line = stepsNow().split('\n').find((l) => l.startsWith(stepLine));
  if (!line || !line.includes(reason)) bad.push(`the overridden step was not recorded: ${line}`);
  const by = L.sql(d.db, `SELECT s.override_by FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
      JOIN people p ON p.id = c.person_id WHERE p.ref = '${ref}' AND s.step = 'verified'`);
  if (!by.length || by[0][0] !== L.userName('admin', 'ward')) bad.push(`override_by: ${JSON.stringify(by)}`);
  // Re-imported by the own-unit admin, the recorded row is unchanged, not refused.
  expect('own-unit admin re-imports the recorded row',
    await ownC.send('POST', '/api/v1/imports/steps?lang=en', { body: withColumn, headers: csv, csrf: ownC.csrf }),
    200, (r) => JSON.parse(r.text).unchanged === 1);
  assert.equal(bad.length, 0, bad.join('\n'));
});

// issue 15 (RULES.md §8): a person in transit from the neighbouring ward to
// the ward CT.BT.P01 is the one person of that ward the ward's users meet:
// listed on their dashboard as arriving, accepted by their editor only,
// while the person's page stays "no such person" until the arrival.
test('a person in transit: the two scopes meet only on them', async () => {
  // A full member of the neighbouring ward (no dossier before a committee).
  const pick = [1, 2, 3].map((k) => L.fullMember(d.db, 'CT.BT.P02', k))
    .find((m) => m && m.ref !== T.ward.outMember.ref);
  assert.ok(pick, 'a member of CT.BT.P02');
  const { ref, name } = pick;
  L.cli(d.db, ['transfer', ref, '--to', 'CT.BT.P01.C01', '--date', L.TODAY]);
  const ed = clients[L.userName('editor', 'ward')];
  const vw = clients[L.userName('viewer', 'ward')];
  const bad = [];
  const expect = (what, r, status, test) => {
    if (r.status !== status) bad.push(`${what}: expected ${status}, got ${r.status} (${L.gist(r)})`);
    else if (test && !test(r)) bad.push(`${what}: ${L.gist(r)}`);
  };
  const nfc = (r) => L.readable(r);
  expect('ward editor, the person page before the arrival', await ed.get(`/people/${ref}`), 404);
  expect('ward editor, the dashboard lists the arriving person', await ed.get('/?lang=en'), 200,
    (r) => nfc(r).includes(name.normalize('NFC')) && r.text.includes(`action="/arrive/${ref}"`));
  expect('ward viewer, the dashboard lists them without the form', await vw.get('/?lang=en'), 200,
    (r) => nfc(r).includes(name.normalize('NFC')) && !r.text.includes(`action="/arrive/${ref}"`));
  expect('ward viewer may not accept', await vw.send('POST', `/arrive/${ref}`, { form: { date: L.TODAY, csrf: vw.csrf } }), 403);
  expect('ward editor, another ward\'s person not in transit', await ed.send('POST', `/arrive/${T.ward.outPerson.ref}`, { form: { date: L.TODAY, csrf: ed.csrf } }), 404);
  expect('ward editor may not send the arriving person elsewhere', await ed.send('POST', `/transfer/${ref}`, { form: { to: 'CT.BT.P01.C02', date: L.TODAY, csrf: ed.csrf } }), 404);
  expect('ward editor accepts', await ed.send('POST', `/arrive/${ref}`, { form: { date: L.TODAY, csrf: ed.csrf } }), 303);
  expect('ward editor, the person page after the arrival', await ed.get(`/people/${ref}`), 200);
  const unit = L.sql(d.db, `SELECT u.code FROM people p JOIN units u ON u.id = p.unit_id WHERE p.ref = '${ref}'`);
  if (!unit.length || unit[0][0] !== 'CT.BT.P01.C01') bad.push(`the person's unit after the arrival: ${JSON.stringify(unit)}`);
  assert.equal(bad.length, 0, bad.join('\n'));
});
