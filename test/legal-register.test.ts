import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLegalRegister } from '../src/modules/registry/index.ts';
import { SYSTEM_ACTOR } from '../src/modules/audit/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await seedLegalRegister(t.database.db, SYSTEM_ACTOR);
});
afterAll(async () => {
  await t?.close();
});

describe('legal flags', () => {
  it('boundary matter 11 carries the repeal flag in the API', async () => {
    const res = await t.app.inject({ url: '/api/v1/boundary-matters?limit=50' });
    const m = res.json().items.find((x: { seq: number }) => x.seq === 11);
    console.log(JSON.stringify(res.json().items.map((x: any) => [x.seq, x.legalFlags.map((f: any) => f.message)]), null, 1));
    expect(m.legalFlags.map((f: { message: string }) => f.message)).toContain(
      '依据《中华人民共和国外资企业法》已于2020-01-01废止，由《中华人民共和国外商投资法》替代',
    );
  });
});

describe('resolver', () => {
  it('carries the flag in the reason', async () => {
    const res = await t.app.inject({ url: `/api/v1/resolve?q=${encodeURIComponent('外商投资企业设立审核找谁')}` });
    console.log(JSON.stringify(res.json(), null, 1).slice(0, 3000));
  });
});
