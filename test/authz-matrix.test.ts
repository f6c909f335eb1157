import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type SessionUser } from '../src/modules/auth/auth.service.ts';
import { addChange, createChangeSet, transitionChangeSet } from '../src/modules/changes/changeset.service.ts';
import { settleDispute } from '../src/modules/complaints/complaint.dispute.service.ts';
import { issueDocument } from '../src/modules/documents/index.ts';
import { healthReport } from '../src/modules/registry/index.ts';
import { createEntity } from '../src/modules/supervision/entities/entity.service.ts';
import {
  addAttachment,
  checklistFor,
  confirmRecord,
  saveRecord,
} from '../src/modules/supervision/inspections/inspection.service.ts';
import { publishResult } from '../src/modules/supervision/inspections/result.service.ts';
import { addConflict, createInspector } from '../src/modules/supervision/inspectors/inspector.service.ts';
import {
  commitPlanAction,
  createPlan,
  drawPlan,
  type PlanInput,
} from '../src/modules/supervision/plans/plan.service.ts';
import {
  bureauFixture,
  campaignFixture,
  nextCampaignYear,
  type OversightState,
  oversightFixture,
} from './campaigns-fixtures.ts';
import { complaintFixture, FIXTURE_NAME, FIXTURE_PHONE, type FixtureState } from './complaints-fixtures.ts';
import { ENFORCEMENT_ADMIN_ROUTES } from './enforcement-routes.ts';
import { CANVAS_JPEG } from './fixtures/images.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, browser, createStaff, TEST_PASSWORD } from './staff-helpers.ts';
import { entityCsv, makeUscc, postMultipart, type UploadFile } from './supervision-helpers.ts';

/**
 * The authorisation matrix of the staff back office: every /admin route × every role (and the
 * anonymous visitor) → the expected outcome, as a table the test iterates. The routes the app
 * really registers are read from the router, so a new /admin route cannot escape the table.
 * Every POST is also sent without its CSRF token: refused with 403, nothing changes.
 *
 * The expected outcomes are the documented policy, not the code's behaviour: change sets as in
 * docs/decisions.md §12 and the README's roles; supervision as in supervision.policy.ts (registers:
 * admin/editor maintain — an editor only what their offices' regimes own, and this matrix's editor is
 * bound to 外事科, which runs no regime, so they maintain nothing — admin/editor/reviewer/auditor read; plans: admin/reviewer manage and approve
 * below-minimum ratios, admin/editor/reviewer/auditor read; tasks: inspectors their own, admin/
 * reviewer/auditor all; the supervision start page: every staff role).
 */

