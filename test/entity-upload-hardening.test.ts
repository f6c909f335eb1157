import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/http/errors.ts';
import {
  checkEntityRows,
  ImportRefused,
  readEntityFile,
  XLSX_LIMITS,
} from '../src/modules/supervision/entities/entity.import.ts';
import { zipProblem } from '../src/modules/supervision/shared/zip-guard.ts';
import { rngFor } from './fuzz/document-mutations.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import { ENTITY_HEADER, entityCsv, makeUscc, text, uploadEntities } from './supervision-helpers.ts';

/**
 * Issue 15, item 3 for the entity register's CSV/XLSX upload: zip bombs refused before they are
 * inflated (entry count and declared sizes from the ZIP directory, then every entry inflated with
 * its declared size as a ceiling and its CRC checked), files over the limit, formula cells, and
 * seeded mutations of a CSV and an XLSX file: each refused with the importer's own error or read
 * with exactly the rows of its untouched lines — never another exception.
 */

let t: TestApp;
let admin: Browser;

beforeAll(async () => {
  t = await createTestApp();
  await createStaff(t.database, 'up_admin', 'admin');
  admin = await loginAs(t.app, 'up_admin');
});
afterAll(async () => {
  await t.close();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A ZIP archive of the given entries, with sizes as declared (a bomb may lie). */
function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('检查对象');
  sheet.addRow(ENTITY_HEADER);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const rowsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    `某零售商${i}`,
    makeUscc(500 + i),
    '零售商',
    '武邑县',
    '',
    '',
    '',
    '',
    '',
    '',
  ]);

describe('zip bombs, refused before they are inflated', () => {
  it('refuses an entry whose declared size is over the limit, without inflating it', async () => {
    const huge = Buffer.alloc(XLSX_LIMITS.maxTotalBytes + 1024 * 1024);
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: huge }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(zipProblem(bomb, XLSX_LIMITS)).toMatch(/压缩炸弹/);
    const res = await uploadEntities(t.app, admin, { filename: 'bomb.xlsx', data: bomb, contentType: XLSX });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('压缩炸弹');
  });

  it('refuses an entry that inflates past the size it declares (a lying header) at that size', async () => {
    const bomb = zip([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1000 },
    ]);
    expect(zipProblem(bomb, XLSX_LIMITS)).toMatch(/声明的大小|压缩炸弹/);
    const res = await uploadEntities(t.app, admin, { filename: 'liar.xlsx', data: bomb, contentType: XLSX });
    expect(res.status).toBe(400);
  });

  it('refuses an archive of too many entries', async () => {
    const many = zip(
      Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({
        name: `x${i}.xml`,
        data: Buffer.from('<a/>'),
      })),
    );
    expect(zipProblem(many, XLSX_LIMITS)).toMatch(/部件/);
    const res = await uploadEntities(t.app, admin, { filename: 'many.xlsx', data: many, contentType: XLSX });
    expect(res.status).toBe(400);
    // The staff upload guard (lib/zip-guard.ts, before the body reaches the import) refuses it first.
    expect(text(res.body)).toMatch(/many\.xlsx.*(压缩包内文件过多|超过上限)/);
  });

  it('accepts a real workbook', async () => {
    expect(zipProblem(await workbook(rowsOf(3)), XLSX_LIMITS)).toBeNull();
  });
});

describe('large files and formula cells', () => {
  it('answers a 50 MB upload with a refusal, not a server error', async () => {
    const big = Buffer.concat([entityCsv(rowsOf(1)), Buffer.alloc(50 * 1024 * 1024, 0x41)]);
    const res = await uploadEntities(t.app, admin, { filename: 'big.csv', data: big });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await expect(readEntityFile('big.csv', big)).rejects.toBeInstanceOf(ImportRefused);
  });

  it('refuses formula cells in an XLSX, naming the row and the column', async () => {
    const data = await workbook([
      [{ formula: 'CONCATENATE("某","公司")', result: '某公司' }, makeUscc(700), '零售商', '武邑县'],
    ]);
    const err = await readEntityFile('f.xlsx', data).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRefused);
    expect(err.errors).toContainEqual(
      expect.objectContaining({ row: 2, column: '名称', reason: expect.stringContaining('公式') }),
    );
    const res = await uploadEntities(t.app, admin, { filename: 'f.xlsx', data, contentType: XLSX });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('公式单元格');
  });

  it('refuses text a spreadsheet would run as a formula, in CSV and XLSX', async () => {
    for (const evil of ['=HYPERLINK("http://x","y")', "+cmd|'/c calc'!A1", '@SUM(A1)', '-A1+1']) {
      // Written by hand: toCsv would defuse such a cell with a leading '; an attacker's file has none.
      const cell = `"${evil.replaceAll('"', '""')}"`;
      const raw = Buffer.from(
        `${ENTITY_HEADER.join(',')}\r\n${cell},${makeUscc(701)},零售商,武邑县,,,,,,\r\n`,
      );
      const err = await readEntityFile('e.csv', raw).catch((e) => e);
      expect(err, evil).toBeInstanceOf(ImportRefused);
      expect(JSON.stringify(err.errors)).toContain('公式');
    }
  });
});

