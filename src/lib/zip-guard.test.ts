import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { makeZip } from '../../test/attack-helpers.ts';
import { checkZip, looksLikeZip } from './zip-guard.ts';

describe('the ZIP guard (before any parser inflates an upload)', () => {
  it('accepts a real workbook written by exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('对象').addRow(['名称', '统一社会信用代码']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    expect(looksLikeZip(data)).toBe(true);
    const r = checkZip(data);
    expect(r.ok, r.problem).toBe(true);
    expect(r.entries).toBeGreaterThan(3);
  });

  it('refuses an archive that declares more than the limit, without inflating it', () => {
    const zip = makeZip([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('x'), declaredSize: 200 * 1024 * 1024 },
    ]);
    const r = checkZip(zip);
    expect(r.ok).toBe(false);
    expect(r.problem).toContain('解压后超过 128 MB');
  });

  it('refuses an entry whose header lies about its size (stops at the declared size)', () => {
    const zip = makeZip([{ name: 'a.xml', data: Buffer.alloc(16 * 1024 * 1024), declaredSize: 1024 }]);
    expect(zip.length).toBeLessThan(100_000);
    const r = checkZip(zip);
    expect(r.ok).toBe(false);
    expect(r.problem).toContain('压缩炸弹');
  });

  it('refuses too many entries, a truncated archive and bytes that are no archive', () => {
    const many = makeZip(Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('1') })));
    expect(checkZip(many).problem).toContain('1001 个');
    const good = makeZip([{ name: 'a', data: Buffer.from('hello hello hello') }]);
    expect(checkZip(good).ok).toBe(true);
    expect(checkZip(good.subarray(0, good.length - 5)).ok).toBe(false);
    expect(checkZip(good.subarray(10)).ok).toBe(false);
    expect(checkZip(Buffer.from('not a zip at all')).ok).toBe(false);
  });
});
