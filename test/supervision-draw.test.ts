import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawVerify } from '../src/main/commands/supervision.ts';
import { COUNTIES } from '../src/modules/supervision/reference/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import { entityCsv, makeUscc, text, uploadEntities } from './supervision-helpers.ts';

/**
 * A plan over 1,000 generated entities, drawn and verified from the published file; the ratio rule;
 * what the public may and may not see.
 */

let t: TestApp;
let admin: Browser;
let editor: Browser;
let reviewer: Browser;
let reviewer2: Browser;
let inspectorUser: Browser;
let dir: string;

/** Distinctive names: none of them may ever appear on a public page. */
const INSPECTOR_NAMES = [
  '欧阳保密甲',
  '司马保密乙',
  '诸葛保密丙',
  '上官保密丁',
  '东方保密戊',
  '皇甫保密己',
  '令狐保密庚',
  '慕容保密辛',
  '长孙保密壬',
  '宇文保密癸',
];
const CERTS = INSPECTOR_NAMES.map((_, i) => `1311${String(i + 1).padStart(4, '0')}`);
/** Uneven county sizes: 1,000 refined-oil retailers in all. */
const WEIGHTS = [230, 120, 90, 70, 60, 55, 75, 50, 80, 45, 85, 25, 15];

const population: Array<{ uscc: string; county: string }> = [];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  dir = mkdtempSync(join(tmpdir(), 'zhize-draw-'));
  await createStaff(t.database, 'd_admin', 'admin');
  // The editor's offices run regimes 4 (refined oil) and 7–8 (prepaid cards): the categories imported below.
  await createStaff(t.database, 'd_editor', 'editor', ['市场秩序和政策法规科', '市场运行和消费促进科']);
  await createStaff(t.database, 'd_reviewer', 'reviewer');
  await createStaff(t.database, 'd_reviewer2', 'reviewer');
  await createStaff(t.database, 'd_inspector', 'inspector');
  admin = await loginAs(t.app, 'd_admin');
  editor = await loginAs(t.app, 'd_editor');
  reviewer = await loginAs(t.app, 'd_reviewer');
  reviewer2 = await loginAs(t.app, 'd_reviewer2');
  inspectorUser = await loginAs(t.app, 'd_inspector');

  const rows: string[][] = [];
  let i = 0;
  WEIGHTS.forEach((w, c) => {
    const county = COUNTIES[c]!;
    for (let k = 0; k < w; k += 1, i += 1) {
      const uscc = makeUscc(10_000 + i, county.divisionCode);
      population.push({ uscc, county: county.name });
      rows.push([
        `${county.name}加油站${k + 1}号`,
        uscc,
        k % 7 === 0 ? '成品油零售、成品油批发/仓储' : '成品油零售',
        county.name,
        `YL${i}`,
        '',
        '',
        '',
        '',
      ]);
    }
  });
  // Not in the population: closed retailers, and entities of other categories.
  for (let k = 0; k < 20; k += 1)
    rows.push([
      `已注销加油站${k}`,
      makeUscc(20_000 + k),
      '成品油零售',
      '桃城区',
      '',
      '',
      '',
      '已注销/关闭',
      '',
    ]);
  for (let k = 0; k < 30; k += 1)
    rows.push([
      `预付卡发卡企业${k}`,
      makeUscc(30_000 + k),
      '单用途预付卡发卡',
      COUNTIES[k % 13]!.name,
      '',
      '',
      '',
      '',
      '',
    ]);
  const res = await uploadEntities(t.app, editor, { filename: 'oil.csv', data: entityCsv(rows) });
  if (res.status !== 200) throw new Error(text(res.body).slice(0, 800));

  const office = await t.database.db
    .selectFrom('offices')
    .select('id')
    .where('name', '=', '市场秩序和政策法规科')
    .executeTakeFirstOrThrow();
  for (let k = 0; k < INSPECTOR_NAMES.length; k += 1) {
    // The editor adds their office's inspectors; county inspectors (no city office) only an admin.
    const r = await (k < 5 ? editor : admin).post('/admin/supervision/inspectors', {
      name: INSPECTOR_NAMES[k]!,
      certificateNo: CERTS[k]!,
      officeId: k < 5 ? String(office.id) : '',
      countyId: k < 5 ? '' : String(k),
      username: k === 0 ? 'd_inspector' : '',
      active: '1',
    });
    if (r.status !== 303) throw new Error(text(r.body).slice(0, 800));
  }
  // Inspector 1 declares conflicts with the first 60 entities, inspector 2 with the next 5.
  const ids = await t.database.db
    .selectFrom('inspectors')
    .select(['id', 'certificate_no'])
    .orderBy('certificate_no')
    .execute();
  for (let k = 0; k < 65; k += 1) {
    const inspector = ids[k < 60 ? 0 : 1]!;
    const r = await editor.post(`/admin/supervision/inspectors/${inspector.id}/conflicts`, {
      uscc: population[k]!.uscc,
      reason: '近亲属在该企业任职',
    });
    if (r.status !== 303) throw new Error(text(r.body).slice(0, 800));
  }
});

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const planIdOf = (location: string | undefined) => Number(/plans\/(\d+)/.exec(location ?? '')![1]);

