/**
 * The checklist of an on-site record (现场检查笔录), generated from the regime's check items — the
 * 检查内容 section of the regime in part 3 of the document, imported into the registry
 * (regime_check_items, with their source lines). Each item is answered 符合 / 不符合 / 不涉及 with a
 * note. An item that only introduces numbered sub-items ("（二）是否存在下列行为：" followed by
 * "1. …", "2. …") is a heading: its sub-items are answered, it is not.
 *
 * The items are copied into the record when it is made, so a later change to the lists never
 * changes what was checked.
 */

export const ANSWER_NAME = {
  compliant: '符合',
  'non-compliant': '不符合',
  'not-applicable': '不涉及',
} as const;

export type Answer = keyof typeof ANSWER_NAME;

export const ANSWERS = Object.keys(ANSWER_NAME) as Answer[];

export const isAnswer = (v: string): v is Answer => Object.hasOwn(ANSWER_NAME, v);

export interface CheckItemSource {
  position: number;
  text: string;
  /** First line in data-bundled/source.txt, when known. */
  line: number | null;
}

export interface ChecklistItem {
  position: number;
  text: string;
  line: number | null;
  /** Introduces the numbered items after it; not answered itself. */
  heading: boolean;
}

/** "（一）" "（十二）": a top-level item. */
const TOP = /^[（(][一二三四五六七八九十]+[)）]/;
/** "1." "2、" "（1）": a sub-item. */
const SUB = /^(?:\d+[.．、]|[（(]\d+[)）])/;

/** The checklist of a regime from its check items, in their order. */
export function checklistOf(items: readonly CheckItemSource[]): ChecklistItem[] {
  const sorted = [...items].sort((a, b) => a.position - b.position);
  return sorted.map((item, k) => {
    const next = sorted[k + 1];
    const heading = TOP.test(item.text.trim()) && next !== undefined && SUB.test(next.text.trim());
    return { position: k + 1, text: item.text.trim(), line: item.line, heading };
  });
}
