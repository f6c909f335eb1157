import type { DbOrTx, DialectName } from '../../db/database.ts';
import { type ResolveAnswer, resolveQuestion } from '../search/index.ts';
import {
  departmentByName,
  matterOfSource,
  officeByName,
  ownerDepartment,
  shareOf,
} from './complaint.repo.ts';

/**
 * Routing on intake: the search module's resolver reads the ticket as a question ("who handles
 * this?") and answers with a department, an office and the sentence of the lists that says so.
 * Nothing is decided here per ticket; the proposal is what the lists say, and a dispatcher
 * confirms or corrects it. Three outcomes:
 *
 * - `own`: the bureau's own matter — the office of the duty list (the resolver's office), with the
 *   citing sentence;
 * - `transfer`: another department's matter (转办) — that department, and the boundary matter and
 *   that department's share of it (职责分工) that decide it;
 * - `none`: the matter is in no list — said so, with the resolver's pointer (12345, or where such
 *   matters usually go).
 */

export interface Proposal {
  outcome: 'own' | 'transfer' | 'none';
  departmentId: number | null;
  department: string | null;
  officeId: number | null;
  office: string | null;
  /** The sentence of the lists (the resolver's reason), or the no-match message. */
  reason: string;
  source: { type: string; id: number; url: string } | null;
  matter: { id: number; seq: number; name: string } | null;
  share: { id: number; text: string } | null;
  phone: string | null;
  /** The next answers, for the dispatcher who corrects. */
  alternatives: Array<{ department: string; office: string | null; reason: string }>;
}

/**
 * The words that name the kind of ticket (the channel), not its matter. Left in, they match the
 * public service that takes tickets in (受理商务举报、投诉、申诉、咨询) whenever the rest of the text
 * is weak — "咨询：孩子上户口…" was routed to 商务综合执法监督局 — so they are blanked, as the resolver
 * blanks department names.
 */
const KIND_WORDS = /举报|投诉|申诉|咨询/g;

/** The text the resolver reads: the matter of an Open311 service first, then what happened. */
export function routingQuestion(description: string, serviceName: string | null): string {
  const text = description.replace(KIND_WORDS, (w) => ' '.repeat(w.length));
  return serviceName ? `${serviceName}：${text}` : text;
}

export async function proposeRouting(db: DbOrTx, dialect: DialectName, question: string): Promise<Proposal> {
  const result = await resolveQuestion(db, dialect, question);
  const best: ResolveAnswer | undefined = result.answers[0];
  const alternatives = result.answers
    .slice(1, 4)
    .map((a) => ({ department: a.department, office: a.office, reason: a.reason }));
  const none = (reason: string): Proposal => ({
    outcome: 'none',
    departmentId: null,
    department: null,
    officeId: null,
    office: null,
    reason,
    source: null,
    matter: null,
    share: null,
    phone: null,
    alternatives,
  });
  if (!best) {
    const referral = result.referral
      ? `此类事项（${result.referral.topic}）通常由${result.referral.goesTo}办理。`
      : '';
    return none(`职责清单中没有对应的事项。${referral}${result.noMatch?.message ?? ''}`);
  }
  const department = await departmentByName(db, best.department);
  const owner = await ownerDepartment(db);
  if (!department || !owner) return none(`职责清单中没有对应的事项：${best.reason}`);
  const sourceId = Number(best.source.id);
  const source = Number.isInteger(sourceId)
    ? { type: best.source.type, id: sourceId, url: best.source.url }
    : null;
  const matter = source ? await matterOfSource(db, source.type, source.id) : null;
  if (department.id === owner.id) {
    const office = best.office ? await officeByName(db, owner.id, best.office) : undefined;
    return {
      outcome: 'own',
      departmentId: owner.id,
      department: owner.name,
      officeId: office?.id ?? null,
      office: office?.name ?? null,
      reason: best.reason,
      source,
      matter,
      share: matter ? ((await shareOf(db, matter.id, owner.id)) ?? null) : null,
      phone: best.phone,
      alternatives,
    };
  }
  return {
    outcome: 'transfer',
    departmentId: department.id,
    department: department.name,
    officeId: null,
    office: null,
    reason: best.reason,
    source,
    matter,
    share: matter ? ((await shareOf(db, matter.id, department.id)) ?? null) : null,
    phone: best.phone,
    alternatives,
  };
}

/** The 转办 citation in one sentence: the matter and the receiving department's share of it. */
export function transferCitation(p: {
  department: string | null;
  matter: { seq: number; name: string } | null;
  share: { text: string } | null;
}): string {
  if (!p.department) return '';
  if (!p.matter || !p.share) return `转${p.department}办理（职责边界清单中没有写明该部门的职责分工）。`;
  return `职责边界清单第 ${p.matter.seq} 项“${p.matter.name}”中，${p.department}的职责分工是：“${p.share.text}”。`;
}
