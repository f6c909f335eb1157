import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type Tx } from '../src/db/database.ts';
import type { SessionUser } from '../src/modules/auth/index.ts';
import {
  addChange,
  changesBackoffice,
  createChangeSet,
  type Transition,
  transitionChangeSet,
} from '../src/modules/changes/index.ts';
import { changeAdapter, REGISTRY_CHANGES } from '../src/modules/registry/index.ts';
import { createTestApp, onPostgres, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * The change-set workflow beyond the basic journey (admin.test.ts): a returned set is edited and
 * resubmitted, irreversible transitions need confirmation, what waits for whom, a changeable kind
 * the changes module has never heard of, and two reviewers publishing the same set at once.
 */

let t: TestApp;
const users = {} as Record<'editor' | 'reviewer' | 'reviewer2' | 'admin', SessionUser>;
let editor: Browser;
let reviewer: Browser;
const ids = { waishi: 0, ownItem: 0, ownDuty: 0 };
let serial = 0;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  users.editor = await createStaff(t.database, 'c-editor', 'editor', ['外事科']);
  users.reviewer = await createStaff(t.database, 'c-reviewer', 'reviewer');
  users.reviewer2 = await createStaff(t.database, 'c-reviewer2', 'reviewer');
  users.admin = await createStaff(t.database, 'c-admin', 'admin');
  [editor, reviewer] = await Promise.all([loginAs(t.app, 'c-editor'), loginAs(t.app, 'c-reviewer')]);
  const db = t.database.db;
  ids.waishi = (
    await db.selectFrom('offices').select('id').where('name', '=', '外事科').executeTakeFirstOrThrow()
  ).id;
  const own = await db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', '负责我市对外交往工作')
    .executeTakeFirstOrThrow();
  ids.ownItem = own.id;
  ids.ownDuty = own.duty_id;
});
afterAll(async () => {
  await t?.close();
});

const tx = <T>(fn: (tx: Tx) => Promise<T>) => t.database.db.transaction().execute(fn);
const _setIdOf = (location: string | undefined) =>
  Number(/\/admin\/changes\/(\d+)/.exec(location ?? '')?.[1]);
