import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../src/db/database.ts';
import { todayInChina } from '../src/lib/china-time.ts';
import type { SessionUser } from '../src/modules/auth/index.ts';
import { addChange, createChangeSet, transitionChangeSet } from '../src/modules/changes/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * Issue 14 items 4 and 5: a change published with a future effective date is scheduled — the
 * portal, the API and search keep the old text until that China date, 调整记录 says "将于…生效",
 * `?version=` and `?date=` read the lists as they stood — and a record a change set corrected names
 * that change set and version as its provenance instead of the source lines of its old text. The
 * app's clock is injected: the test moves it to tomorrow.
 */

const DAY = 86_400_000;
const clock = { t: Date.now() };
let t: TestApp;
const users = {} as Record<'editor' | 'reviewer' | 'publisher', SessionUser>;
let reviewer: Browser;
const rec = { item: 0, duty: 0, waishi: 0, doc: 0, lineStart: 0, lineEnd: 0 };
const OLD_TEXT = '负责我市对外交往工作';
const NEW_TEXT = '负责我市对外交往工作，统筹中欧班列沿线城市的友好往来';

const tx = <T>(fn: (tx: Tx) => Promise<T>) => t.database.db.transaction().execute(fn);
const get = async (url: string) => t.app.inject({ method: 'GET', url });
const dateAfter = (days: number) => todayInChina(clock.t + days * DAY);

