/**
 * Who replaces an inspector who declares a conflict of interest after the draw (docs/draws.md,
 * "Replacing an inspector after the draw"). The rule uses only what is public once the plan is
 * drawn — the draw seed, the published inspector list with its declared conflicts, the task's
 * current inspectors and the adjustments published before — so anyone can check every
 * replacement, and the bureau has no choice to make:
 *
 *   rank every inspector of the published list by HMAC-SHA256(drawSeed, uscc ":" certificate)
 *   (the tie-break rank Step 4 of the draw already uses for this entity), lowest first, equal
 *   HMACs by certificate byte order; the replacement is the first who is not on the task, has
 *   no conflict with the entity — neither in the published list nor declared after the draw — and,
 *   when the draw keeps inspectors to their own county (inspectorScope own-county), works in the
 *   entity's county or city-wide (市本级), as Step 4 of the draw requires.
 *
 * Pure code: no database, no clock.
 */
import { createHmac } from 'node:crypto';
import { CITY_WIDE_COUNTY, compareUtf8 } from '../draw/index.ts';

/** Identifier of the rule, stored with every adjustment. */
export const REPLACEMENT_RULE = 'zhize-replace/v1';

export interface ReplacementInput {
  /** The plan's published draw seed (64 hex characters). */
  drawSeed: string;
  /** The task's entity. */
  uscc: string;
  /** The inspectors of the published draw file (certificate, county and declared conflicts). */
  inspectors: ReadonlyArray<{ certificate: string; county?: string; conflicts: readonly string[] }>;
  /** Set when the draw keeps inspectors to their own county: the entity's county. */
  ownCounty?: string;
  /** Certificates on the task now (the one who withdraws included). */
  assigned: readonly string[];
  /** Conflicts declared after the draw (published adjustments), this declaration included. */
  declared: ReadonlyArray<{ certificate: string; uscc: string }>;
}

export interface RankedCandidate {
  certificate: string;
  /** HMAC-SHA256(drawSeed, uscc ":" certificate), lower-case hex. */
  rank: string;
  /** Why the candidate is passed over, or null for an eligible one. */
  excluded: 'assigned' | 'conflict' | 'declared-conflict' | 'out-of-scope' | null;
}

/** Every published inspector in the rule's order, with why each is passed over. */
export function rankCandidates(input: ReplacementInput): RankedCandidate[] {
  if (!/^[0-9a-f]{64}$/.test(input.drawSeed))
    throw new Error('drawSeed must be 64 lower-case hex characters');
  const key = Buffer.from(input.drawSeed, 'hex');
  const assigned = new Set(input.assigned);
  const own = input.ownCounty;
  const outOfScope = (county: string | undefined) =>
    own !== undefined && county !== own && county !== CITY_WIDE_COUNTY;
  const declared = new Set(input.declared.filter((d) => d.uscc === input.uscc).map((d) => d.certificate));
  return input.inspectors
    .map((i) => ({
      certificate: i.certificate,
      rank: createHmac('sha256', key).update(`${input.uscc}:${i.certificate}`, 'utf8').digest('hex'),
      excluded: assigned.has(i.certificate)
        ? ('assigned' as const)
        : i.conflicts.includes(input.uscc)
          ? ('conflict' as const)
          : declared.has(i.certificate)
            ? ('declared-conflict' as const)
            : outOfScope(i.county)
              ? ('out-of-scope' as const)
              : null,
    }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : compareUtf8(a.certificate, b.certificate)));
}

/** The certificate of the replacement, or null when every published inspector is passed over. */
export function chooseReplacement(input: ReplacementInput): string | null {
  return rankCandidates(input).find((c) => c.excluded === null)?.certificate ?? null;
}
