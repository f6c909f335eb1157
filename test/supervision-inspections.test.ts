import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../src/lib/china-time.ts';
import { coveredYears } from '../src/lib/workdays.ts';
import { chooseReplacement } from '../src/modules/supervision/inspections/replacement.ts';
import { COUNTIES } from '../src/modules/supervision/reference/index.ts';
import { CAMERA_SERIAL, phoneJpeg } from './fixtures/images.ts';
import { createTestApp, onPostgres, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import { entityCsv, makeUscc, postMultipart, text, uploadEntities } from './supervision-helpers.ts';

/**
 * The journey after the draw through the real app (SQLite, and PostgreSQL in the PG suite): an
 * inspector's tasks, the on-site record confirmed by both assigned inspectors, photos without their
 * location, a conflict declared after the draw and replaced by the published rule, results
 * reviewed by a manager who was not on the inspection, published as page, CSV and JSON without
 * inspectors' names, and a withdrawal with its public reason.
 */

let t: TestApp;
let admin: Browser;
let reviewer: Browser;
let reviewer2: Browser;
let planId = 0;
const CERTS = ['1311A001', '1311A002', '1311A003', '1311A004', '1311A005'];
/** Distinctive names: none may appear on a public page, CSV or JSON. */
const NAMES = ['欧阳检甲', '司马检乙', '诸葛检丙', '上官检丁', '东方检戊'];
const inspectorBrowser = new Map<string, Browser>();
const userIdOf = new Map<string, number>();
const ADDRESS = (k: number) => `衡水市某路${k + 1}号`;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'in_admin', 'admin');
  await createStaff(t.database, 'in_reviewer', 'reviewer');
  await createStaff(t.database, 'in_reviewer2', 'reviewer');
  admin = await loginAs(t.app, 'in_admin');
  reviewer = await loginAs(t.app, 'in_reviewer');
  reviewer2 = await loginAs(t.app, 'in_reviewer2');
  const rows = Array.from({ length: 60 }, (_, k) => {
    const county = COUNTIES[k % 3]!;
    return [
      `${county.name}检查站${k + 1}号`,
      makeUscc(70_000 + k, county.divisionCode),
      '成品油零售',
      county.name,
      `冀油零售${2026_000 + k}`,
      '',
      '2028-12-31',
      '',
      '',
      ADDRESS(k),
    ];
  });
  const up = await uploadEntities(t.app, admin, { filename: 'oil.csv', data: entityCsv(rows) });
  if (up.status !== 200) throw new Error(text(up.body).slice(0, 500));
  for (let k = 0; k < CERTS.length; k += 1) {
    const username = `in_insp${k + 1}`;
    userIdOf.set(CERTS[k]!, (await createStaff(t.database, username, 'inspector')).id);
    const r = await admin.post('/admin/supervision/inspectors', {
      name: NAMES[k]!,
      certificateNo: CERTS[k]!,
      officeId: '',
      countyId: '',
      username,
      active: '1',
    });
    if (r.status !== 303) throw new Error(text(r.body).slice(0, 500));
    inspectorBrowser.set(CERTS[k]!, await loginAs(t.app, username));
  }
  const plan = await admin.post('/admin/supervision/plans', {
    regimeSeq: '4',
    year: '2026',
    round: '3',
    ratioPercent: '20',
    minInspectors: '2',
    belowMinReason: '',
  });
  planId = Number(/plans\/(\d+)/.exec(plan.location ?? '')![1]);
  expect((await admin.post(`/admin/supervision/plans/${planId}/commit`, { confirm: 'yes' })).status).toBe(
    303,
  );
  const draw = await admin.post(`/admin/supervision/plans/${planId}/draw`, {
    witness: '福彩3D 2026299期 5 2 8',
  });
  expect(draw.status).toBe(303);
});

afterAll(async () => {
  await t?.close();
});

interface Task {
  id: number;
  uscc: string;
  name: string;
  inspectors: string[];
}

