// browser.test.mjs — the journey of issue 4 in Debian's chromium (headless,
// through playwright-core): a ward editor signs in, adds a candidate and
// walks her from `source` to `committee_vote`, meeting a rule refusal on
// the way (17 years 11 months old at the cell vote: KN-AGE, explained on
// the page, nothing saved); the district's approver clears the decisions
// queue (her decision among them) and downloads the XLSX report; both sign
// out. Each test leaves a screenshot in $KN_BUILD/screenshots/.
//
// The pages are driven by their form fields' names, which follow the CSV
// columns of FORMATS.md (full_name, birth_date, doc_no, introducer1 …) —
// the same vocabulary as the command line and the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as L from './lib.mjs';

const EDITOR = L.userName('editor', 'ward'); // editor of CT.BT.P01
const APPROVER = L.userName('approver', 'district'); // approver of CT.BT (the competent committee)
const CELL = 'CT.BT.P01.C01';
// Born 2007-12-10: 17 years 11 months on 2025-11-20, 18 on 2025-12-15.
const CAND = {
  ref: '096307000901', full_name: 'Trương Thị Ngọc Diễm', sex: 'F', birth_date: '2007-12-10',
  unit: CELL, ethnicity: 'Kinh', education: '12/12', qualification: 'none', occupation: 'student',
  youth_union: '1', phone: '0909 123 456',
};

let d, srv, browser, editorCtx, editorPage, approverCtx, approverPage;
let intro1, intro2, fullMembers;
const problems = new WeakMap(); // page → [CSP violations, script errors]

function watch(page) {
  const list = [];
  problems.set(page, list);
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) list.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => list.push(`script error: ${e.message}`));
  page.on('dialog', (dlg) => dlg.accept()); // app.js asks to confirm irreversible submissions
  return page;
}

function assertClean(page) {
  const list = problems.get(page) || [];
  assert.equal(list.length, 0, `chromium reported:\n${list.join('\n')}`);
}

before(async () => {
  d = L.makeDatabase('browser');
  srv = await L.startServer(d);
  browser = await L.launchBrowser();
  const opts = { viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'vi-VN' };
  editorCtx = await browser.newContext(opts);
  approverCtx = await browser.newContext(opts);
  editorPage = watch(await editorCtx.newPage());
  approverPage = watch(await approverCtx.newPage());
  const m = L.sql(d.db, `SELECT p.ref FROM people p JOIN units u ON u.id = p.unit_id
      WHERE u.code = '${CELL}' AND p.official_since IS NOT NULL AND p.official_since < '2023-01-01' ORDER BY p.ref`);
  [intro1, intro2] = [m[0][0], m[1][0]];
  fullMembers = L.sql(d.db, `SELECT count(*) FROM people p JOIN units u ON u.id = p.unit_id
      WHERE u.code = '${CELL}' AND p.official_since IS NOT NULL AND p.official_since <= '2025-11-20'`)[0][0];
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (d) d.drop();
});

const stepsOf = (ref) => L.parseCsv(L.cli(d.db, ['export', 'steps']).stdout).filter((s) => s.person === ref);
const exportSteps = () => L.cli(d.db, ['export', 'steps']).stdout;

// Fill the named fields of a form: inputs, selects, checkboxes, radios.
// Fields in `need` must exist; others are filled when the form has them.
async function fill(form, fields, need = []) {
  const missing = [];
  for (const [k, v] of Object.entries(fields)) {
    const el = form.locator(`[name="${k}"]`);
    if ((await el.count()) === 0) {
      if (need.includes(k)) missing.push(k);
      continue;
    }
    const first = el.first();
    const kind = await first.evaluate((e) => `${e.tagName.toLowerCase()}:${(e.getAttribute('type') || '').toLowerCase()}`);
    if (kind.endsWith(':hidden')) continue;
    if (kind.startsWith('select')) await first.selectOption(String(v));
    else if (kind.endsWith(':checkbox')) { if (v === '1' || v === true) await first.check(); else await first.uncheck(); }
    else if (kind.endsWith(':radio')) await form.locator(`[name="${k}"][value="${v}"]`).check();
    else await first.fill(String(v));
  }
  if (missing.length) {
    const names = await form.locator('[name]').evaluateAll((es) => es.map((e) => e.getAttribute('name')));
    throw new Error(`the form has no field ${missing.join(', ')}; it has: ${[...new Set(names)].join(', ')}`);
  }
}

