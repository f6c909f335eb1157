import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { verifyDrawFile } from '../src/modules/supervision/draw/index.ts';
import { createInspector } from '../src/modules/supervision/inspectors/inspector.service.ts';
import { parseCsv } from '../src/modules/supervision/shared/csv.ts';
import { createStaff } from './staff-helpers.ts';
import { entityCsv, makeUscc } from './supervision-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * 双随机、一公开 through the staff API with bearer tokens alone (no cookie is ever sent, none is
 * ever set), on SQLite and PostgreSQL: 1,000 entities in three risk classes imported as a CSV body →
 * a first plan drawn → a version-2 plan with per-class ratios and a yearly cap → committed naming
 * its witness source (the entities checked by the first plan left out at the cap) → drawn with a
 * witness typed loosely → the inspectors' tasks → records confirmed by both assigned inspectors →
 * results returned, corrected and published by a reviewer who was not on the inspection → the
 * public result JSON and CSV list exactly the published results, without inspectors' names.
 */

let s: SharedApp;
const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const token: Record<string, string> = {};
const CERTS = ['1311S001', '1311S002', '1311S003', '1311S004'];
const NAMES = ['公孙检一', '慕容检二', '令狐检三', '独孤检四'];
const userOfCert = new Map<string, SessionUser>();
const COUNTIES: Array<[string, string]> = [
  ['桃城区', '131102'],
  ['景县', '131127'],
  ['冀州区', '131103'],
];
/** Risk class by entity index: 20 % D, 30 % B, 50 % A. */
const riskOf = (k: number) => (k % 10 < 2 ? 'D' : k % 10 < 5 ? 'B' : 'A');
const entities = Array.from({ length: 1000 }, (_, k) => {
  const [county, division] = COUNTIES[k % 3]!;
  return {
    k,
    uscc: makeUscc(300_000 + k, division),
    county,
    risk: riskOf(k),
    name: `${county}加油站${k + 1}号`,
  };
});
const riskOfUscc = new Map(entities.map((e) => [e.uscc, e.risk]));

type Injected = Awaited<ReturnType<SharedApp['app']['inject']>>;

interface Res {
  status: number;
  json: Injected['json'];
  body: string;
}

/** A request with the bearer token of `who` only; asserts the app sets no cookie. */
async function api(who: string | null, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Res> {
  const headers: Record<string, string> = who ? { authorization: `Bearer ${token[who]}` } : {};
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'text/csv; charset=utf-8';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await s.app.inject({ method, url, headers, payload });
  expect(res.headers['set-cookie'], `${method} ${url} set a cookie`).toBeUndefined();
  return { status: res.statusCode, json: () => res.json(), body: res.body };
}

const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now()) + 50));
const beijingLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
/** A check "now" in China time, as a datetime-local value (minutes). */
const nowLocal = () => new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  s = await createSharedApp({ seed: true });
  const admin = await createStaff(s.database, 'sa_admin', 'admin');
  await createStaff(s.database, 'sa_leader', 'reviewer');
  await createStaff(s.database, 'sa_auditor', 'auditor');
  for (let i = 0; i < CERTS.length; i += 1) {
    const username = `sa_insp${i + 1}`;
    userOfCert.set(CERTS[i]!, await createStaff(s.database, username, 'inspector'));
    await s.database.db.transaction().execute((tx) =>
      createInspector(tx, admin, {
        name: NAMES[i]!,
        certificateNo: CERTS[i]!,
        officeId: '',
        countyId: '',
        username,
        active: true,
      }),
    );
  }
  for (const name of [
    'sa_admin',
    'sa_leader',
    'sa_auditor',
    'sa_insp1',
    'sa_insp2',
    'sa_insp3',
    'sa_insp4',
  ]) {
    const r = await s.cli('token', 'create', name);
    expect(r.code, r.err).toBe(0);
    token[name] = r.out.trim();
  }
});
afterAll(async () => {
  await s?.close();
});

const byCert = (cert: string) => `sa_insp${CERTS.indexOf(cert) + 1}`;