const statusOf = async (id: number) =>
  (
    await t.database.db
      .selectFrom('change_sets')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;
const versionCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('versions')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A set by the 外事科 editor updating their own work item, taken through `steps`. */
async function editorSet(steps: Array<[Transition, SessionUser]>): Promise<number> {
  serial++;
  return tx(async (trx) => {
    const id = await createChangeSet(trx, users.editor, { title: `测试调整 ${serial}`, reason: '测试依据' });
    await addChange(trx, users.editor, id, {
      entity: 'workItem',
      op: 'update',
      targetId: ids.ownItem,
      payload: {
        dutyId: ids.ownDuty,
        text: `负责我市对外交往工作（测试 ${serial}）`,
        officeIds: [ids.waishi],
        remark: null,
      },
    });
    for (const [action, who] of steps)
      await transitionChangeSet(trx, who, id, action, action === 'return' ? { comment: '请补充' } : {});
    return id;
  });
}

describe('a returned change set', () => {
  it('is edited by its author — title, 调整依据 and items, each edit audited — and resubmitted instead of voided', async () => {
    const setId = await editorSet([
      ['submit', users.editor],
      ['return', users.reviewer],
    ]);
    const page = await editor.get(`/admin/changes/${setId}`);
    expect(page.body).toContain('请补充');
    expect(page.body).toContain(`/admin/changes/${setId}/edit`);
    const item = await t.database.db
      .selectFrom('change_items')
      .select('id')
      .where('change_set_id', '=', setId)
      .executeTakeFirstOrThrow();
    expect(page.body).toContain(`/admin/changes/${setId}/items/${item.id}/edit`);

    const form = await editor.get(`/admin/changes/${setId}/edit`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('测试依据');
    const refused = await editor.post(`/admin/changes/${setId}/edit`, { title: '', reason: '改过' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('标题不能为空');
    expect(refused.body).toContain('改过');
    const edited = await editor.post(`/admin/changes/${setId}/edit`, {
      title: '调整外事工作表述（修改后）',
      reason: '依据市委外办〔2026〕9号通知',
    });
    expect(edited.location).toBe(`/admin/changes/${setId}?done=edited`);

    const itemForm = await editor.get(`/admin/changes/${setId}/items/${item.id}/edit`);
    expect(itemForm.status).toBe(200);
    expect(itemForm.body).toContain(`（测试 ${serial}）`);
    const revised = await editor.post(`/admin/changes/${setId}/items/${item.id}`, {
      dutyId: String(ids.ownDuty),
      text: '负责我市对外交往与友好城市工作',
      officeIds: String(ids.waishi),
      remark: '按退回意见修改',
    });
    expect(revised.status).toBe(303);
    const after = await editor.get(`/admin/changes/${setId}`);
    expect(after.body).toContain('调整外事工作表述（修改后）');
    expect(after.body).toContain('依据市委外办〔2026〕9号通知');
    expect(after.body).toContain('负责我市对外交往与友好城市工作');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'before', 'after'])
      .where('action', 'in', ['edit', 'revise-item'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.action, a.entity])).toEqual([
      ['edit', 'change_set'],
      ['revise-item', 'change_item'],
    ]);
    expect(JSON.parse(audit[0]!.before!)).toEqual({ title: `测试调整 ${serial}`, reason: '测试依据' });
    expect(JSON.parse(audit[1]!.after!).payload.remark).toBe('按退回意见修改');

    expect((await editor.post(`/admin/changes/${setId}/submit`, {})).location).toBe(
      `/admin/changes/${setId}?done=submit`,
    );
    expect(await statusOf(setId)).toBe('submitted');
  });

  it('cannot be edited once submitted, nor by anyone but its author (or an admin)', async () => {
    const submitted = await editorSet([['submit', users.editor]]);
    expect((await editor.post(`/admin/changes/${submitted}/edit`, { title: 'x', reason: 'y' })).status).toBe(
      409,
    );
    const returned = await editorSet([
      ['submit', users.editor],
      ['return', users.reviewer],
    ]);
    expect((await reviewer.post(`/admin/changes/${returned}/edit`, { title: 'x', reason: 'y' })).status).toBe(
      403,
    );
    expect((await reviewer.get(`/admin/changes/${returned}/edit`)).status).toBe(403);
    const row = await t.database.db
      .selectFrom('change_sets')
      .select('title')
      .where('id', '=', submitted)
      .executeTakeFirstOrThrow();
    expect(row.title).not.toBe('x');
  });
});

describe('irreversible transitions', () => {
  it('publishes only with the confirmation ticked; without it nothing changes and the page says why', async () => {
    const setId = await editorSet([
      ['submit', users.editor],
      ['approve', users.reviewer],
    ]);
    const page = await reviewer.get(`/admin/changes/${setId}`);
    expect(page.body).toContain('此操作不可撤销');
    expect(page.body).toMatch(/name="confirm"[^>]*required/);
    const versions = await versionCount();
    const refused = await reviewer.post(`/admin/changes/${setId}/publish`, { effectiveDate: '2026-08-01' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('请勾选“我已确认”');
    expect(await statusOf(setId)).toBe('approved');
    expect(await versionCount()).toBe(versions);
    const ok = await reviewer.post(`/admin/changes/${setId}/publish`, {
      effectiveDate: '2026-08-01',
      confirm: 'yes',
    });
    expect(ok.location).toBe(`/admin/changes/${setId}?done=publish`);
    expect(await statusOf(setId)).toBe('published');
    expect(await versionCount()).toBe(versions + 1);
  });

  it('withdraws only with the confirmation ticked', async () => {
    const setId = await editorSet([]);
    expect((await editor.post(`/admin/changes/${setId}/withdraw`, {})).status).toBe(400);
    expect(await statusOf(setId)).toBe('draft');
    expect((await editor.post(`/admin/changes/${setId}/withdraw`, { confirm: 'yes' })).status).toBe(303);
    expect(await statusOf(setId)).toBe('withdrawn');
  });

  it('refuses a second transition from a state the set has already left (409), changing nothing', async () => {
    const setId = await editorSet([
      ['submit', users.editor],
      ['approve', users.reviewer],
      ['publish', users.reviewer],
    ]);
    const versions = await versionCount();
    await expect(
      tx((trx) => transitionChangeSet(trx, users.reviewer2, setId, 'publish')),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(await versionCount()).toBe(versions);
  });
});

describe('what waits for whom (the back office contribution)', () => {
  const waitingFor = async (user: SessionUser) =>
    Object.fromEntries(
      (await changesBackoffice.waiting!(t.database.db, user)).map((w) => [w.label, w.count]),
    );
  const counts = async (status: string, notAuthor?: number, author?: number) => {
    let q = t.database.db
      .selectFrom('change_sets')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('status', '=', status);
    if (notAuthor !== undefined) q = q.where('author_id', '<>', notAuthor);
    if (author !== undefined) q = q.where('author_id', '=', author);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  it('names the entries of the staff navigation with their roles', () => {
    expect(changesBackoffice.nav.map((n) => [n.href, n.label, [...(n.roles ?? [])].sort()])).toEqual([
      ['/admin/changes', '清单调整', ['admin', 'auditor', 'editor', 'reviewer']],
      ['/admin/records', '可调整的记录', ['admin', 'editor']],
      ['/admin/sources', '来源文档', ['admin']],
    ]);
  });

  it('counts sets to review (never one’s own), sets to publish, and one’s own returned sets', async () => {
    await editorSet([['submit', users.editor]]);
    await editorSet([
      ['submit', users.editor],
      ['approve', users.reviewer],
    ]);
    await editorSet([
      ['submit', users.editor],
      ['return', users.reviewer],
    ]);
    // An admin's own submitted set waits for the reviewers, not for the admin.
    await tx(async (trx) => {
      const id = await createChangeSet(trx, users.admin, { title: '管理员自己的', reason: '测试' });
      await addChange(trx, users.admin, id, { entity: 'workItem', op: 'retire', targetId: ids.ownItem });
      await transitionChangeSet(trx, users.admin, id, 'submit');
    });
    const forAdmin = await waitingFor(users.admin);
    expect(forAdmin.待审核的调整单).toBe(await counts('submitted', users.admin.id));
    expect(forAdmin.待审核的调整单).toBe((await counts('submitted')) - 1);

    const forReviewer = await waitingFor(users.reviewer);
    expect(forReviewer.待审核的调整单).toBe(await counts('submitted', users.reviewer.id));
    expect(forReviewer.待发布的调整单).toBe(await counts('approved'));
    expect(forReviewer.待审核的调整单).toBeGreaterThan(0);
    expect(forReviewer.被退回待修改的调整单).toBeUndefined();

    const forEditor = await waitingFor(users.editor);
    expect(forEditor.被退回待修改的调整单).toBe(await counts('returned', undefined, users.editor.id));
    expect(forEditor.被退回待修改的调整单).toBeGreaterThan(0);
    expect(forEditor.待审核的调整单).toBeUndefined();

    const auditor = { id: 999_999, role: 'auditor', officeIds: [] };
    expect(await changesBackoffice.waiting!(t.database.db, auditor)).toEqual([]);
  });
});

describe('a changeable kind the changes module has never heard of', () => {
  it('goes through the whole workflow from its own adapter alone (here: a department alias)', async () => {
    const Alias = z.object({
      departmentId: z.coerce.number().int().positive(),
      alias: z.string().trim().min(1),
    });
    const aliasChange = changeAdapter<z.infer<typeof Alias>>({
      entity: 'departmentAlias',
      name: '部门别名',
      payload: Alias,
      fields: [
        { key: 'departmentId', label: '部门', kind: 'department' },
        { key: 'alias', label: '别名', kind: 'text' },
      ],
      officeScoped: false,
      async current(db, id) {
        const a = await db
          .selectFrom('department_aliases')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        return a
          ? {
              payload: { departmentId: a.department_id, alias: a.alias },
              officeIds: [],
              departmentId: a.department_id,
            }
          : null;
      },
      officesOf: () => [],
      checkReferences: async () => {},
      async apply(trx, { op, targetId }, p) {
        if (op !== 'create') throw new Error('only creates in this test');
        const row = await trx
          .insertInto('department_aliases')
          .values({ department_id: p!.departmentId, alias: p!.alias })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id ?? targetId!;
      },
      label: (p) => String(p.alias ?? ''),
    });
    const kinds = [...REGISTRY_CHANGES, aliasChange];
    const dept = await t.database.db
      .selectFrom('departments')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const setId = await tx(async (trx) => {
      const id = await createChangeSet(trx, users.admin, { title: '新增部门别名', reason: '测试' });
      await addChange(
        trx,
        users.admin,
        id,
        {
          entity: 'departmentAlias',
          op: 'create',
          payload: { departmentId: String(dept.id), alias: '测试别名局' },
        },
        kinds,
      );
      await transitionChangeSet(trx, users.admin, id, 'submit', {}, kinds);
      await transitionChangeSet(trx, users.reviewer, id, 'approve', {}, kinds);
      await transitionChangeSet(trx, users.reviewer, id, 'publish', {}, kinds);
      return id;
    });
    expect(await statusOf(setId)).toBe('published');
    const alias = await t.database.db
      .selectFrom('department_aliases')
      .select('department_id')
      .where('alias', '=', '测试别名局')
      .executeTakeFirst();
    expect(alias?.department_id).toBe(dept.id);
    // An editor may not propose it: it is not office-scoped.
    await expect(
      tx(async (trx) => {
        const id = await createChangeSet(trx, users.editor, { title: '越权', reason: '测试' });
        await addChange(
          trx,
          users.editor,
          id,
          { entity: 'departmentAlias', op: 'create', payload: { departmentId: dept.id, alias: 'x' } },
          kinds,
        );
      }),
    ).rejects.toMatchObject({ status: 403 });
    // Without the adapter the kind is unknown (400), and nothing was stored.
    await expect(
      tx(async (trx) => {
        const id = await createChangeSet(trx, users.admin, { title: '未知', reason: '测试' });
        await addChange(trx, users.admin, id, { entity: 'departmentAlias', op: 'create', payload: {} });
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('two reviewers publishing the same set at once', () => {
  if (!onPostgres) {
    console.info(
      'skipped: "two connections publish the same set at once" needs PostgreSQL (SQLite serialises writers); it runs in `npm run test:pg`',
    );
  }
  it.runIf(onPostgres)(
    'lets exactly one of two concurrent connections publish; the other gets 409 and no second version (PostgreSQL suite only)',
    async () => {
      const setId = await editorSet([
        ['submit', users.editor],
        ['approve', users.reviewer],
      ]);
      const versions = await versionCount();
      const first = openDatabase(t.config.database);
      const second = openDatabase(t.config.database);
      try {
        let firstDone!: () => void;
        const firstHolds = new Promise<void>((r) => {
          firstDone = r;
        });
        let releaseFirst!: () => void;
        const released = new Promise<void>((r) => {
          releaseFirst = r;
        });
        // The first reviewer publishes and keeps the transaction open, holding the row.
        const a = first.db.transaction().execute(async (trx) => {
          const r = await transitionChangeSet(trx, users.reviewer, setId, 'publish', {
            effectiveDate: '2026-09-01',
          });
          firstDone();
          await released;
          return r;
        });
        await firstHolds;
        // The second has read the set as 'approved' (the first has not committed) and waits on the row.
        const b = second.db
          .transaction()
          .execute((trx) =>
            transitionChangeSet(trx, users.reviewer2, setId, 'publish', { effectiveDate: '2026-09-02' }),
          );
        let waited = false;
        for (let i = 0; i < 500 && !waited; i++) {
          const w = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`.execute(
            t.database.db,
          );
          waited = Number(w.rows[0]?.n) > 0;
          if (!waited) await new Promise((r) => setTimeout(r, 10));
        }
        releaseFirst();
        // The second really ran into the first: it passed the state check and waited on the row.
        expect(waited).toBe(true);
        const [ra, rb] = await Promise.allSettled([a, b]);
        expect(ra.status).toBe('fulfilled');
        expect(rb.status).toBe('rejected');
        expect((rb as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
        expect(await statusOf(setId)).toBe('published');
        expect(await versionCount()).toBe(versions + 1);
        const set = await t.database.db
          .selectFrom('change_sets')
          .select('effective_date')
          .where('id', '=', setId)
          .executeTakeFirstOrThrow();
        expect(set.effective_date).toBe('2026-09-01');
      } finally {
        await first.close();
        await second.close();
      }
    },
  );
});
