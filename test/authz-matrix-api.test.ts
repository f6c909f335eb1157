import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { issueDocument } from '../src/modules/documents/index.ts';
import { importEntities } from '../src/modules/supervision/entities/entity.import.ts';
import {
  checklistFor,
  confirmRecord,
  type RecordInput,
  saveRecord,
} from '../src/modules/supervision/inspections/inspection.service.ts';
import { createInspector } from '../src/modules/supervision/inspectors/inspector.service.ts';
import { commitPlanAction, createPlan, drawPlan } from '../src/modules/supervision/plans/plan.service.ts';
import {
  bureauFixture,
  campaignFixture,
  nextCampaignYear,
  type OversightState,
  oversightFixture,
} from './campaigns-fixtures.ts';
import { complaintFixture, FIXTURE_NAME, FIXTURE_PHONE, type FixtureState } from './complaints-fixtures.ts';
import { ENFORCEMENT_API_ROUTES } from './enforcement-routes.ts';
import { createStaff } from './staff-helpers.ts';
import { entityCsv, makeUscc } from './supervision-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * The authorisation matrix of the token APIs: every /api/v1/staff route and the Open311 POST ×
 * every role (and no token) → the expected status, as a table. The routes the app registers under
 * /api/v1/staff are read from the router, so a new one cannot escape the table. In every answer
 * the complainant's phone and name appear only masked, except in the audited contact read.
 *
 * Expected outcomes are the documented policy (complaint.policy.ts): the matrix editor is bound to
 * 外事科, and the fixtures are assigned to 外事科 (so the editor reads and may see their contact).
 */