// ---------------------------------------------------------------------------------------
// Seeded mutations

const POOL = ['"', ',', '，', '=', '+', '\t', ' ', '\u00a0', '\u200b', '0', '9', 'X', '县', '、', '\r', ';'];

async function outcome(filename: string, data: Buffer) {
  try {
    const rows = await t.database.db
      .transaction()
      .execute(async (tx) => checkEntityRows(tx, await readEntityFile(filename, data)));
    return { refused: false as const, values: rows.map((r) => JSON.stringify(r.value)) };
  } catch (e) {
    if (e instanceof AppError) return { refused: true as const };
    throw e;
  }
}

describe('seeded mutations of an entity upload', () => {
  it('a CSV of 20 rows, 400 mutations: refused, or exactly the rows of untouched lines', async () => {
    const base = entityCsv(rowsOf(20)).toString('utf8');
    const lines = base.split('\r\n');
    const original = await outcome('a.csv', Buffer.from(base));
    expect(original.refused).toBe(false);
    const values = original.refused ? [] : original.values;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const rng = rngFor(77, i);
      const k = 1 + Math.floor(rng() * (lines.length - 2));
      const out = [...lines];
      const touched = new Set<number>([k]);
      const kind = Math.floor(rng() * 5);
      const cs = Array.from(out[k]!);
      const at = Math.floor(rng() * (cs.length + 1));
      const ch = POOL[Math.floor(rng() * POOL.length)]!;
      if (kind === 0) out.splice(k, 1);
      else if (kind === 1) out.splice(k, 0, out[k]!);
      else if (kind === 2) out[k] = [...cs.slice(0, at), ch, ...cs.slice(at)].join('');
      else if (kind === 3) out[k] = [...cs.slice(0, at), ...cs.slice(at + 1)].join('');
      else out[k] = [...cs.slice(0, at), ch, ...cs.slice(at + 1)].join('');
      const got = await outcome('m.csv', Buffer.from(out.join('\r\n')));
      if (got.refused) {
        refused++;
        continue;
      }
      // Every row of an untouched line is read unchanged; at most the touched line reads otherwise.
      const untouched = values.filter((_, r) => !touched.has(r + 1));
      const left = [...got.values];
      for (const v of untouched) {
        const j = left.indexOf(v);
        expect(j, `mutation ${i}: a row of an untouched line was lost or changed`).toBeGreaterThanOrEqual(0);
        left.splice(j, 1);
      }
      expect(left.length, `mutation ${i}: rows read from nowhere`).toBeLessThanOrEqual(touched.size);
    }
    expect(refused).toBeGreaterThan(0);
  }, 120_000);

  it('an XLSX, 200 byte mutations: refused with its own error, or read with the same rows', async () => {
    const data = await workbook(rowsOf(5));
    const original = await outcome('a.xlsx', data);
    expect(original.refused).toBe(false);
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const rng = rngFor(78, i);
      const m = Buffer.from(data);
      const kind = Math.floor(rng() * 3);
      const at = Math.floor(rng() * m.length);
      let mutated: Buffer;
      if (kind === 0) {
        m[at] = m[at]! ^ (1 << Math.floor(rng() * 8));
        mutated = m;
      } else if (kind === 1) mutated = m.subarray(0, at);
      else
        mutated = Buffer.concat([m.subarray(0, at), Buffer.from([Math.floor(rng() * 256)]), m.subarray(at)]);
      const got = await outcome('m.xlsx', mutated);
      if (got.refused) refused++;
      else expect(got.values, `mutation ${i}`).toEqual(original.refused ? [] : original.values);
    }
    expect(refused).toBeGreaterThan(100);
  }, 120_000);
});