async function tasks(): Promise<Task[]> {
  const rows = await t.database.db
    .selectFrom('plan_tasks')
    .select(['id', 'uscc', 'name'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  const links = await t.database.db
    .selectFrom('plan_task_inspectors')
    .select(['task_id', 'certificate_no'])
    .where(
      'task_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    ...r,
    inspectors: links.filter((l) => l.task_id === r.id).map((l) => l.certificate_no),
  }));
}

const as = (cert: string) => inspectorBrowser.get(cert)!;
const url = (id: number, rest = '') => `/admin/supervision/tasks/${id}${rest}`;

/** A complete record as the form posts it: every checklist item of the page answered. */
async function completeForm(b: Browser, id: number, over: Record<string, string> = {}) {
  const page = (await b.get(url(id))).body;
  const positions = [...page.matchAll(/name="answer-(\d+)" value="compliant"/g)].map((m) => m[1]!);
  expect(positions.length).toBeGreaterThan(5);
  const form: Record<string, string> = {
    checkedAt: '2026-11-02T09:30',
    place: '现场',
    representative: '王站长',
    representativeRole: '站长',
    resultCode: 'no-problem',
    resultSummary: '',
    notes: '',
  };
  for (const p of positions) form[`answer-${p}`] = 'compliant';
  return { ...form, ...over };
}

const versionOf = async (id: number) =>
  await t.database.db
    .selectFrom('inspections')
    .select(['version', 'status'])
    .where('task_id', '=', id)
    .executeTakeFirstOrThrow();

/** Both inspectors of a task confirm its current version. */
async function confirmBoth(task: Task) {
  for (const c of task.inspectors) {
    const { version } = await versionOf(task.id);
    const r = await as(c).post(url(task.id, '/confirm'), { version: String(version), confirm: 'yes' });
    expect(r.status, text(r.body).slice(0, 400)).toBe(303);
  }
  expect((await versionOf(task.id)).status).toBe('pending');
}

const resultIdOf = async (taskId: number) =>
  (
    await t.database.db
      .selectFrom('inspections')
      .select('id')
      .where('task_id', '=', taskId)
      .executeTakeFirstOrThrow()
  ).id;

describe('an inspector’s tasks', () => {
  it('lists exactly their own tasks with the due date and its source, the address and the licence', async () => {
    const all = await tasks();
    expect(all).toHaveLength(12);
    const cert = CERTS[0]!;
    const mine = all.filter((x) => x.inspectors.includes(cert));
    const res = await as(cert).get('/admin/supervision/tasks');
    expect(res.status).toBe(200);
    expect((res.body.match(/data-label="检查对象"/g) ?? []).length).toBe(mine.length);
    const body = text(res.body);
    expect(body).toContain(`共 ${mine.length} 项任务，待完成 ${mine.length} 项`);
    const k = Number(/检查站(\d+)号/.exec(mine[0]!.name)![1]) - 1;
    expect(body).toContain(ADDRESS(k));
    expect(body).toContain(`冀油零售${2026_000 + k}`);
    // Due: 30 days after the draw (the China date), the configured default, with its source.
    const plan = await t.database.db
      .selectFrom('inspection_plans')
      .select('drawn_at')
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    const drawn = new Date(Date.parse(plan.drawn_at!) + 8 * 3600_000);
    drawn.setUTCDate(drawn.getUTCDate() + 30);
    expect(body).toContain(drawn.toISOString().slice(0, 10));
    expect(body).toContain('原文未规定完成检查的期限');
    for (const other of all.filter((x) => !x.inspectors.includes(cert)))
      expect(body).not.toContain(other.uscc);
  });

  it('refuses another inspector’s task, and the editor every task', async () => {
    const other = (await tasks()).find((x) => !x.inspectors.includes(CERTS[0]!))!;
    const res = await as(CERTS[0]!).get(url(other.id));
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain('这项抽查任务没有分配给您');
    const post = await as(CERTS[0]!).post(url(other.id, '/record'), { place: 'x' });
    expect(post.status).toBe(403);
  });
});