const ROLES = ['anonymous', 'admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const;
type Who = (typeof ROLES)[number];

/**
 * ok: GET → 200 page; POST → 303 to a back office page (the action ran).
 * page: POST → 200 back office page showing the result in place (the upload ran).
 * file: GET → 200 download (CSV or Excel), not a page.
 * login: 303 to the login page, remembering the page (anonymous GET).
 * to-admin: 303 to the dashboard (the login page for someone already logged in).
 * 401 / 403: refused.
 */
type Outcome = 'ok' | 'page' | 'file' | 'login' | 'to-admin' | 401 | 403;

/** The outcomes where the request went through. */
const allowed = (o: Outcome) => o === 'ok' || o === 'page' || o === 'file';

interface Cell {
  url?: string;
  form?: Record<string, string | string[]>;
  /** A file to upload: the form is sent as multipart/form-data. */
  file?: UploadFile;
  /** A browser of its own (actions that end or replace the session). */
  browser?: Browser;
}

interface Row {
  method: 'GET' | 'POST';
  /** The route as registered. */
  route: string;
  expect: Record<Who, Outcome>;
  /** Fresh records for one cell (the action may consume them), ids filled into the URL. */
  prepare?: (who: Who) => Promise<Cell>;
}

const row = (
  method: Row['method'],
  route: string,
  [anonymous, admin, editor, reviewer, inspector, auditor]: Outcome[],
  prepare?: Row['prepare'],
): Row => ({
  method,
  route,
  expect: {
    anonymous: anonymous!,
    admin: admin!,
    editor: editor!,
    reviewer: reviewer!,
    inspector: inspector!,
    auditor: auditor!,
  },
  prepare,
});

let t: TestApp;
const users = {} as Record<Exclude<Who, 'anonymous'>, SessionUser>;
const browsers = {} as Record<Who, Browser>;
const ids = { waishi: 0, ownItem: 0, ownDuty: 0 };
let serial = 0;
/** Supervision records the GET rows read: an entity, an inspector, a drawn plan. */
const sv = { county: 0, entity: 0, inspector: 0, drawnPlan: 0, conflictUscc: '' };
/**
 * Inspections: a plan of regime 15 drawn while the three inspectors were all linked to accounts
 * (insp1–insp3), whose tasks the rows consume one by one; insp1's task of sv.drawnPlan for the
 * repeatable actions, with one photo.
 */
const insp = {
  resultsPlan: 0,
  ownTask: 0,
  attachment: 0,
  /** The account of each fixture inspector (by register id). */
  accounts: new Map<number, SessionUser>(),
  used: new Set<number>(),
};
/** The author of the fixture plans: an admin who is none of the tested users (four eyes). */
let planner: SessionUser;
let planSlot = 0;

/** A logged-in browser without going through the (rate-limited) login form. */
async function sessionBrowser(username: string | null): Promise<Browser> {
  const b = browser(t.app);
  if (username) {
    const { token } = await login(t.database.db, username, TEST_PASSWORD, '10.0.0.1');
    b.jar.zhize_session = token;
  }
  // The CSRF cookie, as the visitor's browser gets it with a form: bound to their session.
  await b.get(username ? '/admin/password' : '/admin/login');
  return b;
}

/** A change set by the 外事科 editor updating their own work item, brought to `status`. */
async function fixtureSet(
  status: 'draft' | 'submitted' | 'approved',
): Promise<{ setId: number; itemId: number }> {
  serial++;
  return t.database.db.transaction().execute(async (tx) => {
    const setId = await createChangeSet(tx, users.editor, {
      title: `矩阵测试 ${serial}`,
      reason: '授权矩阵',
    });
    const itemId = await addChange(tx, users.editor, setId, {
      entity: 'workItem',
      op: 'update',
      targetId: ids.ownItem,
      payload: {
        dutyId: ids.ownDuty,
        text: `负责我市对外交往工作（矩阵 ${serial}）`,
        officeIds: [ids.waishi],
        remark: null,
      },
    });
    if (status !== 'draft') await transitionChangeSet(tx, users.editor, setId, 'submit');
    if (status === 'approved')
      await transitionChangeSet(tx, users.reviewer, setId, 'approve', { comment: '同意' });
    return { setId, itemId };
  });
}

/**
 * A fresh list-health finding the matrix editor may fix: the same new 外事科 work item under two
 * duties (a duplicate), written straight into the tables; its key.
 */
async function freshDuplicateFinding(): Promise<string> {
  const text = `矩阵重复事项 ${++serial}`;
  const other = await t.database.db
    .selectFrom('duties')
    .select('id')
    .where('id', '!=', ids.ownDuty)
    .executeTakeFirstOrThrow();
  for (const dutyId of [ids.ownDuty, other.id]) {
    const w = await t.database.db
      .insertInto('work_items')
      .values({ duty_id: dutyId, position: 1000 + serial, text, office_text: '外事科', remark: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('work_item_offices')
      .values({ work_item_id: w.id, office_id: ids.waishi, position: 1 })
      .execute();
  }
  const report = await healthReport(t.database.db, { months: 1 });
  return report.findings.find((f) => f.kind === 'duplicate_item' && f.title.includes(text))!.key;
}

const ownRetire = () => ({ entity: 'workItem', op: 'retire', target: String(ids.ownItem) });

/** A new, distinct valid credit code. */
const newUscc = () => makeUscc(50_000 + ++serial);

/** The form of a regulated entity, as the entity form posts it. */
const entityForm = (name: string, uscc: string, category = 'supplier') => ({
  name,
  uscc,
  categories: [category],
  county: String(sv.county),
  licenceNo: '',
  licenceValidFrom: '',
  licenceValidUntil: '',
  status: 'active',
  riskClass: '',
});

/** The form of an inspector, as the inspector form posts it. */
const inspectorForm = (name: string, certificateNo: string, username = '') => ({
  name,
  certificateNo,
  officeId: '',
  countyId: '',
  username,
  active: '1',
});

/** A fresh regulated entity (of a category no fixture plan draws from, unless told). */
async function svEntity(category = 'supplier'): Promise<{ id: number; uscc: string }> {
  const uscc = newUscc();
  const id = await t.database.db
    .transaction()
    .execute((tx) => createEntity(tx, users.admin, entityForm(`矩阵检查对象${serial}`, uscc, category)));
  return { id, uscc };
}

/** A fresh inspector, optionally with a declared conflict (with an entity outside the plans). */
async function svInspector(
  options: { username?: string; conflict?: boolean } = {},
): Promise<{ id: number; conflictId: number }> {
  serial++;
  return t.database.db.transaction().execute(async (tx) => {
    const form = inspectorForm(`矩阵执法人员${serial}`, `MX-${serial}`, options.username);
    const id = await createInspector(tx, users.admin, { ...form, active: true });
    const conflictId = options.conflict
      ? await addConflict(tx, users.admin, id, { uscc: sv.conflictUscc, reason: '近亲属在该企业任职' })
      : 0;
    return { id, conflictId };
  });
}

/** A year and round no other plan of regime 4 uses (a live plan is unique per regime, year and round). */
function nextSlot(): { year: number; round: number } {
  const k = planSlot++;
  return { year: 2030 + Math.floor(k / 99), round: (k % 99) + 1 };
}

/**
 * A fresh plan of regime 4 (成品油, at least 10 %) by the planner, brought to `state`:
 * 'below-minimum' is a draft at 5 % with a reason, waiting for another manager's approval.
 */
async function svPlan(state: 'draft' | 'below-minimum' | 'committed' | 'drawn'): Promise<number> {
  const below = state === 'below-minimum';
  const input: PlanInput = {
    regimeSeq: 4,
    ...nextSlot(),
    ratioPercent: below ? '5' : '50',
    minInspectors: 2,
    countyIds: [],
    riskClasses: [],
    belowMinReason: below ? '上半年已对全部企业开展专项检查' : '',
  };
  const id = await t.database.db.transaction().execute(async (tx) => {
    const id = await createPlan(tx, planner, input);
    if (state === 'committed' || state === 'drawn') await commitPlanAction(tx, planner, id);
    return id;
  });
  if (state === 'drawn')
    await drawPlan(t.database.db, planner, id, '2026-03-03 双色球 02 09 14 21 27 33 + 08');
  return id;
}

/** A ticket in `state`, assigned (when it is) to 外事科: the matrix editor's office. */
const cx = (state: FixtureState, now?: Date) =>
  complaintFixture(
    t.database,
    { dispatcher: users.admin, handler: users.editor },
    ids.waishi,
    state,
    'report',
    now,
  );

/**
 * Filed on a day whose deadlines the installed holiday calendar covers: an extension of a ticket
 * filed today may end in a year whose holiday schedule is not yet published (then it is refused,
 * 409, whoever asks), which would make the row depend on the day the suite runs.
 */
const COVERED_DAY = new Date('2026-03-02T02:00:00Z');
/** A complete on-site record for a task of regime `seq` ("no problem found"). */
async function completeRecord(seq: number) {
  const items = await checklistFor(t.database.db, seq);
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

/** The inspectors (register id) of a task. */
async function taskInspectorIds(taskId: number): Promise<number[]> {
  const rows = await t.database.db
    .selectFrom('plan_task_inspectors')
    .select('inspector_id')
    .where('task_id', '=', taskId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.inspector_id);
}

/** The next unused task of the results plan, optionally one of insp1's. */
async function freshTask(ofInsp1 = false): Promise<number> {
  const tasks = await t.database.db
    .selectFrom('plan_tasks')
    .select('id')
    .where('plan_id', '=', insp.resultsPlan)
    .orderBy('position')
    .execute();
  for (const { id } of tasks) {
    if (insp.used.has(id)) continue;
    if (ofInsp1 && !(await taskInspectorIds(id)).includes(sv.inspector)) continue;
    insp.used.add(id);
    return id;
  }
  throw new Error('the results plan has no unused task left');
}

/** A fresh task of the results plan with a record confirmed by both its inspectors (待审核). */
async function pendingInspection(): Promise<{ taskId: number; inspectionId: number }> {
  const taskId = await freshTask();
  const [first, second] = (await taskInspectorIds(taskId)).map((i) => insp.accounts.get(i)!);
  const input = await completeRecord(15);
  const { inspectionId, version } = await t.database.db
    .transaction()
    .execute((tx) => saveRecord(tx, first!, taskId, input));
  for (const who of [first!, second!])
    await t.database.db.transaction().execute((tx) => confirmRecord(tx, who, taskId, version));
  return { taskId, inspectionId };
}

const A = 'ok' as const;
const L = 'login' as const;
const F = 'file' as const;
const P = 'page' as const;

/** The table: [anonymous, admin, editor, reviewer, inspector, auditor]. */
const TABLE: Row[] = [
  // Login, logout, password (auth.pages.tsx)
  row('GET', '/admin/login', [A, 'to-admin', 'to-admin', 'to-admin', 'to-admin', 'to-admin']),
  row('POST', '/admin/login', [A, A, A, A, A, A], async (who) => ({
    browser: await sessionBrowser(null),
    form: { username: who === 'anonymous' ? 'audit1' : users[who].username, password: TEST_PASSWORD },
  })),
  row('POST', '/admin/logout', [A, A, A, A, A, A], async (who) => ({
    browser: await sessionBrowser(who === 'anonymous' ? null : users[who].username),
  })),
  row('GET', '/admin/password', [L, A, A, A, A, A]),
  row('POST', '/admin/password', [401, A, A, A, A, A], async (who) => {
    if (who === 'anonymous')
      return { form: { current: TEST_PASSWORD, next: 'x-new-pass-1', confirm: 'x-new-pass-1' } };
    const name = `pw_${who}_${++serial}`;
    await createStaff(t.database, name, who, who === 'editor' ? ['外事科'] : []);
    return {
      browser: await sessionBrowser(name),
      form: { current: TEST_PASSWORD, next: 'another-pass-99', confirm: 'another-pass-99' },
    };
  }),
  // Dashboard
  row('GET', '/admin', [L, A, A, A, A, A]),
  // List health and the register of legal instruments (registry; "propose a fix" in backoffice)
  row('GET', '/admin/health', [L, A, A, A, A, A]),
  row('POST', '/admin/health/propose', [401, A, A, 403, 403, 403], async () => ({
    form: { key: await freshDuplicateFinding() },
  })),
  row('GET', '/admin/legal', [L, A, 403, 403, 403, 403]),
  row('POST', '/admin/legal/import', [401, A, 403, 403, 403, 403], async () => ({
    form: {
      format: 'json',
      text: JSON.stringify([
        { 名称: `矩阵测试办法 ${++serial}`, 效力级别: '规范性文件', 时效性: '有效', 信息来源: '矩阵' },
      ]),
    },
  })),
  // Change sets
  row('GET', '/admin/changes', [L, A, A, A, 403, A]),
  row('GET', '/admin/changes/new', [L, A, A, 403, 403, 403]),
  row('POST', '/admin/changes', [401, A, A, 403, 403, 403], async () => ({
    form: { title: '新调整单', reason: '矩阵' },
  })),
  row('GET', '/admin/changes/:id', [L, A, A, A, 403, A], async () => {
    const { setId } = await fixtureSet('submitted');
    return { url: `/admin/changes/${setId}` };
  }),
  row('POST', '/admin/changes/:id/submit', [401, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/submit` };
  }),
  row('POST', '/admin/changes/:id/withdraw', [401, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/withdraw`, form: { confirm: 'yes' } };
  }),
  row('POST', '/admin/changes/:id/approve', [401, A, 403, A, 403, 403], async () => {
    const { setId } = await fixtureSet('submitted');
    return { url: `/admin/changes/${setId}/approve`, form: { comment: '同意' } };
  }),
  row('POST', '/admin/changes/:id/return', [401, A, 403, A, 403, 403], async () => {
    const { setId } = await fixtureSet('submitted');
    return { url: `/admin/changes/${setId}/return`, form: { comment: '请补充依据' } };
  }),
  row('POST', '/admin/changes/:id/publish', [401, A, 403, A, 403, 403], async () => {
    const { setId } = await fixtureSet('approved');
    return { url: `/admin/changes/${setId}/publish`, form: { effectiveDate: '2026-09-01', confirm: 'yes' } };
  }),
  row('POST', '/admin/changes/:id/items/:itemId/delete', [401, A, A, 403, 403, 403], async () => {
    const { setId, itemId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/items/${itemId}/delete` };
  }),
  // Editing a draft or returned set: its title and 调整依据, and one of its changes
  row('GET', '/admin/changes/:id/edit', [L, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/edit` };
  }),
  row('POST', '/admin/changes/:id/edit', [401, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/edit`, form: { title: '改过的标题', reason: '补充了依据' } };
  }),
  row('GET', '/admin/changes/:id/items/:itemId/edit', [L, A, A, 403, 403, 403], async () => {
    const { setId, itemId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/items/${itemId}/edit` };
  }),
  row('POST', '/admin/changes/:id/items/:itemId', [401, A, A, 403, 403, 403], async () => {
    const { setId, itemId } = await fixtureSet('draft');
    return {
      url: `/admin/changes/${setId}/items/${itemId}`,
      form: {
        dutyId: String(ids.ownDuty),
        text: '负责我市对外交往工作（改）',
        officeIds: String(ids.waishi),
        remark: '',
      },
    };
  }),
  // The change form, into an existing set or a new one
  row('GET', '/admin/changes/:id/items/new', [L, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/items/new?entity=workItem&op=update&target=${ids.ownItem}` };
  }),
  row('POST', '/admin/changes/:id/items', [401, A, A, 403, 403, 403], async () => {
    const { setId } = await fixtureSet('draft');
    return { url: `/admin/changes/${setId}/items`, form: ownRetire() };
  }),
  row('GET', '/admin/changes/new/item', [L, A, A, 403, 403, 403], async () => ({
    url: `/admin/changes/new/item?entity=workItem&op=update&target=${ids.ownItem}`,
  })),
  row('POST', '/admin/changes/new/item', [401, A, A, 403, 403, 403], async () => ({
    form: { title: '一步提出', reason: '矩阵', ...ownRetire() },
  })),
  // Records, audit, users
  row('GET', '/admin/records', [L, A, A, 403, 403, 403]),
  // Source documents' official publication URLs: admins only (issue 14 item 7).
  row('GET', '/admin/sources', [L, A, 403, 403, 403, 403]),
  row('POST', '/admin/sources/:id/url', [401, A, 403, 403, 403, 403], async () => ({
    url: '/admin/sources/1/url',
    form: { officialUrl: `http://swj.hengshui.gov.cn/matrix-${++serial}.html` },
  })),
  row('GET', '/admin/audit', [L, A, 403, 403, 403, A]),
  row('GET', '/admin/users', [L, A, 403, 403, 403, 403]),
  row('POST', '/admin/users', [401, A, 403, 403, 403, 403], async () => ({
    form: { username: `made_${++serial}`, role: 'auditor', password: 'made-password-1' },
  })),
  row('POST', '/admin/users/:id/active', [401, A, 403, 403, 403, 403], async () => {
    const u = await createStaff(t.database, `leaver_${++serial}`, 'auditor');
    return { url: `/admin/users/${u.id}/active`, form: { active: '0', confirm: 'yes', reason: '调离' } };
  }),
  row('GET', '/admin/users/:id', [L, A, 403, 403, 403, 403], async () => ({
    url: `/admin/users/${users.auditor.id}`,
  })),
  row('POST', '/admin/users/:id/role', [401, A, 403, 403, 403, 403], async () => {
    const u = await createStaff(t.database, `moved_${++serial}`, 'auditor');
    return { url: `/admin/users/${u.id}/role`, form: { role: 'reviewer' } };
  }),
  // The reset answers with the page showing the temporary password once (no redirect).
  row('POST', '/admin/users/:id/password', [401, P, 403, 403, 403, 403], async () => {
    const u = await createStaff(t.database, `forgot_${++serial}`, 'auditor');
    return { url: `/admin/users/${u.id}/password`, form: { password: '' } };
  }),

  // Supervision (双随机、一公开), supervision.policy.ts. The start page: every staff role.
  row('GET', '/admin/supervision', [L, A, A, A, A, A]),
  // The entity register: REGISTER_READERS read; REGISTER_WRITERS add, edit, import (templates included),
  // an editor only for the categories their offices' regimes cover: the 外事科 editor none (403).
  row('GET', '/admin/supervision/entities', [L, A, A, A, 403, A]),
  row('GET', '/admin/supervision/entities.csv', [L, F, F, F, 403, F]),
  row('GET', '/admin/supervision/entities/new', [L, A, 403, 403, 403, 403]),
  row('POST', '/admin/supervision/entities', [401, A, 403, 403, 403, 403], async () => ({
    form: entityForm(`矩阵新增检查对象${serial + 1}`, newUscc()),
  })),
  row('GET', '/admin/supervision/entities/import', [L, A, 403, 403, 403, 403]),
  row('POST', '/admin/supervision/entities/import', [401, P, 403, 403, 403, 403], async () => ({
    file: {
      field: 'file',
      filename: 'entities.csv',
      contentType: 'text/csv',
      data: entityCsv([[`矩阵导入检查对象${serial + 1}`, newUscc(), '供应商', '景县', '', '', '', '', '']]),
    },
  })),
  row('GET', '/admin/supervision/entities/template.csv', [L, F, 403, 403, 403, 403]),
  row('GET', '/admin/supervision/entities/template.xlsx', [L, F, 403, 403, 403, 403]),
  row('GET', '/admin/supervision/entities/:id', [L, A, A, A, 403, A], async () => ({
    url: `/admin/supervision/entities/${sv.entity}`,
  })),
  row('POST', '/admin/supervision/entities/:id', [401, A, 403, 403, 403, 403], async () => {
    const { id, uscc } = await svEntity();
    return { url: `/admin/supervision/entities/${id}`, form: entityForm(`矩阵改名检查对象${serial}`, uscc) };
  }),
  // The inspector register and declared conflicts: the same readers and writers; an editor only
  // their own offices' inspectors (the fixtures belong to another office: 403).
  row('GET', '/admin/supervision/inspectors', [L, A, A, A, 403, A]),
  row('POST', '/admin/supervision/inspectors', [401, A, 403, 403, 403, 403], async () => {
    serial++;
    return { form: inspectorForm(`矩阵新增执法人员${serial}`, `MN-${serial}`) };
  }),
  row('GET', '/admin/supervision/inspectors/:id', [L, A, A, A, 403, A], async () => ({
    url: `/admin/supervision/inspectors/${sv.inspector}`,
  })),
  row('POST', '/admin/supervision/inspectors/:id', [401, A, 403, 403, 403, 403], async () => {
    const { id } = await svInspector();
    return {
      url: `/admin/supervision/inspectors/${id}`,
      form: inspectorForm(`矩阵改名执法人员${serial}`, `MX-${serial}`),
    };
  }),
  row('POST', '/admin/supervision/inspectors/:id/conflicts', [401, A, 403, 403, 403, 403], async () => {
    const { id } = await svInspector();
    return {
      url: `/admin/supervision/inspectors/${id}/conflicts`,
      form: { uscc: sv.conflictUscc, reason: '曾在该企业任职' },
    };
  }),
  row(
    'POST',
    '/admin/supervision/inspectors/:id/conflicts/:conflictId/delete',
    [401, A, 403, 403, 403, 403],
    async () => {
      const { id, conflictId } = await svInspector({ conflict: true });
      return { url: `/admin/supervision/inspectors/${id}/conflicts/${conflictId}/delete` };
    },
  ),
  // Plans: PLAN_READERS read (drafts included); PLAN_MANAGERS create, approve, commit, draw, cancel.
  row('GET', '/admin/supervision/plans', [L, A, A, A, 403, A]),
  row('GET', '/admin/supervision/plans/new', [L, A, 403, A, 403, 403]),
  row('POST', '/admin/supervision/plans', [401, A, 403, A, 403, 403], async () => {
    const { year, round } = nextSlot();
    return {
      form: {
        regimeSeq: '4',
        year: String(year),
        round: String(round),
        ratioPercent: '10',
        minInspectors: '2',
        belowMinReason: '',
      },
    };
  }),
  row('GET', '/admin/supervision/plans/:id', [L, A, A, A, 403, A], async () => ({
    url: `/admin/supervision/plans/${sv.drawnPlan}`,
  })),
  // Approval of a below-minimum ratio: a manager other than the plan's author (the planner).
  row('POST', '/admin/supervision/plans/:id/approve', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/plans/${await svPlan('below-minimum')}/approve`,
    form: { comment: '同意' },
  })),
  row('POST', '/admin/supervision/plans/:id/commit', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/plans/${await svPlan('draft')}/commit`,
    form: { confirm: 'yes' },
  })),
  row('POST', '/admin/supervision/plans/:id/draw', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/plans/${await svPlan('committed')}/draw`,
    form: { witness: '2026-03-03 双色球 01 05 11 19 23 30 + 12' },
  })),
  row('POST', '/admin/supervision/plans/:id/cancel', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/plans/${await svPlan('draft')}/cancel`,
    form: { confirm: 'yes', reason: '计划有误，重新制定' },
  })),
  // Tasks: TASK_READERS; an inspector sees their own (insp1 is linked to an inspector with tasks).
  row('GET', '/admin/supervision/tasks', [L, A, 403, A, A, A]),

  // Complaints (举报投诉), complaint.policy.ts: admin/editor/reviewer/auditor read (an editor their offices'
  // tickets: the fixtures are assigned to 外事科, the matrix editor's office); admin/editor/reviewer take
  // calls in; admin/reviewer dispatch and coordinate; admin and the office's editor handle; contact
  // details and attachments only for dispatchers and the handling office, never auditors.
  row('GET', '/admin/complaints', [L, A, A, A, 403, A]),
  row('GET', '/admin/complaints/new', [L, A, A, A, 403, 403]),
  row('POST', '/admin/complaints', [401, P, P, P, 403, 403], async () => ({
    form: {
      kind: 'enquiry',
      description: '来电咨询：开办药品零售企业需要到哪个部门办理？',
      contactName: '赵六',
      contactPhone: '13600000000',
      consent: '1',
    },
  })),
  row('GET', '/admin/complaints/:id', [L, A, A, A, 403, A], async () => ({
    url: `/admin/complaints/${(await cx('assigned')).id}`,
  })),
  row('POST', '/admin/complaints/:id/contact', [401, P, P, P, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('assigned')).id}/contact`,
    form: { reason: '电话回访核实情况' },
  })),
  row('GET', '/admin/complaints/:id/attachments/:attachmentId', [L, F, F, F, 403, 403], async () => {
    const c = await cx('assigned');
    return { url: `/admin/complaints/${c.id}/attachments/${c.attachmentId}` };
  }),
  row('POST', '/admin/complaints/:id/assign', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('received')).id}/assign`,
    form: { officeId: String(ids.waishi), reason: '授权矩阵：改派外事科' },
  })),
  row('POST', '/admin/complaints/:id/transfer', [401, A, 403, A, 403, 403], async () => {
    const share = await t.database.db
      .selectFrom('boundary_shares as s')
      .innerJoin('departments as d', 'd.id', 's.department_id')
      .select('s.id')
      .where('d.name', '=', '市市场监督管理局')
      .executeTakeFirstOrThrow();
    return {
      url: `/admin/complaints/${(await cx('received')).id}/transfer`,
      form: { shareId: String(share.id), reason: '授权矩阵：转办' },
    };
  }),
  row('POST', '/admin/complaints/:id/reject', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('received')).id}/reject`,
    form: { reason: '重复反映，已在办理' },
  })),
  row('POST', '/admin/complaints/:id/return', [401, A, A, 403, 403, 403], async () => {
    const item = await t.database.db
      .selectFrom('work_items')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    return {
      url: `/admin/complaints/${(await cx('assigned')).id}/return`,
      form: { reason: '预付卡管理不属于外事科', cited: `workItem:${item.id}` },
    };
  }),
  row('POST', '/admin/complaints/:id/settle', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('returned')).id}/settle`,
    form: { decision: 'keep', reason: '按清单仍由外事科办理' },
  })),
  // A 举报 opens a check outside the random plan (dispatchers); a noted list issue is drafted by an admin.
  row('POST', '/admin/complaints/:id/open-check', [401, A, 403, A, 403, 403], async () => {
    const entity = await svEntity('prepaid-card-issuer');
    const free = await t.database.db
      .selectFrom('inspectors')
      .select('id')
      .where('active', '=', 1)
      .where('id', 'not in', (eb) => eb.selectFrom('inspector_conflicts').select('inspector_id'))
      .orderBy('id')
      .limit(2)
      .execute();
    if (free.length < 2) throw new Error('matrix fixtures: fewer than two inspectors free for a check');
    return {
      url: `/admin/complaints/${(await cx('assigned')).id}/open-check`,
      form: {
        uscc: entity.uscc,
        inspectorIds: free.map((i) => String(i.id)),
        reason: '核查举报反映的违规发卡',
        overCapReason: '',
      },
    };
  }),
  row('POST', '/admin/complaints/:id/draft-list-change', [401, A, 403, 403, 403, 403], async () => {
    const { id } = await cx('returned');
    await t.database.db.transaction().execute((tx) =>
      settleDispute(
        tx,
        users.reviewer,
        id,
        {
          decision: 'keep',
          reason: '按清单仍由外事科办理',
          listIssue: 'gap',
          listIssueNote: '清单应写明预付卡兑付纠纷',
        },
        new Date(),
      ),
    );
    const d = await t.database.db
      .selectFrom('complaint_disputes')
      .select('id')
      .where('complaint_id', '=', id)
      .executeTakeFirstOrThrow();
    return { url: `/admin/complaints/${id}/draft-list-change`, form: { disputeId: String(d.id) } };
  }),
  // The contact directory: everyone reads; admins keep every entry, an editor their own office's.
  row('GET', '/admin/contacts', [L, A, A, A, A, A]),
  row('GET', '/admin/contacts/edit', [L, A, A, 403, 403, 403], async () => ({
    url: `/admin/contacts/edit?kind=office&id=${ids.waishi}`,
  })),
  row('POST', '/admin/contacts/edit', [401, A, A, 403, 403, 403], async () => ({
    form: {
      kind: 'office',
      id: String(ids.waishi),
      phone: '2990002',
      address: '',
      hours: '',
      note: '',
      source: '',
    },
  })),
  row('POST', '/admin/complaints/:id/extend', [401, A, A, 403, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('assigned', COVERED_DAY)).id}/extend`,
    form: { days: '5', reason: '需要调取银行流水' },
  })),
  row('POST', '/admin/complaints/:id/reply', [401, A, A, 403, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('assigned')).id}/reply`,
    form: { outcome: 'resolved', docNumber: '衡商函〔2026〕9号', body: '经核查，已责令整改并回复反映人。' },
  })),
  row('POST', '/admin/complaints/:id/rate', [401, A, A, A, 403, 403], async () => ({
    url: `/admin/complaints/${(await cx('resolved')).id}/rate`,
    form: { satisfaction: 'satisfied', comment: '' },
  })),
  // One task: its inspectors (an inspector only their own task), and every other task reader.
  row('GET', '/admin/supervision/tasks/:id', [L, A, 403, A, A, A], async () => ({
    url: `/admin/supervision/tasks/${insp.ownTask}`,
  })),
  // The on-site record, its photos, the confirmation and a conflict declared after the draw: only an
  // inspector assigned to the task, with their own account (inspection.policy.ts).
  row('POST', '/admin/supervision/tasks/:id/record', [401, 403, 403, 403, A, 403], async () => {
    const form: Record<string, string> = {
      checkedAt: '2026-11-02T09:30',
      place: '桃城区某加油站',
      representative: '李站长',
      resultCode: 'no-problem',
    };
    return { url: `/admin/supervision/tasks/${insp.ownTask}/record`, form };
  }),
  row('POST', '/admin/supervision/tasks/:id/attachments', [401, 403, 403, 403, A, 403], async () => ({
    url: `/admin/supervision/tasks/${insp.ownTask}/attachments`,
    file: { field: 'file', filename: '现场.jpg', contentType: 'image/jpeg', data: CANVAS_JPEG },
  })),
  row('GET', '/admin/supervision/tasks/:id/attachments/:attachmentId', [L, F, 403, F, F, F], async () => ({
    url: `/admin/supervision/tasks/${insp.ownTask}/attachments/${insp.attachment}`,
  })),
  row('POST', '/admin/supervision/tasks/:id/confirm', [401, 403, 403, 403, A, 403], async () => {
    // A new version (the save clears insp1's earlier confirmation), which insp1 confirms.
    const record = await completeRecord(4);
    const { version } = await t.database.db
      .transaction()
      .execute((tx) => saveRecord(tx, users.inspector, insp.ownTask, record));
    return {
      url: `/admin/supervision/tasks/${insp.ownTask}/confirm`,
      form: { version: String(version), confirm: 'yes' },
    };
  }),
  row('POST', '/admin/supervision/tasks/:id/conflict', [401, 403, 403, 403, A, 403], async () => ({
    url: `/admin/supervision/tasks/${await freshTask(true)}/conflict`,
    form: { confirm: 'yes', reason: '发现近亲属在该企业任职' },
  })),
  // Results: RESULT_READERS see the review list; a manager not on the inspection publishes, returns
  // and withdraws (the fixture managers never were: inspectors are accounts of their own).
  row('GET', '/admin/supervision/results', [L, A, 403, A, 403, A]),
  row('POST', '/admin/supervision/results/:id/publish', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/results/${(await pendingInspection()).inspectionId}/publish`,
    form: { confirm: 'yes' },
  })),
  row('POST', '/admin/supervision/results/:id/return', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/supervision/results/${(await pendingInspection()).inspectionId}/return`,
    form: { comment: '请补充在场人员的职务' },
  })),
  row('POST', '/admin/supervision/results/:id/withdraw', [401, A, 403, A, 403, 403], async () => {
    const { inspectionId } = await pendingInspection();
    await t.database.db.transaction().execute((tx) => publishResult(tx, planner, inspectionId));
    return {
      url: `/admin/supervision/results/${inspectionId}/withdraw`,
      form: { confirm: 'yes', reason: '检查对象名称登记有误，更正后重新公示' },
    };
  }),
  // Documents (文书), document.policy.ts: every staff role reads, downloads and prints; admins and
  // reviewers issue corrections (a new document superseding the old one).
  row('GET', '/admin/documents', [L, A, A, A, A, A]),
  row('GET', '/admin/documents/:id', [L, A, A, A, A, A], async () => ({
    url: `/admin/documents/${await fixtureDocument()}`,
  })),
  row('GET', '/admin/documents/:id/print', [L, A, A, A, A, A], async () => ({
    url: `/admin/documents/${await fixtureDocument()}/print`,
  })),
  row('GET', '/admin/documents/:id/download', [L, F, F, F, F, F], async () => ({
    url: `/admin/documents/${await fixtureDocument()}/download`,
  })),
  row('POST', '/admin/documents/:id/supersede', [401, A, 403, A, 403, 403], async () => ({
    url: `/admin/documents/${await fixtureDocument()}/supersede`,
    form: {
      ...Object.fromEntries(Object.entries(OVERSIGHT_FIELDS).map(([k, v]) => [`f.${k}`, v])),
      'f.inspectedBody': '衡水市某县商务局（更正）',
      reason: '被检查单位名称有误',
    },
  })),
  // The working-day calendar: every staff role sees which years are covered.
  row('GET', '/admin/calendar', [L, A, A, A, A, A]),
  // Campaigns and oversight (campaign.policy.ts, oversight.policy.ts): admin/editor/reviewer/auditor
  // read; admins and reviewers open campaigns and import scores; handlers are admins, reviewers and
  // the editors of the regime's office — the 外事科 editor runs none, so is refused.
  ...campaignRows(),
];

