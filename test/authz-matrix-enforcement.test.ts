import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../src/db/database.ts';
import { login, type SessionUser } from '../src/modules/auth/auth.service.ts';
import {
  decideCase,
  deliverDecision,
  fileCase,
  notifyCase,
  requestHearing,
  reviewCase,
  scheduleHearing,
  submitCase,
} from '../src/modules/supervision/penalties/penalty.service.ts';
import { assignReinspector } from '../src/modules/supervision/rectifications/rectification.service.ts';
import { buildEnforcementWorld, type EnforcementWorld, NOW, TODAY } from './enforcement-fixtures.ts';
import { ENFORCEMENT_ADMIN_ROUTES, ENFORCEMENT_API_ROUTES } from './enforcement-routes.ts';
import { type Browser, browser, createStaff, TEST_PASSWORD } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * The authorisation matrix of enforcement (issue 10): every rectification, penalty and deadline route
 * — the back-office pages and the staff API — × every role, the new 法制审核人员 (legal_reviewer)
 * included, and two editors: one of 市场秩序和政策法规科, which owns regimes 7 and 8 and handles the
 * fixture cases, and one of 外事科, which owns neither. The expectations are the documented policy
 * (rectification.policy.ts, penalty.policy.ts): the owning office's editors and the managers run
 * orders; the handler (or an admin) carries a case; only a legal reviewer who is not the handler
 * reviews it; a manager who is not the handler decides; the assigned re-inspector records the outcome.
 * The legal reviewer is also refused on every other back-office route but their own dashboard and
 * password. The main matrices (authz-matrix*.test.ts) leave these routes to this file
 * (enforcement-routes.ts); this file holds that its table lists exactly the routes registered.
 */

const WHO = ['anonymous', 'admin', 'editor', 'other', 'reviewer', 'inspector', 'auditor', 'legal'] as const;
type Who = (typeof WHO)[number];
/** Pages: ok (200 page / 303 to the back office), file (a download), login (303 to login), or a status. */
type Outcome = 'ok' | 'file' | 'login' | number;

interface Cell {
  url?: string;
  form?: Record<string, string>;
  body?: Record<string, unknown>;
}
interface Row {
  method: 'GET' | 'POST';
  route: string;
  expect: Record<Who, Outcome>;
  prepare?: () => Promise<Cell>;
}
const row = (method: Row['method'], route: string, outcomes: Outcome[], prepare?: Row['prepare']): Row => ({
  method,
  route,
  expect: Object.fromEntries(WHO.map((w, i) => [w, outcomes[i]!])) as Record<Who, Outcome>,
  prepare,
});

let s: SharedApp;
let w: EnforcementWorld;
const users = {} as Record<Exclude<Who, 'anonymous'>, SessionUser>;
const browsers = {} as Record<Who, Browser>;
const tokens = {} as Record<Exclude<Who, 'anonymous'>, string>;
const ctx = { today: TODAY, hearingThresholdFen: 1_000_000 };
const run = <T>(fn: (t: Tx) => Promise<T>) => s.database.db.transaction().execute(fn);