describe('the on-site record', () => {
  let task: Task;
  beforeAll(async () => {
    task = (await tasks())[0]!;
  });

  it('shows the regime’s checklist with its source lines and saves a draft', async () => {
    const [a] = task.inspectors;
    const page = await as(a!).get(url(task.id));
    expect(page.status).toBe(200);
    expect(text(page.body)).toContain('成品油经营资格条件是否符合规定');
    expect(text(page.body)).toContain('原文第1454行');
    // "（二）是否存在下列行为：" introduces items 3–13: a heading, not a question.
    expect(page.body).not.toContain('name="answer-2"');
    const save = await as(a!).post(url(task.id, '/record'), { checkedAt: '2026-11-02T09:30', place: '现场' });
    expect(save.status).toBe(303);
    expect(await versionOf(task.id)).toEqual({ version: 1, status: 'draft' });
  });

  it('refuses to be confirmed while incomplete, naming what is missing', async () => {
    const res = await as(task.inspectors[0]!).post(url(task.id, '/confirm'), {
      version: '1',
      confirm: 'yes',
    });
    expect(res.status).toBe(409);
    expect(text(res.body)).toContain('缺少被检查单位在场人员');
    expect(text(res.body)).toContain('检查结果');
  });

  it('keeps what was typed when a save is refused', async () => {
    const res = await as(task.inspectors[0]!).post(url(task.id, '/record'), {
      checkedAt: '2026-13-45T09:30',
      place: '保留的地点',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('检查时间无效');
    expect(res.body).toContain('value="保留的地点"');
  });

  it('needs each assigned inspector’s own confirmation of the same version; a change clears them', async () => {
    const [a, b] = task.inspectors as [string, string];
    const form = await completeForm(as(a), task.id, {
      'answer-4': 'non-compliant',
      'note-4': '加油机铅封缺失',
      resultCode: 'corrected',
      resultSummary: '现场发现加油机铅封缺失，已责令当场改正',
    });
    expect((await as(a).post(url(task.id, '/record'), form)).status).toBe(303);
    const v2 = (await versionOf(task.id)).version;
    expect((await as(a).post(url(task.id, '/confirm'), { version: String(v2), confirm: 'yes' })).status).toBe(
      303,
    );
    // A changes the record: the confirmation is gone, B cannot confirm the old version.
    expect((await as(a).post(url(task.id, '/record'), { ...form, notes: '补充：当场整改' })).status).toBe(
      303,
    );
    const v3 = (await versionOf(task.id)).version;
    expect(v3).toBe(v2 + 1);
    const stale = await as(b).post(url(task.id, '/confirm'), { version: String(v2), confirm: 'yes' });
    expect(stale.status).toBe(409);
    expect(text(stale.body)).toContain('笔录在您打开后已被修改');
    expect((await as(a).post(url(task.id, '/confirm'), { version: String(v3), confirm: 'yes' })).status).toBe(
      303,
    );
    expect((await versionOf(task.id)).status).toBe('draft');
    const again = await as(a).post(url(task.id, '/confirm'), { version: String(v3), confirm: 'yes' });
    expect(again.status).toBe(409);
    const done = await as(b).post(url(task.id, '/confirm'), { version: String(v3), confirm: 'yes' });
    expect(done.location).toContain('done=submitted');
    expect((await versionOf(task.id)).status).toBe('pending');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'inspection')
      .where('entity_id', '=', String(await resultIdOf(task.id)))
      .orderBy('seq')
      .execute();
    expect(audit.map((x) => x.action)).toEqual([
      'create-record',
      'update-record',
      'confirm-record',
      'update-record',
      'confirm-record',
      'confirm-record',
      'submit-result',
    ]);
    // Once submitted the inspectors can no longer change it.
    const locked = await as(a).post(url(task.id, '/record'), form);
    expect(locked.status).toBe(409);
  });

  it('records a refusal to cooperate as such', async () => {
    const refusing = (await tasks())[1]!;
    const a = refusing.inspectors[0]!;
    const form = await completeForm(as(a), refusing.id, {
      resultCode: 'not-cooperating',
      resultSummary: '拒不提供进销存台账',
    });
    const refused = await as(a).post(url(refusing.id, '/record'), form);
    expect(refused.status).toBe(303);
    const v = (await versionOf(refusing.id)).version;
    const res = await as(a).post(url(refusing.id, '/confirm'), { version: String(v), confirm: 'yes' });
    expect(res.status).toBe(409);
    expect(text(res.body)).toContain('须勾选并记录拒绝配合的情况');
    const ok = await as(a).post(url(refusing.id, '/record'), {
      ...form,
      refused: '1',
      refusalNote: '10时05分到达，负责人拒绝出示台账并要求检查人员离开',
      representative: '',
    });
    expect(ok.status).toBe(303);
    const row = await t.database.db
      .selectFrom('inspections')
      .selectAll()
      .where('task_id', '=', refusing.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ refused: 1, result_code: 'not-cooperating', representative: null });
    const v2 = (await versionOf(refusing.id)).version;
    expect(
      (await as(a).post(url(refusing.id, '/confirm'), { version: String(v2), confirm: 'yes' })).status,
    ).toBe(303);
  });
});