function campaignRows(): Row[] {
  const R: Outcome[] = [L, A, A, A, 403, A];
  const M = (ok: Outcome): Outcome[] => [401, ok, 403, ok, 403, 403];
  const staffIds = () => [users.admin.id, users.reviewer.id];
  const filing = (submitted = false) => campaignFixture(t.database, planner, { submitted });
  const check = (state: OversightState) => oversightFixture(t.database, planner, staffIds(), state);
  const on = (path: string, form: Record<string, string>, state: OversightState) => async () => ({
    url: `/admin/supervision/oversight/${await check(state)}/${path}`,
    form,
  });
  return [
    row('GET', '/admin/supervision/campaigns', R),
    row('POST', '/admin/supervision/campaigns', M(A), async () => {
      const y = nextCampaignYear();
      return {
        form: {
          definition: 'pig-reserve-check',
          year: String(y),
          noticeDate: `${y}-02-01`,
          noticeText: '检查安排',
        },
      };
    }),
    row('GET', '/admin/supervision/campaigns/zones', R),
    row('POST', '/admin/supervision/campaigns/zones', M(A), async () => ({
      form: { source: '矩阵测试' },
      file: {
        field: 'file',
        filename: 'zones.csv',
        contentType: 'text/csv',
        data: Buffer.from('年度,开发区,得分,是否本市\n2026,矩阵开发区,80,是\n'),
      },
    })),
    row('GET', '/admin/supervision/campaigns/:id', R, async () => ({
      url: `/admin/supervision/campaigns/${(await filing()).campaignId}`,
    })),
    row('GET', '/admin/supervision/campaigns/filings/:id', R, async () => ({
      url: `/admin/supervision/campaigns/filings/${(await filing()).filingId}`,
    })),
    row('POST', '/admin/supervision/campaigns/filings/:id/actions', M(A), async () => ({
      url: `/admin/supervision/campaigns/filings/${(await filing(true)).filingId}/actions`,
      form: { action: 'forward' },
    })),
    row('POST', '/admin/supervision/campaigns/filings/:id/link', M('page'), async () => ({
      url: `/admin/supervision/campaigns/filings/${(await filing()).filingId}/link`,
      form: {},
    })),
    row('POST', '/admin/supervision/campaigns/filings/:id/code', M('page'), async () => ({
      url: `/admin/supervision/campaigns/filings/${(await filing()).filingId}/code`,
      form: {},
    })),
    row('GET', '/admin/supervision/campaigns/filings/:id/files/:file', [L, F, F, F, 403, F], async () => {
      const f = await filing(true);
      return { url: `/admin/supervision/campaigns/filings/${f.filingId}/files/${f.fileId}` };
    }),
    row('GET', '/admin/supervision/oversight', R),
    row('POST', '/admin/supervision/oversight', M(A), async () => ({
      form: {
        body: String(await bureauFixture(t.database)),
        regime: '2',
        method: 'spot',
        checkedOn: '2026-10-20',
        staff: staffIds().map(String),
      },
    })),
    row('GET', '/admin/supervision/oversight/:id', R, async () => ({
      url: `/admin/supervision/oversight/${await check('open')}`,
    })),
    row(
      'POST',
      '/admin/supervision/oversight/:id/findings',
      M(A),
      on('findings', { findings: '案卷不完整' }, 'open'),
    ),
    row(
      'POST',
      '/admin/supervision/oversight/:id/notice',
      M(A),
      on(
        'notice',
        {
          bodyName: '矩阵县商务局',
          facts: '案卷不完整',
          decision: '责令限期改正',
          execution: '补齐并书面报告',
          executionDeadline: '2026-11-30',
          issuer: '衡水市商务局',
          issuedOn: '2026-10-30',
        },
        'findings',
      ),
    ),
    row(
      'POST',
      '/admin/supervision/oversight/:id/receipt',
      M(A),
      on('receipt', { on: '2026-11-02' }, 'notice'),
    ),
    row(
      'POST',
      '/admin/supervision/oversight/:id/correction',
      M(A),
      on('correction', { on: '2026-11-20', report: '已补齐' }, 'received'),
    ),
    row(
      'POST',
      '/admin/supervision/oversight/:id/review-request',
      M(A),
      on('review-request', { on: '2026-11-05', reason: '事实认定有误' }, 'received'),
    ),
    row(
      'POST',
      '/admin/supervision/oversight/:id/review-decision',
      M(A),
      on('review-decision', { on: '2026-11-20', decision: '维持' }, 'requested'),
    ),
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
  const d = await issueDocument(t.database.db, {
    type: 'oversight-notice',
    subject: { kind: 'oversight', id: `matrix-${++serial}` },
    fields: OVERSIGHT_FIELDS,
    issuedBy: planner,
  });
  return d.id;
}

/** Every route the router knows under /admin, as "METHOD /path" (HEAD mirrors GET). */
function registeredAdminRoutes(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = Array.from(m[1]!).length / 4;
    stack.length = depth;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack[depth] = path;
    const methods = (m[3] ?? '').split(',').map((s) => s.trim());
    if (!path.startsWith('/admin')) continue;
    for (const method of methods) if (method && method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return [...new Set(out)].sort();
}

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  users.admin = await createStaff(t.database, 'admin1', 'admin');
  users.editor = await createStaff(t.database, 'waishi', 'editor', ['外事科']);
  users.reviewer = await createStaff(t.database, 'leader', 'reviewer');
  users.inspector = await createStaff(t.database, 'insp1', 'inspector');
  users.auditor = await createStaff(t.database, 'audit1', 'auditor');
  for (const who of ROLES)
    browsers[who] = await sessionBrowser(who === 'anonymous' ? null : users[who].username);
  const item = await t.database.db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', '负责我市对外交往工作')
    .executeTakeFirstOrThrow();
  ids.ownItem = item.id;
  ids.ownDuty = item.duty_id;
  ids.waishi = users.editor.officeIds[0]!;

  // Supervision: a population for regime 4 (six 成品油零售 retailers), an entity outside every plan
  // for declared conflicts, three inspectors (the first linked to insp1), and a drawn plan.
  planner = await createStaff(t.database, 'planner', 'admin');
  sv.county = (
    await t.database.db
      .selectFrom('counties')
      .select('id')
      .where('name', '=', '桃城区')
      .executeTakeFirstOrThrow()
  ).id;
  for (let k = 0; k < 6; k++) await svEntity('refined-oil-retail');
  const target = await svEntity('pawn');
  sv.entity = target.id;
  sv.conflictUscc = target.uscc;
  sv.inspector = (await svInspector({ username: users.inspector.username, conflict: true })).id;
  insp.accounts.set(sv.inspector, users.inspector);
  for (const name of ['insp2', 'insp3']) {
    const account = await createStaff(t.database, name, 'inspector');
    insp.accounts.set((await svInspector({ username: name })).id, account);
  }
  sv.drawnPlan = await svPlan('drawn');

  // Inspections: 30 vehicle recyclers (regime 15), all checked, drawn among the three linked inspectors.
  for (let k = 0; k < 30; k++) await svEntity('vehicle-recycling');
  insp.resultsPlan = await t.database.db.transaction().execute(async (tx) => {
    const id = await createPlan(tx, planner, {
      regimeSeq: 15,
      year: 2026,
      round: 1,
      ratioPercent: '100',
      minInspectors: 2,
      countyIds: [],
      riskClasses: [],
      belowMinReason: '',
    });
    await commitPlanAction(tx, planner, id);
    return id;
  });
  await drawPlan(t.database.db, planner, insp.resultsPlan, '2026-11-01 福彩3D 2026298期 4 7 1');
  const own = await t.database.db
    .selectFrom('plan_task_inspectors as ti')
    .innerJoin('plan_tasks as pt', 'pt.id', 'ti.task_id')
    .select('pt.id')
    .where('pt.plan_id', '=', sv.drawnPlan)
    .where('ti.inspector_id', '=', sv.inspector)
    .orderBy('pt.position')
    .executeTakeFirstOrThrow();
  insp.ownTask = own.id;
  const record = await completeRecord(4);
  insp.attachment = await t.database.db.transaction().execute(async (tx) => {
    await saveRecord(tx, users.inspector, own.id, record);
    return addAttachment(tx, users.inspector, own.id, { filename: '现场.jpg', data: CANVAS_JPEG });
  });
});
afterAll(async () => {
  await t?.close();
});