/** A regime-8 case filed by the owning editor, brought to `state`. */
async function caseAt(
  state:
    | 'filed'
    | 'notified'
    | 'hearing-offered'
    | 'hearing-requested'
    | 'hearing-scheduled'
    | 'in-review'
    | 'approved'
    | 'decided'
    | 'delivered',
): Promise<number> {
  const h = users.editor;
  const id = await run((t) =>
    fileCase(
      t,
      h,
      {
        entityId: w.entities[8][3]!,
        regimeSeq: '8',
        ruleKey: 'fine-without-gain',
        facts: '要求供应商承担未约定的促销费用',
        violationOn: '2026-08-01',
        filedOn: '2026-10-01',
      },
      ctx,
    ),
  );
  if (state === 'filed') return id;
  const hearing = state.startsWith('hearing');
  const noticeOn = state === 'hearing-scheduled' ? '2026-10-28' : hearing ? '2026-11-18' : '2026-10-10';
  await run((t) => notifyCase(t, h, id, { amountYuan: hearing ? '10000' : '5000', noticeOn }, ctx));
  if (state === 'notified' || state === 'hearing-offered') return id;
  if (hearing) {
    await run((t) =>
      requestHearing(
        t,
        h,
        id,
        { requestedOn: state === 'hearing-scheduled' ? '2026-11-01' : '2026-11-20' },
        ctx,
      ),
    );
    if (state === 'hearing-requested') return id;
    await run((t) => scheduleHearing(t, h, id, { notifiedOn: '2026-11-01', hearingOn: '2026-11-10' }, ctx));
    return id;
  }
  await run((t) => submitCase(t, h, id, ctx));
  if (state === 'in-review') return id;
  await run((t) => reviewCase(t, users.legal, id, { decision: 'approve', opinion: '同意' }));
  if (state === 'approved') return id;
  await run((t) => decideCase(t, users.reviewer, id, { decisionOn: '2026-10-20' }, ctx));
  if (state === 'decided') return id;
  await run((t) =>
    deliverDecision(t, h, id, { method: 'on-site', deliveredOn: '2026-10-21', proof: '送达回证' }, ctx),
  );
  return id;
}

const order = (state: 'issued' | 'delivered' | 'overdue', regime: 7 | 8 = 7) =>
  w.order(regime, users.editor, state);
async function orderForReinspector(): Promise<number> {
  const id = await order('delivered');
  await run((t) => assignReinspector(t, users.editor, id, { reinspectorId: users.inspector.id }));
  return id;
}

const A = 'ok' as const;
const L = 'login' as const;
const F = 'file' as const;
const R = '/admin/supervision/rectifications';
const P = '/admin/supervision/penalties';

const newOrderForm = async (): Promise<Cell> => ({
  form: {
    inspectionId: String(await w.problemResult(7)),
    findings: '单张记名卡面值超过5000元',
    requirement: '停止违规发卡',
    termAmount: '15',
    issuedOn: '2026-10-01',
  },
});
const newCaseForm = (): Cell => ({
  form: {
    entityId: String(w.entities[8][4]),
    regimeSeq: '8',
    ruleKey: 'fine-without-gain',
    facts: '拖欠供应商货款',
    violationOn: '2026-08-01',
    harm: 'ordinary',
    illegalGainYuan: '',
    filedOn: '2026-10-01',
  },
});
const onOrder =
  (
    state: 'issued' | 'delivered' | 'overdue',
    path: string,
    form: Record<string, string>,
    regime: 7 | 8 = 7,
  ) =>
  async (): Promise<Cell> => ({ url: `${R}/${await order(state, regime)}/${path}`, form });
const onCase =
  (state: Parameters<typeof caseAt>[0], path: string, form: Record<string, string>) =>
  async (): Promise<Cell> => ({ url: `${P}/${await caseAt(state)}/${path}`, form });