describe('photos and PDFs of a record', () => {
  let task: Task;
  beforeAll(async () => {
    task = (await tasks())[2]!;
    const a = task.inspectors[0]!;
    expect((await as(a).post(url(task.id, '/record'), await completeForm(as(a), task.id))).status).toBe(303);
  });

  it('stores a phone photo without its GPS position, camera serial or trailer, with both hashes', async () => {
    const a = task.inspectors[0]!;
    const photo = phoneJpeg(6);
    const res = await postMultipart(
      t.app,
      as(a),
      url(task.id, '/attachments'),
      {},
      {
        field: 'file',
        filename: 'IMG_0001.jpg',
        contentType: 'image/jpeg',
        data: photo,
      },
    );
    expect(res.status, text(res.body).slice(0, 300)).toBe(303);
    const row = await t.database.db
      .selectFrom('inspection_attachments')
      .selectAll()
      .executeTakeFirstOrThrow();
    const data = Buffer.from(row.data);
    expect(data.includes(Buffer.from(CAMERA_SERIAL))).toBe(false);
    expect(data.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(data.includes(Buffer.from('TRAILER'))).toBe(false);
    expect(row.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(row.original_sha256).toBe(createHash('sha256').update(photo).digest('hex'));
    expect(row.removed).toBe('comment,exif,trailing-data,xmp');
    expect(row.content_type).toBe('image/jpeg');

    // The other inspector downloads it: as a download, never sniffed, never cached.
    const b = as(task.inspectors[1]!);
    const dl = await t.app.inject({
      method: 'GET',
      url: url(task.id, `/attachments/${row.id}`),
      headers: {
        cookie: Object.entries(b.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/jpeg');
    expect(dl.headers['content-disposition']).toContain('attachment;');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['cache-control']).toContain('no-store');
    expect(Buffer.compare(dl.rawPayload, data)).toBe(0);
    // Nobody else: the anonymous visitor is sent to the login, an inspector of another task refused.
    const anon = await t.app.inject({ method: 'GET', url: url(task.id, `/attachments/${row.id}`) });
    expect(anon.statusCode).toBe(303);
    const outsider = CERTS.find((c) => !task.inspectors.includes(c))!;
    expect((await as(outsider).get(url(task.id, `/attachments/${row.id}`))).status).toBe(403);
  });

  it('refuses a file whose bytes are not a photo or PDF, whatever it is called', async () => {
    const a = task.inspectors[0]!;
    const res = await postMultipart(
      t.app,
      as(a),
      url(task.id, '/attachments'),
      {},
      {
        field: 'file',
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        data: Buffer.from('<html><script>alert(1)</script></html>'),
      },
    );
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('不是JPG、PNG 照片或 PDF 文件');
    const pdf = await postMultipart(
      t.app,
      as(a),
      url(task.id, '/attachments'),
      {},
      {
        field: 'file',
        filename: '../../营业执照.pdf',
        contentType: 'application/octet-stream',
        data: Buffer.from('%PDF-1.4\n%%EOF\n'),
      },
    );
    expect(pdf.status).toBe(303);
    const names = await t.database.db
      .selectFrom('inspection_attachments')
      .select(['filename', 'content_type'])
      .orderBy('id')
      .execute();
    expect(names.at(-1)).toEqual({ filename: '营业执照.pdf', content_type: 'application/pdf' });
  });
});

describe('a conflict discovered after the draw', () => {
  it('replaces the inspector by the published rule, logged and shown publicly with its reason', async () => {
    const task = (await tasks())[3]!;
    const [c] = task.inspectors as [string, string];
    const file = JSON.parse(
      (await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw.json` })).body,
    ) as { result: { drawSeed: string }; inspectors: Array<{ certificate: string; conflicts: string[] }> };
    // What anyone can compute from the published file alone.
    const expected = chooseReplacement({
      drawSeed: file.result.drawSeed,
      uscc: task.uscc,
      inspectors: file.inspectors,
      assigned: task.inspectors,
      declared: [{ certificate: c, uscc: task.uscc }],
    })!;
    expect(expected).not.toBeNull();
    const empty = await as(c).post(url(task.id, '/conflict'), { confirm: 'yes', reason: '' });
    expect(empty.status).toBe(400);
    const res = await as(c).post(url(task.id, '/conflict'), { confirm: 'yes', reason: '配偶为该加油站股东' });
    expect(res.status).toBe(303);
    const after = (await tasks()).find((x) => x.id === task.id)!;
    expect(after.inspectors).toContain(expected);
    expect(after.inspectors).not.toContain(c);
    expect((await as(c).get(url(task.id))).status).toBe(403);
    expect((await as(expected).get(url(task.id))).status).toBe(200);
    const notice = text((await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}` })).body);
    expect(notice).toContain('抽取后的人员调整（1 项）');
    expect(notice).toContain('配偶为该加油站股东');
    expect(notice).toContain(c);
    expect(notice).toContain(expected);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'declare-conflict-after-draw')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after!)).toMatchObject({
      withdrawn: c,
      replacement: expected,
      rule: 'zhize-replace/v1',
    });
    const registered = await t.database.db
      .selectFrom('inspector_conflicts as k')
      .innerJoin('inspectors as i', 'i.id', 'k.inspector_id')
      .innerJoin('regulated_entities as e', 'e.id', 'k.entity_id')
      .select(['i.certificate_no', 'e.uscc'])
      .execute();
    expect(registered).toContainEqual({ certificate_no: c, uscc: task.uscc });
  });
});