/** A browser sharing the role's session but with a jar of its own. */
function clone(b: Browser): Browser {
  const c = browser(t.app);
  c.jar = { ...b.jar };
  return c;
}

/** Posts the cell's form (multipart when it carries a file) with `form` in place of its own. */
function send(
  b: Browser,
  url: string,
  cell: Cell,
  form: Record<string, string | string[]> = cell.form ?? {},
  options: { csrf?: boolean } = {},
) {
  return cell.file ? postMultipart(t.app, b, url, form, cell.file, options) : b.post(url, form, options);
}

async function run(r: Row, who: Who) {
  const cell = r.prepare ? await r.prepare(who) : {};
  const b = cell.browser ?? clone(browsers[who]);
  const url = cell.url ?? r.route;
  return r.method === 'GET' ? b.get(url) : send(b, url, cell);
}

function check(r: Row, who: Who, res: { status: number; location?: string; body: string }) {
  const label = `${r.method} ${r.route} as ${who}`;
  const expected = r.expect[who];
  if ((expected === 'ok' && r.method === 'GET') || expected === 'page') {
    expect(res.status, `${label}: ${res.body.slice(0, 300)}`).toBe(200);
    expect(res.body, label).toContain('<html lang="zh-CN"');
  } else if (expected === 'file') {
    expect(res.status, label).toBe(200);
    expect(res.body.length, label).toBeGreaterThan(0);
    expect(res.body, label).not.toContain('<html');
  } else if (expected === 'ok') {
    expect(res.status, `${label}: ${res.body.slice(0, 300)}`).toBe(303);
    expect(res.location, label).toMatch(/^\/admin/);
    expect(res.location, label).not.toMatch(/^\/admin\/login\?next=/);
  } else if (expected === 'login') {
    expect(res.status, label).toBe(303);
    expect(res.location, label).toMatch(/^\/admin\/login\?next=%2Fadmin/);
  } else if (expected === 'to-admin') {
    expect(res.status, label).toBe(303);
    expect(res.location, label).toBe('/admin');
  } else {
    expect(res.status, `${label}: ${res.body.slice(0, 200)}`).toBe(expected);
  }
}