/** [anonymous, admin, editor (owner, handler), other editor, reviewer, inspector, auditor, legal reviewer] */
const PAGES: Row[] = [
  row('GET', R, [L, A, A, A, A, A, A, 403]),
  row('GET', `${R}/new`, [L, A, A, 403, A, 403, 403, 403], async () => ({
    url: `${R}/new?inspection=${await w.problemResult(7)}`,
  })),
  row('POST', R, [401, A, A, 403, A, 403, 403, 403], newOrderForm),
  row('GET', `${R}/:id`, [L, A, A, 403, A, 403, A, 403], async () => ({
    url: `${R}/${await order('issued')}`,
  })),
  row(
    'POST',
    `${R}/:id/deliver`,
    [401, A, A, 403, A, 403, 403, 403],
    onOrder('issued', 'deliver', { method: 'post', deliveredOn: '2026-10-02', proof: '挂号信 XA001' }),
  ),
  row(
    'POST',
    `${R}/:id/consent`,
    [401, A, A, 403, A, 403, 403, 403],
    onOrder('issued', 'consent', {
      channel: 'email',
      address: 'a@example.cn',
      signedOn: '2026-10-01',
      proof: '确认书001',
    }),
  ),
  row('POST', `${R}/:id/reinspector`, [401, A, A, 403, A, 403, 403, 403], async () => ({
    url: `${R}/${await order('issued')}/reinspector`,
    form: { reinspectorId: String(users.inspector.id) },
  })),
  row('POST', `${R}/:id/outcome`, [401, A, A, 403, A, A, 403, 403], async () => ({
    url: `${R}/${await orderForReinspector()}/outcome`,
    form: { outcome: 'rectified', reinspectedOn: '2026-10-20', note: '已整改' },
  })),
  row(
    'POST',
    `${R}/:id/escalate`,
    [401, A, A, 403, A, 403, 403, 403],
    onOrder(
      'overdue',
      'escalate',
      { kind: 'police-handover', ruleKey: 'police-referral', note: '涉嫌骗取货款', confirm: 'yes' },
      8,
    ),
  ),
  row('GET', P, [L, A, A, A, A, 403, A, A]),
  row('GET', `${P}/new`, [L, A, A, A, A, 403, 403, 403]),
  row('POST', P, [401, A, A, 403, A, 403, 403, 403], async () => newCaseForm()),
  row('GET', `${P}/:id`, [L, A, A, 403, A, 403, A, A], async () => ({
    url: `${P}/${await caseAt('filed')}`,
  })),
  row(
    'POST',
    `${P}/:id/notice`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('filed', 'notice', { amountYuan: '5000', noticeOn: '2026-10-10' }),
  ),
  row(
    'POST',
    `${P}/:id/statement`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('notified', 'statement', { statement: '系初次违法，已退还费用', statementOn: '2026-10-12' }),
  ),
  row(
    'POST',
    `${P}/:id/hearing-request`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('hearing-offered', 'hearing-request', { requestedOn: '2026-11-20' }),
  ),
  row(
    'POST',
    `${P}/:id/hearing-schedule`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('hearing-requested', 'hearing-schedule', { notifiedOn: '2026-11-20', hearingOn: '2026-11-27' }),
  ),
  row(
    'POST',
    `${P}/:id/hearing-held`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('hearing-scheduled', 'hearing-held', { heldOn: '2026-11-10', record: '当事人到场陈述' }),
  ),
  row('POST', `${P}/:id/submit`, [401, A, A, 403, 403, 403, 403, 403], onCase('notified', 'submit', {})),
  row(
    'POST',
    `${P}/:id/review`,
    [401, 403, 403, 403, 403, 403, 403, A],
    onCase('in-review', 'review', { decision: 'approve', opinion: '同意' }),
  ),
  row(
    'POST',
    `${P}/:id/decide`,
    [401, A, 403, 403, A, 403, 403, 403],
    onCase('approved', 'decide', { decisionOn: '2026-10-20', confirm: 'yes' }),
  ),
  row(
    'POST',
    `${P}/:id/deliver`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('decided', 'deliver', { method: 'on-site', deliveredOn: '2026-10-21', proof: '送达回证' }),
  ),
  row(
    'POST',
    `${P}/:id/publish`,
    [401, A, 403, 403, A, 403, 403, 403],
    onCase('decided', 'publish', { publishedOn: '2026-10-22', where: '本局网站' }),
  ),
  row(
    'POST',
    `${P}/:id/pay`,
    [401, A, A, 403, 403, 403, 403, 403],
    onCase('delivered', 'pay', { paidOn: '2026-10-30', paidYuan: '5000', receipt: 'PAY-9' }),
  ),
  row('GET', '/admin/deadlines', [L, A, A, A, A, A, A, A]),
  row('GET', '/admin/deadlines.csv', [L, F, F, F, F, F, F, F]),
];