describe('results: review, publication and withdrawal', () => {
  it('is reviewed only by a manager who was not on the inspection', async () => {
    const task = (await tasks())[0]!; // pending since the record tests
    const id = await resultIdOf(task.id);
    // One of its inspectors becomes a reviewer: still refused, they were on it.
    const confirmer = task.inspectors[0]!;
    const moved = await admin.post(`/admin/users/${userIdOf.get(confirmer)}/role`, { role: 'reviewer' });
    expect(moved.status).toBe(303);
    const former = await loginAs(t.app, `in_insp${CERTS.indexOf(confirmer) + 1}`);
    const res = await former.post(`/admin/supervision/results/${id}/publish`, { confirm: 'yes' });
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain('抽查结果须由未参加这次检查的审核人或系统管理员审核');
    // The inspectors themselves may not either.
    expect(
      (await as(task.inspectors[1]!).post(`/admin/supervision/results/${id}/publish`, { confirm: 'yes' }))
        .status,
    ).toBe(403);
    // Back to an inspector for the tasks still to come.
    expect(
      (await admin.post(`/admin/users/${userIdOf.get(confirmer)}/role`, { role: 'inspector' })).status,
    ).toBe(303);
    inspectorBrowser.set(confirmer, await loginAs(t.app, `in_insp${CERTS.indexOf(confirmer) + 1}`));
  });

  it('goes back to the inspectors with a comment, and comes back after both confirm again', async () => {
    const task = (await tasks())[1]!; // the refusal, confirmed by its first inspector only
    const [a, b] = task.inspectors as [string, string];
    const v = (await versionOf(task.id)).version;
    expect((await as(b).post(url(task.id, '/confirm'), { version: String(v), confirm: 'yes' })).status).toBe(
      303,
    );
    const id = await resultIdOf(task.id);
    const noComment = await reviewer.post(`/admin/supervision/results/${id}/return`, { comment: '' });
    expect(noComment.status).toBe(400);
    const back = await reviewer.post(`/admin/supervision/results/${id}/return`, {
      comment: '请写明拒绝的经过和时间',
    });
    expect(back.location).toContain('done=returned');
    expect((await versionOf(task.id)).status).toBe('returned');
    const page = text((await as(a).get(url(task.id))).body);
    expect(page).toContain('审核退回意见：请写明拒绝的经过和时间');
    const form = await completeForm(as(a), task.id, {
      resultCode: 'not-cooperating',
      resultSummary: '拒不提供进销存台账',
      refused: '1',
      refusalNote: '2026年11月2日10时05分到达，负责人拒绝出示台账',
      representative: '',
    });
    expect((await as(a).post(url(task.id, '/record'), form)).status).toBe(303);
    await confirmBoth(task);
  });

  it('refuses to publish a summary that names an inspector', async () => {
    const task = (await tasks())[4]!;
    const a = task.inspectors[0]!;
    const name = NAMES[CERTS.indexOf(a)]!;
    const form = await completeForm(as(a), task.id, {
      resultCode: 'corrected',
      resultSummary: `${name}发现台账缺失，已改正`,
    });
    expect((await as(a).post(url(task.id, '/record'), form)).status).toBe(303);
    const v = (await versionOf(task.id)).version;
    const res = await as(a).post(url(task.id, '/confirm'), { version: String(v), confirm: 'yes' });
    expect(res.status).toBe(409);
    expect(text(res.body)).toContain('不能写执法人员姓名');
  });

  it('publishes the 抽查结果公告 as page, CSV and JSON with exactly the published results, without names', async () => {
    const all = await tasks();
    // Records for the remaining tasks, confirmed by both (task 5 corrected, task 3 already has one).
    for (const task of all.slice(2)) {
      const state = await t.database.db
        .selectFrom('inspections')
        .select('status')
        .where('task_id', '=', task.id)
        .executeTakeFirst();
      if (state?.status === 'pending') continue;
      const a = task.inspectors[0]!;
      const form = await completeForm(
        as(a),
        task.id,
        task === all[4] ? { resultCode: 'corrected', resultSummary: '台账缺失，已责令当场补齐' } : {},
      );
      expect((await as(a).post(url(task.id, '/record'), form)).status).toBe(303);
      await confirmBoth(task);
    }
    // Publish all but the last two: one stays waiting, one is published and then withdrawn.
    const pending = all.slice(0, -1);
    for (const task of pending) {
      const r = await reviewer.post(`/admin/supervision/results/${await resultIdOf(task.id)}/publish`, {
        confirm: 'yes',
      });
      expect(r.status, text(r.body).slice(0, 300)).toBe(303);
    }
    const withdrawn = all[5]!;
    const noReason = await reviewer2.post(
      `/admin/supervision/results/${await resultIdOf(withdrawn.id)}/withdraw`,
      { confirm: 'yes', reason: '' },
    );
    expect(noReason.status).toBe(400);
    const w = await reviewer2.post(`/admin/supervision/results/${await resultIdOf(withdrawn.id)}/withdraw`, {
      confirm: 'yes',
      reason: '检查对象名称有误，核实后重新公示',
    });
    expect(w.status).toBe(303);
    const published = await t.database.db
      .selectFrom('inspections as r')
      .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
      .select('t.uscc')
      .where('r.status', '=', 'published')
      .execute();
    expect(published).toHaveLength(all.length - 2);

    const csv = await t.app.inject({ method: 'GET', url: `/supervision/results.csv?plan=${planId}` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '计划编号,计划,任务序号,检查对象,统一社会信用代码,县（市、区）,检查日期,检查结果,结果说明,公示日期',
    );
    const csvCodes = lines
      .slice(1)
      .map((l) => /9\w{17}/.exec(l)![0])
      .sort();
    expect(csvCodes).toEqual(published.map((p) => p.uscc).sort());
    expect(csv.body).toContain('发现问题已责令改正');
    expect(csv.body).toContain('不配合检查情节严重');

    const page = await t.app.inject({ method: 'GET', url: `/supervision/results?plan=${planId}` });
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(`已公示的检查结果（${all.length - 2} 项）`);
    expect(text(page.body)).toContain('已撤回的检查结果（1 项）');
    expect(text(page.body)).toContain('检查对象名称有误，核实后重新公示');

    const api = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/results?plan=${planId}` });
    expect(api.statusCode).toBe(200);
    const json = api.json();
    expect(json.items.map((i: { uscc: string }) => i.uscc).sort()).toEqual(
      published.map((p) => p.uscc).sort(),
    );
    expect(json.withdrawn).toEqual([
      expect.objectContaining({ uscc: withdrawn.uscc, reason: '检查对象名称有误，核实后重新公示' }),
    ]);
    expect(json.deadline.workingDays).toBe(20);
    expect(json.categories.find((c: { code: string }) => c.code === 'no-activity').citation.words).toContain(
      '未发现开展本次抽查涉及的经营活动',
    );

    for (const body of [csv.body, page.body, api.body]) {
      for (const name of NAMES) expect(body).not.toContain(name);
      for (const cert of CERTS) expect(body).not.toContain(cert);
    }
    expect((await t.app.inject({ method: 'GET', url: '/supervision/results?plan=99999' })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/results?plan=99999' })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/supervision/results?plan=abc' })).statusCode,
    ).toBe(400);
  });

  it('shows the waiting results and their publication deadlines on the reviewer’s dashboard', async () => {
    const last = (await tasks()).at(-1)!;
    const dash = text((await reviewer.get('/admin')).body);
    expect(dash).toContain('待审核的抽查结果');
    // Checked on 2026-11-02 (a Monday): 20 working days later is Monday 2026-11-30.
    expect(dash).toContain(`${last.name}（公示期限 2026-11-30）`);
    expect(dash.includes('已超过公示期限的抽查结果')).toBe(todayInChina() > '2026-11-30');
    // A check on 1 December runs into late December, which needs the 2027 holidays: said, not guessed.
    const id = await resultIdOf(last.id);
    await t.database.db
      .updateTable('inspections')
      .set({ checked_on: '2026-12-01' })
      .where('id', '=', id)
      .execute();
    const later = text((await reviewer.get('/admin')).body);
    if (coveredYears().has(2027)) expect(later).toContain(`${last.name}（公示期限 2026-12-`);
    else expect(later).toContain(`${last.name}（公示期限无法计算`);
    await t.database.db
      .updateTable('inspections')
      .set({ checked_on: '2026-11-02' })
      .where('id', '=', id)
      .execute();
  });

  it(`lets only one of two reviewers publishing at once succeed${onPostgres ? ' (two connections)' : ''}`, async () => {
    const last = (await tasks()).at(-1)!;
    const id = await resultIdOf(last.id);
    const [r1, r2] = await Promise.all([
      reviewer.post(`/admin/supervision/results/${id}/publish`, { confirm: 'yes' }),
      reviewer2.post(`/admin/supervision/results/${id}/publish`, { confirm: 'yes' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([303, 409]);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'publish-result')
      .where('entity_id', '=', String(id))
      .execute();
    expect(audits).toHaveLength(1);
  });
});