describe('the authorisation matrix of the back office', () => {
  it('lists every registered /admin route in the table', () => {
    // Enforcement's routes have their own matrix, with the legal reviewer (authz-matrix-enforcement.test.ts).
    const registered = registeredAdminRoutes().filter((r) => !ENFORCEMENT_ADMIN_ROUTES.includes(r));
    expect(registered.length).toBeGreaterThanOrEqual(50);
    const inTable = new Set(TABLE.map((r) => `${r.method} ${r.route}`));
    expect(TABLE).toHaveLength(inTable.size);
    expect(registered.filter((r) => !inTable.has(r))).toEqual([]);
    expect([...inTable].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('refuses the anonymous on every registered /admin route', async () => {
    const anonymous = browsers.anonymous;
    for (const route of registeredAdminRoutes()) {
      if (route === 'GET /admin/login' || route === 'POST /admin/login' || route === 'POST /admin/logout')
        continue;
      const [method, path] = route.split(' ') as ['GET' | 'POST', string];
      const url = path.replace(/:[A-Za-z]+/g, '1');
      const res = method === 'GET' ? await clone(anonymous).get(url) : await clone(anonymous).post(url, {});
      if (method === 'GET') {
        expect(res.status, route).toBe(303);
        expect(res.location, route).toMatch(/^\/admin\/login\?next=/);
      } else {
        expect([401, 403], route).toContain(res.status);
      }
    }
  });

  for (const r of TABLE) {
    it(`${r.method} ${r.route}: ${ROLES.map((w) => `${w} → ${r.expect[w]}`).join(', ')}`, async () => {
      for (const who of ROLES) check(r, who, await run(r, who));
    });
  }

  it('shows an inspector only their own tasks, and the other task readers all of them', async () => {
    const db = t.database.db;
    const drawn = db
      .selectFrom('plan_tasks as pt')
      .innerJoin('inspection_plans as p', 'p.id', 'pt.plan_id')
      // Drawn tasks and the tasks of checks opened on a 举报 (the open-check row): both are tasks.
      .where('p.status', 'in', ['drawn', 'targeted']);
    const all = await drawn.select('pt.id').execute();
    const own = await drawn
      .innerJoin('plan_task_inspectors as ti', 'ti.task_id', 'pt.id')
      .where('ti.inspector_id', '=', sv.inspector)
      .select('pt.id')
      .execute();
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(all.length);
    const rows = async (who: Who) =>
      (
        (await clone(browsers[who]).get('/admin/supervision/tasks')).body.match(/data-label="检查对象"/g) ??
        []
      ).length;
    expect(await rows('inspector')).toBe(own.length);
    for (const who of ['admin', 'reviewer', 'auditor'] as const)
      expect(await rows(who), who).toBe(all.length);
  });
});

describe('the complainant’s contact details in the back office', () => {
  it('never shows the phone unmasked in a list or a ticket page, to any role; the audited read does', async () => {
    const c = await cx('assigned');
    const masked = `${FIXTURE_PHONE.slice(0, 3)}****${FIXTURE_PHONE.slice(-4)}`;
    for (const who of ROLES) {
      for (const url of ['/admin/complaints?show=all', `/admin/complaints/${c.id}`, '/admin']) {
        const res = await clone(browsers[who]).get(url);
        expect(res.body, `${who} ${url}`).not.toContain(FIXTURE_PHONE);
        expect(res.body, `${who} ${url}`).not.toContain(FIXTURE_NAME);
        if (res.status === 200 && url !== '/admin' && who !== 'inspector')
          expect(res.body, `${who} ${url}`).toContain(masked);
      }
    }
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('action', '=', 'complaint-read-contact')
      .executeTakeFirstOrThrow();
    const shown = await clone(browsers.editor).post(`/admin/complaints/${c.id}/contact`, {
      reason: '回访核实',
    });
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(FIXTURE_PHONE);
    expect(shown.body).toContain('此次查看已记入审计日志');
    const entry = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'complaint-read-contact')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(Number(before.n) + 1).toBe(
      Number(
        (
          await t.database.db
            .selectFrom('audit_log')
            .select((e) => e.fn.countAll<number>().as('n'))
            .where('action', '=', 'complaint-read-contact')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect(entry).toMatchObject({
      actor: users.editor.username,
      entity: 'complaint',
      entity_id: String(c.id),
    });
    expect(JSON.parse(entry.after!)).toEqual({ reason: '回访核实' });
    expect(entry.after).not.toContain(FIXTURE_PHONE);
    // Without a reason nothing is shown and nothing is written.
    const refused = await clone(browsers.editor).post(`/admin/complaints/${c.id}/contact`, { reason: '' });
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain(FIXTURE_PHONE);
  });
});

describe('CSRF protection of every form', () => {
  /** What a refused request must not change. */
  const fingerprint = async () => {
    const db = t.database.db;
    const count = async (
      table:
        | 'users'
        | 'sessions'
        | 'change_sets'
        | 'change_items'
        | 'versions'
        | 'audit_log'
        | 'regulated_entities'
        | 'inspectors'
        | 'inspector_conflicts'
        | 'inspection_plans'
        | 'plan_population'
        | 'plan_tasks'
        | 'inspections'
        | 'inspection_confirmations'
        | 'inspection_attachments'
        | 'task_adjustments',
    ) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const statuses = await db.selectFrom('change_sets').select(['id', 'status']).orderBy('id').execute();
    const passwords = await db.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute();
    const entities = await db
      .selectFrom('regulated_entities')
      .select(['id', 'name', 'updated_at'])
      .orderBy('id')
      .execute();
    const inspectors = await db
      .selectFrom('inspectors')
      .select(['id', 'name', 'updated_at'])
      .orderBy('id')
      .execute();
    const plans = await db
      .selectFrom('inspection_plans')
      .select(['id', 'status', 'approved_by', 'updated_at'])
      .orderBy('id')
      .execute();
    return JSON.stringify({
      users: await count('users'),
      sessions: await count('sessions'),
      sets: await count('change_sets'),
      items: await count('change_items'),
      versions: await count('versions'),
      audit: await count('audit_log'),
      statuses,
      passwords,
      entityCount: await count('regulated_entities'),
      inspectorCount: await count('inspectors'),
      conflicts: await count('inspector_conflicts'),
      planCount: await count('inspection_plans'),
      population: await count('plan_population'),
      tasks: await count('plan_tasks'),
      inspections: await count('inspections'),
      confirmations: await count('inspection_confirmations'),
      attachments: await count('inspection_attachments'),
      adjustments: await count('task_adjustments'),
      inspectionStates: await db
        .selectFrom('inspections')
        .select(['id', 'status', 'version'])
        .orderBy('id')
        .execute(),
      entities,
      inspectors,
      plans,
    });
  };

  it('refuses every registered /admin POST without the token', async () => {
    for (const route of registeredAdminRoutes().filter((r) => r.startsWith('POST '))) {
      const url = route.slice(5).replace(/:[A-Za-z]+/g, '1');
      const before = await fingerprint();
      const res = await clone(browsers.admin).post(url, {}, { csrf: false });
      expect(res.status, route).toBe(403);
      expect(await fingerprint(), route).toBe(before);
    }
  });

  for (const r of TABLE.filter((x) => x.method === 'POST')) {
    it(`refuses ${r.route} without the token (403) and changes nothing`, async () => {
      const who = ROLES.find((w) => allowed(r.expect[w]) && w !== 'anonymous') ?? 'admin';
      const cell = r.prepare ? await r.prepare(who) : {};
      const b = cell.browser ?? clone(browsers[who]);
      const url = cell.url ?? r.route;
      const before = await fingerprint();
      const missing = await send(b, url, cell, cell.form, { csrf: false });
      expect(missing.status).toBe(403);
      const forged = await send(b, url, cell, { ...(cell.form ?? {}), _csrf: 'forged-token-value' });
      expect(forged.status).toBe(403);
      // A token without its cookie (a post from another site that learnt a token) fails too.
      const noCookie = browser(t.app);
      noCookie.jar = { ...b.jar };
      const token = noCookie.jar.zhize_csrf?.split('.')[0] ?? '';
      delete noCookie.jar.zhize_csrf;
      const stripped = await send(
        noCookie,
        url,
        cell,
        { ...(cell.form ?? {}), _csrf: token },
        { csrf: false },
      );
      expect(stripped.status).toBe(403);
      expect(await fingerprint()).toBe(before);
      // The same request with the token goes through (the refusal was the token's doing).
      check(r, who, await send(b, url, cell));
    });
  }
});