const AR = '/api/v1/staff/rectifications';
const AP = '/api/v1/staff/penalties';
const json = (c: Cell): Cell => ({ url: c.url, body: c.form ? { ...c.form } : undefined });
const numeric = (c: Cell, keys: string[]): Cell => {
  const body = { ...(c.body ?? {}) };
  for (const k of keys) if (k in body) body[k] = Number(body[k]);
  return { ...c, body };
};

/** The API: [no token, admin, editor, other editor, reviewer, inspector, auditor, legal reviewer] */
const API: Row[] = [
  row('GET', AR, [401, 200, 200, 200, 200, 200, 200, 403]),
  row('POST', AR, [401, 201, 201, 403, 201, 403, 403, 403], async () =>
    numeric(json(await newOrderForm()), ['inspectionId', 'termAmount']),
  ),
  row('GET', `${AR}/:id`, [401, 200, 200, 403, 200, 403, 200, 403], async () => ({
    url: `${AR}/${await order('issued')}`,
  })),
  row('POST', `${AR}/:id/delivery`, [401, 200, 200, 403, 200, 403, 403, 403], async () => ({
    url: `${AR}/${await order('issued')}/delivery`,
    body: { method: 'post', deliveredOn: '2026-10-02', proof: '挂号信' },
  })),
  row('POST', `${AR}/:id/consent`, [401, 200, 200, 403, 200, 403, 403, 403], async () => ({
    url: `${AR}/${await order('issued')}/consent`,
    body: { channel: 'sms', address: '13900000000', signedOn: '2026-10-01', proof: '确认书002' },
  })),
  row('POST', `${AR}/:id/reinspection`, [401, 200, 200, 403, 200, 403, 403, 403], async () => ({
    url: `${AR}/${await order('issued')}/reinspection`,
    body: { reinspectorId: users.inspector.id },
  })),
  row('POST', `${AR}/:id/outcome`, [401, 200, 200, 403, 200, 200, 403, 403], async () => ({
    url: `${AR}/${await orderForReinspector()}/outcome`,
    body: { outcome: 'rectified', reinspectedOn: '2026-10-20', note: '已整改' },
  })),
  row('POST', `${AR}/:id/escalations`, [401, 200, 200, 403, 200, 403, 403, 403], async () => ({
    url: `${AR}/${await order('overdue', 8)}/escalations`,
    body: { kind: 'public-announcement', ruleKey: 'publication', note: '向社会公告' },
  })),
  row('GET', AP, [401, 200, 200, 200, 200, 403, 200, 200]),
  row('POST', AP, [401, 201, 201, 403, 201, 403, 403, 403], async () =>
    numeric(json(newCaseForm()), ['entityId', 'regimeSeq']),
  ),
  row('GET', `${AP}/:id`, [401, 200, 200, 403, 200, 403, 200, 200], async () => ({
    url: `${AP}/${await caseAt('filed')}`,
  })),
  ...(
    [
      ['notice', 'notice', 'filed', { amountYuan: 5000, noticeOn: '2026-10-10' }, 'handle'],
      [
        'statement',
        'statement',
        'notified',
        { statement: '已退还费用', statementOn: '2026-10-12' },
        'handle',
      ],
      ['hearing-request', 'hearing-request', 'hearing-offered', { requestedOn: '2026-11-20' }, 'handle'],
      [
        'hearing-schedule',
        'hearing-schedule',
        'hearing-requested',
        { notifiedOn: '2026-11-20', hearingOn: '2026-11-27' },
        'handle',
      ],
      [
        'hearing-held',
        'hearing-held',
        'hearing-scheduled',
        { heldOn: '2026-11-10', record: '到场陈述' },
        'handle',
      ],
      ['submission', 'submit', 'notified', {}, 'handle'],
      ['legal-review', 'review', 'in-review', { decision: 'approve', opinion: '同意' }, 'legal'],
      ['decision', 'decide', 'approved', { confirm: true, decisionOn: '2026-10-20' }, 'decide'],
      [
        'delivery',
        'deliver',
        'decided',
        { method: 'on-site', deliveredOn: '2026-10-21', proof: '送达回证' },
        'handle',
      ],
      ['publication', 'publish', 'decided', { publishedOn: '2026-10-22', where: '本局网站' }, 'decide'],
      ['payment', 'pay', 'delivered', { paidOn: '2026-10-30', paidYuan: 5000, receipt: 'PAY-9' }, 'handle'],
    ] as const
  ).map(([path, , state, body, who]) =>
    row(
      'POST',
      `${AP}/:id/${path}`,
      who === 'handle'
        ? [401, 200, 200, 403, 403, 403, 403, 403]
        : who === 'legal'
          ? [401, 403, 403, 403, 403, 403, 403, 200]
          : [401, 200, 403, 403, 200, 403, 403, 403],
      async () => ({ url: `${AP}/${await caseAt(state)}/${path}`, body: { ...body } }),
    ),
  ),
];

