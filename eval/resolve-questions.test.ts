import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResolveQuestion } from './run-resolve.ts';

const BUREAU = '衡水市商务局';

/** The 24 canonical department names: the bureau plus the departments of part 2 of the document. */
const DEPARTMENTS = [
  BUREAU,
  '市市场监督管理局',
  '市财政局',
  '市税务局',
  '市住房和城乡建设局',
  '市自然资源和规划局',
  '市供销社',
  '市发展改革委',
  '市公安局',
  '市生态环境局',
  '市农业农村局',
  '市卫生健康委员会',
  '市贸促会',
  '市科学技术局',
  '市工业和信息化局',
  '市委宣传部',
  '市法院',
  '市检察院',
  '市教育局',
  '市民政局',
  '市文化广电和旅游局',
  '市人社局',
  '市金融办',
  '市通信管理局',
] as const;

/** The 11 canonical office names: the ten offices of part 1 and 商务综合执法监督局 of part 4. */
const OFFICES = [
  '办公室',
  '流通业发展服务贸易和市场体系建设科',
  '财务科',
  '市场秩序和政策法规科',
  '市场运行和消费促进科',
  '对外贸易和国际经贸关系科',
  '外国投资管理和对外经济合作科',
  '招商引资管理科',
  '开发区管理科',
  '外事科',
  '商务综合执法监督局',
] as const;

const questions = JSON.parse(
  readFileSync(new URL('./resolve-questions.json', import.meta.url), 'utf8'),
) as ResolveQuestion[];
const source = readFileSync(new URL('../data-bundled/source.txt', import.meta.url), 'utf8');
const departments = new Set<string>(DEPARTMENTS);
const offices = new Set<string>(OFFICES);

describe('eval/resolve-questions.json', () => {
  it('holds at least 80 questions with unique ids', () => {
    expect(questions.length).toBeGreaterThanOrEqual(80);
    const ids = questions.map((question) => question.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^q\d{3}$/.test(id))).toBe(true);
  });

  it('has exactly the documented fields, each of the right type', () => {
    const allowed = new Set([
      'id',
      'q',
      'department',
      'acceptDepartments',
      'office',
      'acceptOffices',
      'basis',
      'split',
    ]);
    for (const question of questions) {
      expect(
        Object.keys(question).filter((key) => !allowed.has(key)),
        question.id,
      ).toEqual([]);
      expect(typeof question.q === 'string' && question.q.trim().length > 0, question.id).toBe(true);
      expect(typeof question.basis === 'string' && question.basis.trim().length > 0, question.id).toBe(true);
      expect(question.department === null || typeof question.department === 'string', question.id).toBe(true);
      expect(question.office === null || typeof question.office === 'string', question.id).toBe(true);
      expect(question.acceptDepartments === undefined || Array.isArray(question.acceptDepartments)).toBe(
        true,
      );
      expect(question.acceptOffices === undefined || Array.isArray(question.acceptOffices)).toBe(true);
    }
    expect(new Set(questions.map((question) => question.q)).size).toBe(questions.length);
  });

  it('splits into dev and test, at least 30 each', () => {
    const dev = questions.filter((question) => question.split === 'dev').length;
    const test = questions.filter((question) => question.split === 'test').length;
    expect(dev + test).toBe(questions.length);
    expect(dev).toBeGreaterThanOrEqual(30);
    expect(test).toBeGreaterThanOrEqual(30);
  });

  it('names only canonical departments', () => {
    for (const question of questions) {
      if (question.department !== null) expect(departments, question.id).toContain(question.department);
      for (const other of question.acceptDepartments ?? []) {
        expect(departments, question.id).toContain(other);
        expect(other, question.id).not.toBe(question.department);
      }
    }
  });

  it('names only canonical offices, and only where the bureau is an acceptable answer', () => {
    for (const question of questions) {
      if (question.office !== null) {
        expect(offices, question.id).toContain(question.office);
        expect(question.department, question.id).toBe(BUREAU);
      }
      for (const other of question.acceptOffices ?? []) {
        expect(offices, question.id).toContain(other);
        expect(other, question.id).not.toBe(question.office);
      }
      if ((question.acceptOffices ?? []).length > 0) {
        const bureauAcceptable =
          question.department === BUREAU || (question.acceptDepartments ?? []).includes(BUREAU);
        expect(bureauAcceptable, question.id).toBe(true);
      }
    }
  });

  it('keeps no-match questions free of expected answers', () => {
    const none = questions.filter((question) => question.department === null);
    expect(none.length).toBeGreaterThanOrEqual(8);
    for (const question of none) {
      expect(question.office, question.id).toBeNull();
      expect(question.acceptDepartments ?? [], question.id).toEqual([]);
      expect(question.acceptOffices ?? [], question.id).toEqual([]);
    }
  });

  it('cites a part of the document for every answerable question, and covers all four parts', () => {
    const parts = new Set<string>();
    for (const question of questions) {
      const match = /^part ([1-4]):/.exec(question.basis);
      if (question.department === null) {
        expect(question.basis.startsWith('none:'), question.id).toBe(true);
      } else {
        expect(match, question.id).not.toBeNull();
        parts.add(match![1]!);
      }
    }
    expect([...parts].sort()).toEqual(['1', '2', '3', '4']);
  });

  it('uses department and office names that the source document itself contains', () => {
    for (const name of [...DEPARTMENTS, ...OFFICES]) expect(source, name).toContain(name);
  });

  it('copies no question verbatim from the source document', () => {
    const copied = questions.filter((question) => source.includes(question.q)).map((question) => question.id);
    expect(copied).toEqual([]);
  });
});