beforeAll(async () => {
  t = await createTestApp({ seed: true, now: () => new Date(clock.t) });
  users.editor = await createStaff(t.database, 'e-editor', 'editor', ['外事科']);
  users.reviewer = await createStaff(t.database, 'e-reviewer', 'reviewer');
  users.publisher = await createStaff(t.database, 'e-publisher', 'reviewer');
  reviewer = await loginAs(t.app, 'e-reviewer');
  const db = t.database.db;
  const w = await db
    .selectFrom('work_items')
    .select(['id', 'duty_id', 'source_document_id', 'line_start', 'line_end'])
    .where('text', '=', OLD_TEXT)
    .executeTakeFirstOrThrow();
  rec.item = w.id;
  rec.duty = w.duty_id;
  rec.doc = w.source_document_id!;
  rec.lineStart = w.line_start!;
  rec.lineEnd = w.line_end!;
  rec.waishi = (
    await db.selectFrom('offices').select('id').where('name', '=', '外事科').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

/** An approved set by the 外事科 editor rewriting their work item, waiting for publication. */
async function approvedSet(text: string): Promise<number> {
  return tx(async (trx) => {
    const id = await createChangeSet(trx, users.editor, {
      title: '外事工作表述调整',
      reason: '依据市委外办〔2026〕12号通知',
    });
    await addChange(trx, users.editor, id, {
      entity: 'workItem',
      op: 'update',
      targetId: rec.item,
      payload: { dutyId: rec.duty, text, officeIds: [rec.waishi], remark: null },
    });
    await transitionChangeSet(trx, users.editor, id, 'submit');
    await transitionChangeSet(trx, users.reviewer, id, 'approve', { comment: '同意' });
    return id;
  });
}

const itemText = async (query = '') =>
  (await get(`/api/v1/work-items/${rec.item}${query}`)).json().text as string;
const searchHits = async (q: string) =>
  JSON.stringify((await get(`/api/v1/search?q=${encodeURIComponent(q)}`)).json());
const statusOf = async (id: number) =>
  (
    await t.database.db
      .selectFrom('change_sets')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('a change published with tomorrow as its effective date', () => {
  let setId = 0;
  let versionBefore = 0;
  const today = () => todayInChina(clock.t);

  it('is scheduled: portal, API and search keep the old text today; 调整记录 says 将于…生效', async () => {
    setId = await approvedSet(NEW_TEXT);
    versionBefore = (await get('/api/v1/versions')).json().items[0].number;
    const tomorrow = dateAfter(1);
    const pub = await reviewer.post(`/admin/changes/${setId}/publish`, {
      effectiveDate: tomorrow,
      confirm: 'yes',
    });
    expect(pub.status).toBe(303);
    expect(await statusOf(setId)).toBe('scheduled');

    expect(await itemText()).toBe(OLD_TEXT);
    const duty = await get(`/duties/${rec.duty}`);
    expect(duty.body).toContain(OLD_TEXT);
    expect(duty.body).not.toContain('中欧班列');
    expect(await searchHits('中欧班列')).not.toContain(`"id":${rec.item}`);
    expect(await searchHits('中欧班列')).not.toContain('中欧班列沿线');

    const versions = (await get('/api/v1/versions')).json();
    expect(versions.items[0].number).toBe(versionBefore);
    expect(versions.scheduled).toEqual([
      expect.objectContaining({ changeSetId: setId, effectiveDate: tomorrow, scheduledBy: 'e-reviewer' }),
    ]);
    const record = await get('/changes');
    expect(record.body).toContain(`将于 ${tomorrow} 生效`);
    expect(record.body).toContain('外事工作表述调整');

    // The set's own page says so too; ?date= cannot look ahead.
    const page = await reviewer.get(`/admin/changes/${setId}`);
    expect(page.body).toContain(`将于 ${tomorrow} 生效`);
    expect((await get(`/api/v1/work-items/${rec.item}?date=${tomorrow}`)).statusCode).toBe(400);
  });

  it('takes effect at the first request once the clock reads tomorrow, on portal, API and search', async () => {
    const before = today();
    clock.t += DAY;
    expect(await itemText()).toBe(NEW_TEXT);
    expect(await statusOf(setId)).toBe('published');
    const duty = await get(`/duties/${rec.duty}`);
    expect(duty.body).toContain('统筹中欧班列沿线城市的友好往来');
    expect(await searchHits('中欧班列')).toContain(`"id":${rec.item}`);

    const versions = (await get('/api/v1/versions')).json();
    expect(versions.scheduled).toEqual([]);
    expect(versions.items[0]).toMatchObject({
      number: versionBefore + 1,
      effectiveDate: today(),
      changeSetId: setId,
      publishedBy: 'e-reviewer',
    });
    expect((await get('/changes')).body).not.toContain('将于');

    // The lists as they stood: yesterday (by date) and the version before (by number).
    expect(await itemText(`?date=${before}`)).toBe(OLD_TEXT);
    expect(await itemText(`?version=${versionBefore}`)).toBe(OLD_TEXT);
    expect(await itemText(`?date=${today()}`)).toBe(NEW_TEXT);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity', '=', 'change_set')
      .where('entity_id', '=', String(setId))
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'submit', 'approve', 'schedule', 'takeEffect']);
    expect(audit.at(-1)!.actor).toBe('系统（按生效日期）');
  });

  it('shows version N’s change set as the corrected record’s provenance, and no longer links the old lines as its text', async () => {
    const version = versionBefore + 1;
    const item = (await get(`/api/v1/work-items/${rec.item}`)).json();
    expect(item.source).toEqual({ documentId: null, lineStart: null, lineEnd: null });
    expect(item.revision).toEqual({
      version,
      effectiveDate: today(),
      op: 'update',
      fields: ['text'],
      changeSetId: setId,
      title: '外事工作表述调整',
      basis: '依据市委外办〔2026〕12号通知',
      proposedBy: 'e-editor',
      reviewedBy: [
        { step: '审核', name: 'e-reviewer' },
        { step: '发布', name: 'e-reviewer' },
      ],
      publishedBy: 'e-reviewer',
      previousSource: { documentId: rec.doc, lineStart: rec.lineStart, lineEnd: rec.lineEnd },
    });

    const page = (await get(`/duties/${rec.duty}`)).body;
    const entry = page.slice(
      page.indexOf(`id="item-${rec.item}"`),
      page.indexOf('</li>', page.indexOf(`id="item-${rec.item}"`)),
    );
    expect(entry).toContain(`第 ${version} 版调整`);
    expect(entry).toContain('依据市委外办〔2026〕12号通知');
    expect(entry).toContain('提出：e-editor');
    expect(entry).toContain(`/changes/diff?from=${version - 1}&amp;to=${version}`);
    // The old lines are named as the text before, never linked as the record's source.
    expect(entry).not.toContain('class="src"');
    expect(entry).not.toContain(`/sources/${rec.doc}?from=${rec.lineStart}`);
    expect(entry).toContain('调整前的文本');

    // Its neighbours, untouched, still link their source lines.
    expect(page).toContain('class="src"');
    // In the version before, the record still stood in the source.
    const old = (await get(`/api/v1/work-items/${rec.item}?version=${versionBefore}`)).json();
    expect(old.source).toEqual({ documentId: rec.doc, lineStart: rec.lineStart, lineEnd: rec.lineEnd });
    expect(old.revision).toBeNull();
  });

  it('shows a record a change set added with that change set as its provenance', async () => {
    const setId2 = await tx(async (trx) => {
      const id = await createChangeSet(trx, users.editor, {
        title: '新增外事事项',
        reason: '依据市政府〔2026〕3号文件',
      });
      await addChange(trx, users.editor, id, {
        entity: 'workItem',
        op: 'create',
        payload: {
          dutyId: rec.duty,
          text: '负责冰雪经济对外交流活动',
          officeIds: [rec.waishi],
          remark: null,
        },
      });
      await transitionChangeSet(trx, users.editor, id, 'submit');
      await transitionChangeSet(trx, users.reviewer, id, 'approve');
      await transitionChangeSet(trx, users.publisher, id, 'publish', {}, undefined, {
        now: new Date(clock.t),
      });
      return id;
    });
    const created = await t.database.db
      .selectFrom('work_items')
      .select('id')
      .where('text', '=', '负责冰雪经济对外交流活动')
      .executeTakeFirstOrThrow();
    const item = (await get(`/api/v1/work-items/${created.id}`)).json();
    expect(item.revision).toMatchObject({
      op: 'create',
      changeSetId: setId2,
      proposedBy: 'e-editor',
      publishedBy: 'e-publisher',
      previousSource: null,
    });
    const page = (await get(`/duties/${rec.duty}`)).body;
    expect(page).toContain(`第 ${item.revision.version} 版新增`);
  });
});

describe('a scheduled change whose record changed before its date', () => {
  it('goes back to its author with the reason instead of overwriting the newer text', async () => {
    const scheduled = await approvedSet(`${NEW_TEXT}（定期）`);
    await tx((trx) =>
      transitionChangeSet(
        trx,
        users.publisher,
        scheduled,
        'publish',
        { effectiveDate: dateAfter(2) },
        undefined,
        {
          now: new Date(clock.t),
        },
      ),
    );
    expect(await statusOf(scheduled)).toBe('scheduled');
    const current = await itemText();
    const sooner = await approvedSet(`${NEW_TEXT}（立即）`);
    await tx((trx) =>
      transitionChangeSet(trx, users.publisher, sooner, 'publish', {}, undefined, { now: new Date(clock.t) }),
    );
    expect(await itemText()).not.toBe(current);
    clock.t += 2 * DAY;
    expect(await itemText()).toBe(`${NEW_TEXT}（立即）`);
    expect(await statusOf(scheduled)).toBe('returned');
    const set = await t.database.db
      .selectFrom('change_sets')
      .select('review_comment')
      .where('id', '=', scheduled)
      .executeTakeFirstOrThrow();
    expect(set.review_comment).toContain('未能生效');
    expect((await get('/api/v1/versions')).json().scheduled).toEqual([]);
  });
});
