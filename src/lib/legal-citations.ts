/** Validity as the register stores it (labels in modules/registry/legal/legal.schema.ts). */
export type LegalStatus = 'in_force' | 'amended' | 'repealed' | 'not_yet_effective' | 'unknown';
export type SuccessorRelation = 'replaced' | 'amended';

/** A warning on a record citing (or concerning) a repealed or changed instrument. */
export interface LegalFlag {
  instrumentId: number;
  title: string;
  status: LegalStatus;
  statusDate: string | null;
  successor: string | null;
  link: 'cites' | 'concerns';
  message: string;
}

/**
 * Which instruments of the register a text cites, and the warning a record shows when one of them
 * is repealed or changed in a way that touches the lists. Pure: the register comes in as data.
 *
 * A text cites an instrument when it names it in 《》 by its title or one of its other titles
 * (《拍卖法》 for 中华人民共和国拍卖法), or when the document number written after a 《》 title is the
 * instrument's (so 《…科科技兴贸…》（国办发〔2003〕92号） still finds its instrument — and is a likely
 * slip of the source). A text concerns an instrument when it contains one of the instrument's
 * subject words (酒类流通 for the repealed 酒类流通管理办法): records that rest on a rule without
 * naming it.
 *
 * Used by the registry (its pages, API and exports) and by search (the resolver's reasons).
 */

export interface RegisterEntry {
  id: number;
  title: string;
  status: LegalStatus;
  statusDate: string | null;
  docNumber: string | null;
  successorTitle: string | null;
  successorRelation: SuccessorRelation | null;
  affectsLists: boolean;
  note: string | null;
  aliases: readonly string[];
  subjects: readonly string[];
}

export interface Register {
  entries: readonly RegisterEntry[];
  byName: ReadonlyMap<string, RegisterEntry>;
  byDocNumber: ReadonlyMap<string, RegisterEntry>;
}

/** Whitespace and bracket variants do not make two titles or numbers different. */
export function citationKey(s: string): string {
  return s
    .replace(/[\s\u3000]+/g, '')
    .replace(/[〔［[【]/g, '〔')
    .replace(/[〕］\]】]/g, '〕')
    .replace(/[（(]/g, '（')
    .replace(/[）)]/g, '）')
    .replace(/[<〈＜]/g, '<')
    .replace(/[>〉＞]/g, '>');
}

const PRC = '中华人民共和国';

export function buildRegister(entries: readonly RegisterEntry[]): Register {
  const byName = new Map<string, RegisterEntry>();
  const byDocNumber = new Map<string, RegisterEntry>();
  for (const e of entries) {
    for (const n of [e.title, ...e.aliases]) {
      byName.set(citationKey(n), e);
      if (n.startsWith(PRC)) byName.set(citationKey(n.slice(PRC.length)), e);
    }
    if (e.docNumber && /号$/.test(e.docNumber) && /[〔[令]/.test(e.docNumber))
      byDocNumber.set(citationKey(e.docNumber), e);
  }
  return { entries, byName, byDocNumber };
}

export interface Citation {
  entry: RegisterEntry;
  link: 'cites' | 'concerns';
  /** The title as the text writes it (for `cites`), or the subject word found (`concerns`). */
  asWritten: string;
  /** True when the text names it by document number under a title that is not the instrument's. */
  byNumberOnly: boolean;
}

/** 《title》 optionally followed by （document number）. */
const CITED = /《([^《》]{2,200})》\s*(?:[（(]([^（）()]{2,40}号)[）)])?/g;

/** The instruments the text cites or concerns, each once (a citation wins over a subject). */
export function citationsIn(text: string, register: Register): Citation[] {
  const out = new Map<number, Citation>();
  for (const m of text.matchAll(CITED)) {
    const title = m[1]!.trim();
    const byTitle = register.byName.get(citationKey(title));
    const byNumber = m[2] ? register.byDocNumber.get(citationKey(m[2])) : undefined;
    const entry = byTitle ?? byNumber;
    if (!entry || out.get(entry.id)?.link === 'cites') continue;
    out.set(entry.id, { entry, link: 'cites', asWritten: title, byNumberOnly: !byTitle });
  }
  for (const e of register.entries) {
    if (out.has(e.id)) continue;
    const term = e.subjects.find((s) => text.includes(s));
    if (term) out.set(e.id, { entry: e, link: 'concerns', asWritten: term, byNumberOnly: false });
  }
  return [...out.values()];
}

/** True when records citing the instrument must be adjusted. */
export const isStale = (e: Pick<RegisterEntry, 'status' | 'affectsLists'>) =>
  e.status === 'repealed' || e.affectsLists;

/** The first clause of a note (the part that says what changed). */
const firstClause = (note: string | null) => (note ?? '').split(/[；;]/)[0]!.trim();

/**
 * The warning for a record citing (or concerning) a stale instrument, e.g.
 * 依据《中华人民共和国外资企业法》已于2020-01-01废止，由《中华人民共和国外商投资法》替代.
 */
export function flagMessage(e: RegisterEntry, link: 'cites' | 'concerns'): string {
  const who = `${link === 'cites' ? '依据' : '所涉'}《${e.title}》`;
  const when = e.statusDate ? `已于${e.statusDate}` : '已';
  if (e.status === 'repealed') {
    const by = e.successorTitle ? `，由《${e.successorTitle}》替代` : '';
    return `${who}${when}废止${by}`;
  }
  const note = firstClause(e.note);
  if (e.status === 'amended') {
    const by = e.successorTitle ? `（《${e.successorTitle}》）` : '';
    return `${who}${when}修改${by}${note ? `：${note}` : ''}`;
  }
  return `${who}${note ? `：${note}` : '的适用情况已变化，请核对'}`;
}

/** The warnings of a record: one per stale instrument its texts cite or concern, in register order. */
export function flagsOf(texts: ReadonlyArray<string | null | undefined>, register: Register): LegalFlag[] {
  const seen = new Map<number, Citation>();
  for (const t of texts) {
    if (!t) continue;
    for (const c of citationsIn(t, register)) {
      const had = seen.get(c.entry.id);
      if (!had || (had.link === 'concerns' && c.link === 'cites')) seen.set(c.entry.id, c);
    }
  }
  return register.entries
    .filter((e) => seen.has(e.id) && isStale(e))
    .map((e) => {
      const c = seen.get(e.id)!;
      return {
        instrumentId: e.id,
        title: e.title,
        status: e.status,
        statusDate: e.statusDate,
        successor: e.successorTitle,
        link: c.link,
        message: flagMessage(e, c.link),
      };
    });
}