/** Every route the router knows, as "METHOD /path" (HEAD mirrors GET). */
function registeredRoutes(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of s.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = Array.from(m[1]!).length / 4;
    stack.length = depth;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack[depth] = path;
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim())) {
      if (method && method !== 'HEAD') out.push(`${method} ${path}`);
    }
  }
  return [...new Set(out)].sort();
}

async function sessionBrowser(username: string | null): Promise<Browser> {
  const b = browser(s.app);
  if (username) b.jar.zhize_session = (await login(s.database.db, username, TEST_PASSWORD, '10.0.0.2')).token;
  // The CSRF cookie, as the visitor's browser gets it with a form: bound to their session.
  await b.get(username ? '/admin/password' : '/admin/login');
  return b;
}
const clone = (b: Browser) => {
  const c = browser(s.app);
  c.jar = { ...b.jar };
  return c;
};

beforeAll(async () => {
  s = await createSharedApp({ seed: true, now: () => NOW });
  users.admin = await createStaff(s.database, 'mx_admin', 'admin');
  users.editor = await createStaff(s.database, 'mx_editor', 'editor', ['市场秩序和政策法规科']);
  users.other = await createStaff(s.database, 'mx_other', 'editor', ['外事科']);
  users.reviewer = await createStaff(s.database, 'mx_leader', 'reviewer');
  users.inspector = await createStaff(s.database, 'mx_insp', 'inspector');
  users.auditor = await createStaff(s.database, 'mx_audit', 'auditor');
  users.legal = await createStaff(s.database, 'mx_legal', 'legal_reviewer');
  for (const who of WHO) {
    browsers[who] = await sessionBrowser(who === 'anonymous' ? null : users[who].username);
    if (who !== 'anonymous') tokens[who] = (await s.cli('token', 'create', users[who].username)).out.trim();
  }
  w = await buildEnforcementWorld(s.database, 'mx', { issuers: 150, retailers: 30 });
}, 180_000);
afterAll(async () => {
  await s?.close();
});

function checkPage(r: Row, who: Who, res: { status: number; body: string; location?: string }) {
  const label = `${r.method} ${r.route} as ${who}: ${res.body.slice(0, 300)}`;
  const e = r.expect[who];
  if (e === 'ok' && r.method === 'GET') {
    expect(res.status, label).toBe(200);
    expect(res.body, label).toContain('<html lang="zh-CN"');
  } else if (e === 'ok') {
    expect(res.status, label).toBe(303);
    expect(res.location, label).toMatch(/^\/admin\/.*\?done=/);
  } else if (e === 'file') {
    expect(res.status, label).toBe(200);
    expect(res.body, label).not.toContain('<html');
  } else if (e === 'login') {
    expect(res.status, label).toBe(303);
    expect(res.location, label).toMatch(/^\/admin\/login\?next=/);
  } else {
    expect(res.status, label).toBe(e);
  }
}