// Submit a form with its (first) submit button and wait for the page the
// server answers with.
async function submit(page, form) {
  // A step form has "Check" first and "Record the step" (action=record).
  const record = form.locator('button[name="action"][value="record"]');
  const button = (await record.count()) > 0 ? record.first()
    : form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    button.click(),
  ]);
  return resp;
}

// Go to a page and fail with the server's words when it is not there.
async function open(page, path) {
  const r = await page.goto(srv.url + path);
  assert.ok(r, `no response for ${path}`);
  if (r.status() >= 400) {
    const err = await page.locator('p.error').first().textContent().catch(() => '');
    assert.fail(`GET ${path} answered ${r.status()}${err ? `: ${err.trim()}` : ''}`);
  }
  return r;
}

// Record a step through the candidate page's step form: the page for the
// next step, or for another step that may come now (?step=mentor, …).
async function recordStep(page, ref, step, fields) {
  await open(page, `/people/${ref}?step=${step}`);
  const form = page.locator(`form[action^="/step/"]:has(input[type="hidden"][name="step"][value="${step}"])`).first();
  if ((await form.count()) === 0) {
    const offered = await page.locator('form[action^="/step/"] input[name="step"]').evaluateAll((es) => es.map((e) => e.value));
    assert.fail(`/people/${ref}?step=${step} has no form for ${step} (it offers: ${offered.join(', ') || 'none'})`);
  }
  await fill(form, fields, ['date']);
  return submit(page, form);
}

// When an earlier page of the journey failed, the later tests still test
// their own pages: what the failed page should have written is written
// through the command line instead (the earlier test has failed already).
function ensureCandidate() {
  if (L.parseCsv(L.cli(d.db, ['export', 'people']).stdout).some((p) => p.ref === CAND.ref)) return;
  const cols = Object.keys(CAND);
  const csv = `${cols.join(',')}\n${cols.map((c) => CAND[c]).join(',')}\n`;
  L.cli(d.db, ['import', 'people', L.writeFile(join(d.dir, 'fallback-people.csv'), csv)]);
}

function ensureSteps(upTo) {
  ensureCandidate();
  const plan = [
    ['source', '--date', '2025-01-15', '--org', 'youth_union'],
    ['trained', '--date', '2025-03-20', '--doc', '12-GCN/TTCT'],
    ['applied', '--date', '2025-06-02'],
    ['verified', '--date', '2025-08-05'],
    ['introduced', '--date', '2025-10-01', '--introducer', `${intro1}:2023-01-01`, '--introducer', `${intro2}:2023-01-01`],
    ['cell_vote', '--date', '2025-12-15', '--for', fullMembers, '--of', fullMembers],
    ['committee_vote', '--date', '2025-12-16', '--for', '7', '--of', '9'],
  ];
  for (const [step, ...args] of plan) {
    if (!stepsOf(CAND.ref).some((s) => s.step === step)) L.cli(d.db, ['step', CAND.ref, step, ...args]);
    if (step === upTo) break;
  }
}

async function errorText(page) {
  return (await page.locator('main').first().textContent().catch(() => '')) || '';
}

test('log in: the sign-in form, then the dashboard of the ward', async () => {
  const page = editorPage;
  const r = await page.goto(`${srv.url}/`);
  assert.match(new URL(page.url()).pathname, /^\/login/, 'an anonymous visitor is sent to sign in');
  assert.ok(r.status() < 400);
  await L.screenshot(page, '01-login');
  await page.fill('input[name="name"]', EDITOR);
  await page.fill('input[name="password"]', L.password(EDITOR));
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, '/', 'after signing in: the dashboard');
  const cookies = await editorCtx.cookies();
  const sc = cookies.find((c) => c.name === 'kn_session');
  assert.ok(sc && sc.httpOnly && sc.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
  await L.screenshot(page, '02-dashboard');
  assert.equal(resp.status(), 200, `the dashboard answered ${resp.status()}: ${(await errorText(page)).slice(0, 200)}`);
  assert.match(await page.locator('header').textContent(), new RegExp(EDITOR.replace('.', '\\.')));
  assertClean(page);
});

