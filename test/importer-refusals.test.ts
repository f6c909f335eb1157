import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH, readBundledDocument } from '../src/bundled.ts';
import { decodeDocument } from '../src/importer/decode.ts';
import { ImportError } from '../src/importer/errors.ts';
import type { ParsedDocument } from '../src/importer/model.ts';
import { departmentKey, nameProblem, splitOfficeName } from '../src/importer/names.ts';
import { parseDocument } from '../src/importer/parse.ts';
import {
  parseDocNumber,
  splitLegalBases,
  splitNames,
  splitPhones,
  trimLayout,
} from '../src/importer/text.ts';
import { exportDataset } from '../src/modules/registry/export/dataset.export.ts';
import { importDocument } from '../src/modules/registry/import/import.service.ts';
import { countRegistry } from '../src/modules/registry/read/registry.repo.ts';
import { BUNDLED_COUNTS, createTestDatabase, type TestDb } from './helpers.ts';

/**
 * Issue 15, item 1: the importer refuses what it cannot read whole, with the line and what is
 * missing, and reads every whitespace variant of the same export exactly (docs/importer.md,
 * "Refusal rules"). The known failures of the 2026-12-02 probe are reproduced first.
 */

const SOURCE = readFileSync(BUNDLED_DOCUMENT_PATH, 'utf8');
/** The document's lines as `wc -l` counts them (the text ends with a line end). */
const LINES = SOURCE.split('\n').slice(0, -1);
const doc = (lines: readonly string[]) => `${lines.join('\n')}\n`;

function read(text: string): ParsedDocument {
  return parseDocument(decodeDocument(Buffer.from(text, 'utf8')).text);
}

