import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../src/db/database.ts';
import type { SessionUser } from '../src/modules/auth/index.ts';
import {
  addChange,
  createChangeSet,
  DYNAMIC_CHAIN,
  parseReviewChain,
  transitionChangeSet,
} from '../src/modules/changes/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * Issue 14 item 6: the review chain of 动态调整, configured per deployment. With
 * CHANGE_REVIEW_CHAIN=dynamic a set goes 编办审核 (a reviewer) → 合法性审核 (another reviewer) →
 * 审批发布 (an admin); nobody acts at two steps, any step can return the set with a reason, and the
 * lists change only when the last step publishes. (The default chain — today's — is held by
 * changes.test.ts and admin.test.ts.)
 */

let t: TestApp;
const users = {} as Record<'editor' | 'staffing' | 'legal' | 'approver', SessionUser>;
const b = {} as Record<'editor' | 'staffing' | 'legal' | 'approver', Browser>;
const rec = { item: 0, duty: 0, waishi: 0 };
let serial = 0;

beforeAll(async () => {
  t = await createTestApp({ seed: true, config: { reviewChain: 'dynamic' } });
  users.editor = await createStaff(t.database, 'r-editor', 'editor', ['外事科']);
  users.staffing = await createStaff(t.database, 'r-staffing', 'reviewer');
  users.legal = await createStaff(t.database, 'r-legal', 'reviewer');
  users.approver = await createStaff(t.database, 'r-approver', 'admin');
  for (const k of Object.keys(users) as Array<keyof typeof users>) b[k] = await loginAs(t.app, `r-${k}`);
  const db = t.database.db;
  const w = await db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', '负责我市对外交往工作')
    .executeTakeFirstOrThrow();
  rec.item = w.id;
  rec.duty = w.duty_id;
  rec.waishi = (
    await db.selectFrom('offices').select('id').where('name', '=', '外事科').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

const tx = <T>(fn: (tx: Tx) => Promise<T>) => t.database.db.transaction().execute(fn);
const setRow = (id: number) =>
  t.database.db
    .selectFrom('change_sets')
    .select(['status', 'review_step', 'review_round', 'review_chain'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const versionCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('versions')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const itemText = async () =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/work-items/${rec.item}` })).json().text as string;

/** A draft by the editor rewriting their work item; submitted through the form. */
async function submitted(): Promise<{ id: number; text: string }> {
  serial++;
  const text = `负责我市对外交往工作（链 ${serial}）`;
  const id = await tx(async (trx) => {
    const id = await createChangeSet(trx, users.editor, {
      title: `外事表述 ${serial}`,
      reason: '依据省编办通知',
    });
    await addChange(trx, users.editor, id, {
      entity: 'workItem',
      op: 'update',
      targetId: rec.item,
      payload: { dutyId: rec.duty, text, officeIds: [rec.waishi], remark: null },
    });
    return id;
  });
  expect((await b.editor.post(`/admin/changes/${id}/submit`, {})).status).toBe(303);
  return { id, text };
}

describe('the three-step chain of 动态调整', () => {
  it('refuses the same person at two steps and publishes only after the last', async () => {
    const before = await itemText();
    const versions = await versionCount();
    const { id, text } = await submitted();
    expect(await setRow(id)).toMatchObject({ status: 'submitted', review_step: 0, review_round: 1 });
    expect(JSON.parse((await setRow(id)).review_chain!)).toEqual(DYNAMIC_CHAIN);

    // The set page shows the chain and what it waits for.
    const page = await b.staffing.get(`/admin/changes/${id}`);
    expect(page.body).toContain('编办审核：待办理');
    expect(page.body).toContain('合法性审核');
    expect(page.body).toContain('审批发布');
    expect(page.body).toContain('编办审核通过</button>');

    // Step 1, 编办审核: the admin's role is not this step's; the reviewer passes it.
    const wrongRole = await b.approver.post(`/admin/changes/${id}/approve`, { comment: '' });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body).toContain('当前环节“编办审核”不由您的角色办理');
    expect(
      (await b.staffing.post(`/admin/changes/${id}/approve`, { comment: '职责划分无异议' })).status,
    ).toBe(303);
    expect(await setRow(id)).toMatchObject({ status: 'submitted', review_step: 1 });
    expect(await itemText()).toBe(before);

    // Step 2, 合法性审核: the same reviewer may not take a second step; another one passes it.
    const twice = await b.staffing.post(`/admin/changes/${id}/approve`, { comment: '' });
    expect(twice.status).toBe(403);
    expect(twice.body).toContain('同一人不能在审核链中办理两个环节');
    await expect(tx((trx) => transitionChangeSet(trx, users.staffing, id, 'approve'))).rejects.toMatchObject({
      status: 403,
    });
    expect(await setRow(id)).toMatchObject({ status: 'submitted', review_step: 1 });
    expect((await b.legal.post(`/admin/changes/${id}/approve`, { comment: '合法' })).status).toBe(303);
    expect(await setRow(id)).toMatchObject({ status: 'approved', review_step: 2 });
    expect(await itemText()).toBe(before);
    expect(await versionCount()).toBe(versions);

    // Step 3, 审批发布: only the approver's role, and nobody who took a step before.
    const legalPublishes = await b.legal.post(`/admin/changes/${id}/publish`, {
      effectiveDate: '',
      confirm: 'yes',
    });
    expect(legalPublishes.status).toBe(403);
    expect(await itemText()).toBe(before);
    const published = await b.approver.post(`/admin/changes/${id}/publish`, {
      effectiveDate: '',
      confirm: 'yes',
    });
    expect(published.status).toBe(303);
    expect((await setRow(id)).status).toBe('published');
    expect(await itemText()).toBe(text);
    expect(await versionCount()).toBe(versions + 1);

    // Each step is recorded with its person, and the record's provenance names them.
    const item = (await t.app.inject({ method: 'GET', url: `/api/v1/work-items/${rec.item}` })).json();
    expect(item.revision.reviewedBy).toEqual([
      { step: '编办审核', name: 'r-staffing' },
      { step: '合法性审核', name: 'r-legal' },
      { step: '审批发布', name: 'r-approver' },
    ]);
    expect(item.revision.proposedBy).toBe('r-editor');
  });

  it('returns at any step with a reason; the next submission starts a new round', async () => {
    const { id } = await submitted();
    await tx((trx) => transitionChangeSet(trx, users.staffing, id, 'approve'));
    // At step 2 a return needs a reason, and the one who passed step 1 cannot return it.
    expect((await b.legal.post(`/admin/changes/${id}/return`, { comment: '' })).status).toBe(400);
    expect((await b.staffing.post(`/admin/changes/${id}/return`, { comment: '再看看' })).status).toBe(403);
    expect((await b.legal.post(`/admin/changes/${id}/return`, { comment: '缺少法律依据' })).status).toBe(303);
    expect(await setRow(id)).toMatchObject({ status: 'returned', review_step: 0 });
    const page = await b.editor.get(`/admin/changes/${id}`);
    expect(page.body).toContain('缺少法律依据');
    expect(page.body).toContain('在“合法性审核”环节由 r-legal 退回');

    // Resubmitted: round 2 starts at 编办审核, and the same people take the same steps again.
    expect((await b.editor.post(`/admin/changes/${id}/submit`, {})).status).toBe(303);
    expect(await setRow(id)).toMatchObject({ status: 'submitted', review_step: 0, review_round: 2 });
    await tx((trx) => transitionChangeSet(trx, users.staffing, id, 'approve'));
    await tx((trx) => transitionChangeSet(trx, users.legal, id, 'approve'));
    // At the last step, the approver returns it too.
    expect((await b.approver.post(`/admin/changes/${id}/return`, { comment: '暂缓发布' })).status).toBe(303);
    expect((await setRow(id)).status).toBe('returned');

    const audit = await t.database.db
      .selectFrom('change_set_reviews')
      .select(['round', 'step_name', 'action', 'user_name'])
      .where('change_set_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { round: 1, step_name: '编办审核', action: 'pass', user_name: 'r-staffing' },
      { round: 1, step_name: '合法性审核', action: 'return', user_name: 'r-legal' },
      { round: 2, step_name: '编办审核', action: 'pass', user_name: 'r-staffing' },
      { round: 2, step_name: '合法性审核', action: 'pass', user_name: 'r-legal' },
      { round: 2, step_name: '审批发布', action: 'return', user_name: 'r-approver' },
    ]);
  });
});

describe('the chain setting', () => {
  it('reads default, dynamic and custom steps, and refuses a role that may not review', () => {
    expect(parseReviewChain('default').steps.map((s) => s.name)).toEqual(['审核', '发布']);
    expect(parseReviewChain(undefined).distinctPersons).toBe(false);
    expect(parseReviewChain('dynamic')).toEqual(DYNAMIC_CHAIN);
    const custom = parseReviewChain('科室负责人审核=reviewer;法制审核=reviewer|admin;局长签发=admin');
    expect(custom.steps.map((s) => [s.name, s.roles])).toEqual([
      ['科室负责人审核', ['reviewer']],
      ['法制审核', ['reviewer', 'admin']],
      ['局长签发', ['admin']],
    ]);
    expect(custom.distinctPersons).toBe(true);
    expect(() => parseReviewChain('审核=editor;发布=admin')).toThrow(/角色 editor 不可用/);
    expect(() => parseReviewChain('发布=admin')).toThrow(/至少需要两步/);
  });
});
