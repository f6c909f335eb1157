import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH, readBundledDocument } from '../src/bundled.ts';
import { ImportError } from '../src/importer/errors.ts';
import { parseDocument } from '../src/importer/parse.ts';
import { exportDataset, loadDataset } from '../src/modules/registry/export/dataset.export.ts';
import { importDocument } from '../src/modules/registry/import/import.service.ts';
import { countRegistry } from '../src/modules/registry/read/registry.repo.ts';
import { fixtureVariants } from './fixtures/encodings.ts';
import { BUNDLED_COUNTS, createTestDatabase, type TestDb } from './helpers.ts';

const SOURCE = readFileSync(BUNDLED_DOCUMENT_PATH, 'utf8');
const SOURCE_LINES = SOURCE.split('\n');
const opts = { sourceName: 'source.txt' };

describe('parsing the bundled document', () => {
  const doc = parseDocument(SOURCE);
  const lists = doc.lists[0]!;

  it('finds one department with the four lists', () => {
    expect(doc.lists.map((l) => l.department)).toEqual(['衡水市商务局']);
    expect(lists.duties).toHaveLength(26);
    expect(lists.duties.flatMap((d) => d.items)).toHaveLength(128);
    expect(lists.matters).toHaveLength(13);
    expect(lists.matters.flatMap((m) => m.shares)).toHaveLength(59);
    expect(lists.regimes).toHaveLength(15);
    expect(lists.services).toHaveLength(17);
  });

  it('keeps every cell text exactly as published (only layout whitespace trimmed)', () => {
    const texts = [
      ...lists.duties.map((d) => d.text),
      ...lists.duties.flatMap((d) => d.items.map((i) => i.text)),
      ...lists.matters.flatMap((m) => m.shares.map((s) => s.text)),
      ...lists.matters.flatMap((m) => m.cases.map((c) => c.text)),
      ...lists.services.flatMap((s) => [s.name, s.content]),
    ];
    for (const t of texts) {
      expect(
        SOURCE_LINES.some((l) => l.includes(t)),
        t,
      ).toBe(true);
    }
    // The source's typo is preserved, not corrected.
    expect(lists.matters[5]!.shares.some((s) => s.text.includes('赌塞销赃渠道'))).toBe(true);
  });

  it('gives every record a provenance line range that contains its text', () => {
    for (const d of lists.duties) {
      for (const it of d.items) {
        const span = SOURCE_LINES.slice(it.lineStart - 1, it.lineEnd).join('\n');
        expect(span).toContain(it.text);
      }
    }
    for (const s of lists.services) {
      expect(SOURCE_LINES.slice(s.lineStart - 1, s.lineEnd).join('\n')).toContain(s.name);
    }
  });

  it('re-attaches a department cell that spilled onto a line without a TAB', () => {
    const m8 = lists.matters.find((m) => m.seq === 8)!;
    expect(m8.name).toBe('制定全市科技兴贸发展规划，加强科技兴贸创新基地建设');
    expect(m8.shares[0]).toMatchObject({
      department: '市商务局',
      text: '负责拟订全市科技兴贸发展规划，加强对科技兴贸创新基地的管理和服务',
    });
    expect(doc.repairs.some((r) => r.kind === 'spilled-cell' && r.line === 992)).toBe(true);
  });

  it('splits matters glued mid-row onto the previous department and numbers them in order', () => {
    expect(lists.matters.map((m) => m.name).slice(8)).toEqual([
      '组织全市高新技术企业参加高交会',
      '打击传销',
      '外商投资企业登记管理',
      '网络商品交易及有关服务行为监督管理',
      '商品零售场所塑料购物袋有偿使用管理',
    ]);
    expect(lists.matters.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(doc.repairs.filter((r) => r.kind === 'missing-seq').map((r) => r.line)).toEqual([
      1009, 1033, 1127, 1137, 1170,
    ]);
    const m10 = lists.matters[9]!;
    expect(m10.shares[0]!.department).toBe('市市场监督管理局');
    expect(m10.shares).toHaveLength(14);
  });

  it('joins a duty row split by a stray blank line', () => {
    const d13 = lists.duties.find((d) => d.seq === 13)!;
    expect(d13.items[0]).toMatchObject({ text: '负责定点扶贫、对口援助资金管理工作', offices: ['财务科'] });
    expect(d13.items).toHaveLength(8);
  });

  it('keeps merged legal bases and cases once per matter even when a later row repeats them', () => {
    const food = lists.matters.find((m) => m.name === '食品安全监管')!;
    expect(food.legalBases).toHaveLength(4);
    expect(food.cases).toHaveLength(1);
    expect(food.legalBases[0]!.docNumber).toBe('冀政〔2014〕39号');
    const drugs = lists.matters[0]!;
    expect(drugs.legalBases[0]!.docNumber).toBe('商秩函〔2010〕739号');
    const recycling = lists.matters[3]!;
    expect(recycling.legalBases.map((b) => b.docNumber)).toEqual(['商务部令2007年第8号', '衡政办[2010]1号']);
  });

  it('splits a cell naming several offices without breaking a parenthesised second name', () => {
    const d1 = lists.duties[0]!;
    expect(d1.items[0]!.offices).toEqual(['办公室', '各业务科室']);
    const d6 = lists.duties[5]!;
    expect(d6.items[0]!.offices).toEqual(['对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）']);
    expect(lists.services[12]!.phones).toEqual(['2127065', '2990862']);
  });

  it('reads all 15 regimes despite inconsistent numbering, with objects and contents non-empty', () => {
    expect(lists.regimes.map((r) => r.label)).toEqual([
      '一',
      null,
      null,
      '四',
      '五',
      '六',
      null,
      '八',
      '九',
      '十',
      '十一',
      '十二',
      '十三',
      '十四',
      '十五',
    ]);
    for (const r of lists.regimes) {
      for (const kind of ['objects', 'contents'] as const) {
        const sec = r.sections.find((s) => s.kinds.includes(kind));
        expect(sec?.paragraphs.length, `${r.title} ${kind}`).toBeGreaterThan(0);
      }
      expect(r.checkItems.length).toBeGreaterThan(0);
    }
    const pigs = lists.regimes[5]!;
    expect(pigs.sections[0]!.paragraphs[0]!.text).toBe('市级生猪储备企业。');
    const oil = lists.regimes[3]!;
    expect(oil.sections.map((s) => s.kinds.join('+'))).toEqual([
      'objects',
      'contents',
      'methods+measures',
      'procedure',
      'handling',
    ]);
    // The repeated page heading mid-part is not taken for a new part or a regime.
    expect(doc.repairs.some((r) => r.kind === 'repeated-heading' && r.line === 1882)).toBe(true);
    expect(lists.regimes[12]!.title).toBe('对外承包工程企业监督');
  });
});

describe('importing into the database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => {
    await t.close();
  });

  it('stores the bundled document with exactly the required counts', async () => {
    const report = await importDocument(t.database, readBundledDocument(), {
      ...opts,
      department: '衡水市商务局',
    });
    expect(await countRegistry(t.database.db)).toEqual(BUNDLED_COUNTS);
    expect(report.found).toEqual(BUNDLED_COUNTS);
    expect(report.merges).toContainEqual({
      kind: 'department',
      canonical: '市住房和城乡建设局',
      variants: ['市住房城乡建设局'],
    });
    const foreignTrade = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '对外贸易和国际经贸关系科')
      .executeTakeFirstOrThrow();
    const aliases = await t.database.db
      .selectFrom('office_aliases')
      .select('alias')
      .where('office_id', '=', foreignTrade.id)
      .execute();
    expect(aliases.map((a) => a.alias).sort()).toEqual(
      ['对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）', '衡水市机电产品进出口办公室'].sort(),
    );
  });

  it('gives the same counts for UTF-8 with BOM, UTF-16 LE/BE and GB18030 with CRLF', async () => {
    const variants = fixtureVariants(SOURCE);
    for (const [name, bytes] of Object.entries(variants)) {
      const report = await importDocument(t.database, bytes, { ...opts, dryRun: true });
      expect(report.found, name).toEqual(BUNDLED_COUNTS);
    }
    const gb = await importDocument(t.database, variants.gb18030crlf, opts);
    expect(gb.source).toMatchObject({ encoding: 'gb18030', lineEnding: 'crlf' });
    expect(await countRegistry(t.database.db)).toEqual(BUNDLED_COUNTS);
    const duty = await t.database.db
      .selectFrom('duties')
      .select('text')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    expect(SOURCE).toContain(duty.text);
  });

  it('writes nothing on a dry run', async () => {
    const report = await importDocument(t.database, readBundledDocument(), { ...opts, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.changes.duties?.added).toBe(26);
    expect((await countRegistry(t.database.db)).duties).toBe(0);
  });

  it('changes nothing when the same file is imported again', async () => {
    await importDocument(t.database, readBundledDocument(), opts);
    const before = await exportDataset(t.database.db);
    const again = await importDocument(t.database, readBundledDocument(), opts);
    expect(again.unchanged).toBe(true);
    const after = await exportDataset(t.database.db);
    expect(after.tables).toEqual(before.tables);
  });

  it('updates changed records in place and reports what changed', async () => {
    await importDocument(t.database, readBundledDocument(), opts);
    const item = await t.database.db
      .selectFrom('work_items')
      .select(['id', 'text'])
      .where('text', '=', '研究起草综合性文稿')
      .executeTakeFirstOrThrow();
    const changed = SOURCE.replace('研究起草综合性文稿', '研究起草综合性文稿和领导讲话').replace(
      '\t2112826\n',
      '\t2112827\n',
    );
    // Without allowChanges (the CLI's --apply or a published change set) nothing is written.
    const held = await importDocument(t.database, Buffer.from(changed, 'utf8'), opts);
    expect(held).toMatchObject({ needsReview: true, version: null });
    expect(held.reviewable.some((l) => l.includes('主要职责 1 的第 2 项工作事项'))).toBe(true);
    const still = await t.database.db
      .selectFrom('work_items')
      .select('text')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(still.text).toBe('研究起草综合性文稿');
    const report = await importDocument(t.database, Buffer.from(changed, 'utf8'), {
      ...opts,
      allowChanges: true,
    });
    expect(report.unchanged).toBe(false);
    expect(report.changes.workItems).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(report.changes.services).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(report.changes.workItems!.details[0]).toContain('主要职责 1 的第 2 项工作事项');
    const after = await t.database.db
      .selectFrom('work_items')
      .select(['id', 'text'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(after.text).toBe('研究起草综合性文稿和领导讲话');
    const phones = await t.database.db
      .selectFrom('service_phones')
      .select('phone')
      .where('phone', '=', '2112827')
      .execute();
    expect(phones).toHaveLength(1);
    expect(await countRegistry(t.database.db)).toEqual(BUNDLED_COUNTS);
  });

  it('refuses binary bytes, naming the offset, and leaves the database as it was', async () => {
    await importDocument(t.database, readBundledDocument(), opts);
    const before = await exportDataset(t.database.db);
    const bytes = Buffer.concat([
      Buffer.from(SOURCE.slice(0, 200), 'utf8'),
      Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]),
    ]);
    await expect(importDocument(t.database, bytes, opts)).rejects.toThrow(/字节|offset/);
    expect((await exportDataset(t.database.db)).tables).toEqual(before.tables);
  });

  it('refuses text that is neither UTF-8 nor GB18030, naming the byte offset', async () => {
    const good = Buffer.from(SOURCE, 'utf8');
    const bad = Buffer.concat([
      good.subarray(0, 300),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xff]),
      good.subarray(300),
    ]);
    const err = await importDocument(t.database, bad, opts).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(String(err.message)).toMatch(/\d+/);
    expect((await countRegistry(t.database.db)).duties).toBe(0);
  });

  it('refuses a table with a missing column and names the line', async () => {
    const mangled = SOURCE.replace('\t责任科室\n', '');
    const err = await importDocument(t.database, Buffer.from(mangled, 'utf8'), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.line).toBe(4);
    expect(err.message).toContain('责任科室');
    expect((await countRegistry(t.database.db)).duties).toBe(0);
  });

  it('refuses a data row that lost a column and names its line', async () => {
    // Drop the 责任科室 cell of duty 14's only item: the row shifts and no longer fits.
    const mangled = SOURCE.replace(
      '\t负责会展业促进与管理工作，指导、管理境内外经济技术展会和赴境外非商业性办展活动\n\t流通业发展服务贸易和市场体系建设科\n',
      '\t负责会展业促进与管理工作，指导、管理境内外经济技术展会和赴境外非商业性办展活动\n',
    );
    expect(mangled).not.toBe(SOURCE);
    const err = await importDocument(t.database, Buffer.from(mangled, 'utf8'), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.line).toBeGreaterThan(580);
    expect(err.line).toBeLessThan(600);
    expect((await countRegistry(t.database.db)).workItems).toBe(0);
  });

  it('rolls back everything when a later part fails', async () => {
    const mangled = SOURCE.replace('\t联系电话\n', '\t电话号码\n');
    await expect(importDocument(t.database, Buffer.from(mangled, 'utf8'), opts)).rejects.toThrow(/联系电话/);
    expect(await countRegistry(t.database.db)).toEqual({
      departments: 0,
      offices: 0,
      duties: 0,
      workItems: 0,
      boundaryMatters: 0,
      shares: 0,
      legalBases: 0,
      regimes: 0,
      services: 0,
    });
  });

  it('round-trips the JSON export into an empty database exactly', async () => {
    await importDocument(t.database, readBundledDocument(), opts);
    const exported = await exportDataset(t.database.db);
    const other = await createTestDatabase();
    try {
      await loadDataset(other.database, JSON.parse(JSON.stringify(exported)));
      const again = await exportDataset(other.database.db);
      expect(again.tables).toEqual(exported.tables);
      expect(await countRegistry(other.database.db)).toEqual(BUNDLED_COUNTS);
      // Ids continue after the loaded ones.
      const row = await other.database.db
        .insertInto('departments')
        .values({ name: '新部门', position: 99, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(row.id).toBeGreaterThan(24);
    } finally {
      await other.close();
    }
  });
});