describe('a plan over 1,000 entities at 10 %', () => {
  let planId = 0;
  let serverSeed = '';

  it('is created as a draft that the public cannot see', async () => {
    const res = await reviewer.post('/admin/supervision/plans', {
      regimeSeq: '4',
      year: '2026',
      round: '1',
      ratioPercent: '10',
      minInspectors: '2',
      belowMinReason: '',
    });
    expect(res.status, text(res.body).slice(0, 500)).toBe(303);
    planId = planIdOf(res.location);
    const staff = await reviewer.get(`/admin/supervision/plans/${planId}`);
    expect(text(staff.body)).toContain('按当前名录库预计：检查对象 1000 个，抽取 100 个');
    expect((await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/supervision/plans' })).json().items).toEqual(
      [],
    );
  });

  it('publishes parameters and commitment hashes at commit, keeping the server seed secret', async () => {
    const res = await reviewer.post(`/admin/supervision/plans/${planId}/commit`, { confirm: 'yes' });
    expect(res.status, text(res.body).slice(0, 500)).toBe(303);
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .selectAll()
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('committed');
    expect(row.population_size).toBe(1000);
    expect(row.sample_size).toBe(100);
    serverSeed = row.server_seed!;
    expect(serverSeed).toMatch(/^[0-9a-f]{64}$/);
    const pub = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain(row.commit_hash!);
    expect(pub.body).toContain(row.server_seed_hash!);
    expect(pub.body).toContain(row.population_hash!);
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}` });
    expect(api.json()).toMatchObject({
      status: 'committed',
      commitment: { commitHash: row.commit_hash },
      draw: null,
    });
    for (const url of [
      `/supervision/plans/${planId}`,
      '/supervision/plans',
      '/supervision/plans.csv',
      `/api/v1/supervision/plans/${planId}`,
      '/api/v1/supervision/plans',
    ]) {
      expect((await t.app.inject({ method: 'GET', url })).body, url).not.toContain(serverSeed);
    }
    for (const url of [`/admin/supervision/plans/${planId}`, '/admin/supervision/plans']) {
      expect((await admin.get(url)).body, url).not.toContain(serverSeed);
    }
    expect(
      (await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw.json` })).statusCode,
    ).toBe(404);
    // The population is frozen and public from the commit on.
    const pop = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/population.csv` });
    expect(pop.body.trim().split('\r\n')).toHaveLength(1001);
  });

  it('draws exactly 100 entities after the witness value is entered, proportionally by county', async () => {
    const res = await reviewer2.post(`/admin/supervision/plans/${planId}/draw`, {
      witness: '2026-03-03 双色球 02 09 14 21 27 33 + 08',
    });
    expect(res.status, text(res.body).slice(0, 500)).toBe(303);
    const tasks = (
      await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}/tasks` })
    ).json().items as Array<{
      uscc: string;
      county: string;
      inspectors: string[];
    }>;
    expect(tasks).toHaveLength(100);
    expect(new Set(tasks.map((x) => x.uscc)).size).toBe(100);
    const inPopulation = new Map(population.map((e) => [e.uscc, e.county]));
    for (const task of tasks) expect(inPopulation.get(task.uscc)).toBe(task.county);
    const plan = (await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}` })).json();
    let total = 0;
    WEIGHTS.forEach((w, c) => {
      const county = COUNTIES[c]!.name;
      const drawn = tasks.filter((x) => x.county === county).length;
      const exact = (100 * w) / 1000;
      expect(drawn, county).toBeGreaterThanOrEqual(Math.floor(exact));
      expect(drawn, county).toBeLessThanOrEqual(Math.ceil(exact));
      expect(plan.commitment.allocation.find((a: { county: string }) => a.county === county)).toEqual({
        county,
        population: w,
        quota: drawn,
      });
      total += drawn;
    });
    expect(total).toBe(100);
  });

  it('gives every task two different inspectors, none with a declared conflict, with the load spread evenly', async () => {
    const tasks = (
      await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}/tasks` })
    ).json().items as Array<{
      uscc: string;
      inspectors: string[];
    }>;
    const conflicts = await t.database.db
      .selectFrom('inspector_conflicts as k')
      .innerJoin('inspectors as i', 'i.id', 'k.inspector_id')
      .innerJoin('regulated_entities as e', 'e.id', 'k.entity_id')
      .select(['i.certificate_no', 'e.uscc'])
      .execute();
    expect(conflicts).toHaveLength(65);
    const conflicted = new Set(conflicts.map((k) => `${k.certificate_no}|${k.uscc}`));
    const load = new Map<string, number>();
    let conflictedDrawn = 0;
    for (const task of tasks) {
      expect(task.inspectors).toHaveLength(2);
      expect(new Set(task.inspectors).size).toBe(2);
      for (const c of task.inspectors) {
        expect(CERTS).toContain(c);
        expect(conflicted.has(`${c}|${task.uscc}`), `${c} on ${task.uscc}`).toBe(false);
        load.set(c, (load.get(c) ?? 0) + 1);
      }
      if (conflicts.some((k) => k.uscc === task.uscc)) conflictedDrawn += 1;
    }
    expect(conflictedDrawn).toBeGreaterThan(0);
    const loads = CERTS.map((c) => load.get(c) ?? 0);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(200);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2);
  });

  it('publishes a draw file that `zhize draw verify` recomputes as a match, and a one-byte change fails with the reason', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw.json` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const file = join(dir, 'draw.json');
    writeFileSync(file, res.rawPayload);
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}/draw-file` });
    expect(api.body).toBe(res.body);
    expect(JSON.parse(res.body).serverSeed).toBe(serverSeed);

    const ok = drawVerify([file]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('match');
    const cli = spawnSync(join(process.cwd(), 'bin/zhize'), ['draw', 'verify', file], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('match');

    // One byte: the last character of the witness value.
    const bytes = Buffer.from(res.rawPayload);
    const at = bytes.indexOf(Buffer.from('+ 08"')) + 3;
    bytes[at] = '9'.charCodeAt(0);
    const bad = join(dir, 'draw-changed.json');
    writeFileSync(bad, bytes);
    const changed = drawVerify([bad]);
    expect(changed.exitCode).toBe(1);
    expect(changed.stdout).toContain('mismatch');
    expect(changed.stderr).toContain('drawSeed 与服务器种子和见证值不一致');

    // One byte of a drawn entity's code in the task list.
    const bytes2 = Buffer.from(res.rawPayload);
    const task = bytes2.indexOf(Buffer.from('"tasks": [')) + 20;
    const uscc = bytes2.indexOf(Buffer.from('"uscc":"'), task) + 8 + 5;
    bytes2[uscc] = bytes2[uscc] === 0x31 ? 0x32 : 0x31;
    const bad2 = join(dir, 'draw-changed-2.json');
    writeFileSync(bad2, bytes2);
    const changed2 = drawVerify([bad2]);
    expect(changed2.exitCode).toBe(1);
    expect(changed2.stderr).toMatch(/在文件中被抽中，但重新计算未抽中/);
  });

  it('stores the draw file in parts that join to the published file byte for byte, with its hash', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}/draw-file` });
    const plan = await t.database.db
      .selectFrom('inspection_plans')
      .select(['draw_file', 'draw_file_sha256'])
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(plan.draw_file).toBeNull();
    const parts = await t.database.db
      .selectFrom('plan_draw_file_parts')
      .select(['seq', 'content'])
      .where('plan_id', '=', planId)
      .orderBy('seq')
      .execute();
    expect(parts.map((p) => p.seq)).toEqual(parts.map((_, i) => i + 1));
    const joined = parts.map((p) => p.content).join('');
    expect(joined).toBe(res.body);
    expect(createHash('sha256').update(joined, 'utf8').digest('hex')).toBe(plan.draw_file_sha256);
  });

  it('shows the drawn tasks on the public notice with certificate numbers only, never inspectors’ names', async () => {
    const urls = [
      '/supervision',
      '/supervision/items',
      '/supervision/items/4',
      '/supervision/plans',
      `/supervision/plans/${planId}`,
      `/supervision/plans/${planId}/draw`,
      `/supervision/plans/${planId}/draw.json`,
      `/supervision/plans/${planId}/tasks.csv`,
      `/supervision/plans/${planId}/population.csv`,
      '/supervision/tasks',
      '/supervision/tasks.csv',
      '/supervision/plans.csv',
      '/supervision/items.csv',
      '/api/v1/supervision/plans',
      `/api/v1/supervision/plans/${planId}`,
      `/api/v1/supervision/plans/${planId}/tasks`,
      `/api/v1/supervision/plans/${planId}/draw-file`,
      '/api/v1/supervision/rules',
    ];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      for (const name of INSPECTOR_NAMES) expect(res.body, `${url} shows ${name}`).not.toContain(name);
      expect(res.body, url).not.toContain('d_reviewer');
    }
    const notice = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}` });
    expect(text(notice.body)).toContain('任务公告（100 项）');
    expect(notice.body).toContain(CERTS[3]);
    // Staff still see the names in the register.
    expect((await admin.get('/admin/supervision/inspectors')).body).toContain(INSPECTOR_NAMES[0]);
  });

  it('lets an inspector see their own tasks only', async () => {
    const res = await inspectorUser.get('/admin/supervision/tasks');
    expect(res.status).toBe(200);
    const mine = (await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}/tasks` }))
      .json()
      .items.filter((x: { inspectors: string[] }) => x.inspectors.includes(CERTS[0]!));
    expect(text(res.body)).toContain(`共 ${mine.length} 项任务`);
    expect((res.body.match(/<tr>/g) ?? []).length).toBe(mine.length + 1);
  });

  it('records every step in the audit log and refuses to draw twice', async () => {
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'inspection_plan')
      .where('entity_id', '=', String(planId))
      .orderBy('seq')
      .execute();
    expect(actions).toEqual([
      { action: 'create', actor: 'd_reviewer' },
      { action: 'commit', actor: 'd_reviewer' },
      { action: 'draw', actor: 'd_reviewer2' },
    ]);
    const again = await reviewer.post(`/admin/supervision/plans/${planId}/draw`, { witness: 'x' });
    expect(again.status).toBe(409);
    expect(text(again.body)).toContain('不能抽取');
  });
});

describe('a ratio below the regime minimum', () => {
  it('is refused without a recorded reason', async () => {
    const before = await t.database.db.selectFrom('inspection_plans').select('id').execute();
    const res = await reviewer.post('/admin/supervision/plans', {
      regimeSeq: '7',
      year: '2026',
      round: '1',
      ratioPercent: '5',
      minInspectors: '2',
      belowMinReason: '',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('抽查比例 5% 低于本制度规定的10%：必须填写理由');
    expect(await t.database.db.selectFrom('inspection_plans').select('id').execute()).toHaveLength(
      before.length,
    );
  });

  it('cannot be published until a reviewer other than its author approves the recorded reason', async () => {
    const res = await reviewer.post('/admin/supervision/plans', {
      regimeSeq: '7',
      year: '2026',
      round: '1',
      ratioPercent: '5',
      minInspectors: '2',
      belowMinReason: '上半年已对全部备案企业开展专项检查',
    });
    expect(res.status).toBe(303);
    const id = planIdOf(res.location);
    const commit = await reviewer.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' });
    expect(commit.status).toBe(409);
    expect(text(commit.body)).toContain('须经制定人以外的审核人批准');
    const own = await reviewer.post(`/admin/supervision/plans/${id}/approve`, {});
    expect(own.status).toBe(403);
    const editorTry = await editor.post(`/admin/supervision/plans/${id}/approve`, {});
    expect(editorTry.status).toBe(403);
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'draft', approved_by: null, commit_hash: null, server_seed: null });

    expect((await reviewer2.post(`/admin/supervision/plans/${id}/approve`, { comment: '同意' })).status).toBe(
      303,
    );
    expect((await reviewer.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' })).status).toBe(
      303,
    );
    const plan = (await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${id}` })).json();
    expect(plan).toMatchObject({
      status: 'committed',
      ratio: '5%',
      belowMinimum: true,
      belowMinReason: '上半年已对全部备案企业开展专项检查',
      commitment: { populationSize: 30, sampleSize: 2 },
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'inspection_plan')
      .where('entity_id', '=', String(id))
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'approve-below-minimum', 'commit']);
    expect(audit[1]!.actor).toBe('d_reviewer2');
  });

  it('needs no approval where the regime states no minimum ratio', async () => {
    const res = await admin.post('/admin/supervision/plans', {
      regimeSeq: '15',
      year: '2026',
      round: '1',
      ratioPercent: '1',
      minInspectors: '2',
      belowMinReason: '',
    });
    expect(res.status).toBe(303);
    // No entity of category 报废机动车回收拆解 exists: commit says so and leaves the draft unchanged.
    const id = planIdOf(res.location);
    const commit = await admin.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' });
    expect(commit.status).toBe(409);
    expect(text(commit.body)).toContain('没有符合条件的在营检查对象');
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('refuses fewer inspectors per task than the regime requires', async () => {
    const res = await admin.post('/admin/supervision/plans', {
      regimeSeq: '10',
      year: '2026',
      round: '1',
      ratioPercent: '10',
      minInspectors: '1',
      belowMinReason: '',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('本制度规定至少2名');
  });
});
