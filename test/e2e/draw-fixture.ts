import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionUser } from '../../src/modules/auth/auth.service.ts';
import { createEntity } from '../../src/modules/supervision/entities/entity.service.ts';
import { createInspector } from '../../src/modules/supervision/inspectors/inspector.service.ts';
import { commitPlanAction, createPlan, drawPlan } from '../../src/modules/supervision/plans/plan.service.ts';
import type { TestApp } from '../helpers.ts';
import { makeUscc } from '../supervision-helpers.ts';

/**
 * Browser-test data: a drawn version-2 plan made through the services (40 refined-oil retailers in
 * two counties and four risk classes, three city-wide inspectors and one of 桃城区), and the test
 * vectors of docs/draws.md.
 */

/** Beijing wall-clock time `YYYY-MM-DDTHH:MM:SS` of an instant. */
const beijingLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);

export async function drawnV2Plan(app: TestApp, user: SessionUser): Promise<number> {
  const db = app.database.db;
  const counties = await db.selectFrom('counties').select(['id', 'name']).execute();
  const countyId = (name: string) => String(counties.find((c) => c.name === name)!.id);
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < 40; i += 1) {
      const [name, division] = i % 2 === 0 ? ['桃城区', '131102'] : ['景县', '131127'];
      await createEntity(tx, user, {
        name: `${name}示例加油站${i + 1}`,
        uscc: makeUscc(80_000 + i, division),
        categories: ['refined-oil-retail'],
        county: countyId(name),
        status: 'active',
        riskClass: ['A', 'B', 'C', 'D', ''][i % 5]!,
      });
    }
    for (const [k, county] of ['', '', '', '桃城区'].entries()) {
      await createInspector(tx, user, {
        name: `浏览器测试执法人员${k}`,
        certificateNo: `1319000${k}`,
        officeId: '',
        countyId: county === '' ? '' : countyId(county),
        username: '',
        active: true,
      });
    }
  });
  const year = Number(beijingLocal(Date.now()).slice(0, 4));
  const planned = Date.now() + 2_500;
  const id = await db.transaction().execute((tx) =>
    createPlan(tx, user, {
      regimeSeq: 4,
      year,
      round: 1,
      ratioPercent: '20',
      minInspectors: 2,
      countyIds: [],
      riskClasses: [],
      belowMinReason: '',
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
      classRatios: { C: '100', D: '100' },
      witnessSource: 'cwl-ssq',
      witnessReference: '2026140',
      plannedDrawAt: beijingLocal(planned),
    }),
  );
  await db.transaction().execute((tx) => commitPlanAction(tx, user, id));
  await new Promise((resolve) => setTimeout(resolve, planned - Date.now() + 100));
  await drawPlan(app.database.db, user, id, '红球 03 08 12 19 25 31 蓝球 07');
  return id;
}

/** The `input` of a test vector of docs/draws.md (`test-vector` or `v2-test-vector`). */
export function docVector(marker: string): unknown {
  const doc = readFileSync(join(process.cwd(), 'docs/draws.md'), 'utf8');
  return JSON.parse(new RegExp(`<!-- ${marker}[^>]*-->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc)![1]!)
    .input;
}