test('add a candidate with the new-candidate form', async () => {
  const page = editorPage;
  await open(page, '/candidates/new');
  const form = page.locator('form[action^="/candidates/new"]').first();
  assert.ok((await form.count()) > 0, '/candidates/new has a form posting to /candidates/new');
  // The form may also take the first step (source) with the person.
  await fill(form, { ...CAND, date: '2025-01-15', source_date: '2025-01-15', org: 'youth_union' },
    ['full_name', 'sex', 'birth_date', 'unit']);
  await L.screenshot(page, '03-new-candidate-form');
  const resp = await submit(page, form);
  const body = await errorText(page);
  await L.screenshot(page, '04-candidate-page');
  assert.ok(resp.status() < 400, `saving the new candidate answered ${resp.status()}: ${body.slice(0, 300)}`);
  const people = L.parseCsv(L.cli(d.db, ['export', 'people']).stdout).filter((p) => p.full_name === CAND.full_name);
  assert.equal(people.length, 1, 'the person is in the database once');
  CAND.ref = people[0].ref;
  assert.equal(people[0].birth_date, CAND.birth_date);
  assert.equal(people[0].unit, CELL);
  assert.match(page.url(), new RegExp(`/people/${CAND.ref}(\\?|$)`), 'the browser lands on the candidate page');
  assert.ok(body.includes(CAND.full_name), 'the candidate page shows her name');
  assertClean(page);
});

test('walk her from source to committee_vote; a 17-year-old at the cell vote is refused, explained, nothing saved', async () => {
  const page = editorPage;
  ensureCandidate();
  const ref = CAND.ref;
  if (!stepsOf(ref).some((s) => s.step === 'source'))
    await recordStep(page, ref, 'source', { date: '2025-01-15', org: 'youth_union', note: 'Đoàn viên ưu tú' });
  const walk = [
    ['trained', { date: '2025-03-20', doc_no: '12-GCN/TTCT' }],
    ['applied', { date: '2025-06-02' }],
    ['verified', { date: '2025-08-05' }],
    ['introduced', { date: '2025-10-01', introducer1: intro1, introducer1_since: '2023-01-01', introducer2: intro2, introducer2_since: '2023-01-01' }],
  ];
  for (const [step, fields] of walk) {
    const resp = await recordStep(page, ref, step, fields);
    const recorded = stepsOf(ref).map((s) => s.step);
    assert.ok(recorded.includes(step), `${step} was not recorded (${resp.status()}): ${(await errorText(page)).slice(0, 300)}`);
  }
  await L.screenshot(page, '05-steps-to-introduced');

  // The cell votes while she is 17 years 11 months old: refused.
  const before = exportSteps();
  const resp = await recordStep(page, ref, 'cell_vote', { date: '2025-11-20', votes_for: fullMembers, votes_total: fullMembers });
  const text = await errorText(page);
  await L.screenshot(page, '06-cell-vote-refused-KN-AGE');
  assert.equal(exportSteps(), before, 'nothing saved by the refused step');
  assert.ok(resp.status() === 422 || resp.status() === 200, `the refusal answered ${resp.status()}`);
  assert.match(text, /KN-AGE/, 'the page names the rule');
  assert.match(text, /17/, 'and says how old she is');
  assert.match(text, /18/, 'and what the minimum is');

  // Once she is 18 the same vote goes through, then the committee's.
  await recordStep(page, ref, 'cell_vote', { date: '2025-12-15', votes_for: fullMembers, votes_total: fullMembers });
  assert.ok(stepsOf(ref).some((s) => s.step === 'cell_vote'), `cell_vote at 18 was not recorded: ${(await errorText(page)).slice(0, 300)}`);
  await recordStep(page, ref, 'committee_vote', { date: '2025-12-16', votes_for: '7', votes_total: '9' });
  assert.ok(stepsOf(ref).some((s) => s.step === 'committee_vote'), `committee_vote was not recorded: ${(await errorText(page)).slice(0, 300)}`);
  await open(page, `/people/${ref}`);
  await L.screenshot(page, '07-candidate-timeline');
  const timeline = await errorText(page);
  for (const s of ['2025-12-16', '16/12/2025'])
    if (timeline.includes(s)) return assertClean(page);
  assert.fail('the candidate page does not show the committee vote of 16/12/2025 in its timeline');
});

