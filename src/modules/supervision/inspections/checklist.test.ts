import { describe, expect, it } from 'vitest';
import { checklistOf } from './checklist.ts';
import { publicationDeadline, taskDueDate } from './due.ts';

describe('the checklist of an on-site record', () => {
  it('answers numbered sub-items and makes the item that introduces them a heading', () => {
    const items = checklistOf([
      { position: 2, text: '（二）是否存在下列行为：', line: 1456 },
      { position: 1, text: '（一）成品油经营资格条件是否符合规定；', line: 1454 },
      { position: 3, text: '1. 伪造、涂改、买卖成品油经营批准证书的；', line: 1458 },
      { position: 4, text: '2. 擅自改动加油机的；', line: 1468 },
      { position: 5, text: '（三）其他。', line: null },
    ]);
    expect(items.map((i) => [i.position, i.heading])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect(items[0]).toEqual({
      position: 1,
      text: '（一）成品油经营资格条件是否符合规定；',
      line: 1454,
      heading: false,
    });
  });

  it('treats a single unnumbered item as one question', () => {
    expect(checklistOf([{ position: 1, text: '零售商和供应商经营活动是否符合规定。', line: 1614 }])).toEqual([
      { position: 1, text: '零售商和供应商经营活动是否符合规定。', line: 1614, heading: false },
    ]);
  });
});

describe('the dates an inspection runs against', () => {
  it('takes the end of the plan’s inspection period (version 2: period_start–period_end)', () => {
    expect(
      taskDueDate(
        { drawn_at: '2026-11-01T02:00:00.000Z', period_start: '2026-11-02', period_end: '2026-12-20' },
        30,
      ),
    ).toEqual({
      date: '2026-12-20',
      source: '抽查计划规定的检查期间（2026-11-02 至 2026-12-20）',
      fromPlan: true,
    });
  });

  it('else counts the configured days from the draw (a China date), and says where the date comes from', () => {
    // 2026-10-31T17:00Z is 1 November in China.
    const due = taskDueDate(
      { drawn_at: '2026-10-31T17:00:00.000Z', period_start: null, period_end: null },
      30,
    )!;
    expect(due.date).toBe('2026-12-01');
    expect(due.fromPlan).toBe(false);
    expect(due.source).toContain('SUPERVISION_TASK_DUE_DAYS');
  });

  it('gives 20 working days from the check, skipping the National Day holiday', () => {
    // 2026-09-28 (Mon): 29–30 September (2), 1–7 October holidays, 8–10 October with the make-up
    // Saturday (5), then three full weeks (20): 30 October.
    const d = publicationDeadline('2026-09-28', Date.parse('2026-09-29T00:00:00Z'));
    expect(d.date).toBe('2026-10-30');
    expect(d.workingDaysLeft).toBe(19);
    expect(d.overdue).toBe(false);
    expect(publicationDeadline('2026-11-02', Date.parse('2026-12-03T04:00:00Z'))).toMatchObject({
      date: '2026-11-30',
      overdue: true,
    });
  });

  it('says so, instead of guessing, when the holiday calendar does not cover the deadline', () => {
    const d = publicationDeadline('2026-12-20');
    expect(d.date).toBeNull();
    expect(d.error).toContain('公示期限无法计算');
    expect(d.error).toContain('2027');
  });
});