describe('the staff API with tokens alone', () => {
  let firstPlan = 0;
  let plan = 0;
  let planned = 0;
  const firstDrawn = new Set<string>();

  it('imports 1,000 entities in three risk classes from a CSV body (a bad file imports nothing)', async () => {
    const rows = entities.map((e) => [
      e.name,
      e.uscc,
      '成品油零售',
      e.county,
      `冀油零售${e.k}`,
      '',
      '2030-12-31',
      '',
      e.risk,
      `衡水市某路${e.k + 1}号`,
    ]);
    const bad = [
      ...rows.slice(0, 5),
      ['坏行', '91131102MA0000000X', '成品油零售', '桃城区', '', '', '', '', 'A', ''],
    ];
    const refused = await api(
      'sa_admin',
      'POST',
      '/api/v1/staff/entities/import?filename=bad.csv',
      entityCsv(bad),
    );
    expect(refused.status).toBe(400);
    expect(refused.json().error.code).toBe('import_refused');
    expect(refused.json().error.details[0]).toMatchObject({ row: 7, column: '统一社会信用代码' });
    expect(await count('regulated_entities')).toBe(0);
    // An inspector may not maintain the register; no token at all is 401.
    expect((await api('sa_insp1', 'POST', '/api/v1/staff/entities/import', entityCsv(rows))).status).toBe(
      403,
    );
    expect((await api(null, 'POST', '/api/v1/staff/entities/import', entityCsv(rows))).status).toBe(401);
    const res = await api(
      'sa_admin',
      'POST',
      '/api/v1/staff/entities/import?filename=oil.csv',
      entityCsv(rows),
    );
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1000, created: 1000, updated: 0 });
    const classes = await s.database.db
      .selectFrom('regulated_entities')
      .select(['risk_class', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('risk_class')
      .orderBy('risk_class')
      .execute();
    expect(classes.map((c) => [c.risk_class, Number(c.n)])).toEqual([
      ['A', 500],
      ['B', 300],
      ['D', 200],
    ]);
  });

  it('draws a first plan of the year (version 1), whose entities then count against the cap', async () => {
    const created = await api('sa_leader', 'POST', '/api/v1/staff/plans', {
      regimeSeq: 4,
      year,
      round: 1,
      ratioPercent: '10',
      minInspectors: 2,
    });
    expect(created.status, created.body.slice(0, 300)).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      algorithmVersion: 1,
      commitment: null,
      draw: null,
    });
    firstPlan = created.json().id;
    const committed = await api('sa_leader', 'POST', `/api/v1/staff/plans/${firstPlan}/commit`);
    expect(committed.status, committed.body.slice(0, 300)).toBe(200);
    expect(committed.json().commitment.populationSize).toBe(1000);
    expect(JSON.stringify(committed.json())).not.toMatch(/"serverSeed"/);
    const drawn = await api('sa_leader', 'POST', `/api/v1/staff/plans/${firstPlan}/draw`, {
      witness: `${year}-03-03 双色球 02 09 14 21 27 33 + 08`,
    });
    expect(drawn.status, drawn.body.slice(0, 300)).toBe(200);
    expect(drawn.json()).toMatchObject({ status: 'drawn', draw: { tasks: 100 } });
    const tasks = await api('sa_admin', 'GET', `/api/v1/staff/tasks?plan=${firstPlan}`);
    expect(tasks.json().items).toHaveLength(100);
    for (const t of tasks.json().items) firstDrawn.add(t.uscc);
  });

  it('makes a version-2 plan with per-class ratios and a cap, and commits it naming the witness source', async () => {
    planned = Date.now() + 3_000;
    const body = {
      regimeSeq: 4,
      year,
      round: 2,
      ratioPercent: '10',
      minInspectors: 2,
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
      classRatios: { D: '100', C: '100', B: '20', A: '10' },
      yearlyCap: 1,
      inspectorScope: 'any',
      witnessSource: 'cwl-ssq',
      witnessReference: `${year}140`,
      plannedDrawAt: beijingLocal(planned),
    };
    expect((await api('sa_insp1', 'POST', '/api/v1/staff/plans', body)).status).toBe(403);
    const bad = await api('sa_leader', 'POST', '/api/v1/staff/plans', { ...body, witnessReference: '140' });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('期号');
    const created = await api('sa_leader', 'POST', '/api/v1/staff/plans', body);
    expect(created.status, created.body.slice(0, 300)).toBe(201);
    plan = created.json().id;
    expect(created.json()).toMatchObject({
      status: 'draft',
      algorithmVersion: 2,
      yearlyCap: 1,
      period: { start: `${year}-01-01`, end: `${year}-12-31` },
      witness: { source: 'cwl-ssq', reference: `${year}140` },
    });
    const res = await api('sa_leader', 'POST', `/api/v1/staff/plans/${plan}/commit`);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    const p = res.json();
    expect(p.status).toBe('committed');
    const text: string = p.commitment.commitText;
    for (const line of [
      'witnessSource=cwl-ssq',
      `witnessReference=${year}140`,
      'yearlyCap=1',
      'ratios=A:1000,B:2000,C:10000,D:10000,U:1000',
      'inspectorScope=any',
    ])
      expect(text).toContain(`${line}\n`);
    // The entities the first plan drew are at the cap: left out, and listed in the commitment.
    expect(new Set(p.exclusions.map((e: { uscc: string }) => e.uscc))).toEqual(firstDrawn);
    expect(p.exclusions.every((e: { checks: number }) => e.checks === 1)).toBe(true);
    expect(p.commitment.populationSize).toBe(1000 - firstDrawn.size);
  });

  it('draws after the planned time only, with a witness typed with spaces and full-width digits', async () => {
    const early = await api('sa_leader', 'POST', `/api/v1/staff/plans/${plan}/draw`, {
      witness: '02 09 14 21 27 33 08',
    });
    expect(early.status).toBe(409);
    expect(early.json().error.code).toBe('draw_too_early');
    await sleepUntil(planned);
    const res = await api('sa_leader', 'POST', `/api/v1/staff/plans/${plan}/draw`, {
      witness: `  第${year}140期 红球：３３ ０２ 09  14 21 27　蓝球 ０８ `,
    });
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    const p = res.json();
    expect(p.draw.witnessCanonical).toBe(`cwl-ssq:${year}140:02,09,14,21,27,33+08`);
    expect(p.draw.tasks).toBe(p.commitment.sampleSize);
    // The published file verifies against the commitment published before the draw.
    const file = await api(null, 'GET', `/api/v1/supervision/plans/${plan}/draw-file`);
    expect(verifyDrawFile(file.body, { commitment: p.commitment.commitHash })).toMatchObject({
      match: true,
      problems: [],
    });
    // D at 100 %: every D entity not at the cap is drawn; nobody at the cap is.
    const tasks = (await api('sa_admin', 'GET', `/api/v1/staff/tasks?plan=${plan}`)).json().items as Array<{
      uscc: string;
    }>;
    expect(tasks).toHaveLength(p.draw.tasks);
    const drawn = new Set(tasks.map((t) => t.uscc));
    for (const u of firstDrawn) expect(drawn.has(u)).toBe(false);
    const dLeft = entities.filter((e) => e.risk === 'D' && !firstDrawn.has(e.uscc));
    for (const e of dLeft) expect(drawn.has(e.uscc)).toBe(true);
    expect(tasks.filter((t) => riskOfUscc.get(t.uscc) === 'A').length).toBeLessThan(dLeft.length);
  });

  interface TaskItem {
    id: number;
    planId: number;
    uscc: string;
    name: string;
    inspectors: Array<{ certificate: string; userId: number | null }>;
    status: string | null;
    inspectionId: number | null;
  }
  const chosen: TaskItem[] = [];

  it('gives each inspector exactly their own tasks (mine=1), with the due date of the plan period', async () => {
    const all = (await api('sa_admin', 'GET', `/api/v1/staff/tasks?plan=${plan}`)).json().items as TaskItem[];
    for (const cert of CERTS) {
      const mine = await api(byCert(cert), 'GET', '/api/v1/staff/tasks?mine=1');
      expect(mine.status).toBe(200);
      const items = mine.json().items as Array<TaskItem & { due: { date: string } }>;
      expect(mine.json().own.certificateNo).toBe(cert);
      const expected = all.filter((t) => t.inspectors.some((i) => i.certificate === cert)).map((t) => t.id);
      expect(
        items
          .filter((t) => t.planId === plan)
          .map((t) => t.id)
          .sort(),
      ).toEqual(expected.sort());
      for (const t of items.filter((x) => x.planId === plan)) expect(t.due.date).toBe(`${year}-12-31`);
    }
    // Four tasks, each with its two inspectors.
    chosen.push(...all.slice(0, 4));
    expect(chosen.every((t) => t.inspectors.length === 2)).toBe(true);
  });

  const recordOf = async (task: TaskItem, over: Record<string, unknown> = {}) => {
    const who = byCert(task.inspectors[0]!.certificate);
    const detail = await api(who, 'GET', `/api/v1/staff/tasks/${task.id}`);
    expect(detail.status).toBe(200);
    const items = detail.json().items as Array<{ position: number; heading: boolean; text: string }>;
    expect(items.some((i) => i.text.includes('成品油经营资格条件是否符合规定'))).toBe(true);
    return {
      checkedAt: nowLocal(),
      place: '经营场所',
      representative: '王站长',
      representativeRole: '站长',
      resultCode: 'no-problem',
      answers: items.filter((i) => !i.heading).map((i) => ({ position: i.position, answer: 'compliant' })),
      ...over,
    };
  };

  const confirmBoth = async (task: TaskItem, before = 'draft') => {
    const [a, b] = task.inspectors.map((i) => byCert(i.certificate)) as [string, string];
    const { version } = (await api(a, 'GET', `/api/v1/staff/tasks/${task.id}`)).json().inspection;
    const first = await api(a, 'POST', `/api/v1/staff/tasks/${task.id}/confirm`, { version });
    expect(first.status, first.body.slice(0, 300)).toBe(200);
    expect(first.json()).toEqual({ submitted: false, status: before });
    const again = await api(a, 'POST', `/api/v1/staff/tasks/${task.id}/confirm`, { version });
    expect(again.status).toBe(409);
    const second = await api(b, 'POST', `/api/v1/staff/tasks/${task.id}/confirm`, { version });
    expect(second.status, second.body.slice(0, 300)).toBe(200);
    expect(second.json()).toEqual({ submitted: true, status: 'pending' });
  };

  it('takes the on-site records, each confirmed by both assigned inspectors with their own tokens', async () => {
    for (const [k, task] of chosen.entries()) {
      const a = byCert(task.inspectors[0]!.certificate);
      const outsider = CERTS.find((c) => !task.inspectors.some((i) => i.certificate === c))!;
      const body = await recordOf(
        task,
        k === 1 ? { resultCode: 'corrected', resultSummary: '加油机铅封缺失，已当场责令改正并完成整改' } : {},
      );
      expect(
        (await api(byCert(outsider), 'POST', `/api/v1/staff/tasks/${task.id}/record`, body)).status,
      ).toBe(403);
      expect((await api('sa_leader', 'POST', `/api/v1/staff/tasks/${task.id}/record`, body)).status).toBe(
        403,
      );
      const early = await api(a, 'POST', `/api/v1/staff/tasks/${task.id}/record`, { ...body, answers: [] });
      expect(early.status).toBe(200);
      const incomplete = await api(a, 'POST', `/api/v1/staff/tasks/${task.id}/confirm`, {
        version: early.json().version,
      });
      expect(incomplete.status).toBe(409);
      expect(incomplete.json().error.message).toContain('检查清单中');
      const saved = await api(a, 'POST', `/api/v1/staff/tasks/${task.id}/record`, body);
      expect(saved.status, saved.body.slice(0, 300)).toBe(200);
      expect(saved.json().version).toBe(2);
      await confirmBoth(task);
    }
  });

  it('has the results reviewed by a reviewer who was not on the inspection: returned, corrected, published', async () => {
    const list = await api('sa_leader', 'GET', '/api/v1/staff/results');
    const pending = (
      list.json().items as Array<{ taskId: number; id: number; status: string; mayReview: boolean }>
    ).filter((i) => i.status === 'pending');
    expect(pending.map((i) => i.taskId).sort()).toEqual(chosen.map((t) => t.id).sort());
    expect(pending.every((i) => i.mayReview)).toBe(true);
    const idOf = (task: TaskItem) => pending.find((i) => i.taskId === task.id)!.id;
    // Inspectors and auditors do not review.
    expect(
      (
        await api(
          byCert(chosen[0]!.inspectors[0]!.certificate),
          'POST',
          `/api/v1/staff/results/${idOf(chosen[0]!)}/review`,
          { decision: 'publish' },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await api('sa_auditor', 'POST', `/api/v1/staff/results/${idOf(chosen[0]!)}/review`, {
          decision: 'publish',
        })
      ).status,
    ).toBe(403);
    // A return needs the comment; then the inspectors correct and confirm again.
    const noComment = await api('sa_leader', 'POST', `/api/v1/staff/results/${idOf(chosen[2]!)}/review`, {
      decision: 'return',
    });
    expect(noComment.status).toBe(400);
    const returned = await api('sa_leader', 'POST', `/api/v1/staff/results/${idOf(chosen[2]!)}/review`, {
      decision: 'return',
      comment: '请补充在场人员的职务全称',
    });
    expect(returned.json()).toEqual({ id: idOf(chosen[2]!), status: 'returned', statusName: '退回' });
    const detail = (
      await api(byCert(chosen[2]!.inspectors[1]!.certificate), 'GET', `/api/v1/staff/tasks/${chosen[2]!.id}`)
    ).json();
    expect(detail.inspection.reviewComment).toBe('请补充在场人员的职务全称');
    const fixed = await api(
      byCert(chosen[2]!.inspectors[1]!.certificate),
      'POST',
      `/api/v1/staff/tasks/${chosen[2]!.id}/record`,
      await recordOf(chosen[2]!, { representativeRole: '加油站站长' }),
    );
    expect(fixed.status).toBe(200);
    await confirmBoth(chosen[2]!, 'returned');
    for (const task of chosen.slice(0, 3)) {
      const r = await api('sa_leader', 'POST', `/api/v1/staff/results/${idOf(task)}/review`, {
        decision: 'publish',
      });
      expect(r.status, r.body.slice(0, 300)).toBe(200);
      expect(r.json().status).toBe('published');
    }
    // chosen[3] stays 待审核: not public.
  });

  it('publishes exactly the published results in the public JSON and CSV, without inspectors’ names', async () => {
    const published = chosen.slice(0, 3);
    const json = await api(null, 'GET', `/api/v1/supervision/results?plan=${plan}`);
    expect(json.status).toBe(200);
    const items = json.json().items as Array<{ uscc: string; result: { code: string } }>;
    expect(items.map((i) => i.uscc).sort()).toEqual(published.map((t) => t.uscc).sort());
    expect(items.find((i) => i.uscc === chosen[1]!.uscc)!.result.code).toBe('corrected');
    const csv = await s.app.inject({ method: 'GET', url: `/supervision/results.csv?plan=${plan}` });
    expect(csv.statusCode).toBe(200);
    const rows = parseCsv(csv.body.replace(/^\uFEFF/, '')).map((r) => r.fields);
    const col = rows[0]!.indexOf('统一社会信用代码');
    expect(
      rows
        .slice(1)
        .filter((r) => r.length > 1)
        .map((r) => r[col])
        .sort(),
    ).toEqual(published.map((t) => t.uscc).sort());
    for (const body of [json.body, csv.body]) {
      for (const n of NAMES) expect(body).not.toContain(n);
      expect(body).not.toContain(chosen[3]!.uscc);
    }
    // Every write above left its audit entry, and the chain verifies.
    const audit = await s.cli('audit', 'verify');
    expect(audit.code, audit.out + audit.err).toBe(0);
  });

  it('lists every route of the journey in the OpenAPI document with its schemas and tags', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/staff/entities/import', 'post'],
      ['/api/v1/staff/plans', 'post'],
      ['/api/v1/staff/plans/{id}/commit', 'post'],
      ['/api/v1/staff/plans/{id}/draw', 'post'],
      ['/api/v1/staff/tasks', 'get'],
      ['/api/v1/staff/tasks/{id}/record', 'post'],
      ['/api/v1/staff/tasks/{id}/confirm', 'post'],
      ['/api/v1/staff/results/{id}/review', 'post'],
      ['/api/v1/supervision/results', 'get'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags.length).toBeGreaterThan(0);
      expect(op.responses['200'] ?? op.responses['201']).toBeDefined();
      if (path.startsWith('/api/v1/staff')) expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
    expect(Object.keys(doc.paths['/api/v1/staff/entities/import'].post.requestBody.content)).toContain(
      'text/csv',
    );
    expect(
      doc.paths['/api/v1/staff/tasks/{id}/record'].post.requestBody.content['application/json'].schema
        .properties,
    ).toHaveProperty('answers');
  });
});

async function count(table: 'regulated_entities'): Promise<number> {
  const r = await s.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