const WHO = ['none', 'admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const;
type Who = (typeof WHO)[number];

interface Row {
  method: 'GET' | 'POST' | 'PATCH';
  route: string;
  expect: Record<Who, number>;
  prepare?: () => Promise<{
    url?: string;
    body?: Record<string, unknown>;
    form?: Record<string, string>;
    /** A CSV request body (text/csv). */
    csv?: Buffer;
  }>;
  /** The answer may carry the unmasked contact (the audited read). */
  unmasked?: boolean;
}

const row = (
  method: Row['method'],
  route: string,
  [none, admin, editor, reviewer, inspector, auditor]: number[],
  prepare?: Row['prepare'],
  unmasked?: boolean,
): Row => ({
  method,
  route,
  expect: {
    none: none!,
    admin: admin!,
    editor: editor!,
    reviewer: reviewer!,
    inspector: inspector!,
    auditor: auditor!,
  },
  prepare,
  unmasked,
});

let s: SharedApp;
const tokens = {} as Record<Exclude<Who, 'none'>, string>;
const users = {} as Record<Exclude<Who, 'none'>, SessionUser>;
let waishi = 0;
const cx = (state: FixtureState) =>
  complaintFixture(s.database, { dispatcher: users.admin, handler: users.editor }, waishi, state);

/**
 * Supervision (supervision.policy.ts, the same tables as the back office): a drawn plan of regime 4
 * whose every task has both register inspectors — the matrix inspector (api_insp) and a second one —
 * so the inspector's cells are their own tasks; plans by a planner who is none of the tested users.
 */
const sv = { plan: 0, used: new Set<number>(), slot: 0, serial: 0 };
let planner: SessionUser;
let secondInspector: SessionUser;

/** A year and round no other plan of regime 4 uses. */
const nextSlot = () => {
  const k = sv.slot++;
  return { year: 2031 + Math.floor(k / 99), round: (k % 99) + 1 };
};

async function svPlan(state: 'draft' | 'committed' | 'drawn'): Promise<number> {
  const input = {
    regimeSeq: 4,
    ...nextSlot(),
    ratioPercent: '100',
    minInspectors: 2,
    countyIds: [],
    riskClasses: [],
    belowMinReason: '',
  };
  const id = await s.database.db.transaction().execute(async (tx) => {
    const id = await createPlan(tx, planner, input);
    if (state !== 'draft') await commitPlanAction(tx, planner, id);
    return id;
  });
  if (state === 'drawn')
    await drawPlan(s.database.db, planner, id, '2026-03-03 双色球 02 09 14 21 27 33 + 08');
  return id;
}

/** The next task of the fixture plan no row has used. */
async function freshTask(): Promise<number> {
  const tasks = await s.database.db
    .selectFrom('plan_tasks')
    .select('id')
    .where('plan_id', '=', sv.plan)
    .orderBy('position')
    .execute();
  const t = tasks.find((x) => !sv.used.has(x.id));
  if (!t) throw new Error('the fixture plan has no unused task left');
  sv.used.add(t.id);
  return t.id;
}

async function completeRecord(): Promise<RecordInput> {
  const items = await checklistFor(s.database.db, 4);
  return {
    checkedAt: '2026-11-02T09:30',
    place: '衡水市桃城区某路1号',
    representative: '张经理',
    representativeRole: '负责人',
    refused: false,
    refusalNote: '',
    notes: '',
    resultCode: 'no-problem',
    resultSummary: '',
    answers: new Map(
      items.filter((i) => !i.heading).map((i) => [i.position, { answer: 'compliant', note: '' }]),
    ),
  };
}

/** A fresh task with a complete record saved by the matrix inspector (not yet confirmed). */
async function recordedTask(): Promise<{ taskId: number; version: number; inspectionId: number }> {
  const taskId = await freshTask();
  const input = await completeRecord();
  const saved = await s.database.db
    .transaction()
    .execute((tx) => saveRecord(tx, users.inspector, taskId, input));
  return { taskId, ...saved };
}

/** A fresh task whose record both inspectors confirmed (待审核). */
async function pendingResult(): Promise<number> {
  const { taskId, version, inspectionId } = await recordedTask();
  for (const who of [users.inspector, secondInspector])
    await s.database.db.transaction().execute((tx) => confirmRecord(tx, who, taskId, version));
  return inspectionId;
}

const recordBody = async () => {
  const r = await completeRecord();
  return {
    ...r,
    answers: [...r.answers].map(([position, a]) => ({ position, answer: a.answer, note: a.note })),
  };
};

const newTicket = {
  kind: 'complaint',
  description: '12345转来：某超市发行的购物卡违规发卡，单张面值超过5000元。',
  contactName: FIXTURE_NAME,
  contactPhone: FIXTURE_PHONE,
  consent: true,
};

const TABLE: Row[] = [
  row('GET', '/api/v1/staff/me', [401, 200, 200, 200, 200, 200]),
  row('POST', '/api/v1/staff/complaints', [401, 201, 201, 201, 403, 403], async () => ({ body: newTicket })),
  row('GET', '/api/v1/staff/complaints', [401, 200, 200, 200, 403, 200], async () => {
    await cx('assigned');
    return {};
  }),
  row('GET', '/api/v1/staff/complaints/:code', [401, 200, 200, 200, 403, 200], async () => ({
    url: `/api/v1/staff/complaints/${(await cx('assigned')).code}`,
  })),
  row(
    'POST',
    '/api/v1/staff/complaints/:code/contact',
    [401, 200, 200, 200, 403, 403],
    async () => ({
      url: `/api/v1/staff/complaints/${(await cx('assigned')).code}/contact`,
      body: { reason: '电话回访' },
    }),
    true,
  ),
  // Documents (document.policy.ts): every staff role reads and downloads; admins and reviewers issue
  // standalone documents and corrections; an edit is refused (409) for everyone who may read.
  row('GET', '/api/v1/staff/document-types', [401, 200, 200, 200, 200, 200]),
  row('GET', '/api/v1/staff/documents', [401, 200, 200, 200, 200, 200]),
  row('POST', '/api/v1/staff/documents', [401, 201, 403, 201, 403, 403], async () => ({
    body: {
      type: 'oversight-notice',
      subject: { kind: 'oversight', id: 'matrix' },
      fields: OVERSIGHT_FIELDS,
    },
  })),
  row('GET', '/api/v1/staff/documents/:id', [401, 200, 200, 200, 200, 200], async () => ({
    url: `/api/v1/staff/documents/${await fixtureDocument()}`,
  })),
  row('GET', '/api/v1/staff/documents/:id/download', [401, 200, 200, 200, 200, 200], async () => ({
    url: `/api/v1/staff/documents/${await fixtureDocument()}/download`,
  })),
  row('POST', '/api/v1/staff/documents/:id/supersede', [401, 201, 403, 201, 403, 403], async () => ({
    url: `/api/v1/staff/documents/${await fixtureDocument()}/supersede`,
    body: { fields: { ...OVERSIGHT_FIELDS, inspectedBody: '衡水市某县商务局（更正）' }, reason: '名称有误' },
  })),
  row('PATCH', '/api/v1/staff/documents/:id', [401, 409, 409, 409, 409, 409], async () => ({
    url: `/api/v1/staff/documents/${await fixtureDocument()}`,
    body: { fields: { inspectedBody: '改名' } },
  })),
  // The working-day calendar: every staff role.
  row('GET', '/api/v1/staff/calendar', [401, 200, 200, 200, 200, 200]),
  row('GET', '/api/v1/staff/calendar/working-days', [401, 200, 200, 200, 200, 200], async () => ({
    url: '/api/v1/staff/calendar/working-days?from=2026-09-28&days=15',
  })),
  // Supervision (supervision.staff.api.ts)
  row('POST', '/api/v1/staff/entities/import', [401, 200, 403, 403, 403, 403], async () => ({
    csv: entityCsv([
      [`矩阵供应商${++sv.serial}`, makeUscc(60_000 + sv.serial), '供应商', '桃城区', '', '', '', '', '', ''],
    ]),
  })),
  row('POST', '/api/v1/staff/plans', [401, 201, 403, 201, 403, 403], async () => ({
    body: { regimeSeq: 4, ...nextSlot(), ratioPercent: '50', minInspectors: 2 },
  })),
  row('GET', '/api/v1/staff/plans/:id', [401, 200, 200, 200, 403, 200], async () => ({
    url: `/api/v1/staff/plans/${await svPlan('draft')}`,
  })),
  row('POST', '/api/v1/staff/plans/:id/commit', [401, 200, 403, 200, 403, 403], async () => ({
    url: `/api/v1/staff/plans/${await svPlan('draft')}/commit`,
  })),
  row('POST', '/api/v1/staff/plans/:id/draw', [401, 200, 403, 200, 403, 403], async () => ({
    url: `/api/v1/staff/plans/${await svPlan('committed')}/draw`,
    body: { witness: '2026-03-05 双色球 01 05 11 19 23 30 + 12' },
  })),
  row('GET', '/api/v1/staff/tasks', [401, 200, 403, 200, 200, 200]),
  row('GET', '/api/v1/staff/tasks/:id', [401, 200, 403, 200, 200, 200], async () => ({
    url: `/api/v1/staff/tasks/${await freshTask()}`,
  })),
  row('POST', '/api/v1/staff/tasks/:id/record', [401, 403, 403, 403, 200, 403], async () => ({
    url: `/api/v1/staff/tasks/${await freshTask()}/record`,
    body: await recordBody(),
  })),
  row('POST', '/api/v1/staff/tasks/:id/confirm', [401, 403, 403, 403, 200, 403], async () => {
    const { taskId, version } = await recordedTask();
    return { url: `/api/v1/staff/tasks/${taskId}/confirm`, body: { version } };
  }),
  row('GET', '/api/v1/staff/results', [401, 200, 403, 200, 403, 200]),
  row('POST', '/api/v1/staff/results/:id/review', [401, 200, 403, 200, 403, 403], async () => ({
    url: `/api/v1/staff/results/${await pendingResult()}/review`,
    body: { decision: 'publish' },
  })),
  // Public JSON beside the staff API: the contact directory answers everyone alike (a token changes nothing).
  row('GET', '/api/v1/contacts', [200, 200, 200, 200, 200, 200]),
  // Open311: the token is the api_key in the form body (no bearer header).
  row('POST', '/open311/v2/requests.json', [403, 200, 200, 200, 403, 403], async () => ({
    form: {
      service_code: 'matter-2',
      address_string: '桃城区人民路',
      description: '某超市发行的购物卡违规发卡，单张面值超过5000元。',
      last_name: '王',
      first_name: '小明',
      phone: FIXTURE_PHONE,
    },
  })),
  // Campaigns and oversight (campaign.policy.ts, oversight.policy.ts): readers read; admins and
  // reviewers open, close and import; handlers are admins, reviewers and the editors of the offices
  // running the regime — the matrix editor (外事科) runs none, so handles nothing.
  ...campaignRows(),
];

function campaignRows(): Row[] {
  const R = [401, 200, 200, 200, 403, 200];
  const M = (ok: number) => [401, ok, 403, ok, 403, 403];
  const staffIds = () => [users.admin.id, users.reviewer.id];
  const filing = async (submitted = false) => campaignFixture(s.database, users.admin, { submitted });
  const check = (state: OversightState) => oversightFixture(s.database, users.admin, staffIds(), state);
  return [
    row('GET', '/api/v1/staff/campaigns', R),
    row('POST', '/api/v1/staff/campaigns', M(201), async () => {
      const y = nextCampaignYear();
      return {
        body: { definition: 'pig-reserve-check', year: y, noticeDate: `${y}-02-01`, noticeText: '检查安排' },
      };
    }),
    row('GET', '/api/v1/staff/campaigns/:id', R, async () => ({
      url: `/api/v1/staff/campaigns/${(await filing()).campaignId}`,
    })),
    row('POST', '/api/v1/staff/campaigns/:id/close', M(200), async () => ({
      url: `/api/v1/staff/campaigns/${(await filing()).campaignId}/close`,
      body: { reason: '年度工作结束' },
    })),
    row('GET', '/api/v1/staff/campaigns/filings/:id', R, async () => ({
      url: `/api/v1/staff/campaigns/filings/${(await filing()).filingId}`,
    })),
    row('POST', '/api/v1/staff/campaigns/filings/:id/actions', M(200), async () => ({
      url: `/api/v1/staff/campaigns/filings/${(await filing(true)).filingId}/actions`,
      body: { action: 'forward' },
    })),
    row('POST', '/api/v1/staff/campaigns/filings/:id/link', M(201), async () => ({
      url: `/api/v1/staff/campaigns/filings/${(await filing()).filingId}/link`,
    })),
    row('POST', '/api/v1/staff/campaigns/filings/:id/code', M(201), async () => ({
      url: `/api/v1/staff/campaigns/filings/${(await filing()).filingId}/code`,
    })),
    row('POST', '/api/v1/staff/campaigns/zones/scores', M(200), async () => ({
      body: { csv: '年度,开发区,得分,是否本市\n2026,矩阵开发区,80,是', source: '矩阵测试' },
    })),
    row('GET', '/api/v1/staff/campaigns/zones/evaluation', R),
    row('GET', '/api/v1/staff/oversight', R),
    row('POST', '/api/v1/staff/oversight', M(201), async () => ({
      body: {
        bodyEntityId: await bureauFixture(s.database),
        regime: 2,
        method: 'spot',
        checkedOn: '2026-10-20',
        staffUserIds: staffIds(),
      },
    })),
    row('GET', '/api/v1/staff/oversight/assessment', R, async () => ({
      url: '/api/v1/staff/oversight/assessment?year=2026',
    })),
    row('GET', '/api/v1/staff/oversight/:id', R, async () => ({
      url: `/api/v1/staff/oversight/${await check('open')}`,
    })),
    row('POST', '/api/v1/staff/oversight/:id/findings', M(200), async () => ({
      url: `/api/v1/staff/oversight/${await check('open')}/findings`,
      body: { findings: '许可案卷不完整' },
    })),
    row('POST', '/api/v1/staff/oversight/:id/notice', M(201), async () => ({
      url: `/api/v1/staff/oversight/${await check('findings')}/notice`,
      body: {
        bodyName: '矩阵县商务局',
        facts: '许可案卷不完整',
        decision: '责令限期改正',
        execution: '补齐并书面报告',
        executionDeadline: '2026-11-30',
        issuer: '衡水市商务局',
        issuedOn: '2026-10-30',
      },
    })),
    row('POST', '/api/v1/staff/oversight/:id/receipt', M(200), async () => ({
      url: `/api/v1/staff/oversight/${await check('notice')}/receipt`,
      body: { on: '2026-11-02' },
    })),
    row('POST', '/api/v1/staff/oversight/:id/correction', M(200), async () => ({
      url: `/api/v1/staff/oversight/${await check('received')}/correction`,
      body: { on: '2026-11-20', report: '已补齐' },
    })),
    row('POST', '/api/v1/staff/oversight/:id/review-request', M(200), async () => ({
      url: `/api/v1/staff/oversight/${await check('received')}/review-request`,
      body: { on: '2026-11-05', reason: '事实认定有误' },
    })),
    row('POST', '/api/v1/staff/oversight/:id/review-decision', M(200), async () => ({
      url: `/api/v1/staff/oversight/${await check('requested')}/review-decision`,
      body: { on: '2026-11-20', decision: '维持' },
    })),
  ];
}

/** The five elements of a 执法监督通知（决定）书 (regime 1). */
const OVERSIGHT_FIELDS = {
  inspectedBody: '衡水市某县商务局',
  factsAndReasons: '检查未制作现场检查笔录。',
  decisionAndBasis: '责令纠正。',
  executionMethodAndDeadline: '15个工作日内补正并书面报告。',
  inspectingBody: '衡水市商务局',
};

/** A fresh issued 执法监督通知（决定）书 (a correction consumes it). */
async function fixtureDocument(): Promise<number> {
  const d = await issueDocument(s.database.db, {
    type: 'oversight-notice',
    subject: { kind: 'oversight', id: 'matrix' },
    fields: OVERSIGHT_FIELDS,
    issuedBy: { id: null, name: 'matrix' },
  });
  return d.id;
}

beforeAll(async () => {
  s = await createSharedApp({ seed: true });
  users.admin = await createStaff(s.database, 'api_admin', 'admin');
  users.editor = await createStaff(s.database, 'api_waishi', 'editor', ['外事科']);
  users.reviewer = await createStaff(s.database, 'api_leader', 'reviewer');
  users.inspector = await createStaff(s.database, 'api_insp', 'inspector');
  users.auditor = await createStaff(s.database, 'api_audit', 'auditor');
  for (const who of ['admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const) {
    tokens[who] = (await s.cli('token', 'create', users[who].username)).out.trim();
  }
  waishi = users.editor.officeIds[0]!;
  planner = await createStaff(s.database, 'api_planner', 'admin');
  secondInspector = await createStaff(s.database, 'api_insp2', 'inspector');
  await s.database.db.transaction().execute(async (tx) => {
    const rows = Array.from({ length: 30 }, (_, k) => [
      `矩阵加油站${k + 1}号`,
      makeUscc(40_000 + k),
      '成品油零售',
      '桃城区',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    await importEntities(tx, planner, { filename: 'matrix.csv', data: entityCsv(rows) });
    for (const [k, u] of [users.inspector, secondInspector].entries()) {
      await createInspector(tx, planner, {
        name: `矩阵执法人员${k + 1}`,
        certificateNo: `API-${k + 1}`,
        officeId: '',
        countyId: '',
        username: u.username,
        active: true,
      });
    }
  });
  sv.plan = await svPlan('drawn');
});
afterAll(async () => {
  await s?.close();
});

async function send(r: Row, who: Who) {
  const cell = r.prepare ? await r.prepare() : {};
  const url = cell.url ?? r.route;
  if (cell.form) {
    const form = { ...cell.form, ...(who === 'none' ? {} : { api_key: tokens[who] }) };
    return s.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  const auth = who === 'none' ? {} : { authorization: `Bearer ${tokens[who]}` };
  if (cell.csv) {
    return s.app.inject({
      method: r.method,
      url,
      payload: cell.csv,
      headers: { ...auth, 'content-type': 'text/csv' },
    });
  }
  return s.app.inject({
    method: r.method,
    url,
    payload: cell.body as Record<string, unknown> | undefined,
    headers: auth,
  });
}

/** The registered routes under /api/v1/staff, as "METHOD /path". */
function staffRoutes(): string[] {
  const doc = s.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/v1/staff'))
    .flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

describe('the authorisation matrix of the token APIs', () => {
  it('lists every registered /api/v1/staff route', () => {
    // Enforcement's routes have their own matrix, with the legal reviewer (authz-matrix-enforcement.test.ts).
    const registered = staffRoutes().filter((r) => !ENFORCEMENT_API_ROUTES.includes(r));
    expect(registered.length).toBeGreaterThanOrEqual(5);
    const inTable = TABLE.map((r) => `${r.method} ${r.route}`);
    expect(registered.filter((r) => !inTable.includes(r))).toEqual([]);
  });

  for (const r of TABLE) {
    it(`${r.method} ${r.route}: ${WHO.map((w) => `${w} → ${r.expect[w]}`).join(', ')}`, async () => {
      for (const who of WHO) {
        const res = await send(r, who);
        expect(res.statusCode, `${who}: ${res.body.slice(0, 200)}`).toBe(r.expect[who]);
        if (!r.unmasked || res.statusCode !== 200) {
          expect(res.body, who).not.toContain(FIXTURE_PHONE);
          expect(res.body, who).not.toContain(FIXTURE_NAME);
        } else {
          expect(res.json()).toMatchObject({ phone: FIXTURE_PHONE, masked: false });
        }
      }
    });
  }

  it('writes an audit entry naming who read the contact and why', async () => {
    const { code, id } = await cx('assigned');
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/v1/staff/complaints/${code}/contact`,
      payload: { reason: '核实举报人身份' },
      headers: { authorization: `Bearer ${tokens.reviewer}` },
    });
    expect(res.statusCode).toBe(200);
    const entry = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'complaint-read-contact')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'api_leader', actor_id: users.reviewer.id });
    expect(JSON.parse(entry.after!)).toEqual({ reason: '核实举报人身份' });
    const noReason = await s.app.inject({
      method: 'POST',
      url: `/api/v1/staff/complaints/${code}/contact`,
      payload: { reason: '' },
      headers: { authorization: `Bearer ${tokens.reviewer}` },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).not.toContain(FIXTURE_PHONE);
  });

  it('shows an editor only the tickets of their offices and their own', async () => {
    const mine = await cx('assigned');
    const other = await complaintFixture(
      s.database,
      { dispatcher: users.admin, handler: users.admin },
      (
        await s.database.db
          .selectFrom('offices')
          .select('id')
          .where('name', '=', '市场秩序和政策法规科')
          .executeTakeFirstOrThrow()
      ).id,
      'assigned',
    );
    const list = (
      await s.app.inject({
        method: 'GET',
        url: '/api/v1/staff/complaints',
        headers: { authorization: `Bearer ${tokens.editor}` },
      })
    ).json().items as Array<{ code: string }>;
    expect(list.map((t) => t.code)).toContain(mine.code);
    expect(list.map((t) => t.code)).not.toContain(other.code);
    const one = await s.app.inject({
      method: 'GET',
      url: `/api/v1/staff/complaints/${other.code}`,
      headers: { authorization: `Bearer ${tokens.editor}` },
    });
    expect(one.statusCode).toBe(403);
  });
});
