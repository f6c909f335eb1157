import { flagsOf, type Register } from '../../../lib/legal-citations.ts';
import type { BoundaryMatterOut, DutyOut, RegimeOut, ServiceOut, WorkItemOut } from '../registry.schema.ts';
import type { LegalFlagOut } from './legal.schema.ts';

/**
 * The texts of each kind of record that may cite an instrument, and the records with their
 * warnings attached (what the API, the pages and the exports show). The register is the live
 * one even for an earlier version: what is known now about a law applies to old text too.
 */

type Texts = ReadonlyArray<string | null | undefined>;

export const matterTexts = (m: BoundaryMatterOut): Texts => [
  m.name,
  ...m.legalBases.map((b) => b.text),
  ...m.shares.map((s) => s.text),
  ...m.cases.map((c) => c.text),
];

export const regimeTexts = (r: RegimeOut): Texts => [
  r.title,
  r.intro,
  ...r.sections.map((s) => s.body),
  ...r.checkItems.map((c) => c.text),
];

export const workItemTexts = (w: Pick<WorkItemOut, 'text' | 'remark'>): Texts => [w.text, w.remark];
export const dutyTexts = (d: Pick<DutyOut, 'text'>): Texts => [d.text];
export const serviceTexts = (s: Pick<ServiceOut, 'name' | 'content'>): Texts => [s.name, s.content];

export type Flagged<T> = T & { legalFlags: LegalFlagOut[] };

export const flagMatter = (m: BoundaryMatterOut, reg: Register): Flagged<BoundaryMatterOut> => ({
  ...m,
  legalFlags: flagsOf(matterTexts(m), reg),
});

export const flagRegime = (r: RegimeOut, reg: Register): Flagged<RegimeOut> => ({
  ...r,
  legalFlags: flagsOf(regimeTexts(r), reg),
});

export const flagWorkItem = (w: WorkItemOut, reg: Register): Flagged<WorkItemOut> => ({
  ...w,
  legalFlags: flagsOf(workItemTexts(w), reg),
});

export const flagDuty = (d: DutyOut, reg: Register) => ({
  ...d,
  legalFlags: flagsOf(dutyTexts(d), reg),
  items: d.items.map((w) => flagWorkItem(w, reg)),
});

export const flagService = (s: ServiceOut, reg: Register): Flagged<ServiceOut> => ({
  ...s,
  legalFlags: flagsOf(serviceTexts(s), reg),
});

/** The warnings as one line of text (CSV and spreadsheet cells). */
export const flagLine = (flags: readonly LegalFlagOut[]) => flags.map((f) => f.message).join('；');