describe('the authorisation matrix of enforcement', () => {
  it('lists exactly the registered enforcement routes, and the main matrices leave them here', () => {
    const routes = registeredRoutes();
    const mine = routes.filter((r) =>
      /^(GET|POST) (\/admin\/supervision\/(rectifications|penalties)|\/admin\/deadlines|\/api\/v1\/staff\/(rectifications|penalties))/.test(
        r,
      ),
    );
    expect(mine.sort()).toEqual([...PAGES, ...API].map((r) => `${r.method} ${r.route}`).sort());
    expect([...ENFORCEMENT_ADMIN_ROUTES].sort()).toEqual(PAGES.map((r) => `${r.method} ${r.route}`).sort());
    expect([...ENFORCEMENT_API_ROUTES].sort()).toEqual(API.map((r) => `${r.method} ${r.route}`).sort());
  });

  for (const r of PAGES) {
    it(`${r.method} ${r.route}: ${WHO.map((x) => `${x} → ${r.expect[x]}`).join(', ')}`, async () => {
      for (const who of WHO) {
        const cell = r.prepare ? await r.prepare() : {};
        const b = clone(browsers[who]);
        const res =
          r.method === 'GET'
            ? await b.get(cell.url ?? r.route)
            : await b.post(cell.url ?? r.route, cell.form ?? {});
        checkPage(r, who, res);
      }
    });
  }

  for (const r of API) {
    it(`${r.method} ${r.route}: ${WHO.map((x) => `${x} → ${r.expect[x]}`).join(', ')}`, async () => {
      for (const who of WHO) {
        const cell = r.prepare ? await r.prepare() : {};
        const res = await s.app.inject({
          method: r.method,
          url: cell.url ?? r.route,
          payload: r.method === 'POST' ? (cell.body ?? {}) : undefined,
          headers: who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` },
        });
        expect(res.statusCode, `${who}: ${res.body.slice(0, 300)}`).toBe(r.expect[who]);
      }
    });
  }

  it('refuses every enforcement form POST without its CSRF token, changing nothing', async () => {
    for (const r of PAGES.filter((x) => x.method === 'POST')) {
      const cell = r.prepare ? await r.prepare() : {};
      const before = await s.database.db
        .selectFrom('audit_log')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const res = await clone(browsers.admin).post(cell.url ?? r.route, cell.form ?? {}, { csrf: false });
      expect(res.status, r.route).toBe(403);
      const after = await s.database.db
        .selectFrom('audit_log')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n), r.route).toBe(Number(before.n));
    }
  });

  it('refuses the legal reviewer on every other back-office route but their dashboard and password', async () => {
    const own = new Set([
      'GET /admin',
      'GET /admin/password',
      'POST /admin/password',
      'GET /admin/login',
      'POST /admin/login',
      'POST /admin/logout',
      // The contact directory is read by every staff account (contact.policy.ts; public at /contacts).
      'GET /admin/contacts',
      // The list-health report is read by every staff account (public at /health).
      'GET /admin/health',
    ]);
    const mine = new Set(PAGES.map((r) => `${r.method} ${r.route}`));
    const others = registeredRoutes().filter(
      (r) => /^(GET|POST) \/admin/.test(r) && !own.has(r) && !mine.has(r),
    );
    expect(others.length).toBeGreaterThan(40);
    const letThrough: string[] = [];
    for (const route of others) {
      const [method, path] = route.split(' ') as ['GET' | 'POST', string];
      const url = path.replace(/:[A-Za-z]+/g, '1');
      const b = clone(browsers.legal);
      const res = method === 'GET' ? await b.get(url) : await b.post(url, {});
      if (res.status !== 403) letThrough.push(`${route} → ${res.status}`);
    }
    expect(letThrough).toEqual([]);
    expect((await clone(browsers.legal).get('/admin')).status).toBe(200);
  });
});