test('an editor may not record the decision', async () => {
  const page = editorPage;
  ensureSteps('committee_vote');
  await page.goto(`${srv.url}/people/${CAND.ref}`);
  const before = exportSteps();
  const r = await page.evaluate(async ([ref, today]) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const v = document.querySelector(`form[action^="/step/"] input[name="version"]`);
    const body = new URLSearchParams({ csrf, action: 'record', version: v ? v.value : '', step: 'decision', date: today, doc_no: '1-QĐ/QU' });
    const res = await fetch(`/step/${ref}`, { method: 'POST', body, redirect: 'manual' });
    return res.status;
  }, [CAND.ref, L.TODAY]);
  assert.ok(r === 403 || r === 422, `an editor's decision answered ${r}`);
  assert.equal(exportSteps(), before, 'nothing saved');
});

test('the district approver clears the decisions queue', async () => {
  const page = approverPage;
  ensureSteps('committee_vote');
  await L.browserLogin(page, srv.url, APPROVER);
  await open(page, '/decisions');
  await L.screenshot(page, '08-decisions-queue');
  assert.ok((await errorText(page)).includes(CAND.full_name), 'the queue lists the new candidate');
  let n = 0;
  for (let i = 0; i < 30; i++) {
    const forms = page.locator('form[action^="/decisions/"]');
    const count = await forms.count();
    if (count === 0) break;
    const form = forms.first();
    const action = await form.getAttribute('action');
    const ref = decodeURIComponent(action.replace(/^\/decisions\//, '').replace(/\?.*$/, ''));
    await fill(form, { doc_no: `${100 + i}-QĐ/QU`, date: L.TODAY }, ['doc_no']);
    const resp = await submit(page, form);
    const ok = stepsOf(ref).some((s) => s.step === 'decision');
    assert.ok(ok, `the decision for ${ref} was not recorded (${resp.status()}): ${(await errorText(page)).slice(0, 300)}`);
    n++;
    if (!/\/decisions(\?|$)/.test(page.url())) await open(page, '/decisions');
  }
  await L.screenshot(page, '09-decisions-queue-cleared');
  assert.ok(n >= 1, 'at least her decision was recorded from the queue');
  assert.equal(await page.locator('form[action^="/decisions/"]').count(), 0, 'the queue is empty');
  const dec = stepsOf(CAND.ref).find((s) => s.step === 'decision');
  assert.ok(dec, 'her decision is recorded');
  assert.equal(dec.date, L.TODAY);
  const api = await page.evaluate(async () => (await fetch('/api/v1/decisions')).text());
  const j = JSON.parse(api);
  const items = Array.isArray(j) ? j : j.decisions || j.queue || j.items || j.waiting || [];
  assert.equal(items.length, 0, `GET /api/v1/decisions still lists ${items.length}`);
  assertClean(page);
});

test('download the XLSX report', async () => {
  const page = approverPage;
  await open(page, '/reports');
  const link = page.locator('a[href*=".xlsx"], button[formaction*=".xlsx"]').first();
  assert.ok((await link.count()) > 0, '/reports has a link to an .xlsx download');
  await L.screenshot(page, '10-reports');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = join(d.dir, download.suggestedFilename());
  await download.saveAs(file);
  const bytes = readFileSync(file);
  assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'the download is a ZIP (XLSX) file');
  const text = L.zipText(bytes);
  assert.match(text, /xl\/worksheets\/sheet1\.xml/, 'with a worksheet');
  assert.match(text.normalize('NFC'), /Bình Thủy/, 'about the district');
  assertClean(page);
});

test('log out: both users are signed out and the pages ask to sign in again', async () => {
  for (const [page, ctx, shot] of [[approverPage, approverCtx, '11-signed-out'], [editorPage, editorCtx, null]]) {
    await open(page, '/');
    const button = page.locator('form[action="/logout"] button[type="submit"]');
    assert.equal(await button.count(), 1, 'the header has a sign-out button');
    await Promise.all([page.waitForNavigation(), button.click()]);
    assert.match(new URL(page.url()).pathname, /^\/login/);
    if (shot) await L.screenshot(page, shot);
    assert.ok(!(await ctx.cookies()).some((c) => c.name === 'kn_session'), 'the session cookie is gone');
    await page.goto(`${srv.url}/candidates`);
    assert.match(new URL(page.url()).pathname, /^\/login/, 'a page asks to sign in again');
    assertClean(page);
  }
});