function refusal(text: string | Buffer): ImportError {
  try {
    parseDocument(decodeDocument(typeof text === 'string' ? Buffer.from(text, 'utf8') : text).text);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected the importer to refuse the document');
}

function counts(d: ParsedDocument) {
  const l = d.lists[0]!;
  return {
    duties: l.duties.length,
    workItems: l.duties.reduce((a, x) => a + x.items.length, 0),
    boundaryMatters: l.matters.length,
    shares: l.matters.reduce((a, m) => a + m.shares.length, 0),
    regimes: l.regimes.length,
    services: l.services.length,
  };
}

const EXPECTED = {
  duties: BUNDLED_COUNTS.duties,
  workItems: BUNDLED_COUNTS.workItems,
  boundaryMatters: BUNDLED_COUNTS.boundaryMatters,
  shares: BUNDLED_COUNTS.shares,
  regimes: BUNDLED_COUNTS.regimes,
  services: BUNDLED_COUNTS.services,
};

describe('the known failures of the probe, reproduced', () => {
  it('refuses the bundled file cut 20 lines before its end (it imported and dropped services 15–17)', () => {
    const e = refusal(doc(LINES.slice(0, -20)));
    expect(e.code).toBe('table-not-closed');
    expect(e.line).toBe(LINES.length - 20);
    expect(e.messageZh).toContain('公共服务事项登记表');
    expect(e.messageZh).toContain('截断');
  });

  it('refuses the file without line 2, its first part title (it imported 0 duties and exited 0)', () => {
    const e = refusal(doc([LINES[0]!, ...LINES.slice(2)]));
    expect(e.code).toBe('text-before-title');
    expect(e.line).toBe(3);
    expect(e.messageZh).toContain('标题');
  });

  it('reads the export with empty cells as non-breaking spaces, blank lines as spaces and CRLF (it was refused at line 774)', () => {
    const variant = LINES.map((l) => (l === '\t' ? '\u00a0' : l === '' ? ' ' : l)).join('\r\n');
    const d = read(`${variant}\r\n`);
    expect(counts(d)).toEqual(EXPECTED);
    expect(d.repairs.some((r) => r.kind === 'whitespace-cell')).toBe(true);
  });

  it('refuses a ~4,100-character department name with its own error (it overflowed a regular expression)', async () => {
    const name = `市${'商'.repeat(4100)}局`;
    const e = refusal(SOURCE.replace('\t市商务局\n', `\t${name}\n`));
    expect(e.code).toBe('bad-name');
    expect(e.line).toBe(793);
    // Through the store as well: nothing reaches the search index.
    const t = await createTestDatabase();
    try {
      const err = await importDocument(
        t.database,
        Buffer.from(SOURCE.replace('\t市商务局\n', `\t${name}\n`)),
        {
          sourceName: 'long.txt',
        },
      ).catch((x) => x);
      expect(err).toBeInstanceOf(ImportError);
      expect((await countRegistry(t.database.db)).departments).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('whitespace, by rule, before the table is read', () => {
  const variants: Record<string, string> = {
    CRLF: doc(LINES).replaceAll('\n', '\r\n'),
    'CR CR LF': doc(LINES).replaceAll('\n', '\r\r\n'),
    'CR only': doc(LINES).replaceAll('\n', '\r'),
    'empty cells as NBSP lines, LF': doc(LINES.map((l) => (l === '\t' ? '\u00a0' : l))),
    'empty cells as TAB + NBSP': doc(LINES.map((l) => (l === '\t' ? '\t\u00a0' : l))),
    'empty cells as NBSP + TAB': doc(LINES.map((l) => (l === '\t' ? '\u00a0\t' : l))),
    'whitespace-only cells (spaces, U+3000)': doc(LINES.map((l) => (l === '\t' ? '\t \u3000 ' : l))),
    'blank lines as NBSP': doc(LINES.map((l) => (l === '' ? '\u00a0' : l))),
    'blank lines as full-width spaces': doc(LINES.map((l) => (l === '' ? '\u3000\u3000' : l))),
    'blank lines as zero-width spaces': doc(LINES.map((l) => (l === '' ? '\u200b' : l))),
    'zero-width spaces after every cell': doc(LINES.map((l) => (l.startsWith('\t') ? `${l}\u200b` : l))),
  };
  for (const [name, text] of Object.entries(variants)) {
    it(`reads “${name}” with the exact counts`, () => {
      expect(counts(read(text))).toEqual(EXPECTED);
    });
  }

  it('imports the NBSP/CRLF variant with exactly 24, 11, 26, 128, 13, 59, 15, 17', async () => {
    const t = await createTestDatabase();
    try {
      const variant = `${LINES.map((l) => (l === '\t' ? '\u00a0' : l === '' ? ' ' : l)).join('\r\n')}\r\n`;
      const report = await importDocument(t.database, Buffer.from(variant, 'utf8'), {
        sourceName: 'nbsp.txt',
      });
      expect(report.source.lineEnding).toBe('crlf');
      expect(await countRegistry(t.database.db)).toEqual(BUNDLED_COUNTS);
    } finally {
      await t.close();
    }
  });
});

describe('names', () => {
  it('strips invisible characters inside an office name with a repair note — never a second office', () => {
    for (const invisible of ['\u200b', '\u00ad', '\u202e', '\u200d', '\u2066', '\ufeff']) {
      const text = SOURCE.replace('\t外事科\n', `\t外${invisible}事科\n`);
      expect(text).not.toBe(SOURCE);
      const d = read(text);
      const offices = new Set(d.lists[0]!.duties.flatMap((x) => x.items.flatMap((i) => i.offices)));
      expect(offices.has('外事科')).toBe(true);
      expect(
        [...offices].some((o) => o !== '外事科' && o.replace(/[^\u4e00-\u9fff]/g, '') === '外事科'),
      ).toBe(false);
      const note = d.repairs.find((r) => r.kind === 'invisible-char');
      expect(note?.message).toMatch(/看不见的字符/);
    }
  });

  it('removes whitespace inside a name with a repair note', () => {
    const d = read(SOURCE.replace('\t外事科\n', '\t外\u00a0事 科\n'));
    expect(d.repairs.some((r) => r.kind === 'name-whitespace')).toBe(true);
    expect(d.lists[0]!.duties.flatMap((x) => x.items.flatMap((i) => i.offices))).not.toContain(
      '外\u00a0事 科',
    );
  });

  it('refuses a damaged cell rather than invent or merge a department or office', () => {
    const cases: Array<[string, string]> = [
      ['\t市商务局\n', '\t市商、务局\n'], // a separator splits a name into two “departments”
      ['\t市商务局\n', '\t市商务局）\n'], // unbalanced parenthesis
      ['\t外事科\n', '\t外事科（\n'],
      ['\t外事科\n', '\t（外事科）\n'],
      ['\t外事科\n', '\t外事科。\n'],
      ['\t外事科\n', `\t${'外'.repeat(9_990)}科\n`], // a 10,000-character name (the longest line allowed)
    ];
    for (const [from, to] of cases) {
      const e = refusal(SOURCE.replace(from, to));
      expect(e.code, to.slice(0, 20)).toBe('bad-name');
      expect(e.line).toBeGreaterThan(0);
      expect(e.messageZh).toContain('单元格可能损坏');
    }
  });

  it('merges 和-variants only between whole words, so a stray 和 makes no variant', () => {
    expect(departmentKey('市住房和城乡建设局')).toBe(departmentKey('市住房城乡建设局'));
    expect(departmentKey('衡水市商务局')).toBe(departmentKey('市商务局'));
    expect(departmentKey('市商务和局')).not.toBe(departmentKey('市商务局'));
    expect(departmentKey('市商和务局')).not.toBe(departmentKey('市商务局'));
    expect(nameProblem('市商', 'department')).not.toBeNull();
    expect(nameProblem('市商商', 'department')).toMatch(/结尾/);
    expect(nameProblem('对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）', 'office')).toBeNull();
    expect(nameProblem('各业务科室', 'office')).toBeNull();
  });
});

describe('parts, titles and tables', () => {
  it('refuses a damaged part title, naming its line, for every part', () => {
    const titles = LINES.flatMap((l, i) => (/^衡水市商务局.*(登记表|监管制度)$/.test(l) ? [i] : []));
    expect(titles.length).toBeGreaterThanOrEqual(4);
    for (const i of titles) {
      const lines = [...LINES];
      lines[i] = lines[i]!.replace('登记表', '登记').replace('监管制度', '监管');
      const e = refusal(doc(lines));
      expect(e.line, `title at line ${i + 1}`).not.toBeNull();
      // Named at the title itself or at the first line the title should have announced.
      expect(Math.abs(e.line! - (i + 1)), `title at line ${i + 1}: ${e.message}`).toBeLessThanOrEqual(3);
    }
  });

  it('refuses a document that lacks a part, saying which', () => {
    const start = LINES.indexOf('衡水市商务局公共服务事项登记表');
    const e = refusal(doc(LINES.slice(0, start)));
    expect(e.code).toBe('missing-part');
    expect(e.messageZh).toContain('公共服务事项登记表');
  });

  it('refuses a title longer than any department name, with its line', () => {
    const lines = [...LINES];
    lines[1] = `衡水${'市'.repeat(4100)}商务局部门职责登记表`;
    expect(refusal(doc(lines)).line).toBe(2);
  });

  it('names the line of a lost cell, not the end of the table', () => {
    // Line 14 is duty 1's empty 备注 cell; losing it shifts every later cell by one.
    expect(LINES[13]).toBe('\t');
    const e = refusal(doc([...LINES.slice(0, 13), ...LINES.slice(14)]));
    expect(e.code).toBe('row-boundary');
    expect(e.line).toBeLessThan(20);
  });

  it('refuses a gap in the numbering of a list', () => {
    const e = refusal(SOURCE.replace('\n\t15\n', '\n\t16\n').replace('\n\t16\n\t组织', '\n\t17\n\t组织'));
    expect(['seq-gap', 'duplicate-seq']).toContain(e.code);
  });

  it('refuses a regime whose number disagrees with its position (one lost before it)', () => {
    const e = refusal(SOURCE.replace('五、内贸特种行业监管', '六、内贸特种行业监管'));
    expect(e.code).toBe('regime-number-mismatch');
  });
});

describe('no pattern backtracks: 1 MB lines and 10,000-character names', () => {
  const MB = 1_000_000;
  it('refuses a 1 MB single-line file with its own error', () => {
    const e = refusal(`衡水市商务局部门职责登记表${' '.repeat(MB)}x\n`);
    expect(e.code).toBe('line-too-long');
    expect(e.line).toBe(1);
  });

  it('refuses a line of 200,000 spaces between text inside a cell', () => {
    const e = refusal(
      SOURCE.replace('\t研究起草综合性文稿\n', `\t研究起草${' '.repeat(200_000)}综合性文稿\n`),
    );
    expect(e.code).toBe('line-too-long');
  });

  it('refuses 1 MB lines in every part, each with the importer’s own error', () => {
    for (const at of ['\t办公室、各业务科室\n', '\t市商务局\n', '市级生猪储备企业。\n', '\t2112826\n']) {
      for (const filler of [' '.repeat(MB), '令 '.repeat(MB / 2), '（'.repeat(MB), '1.'.repeat(MB / 2)]) {
        const e = refusal(SOURCE.replace(at, `${at.slice(0, -1)}${filler}\n`));
        expect(e.code).toBe('line-too-long');
      }
    }
  });

  it('reads lines just under the limit built to make a backtracking pattern explode', () => {
    const basis = `\t1.《禁止传销条例》令${' '.repeat(9_000)}x；2.《直销管理条例》 \n`;
    const d = read(SOURCE.replace('\t1.《禁止传销条例》；2.《直销管理条例》 \n', basis));
    expect(d.lists[0]!.matters[9]!.legalBases.length).toBeGreaterThan(0);
  });

  it('the text helpers return on 1 MB inputs of every pathological shape', () => {
    const shapes = [
      `令${' '.repeat(MB)}x`,
      '1.'.repeat(MB / 2),
      '1. '.repeat(MB / 3),
      '（'.repeat(MB),
      '商'.repeat(MB),
      '〔2010〕 '.repeat(MB / 8),
      `a${' '.repeat(MB)}b`,
    ];
    for (const s of shapes) {
      expect(typeof trimLayout(s)).toBe('string');
      expect(Array.isArray(splitNames(s))).toBe(true);
      expect(Array.isArray(splitPhones(s))).toBe(true);
      expect(Array.isArray(splitLegalBases(s))).toBe(true);
      expect(parseDocNumber(s) === null || typeof parseDocNumber(s) === 'string').toBe(true);
      expect(typeof splitOfficeName(s).base).toBe('string');
      expect(typeof departmentKey(s)).toBe('string');
      expect(typeof nameProblem(s, 'office')).toBe('string');
    }
  });
});

describe('re-importing a damaged copy over a full database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDatabase();
    await importDocument(t.database, readBundledDocument(), { sourceName: 'source.txt' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses the truncated copy and leaves every record as it was', async () => {
    const before = await exportDataset(t.database.db);
    const cut = Buffer.from(doc(LINES.slice(0, -20)), 'utf8');
    await expect(importDocument(t.database, cut, { sourceName: 'cut.txt' })).rejects.toBeInstanceOf(
      ImportError,
    );
    expect((await exportDataset(t.database.db)).tables).toEqual(before.tables);
    expect((await countRegistry(t.database.db)).services).toBe(17);
  });
});
