import { z } from 'zod';

/** Output shapes of the public supervision API, documented field by field. */

export const Citation = z
  .object({
    regime: z.number().int().describe('Regime order in part 3 (1–15)'),
    line: z.number().int().describe('Line of the source document (data-bundled/source.txt, 1-based)'),
    quote: z.string().describe('The exact words on that line'),
  })
  .describe('Where a figure comes from');

const figure = <T extends z.ZodTypeAny>(value: T, what: string) =>
  z
    .object({
      value: value.nullable().describe(`${what}; null when the document states none`),
      citation: Citation.nullable(),
      asARule: z
        .boolean()
        .optional()
        .describe('The document says 原则上: a default that may be overridden with a recorded reason'),
      note: z.string().optional().describe('"not stated in the document" when value is null, or a remark'),
    })
    .describe(what);

const CitedText = z.object({ text: z.string(), citation: Citation });

export const Category = z.object({
  code: z.string().describe('Stable identifier, e.g. refined-oil-retail'),
  name: z.string().describe('Chinese name, e.g. 成品油零售'),
});

export const County = z.object({
  id: z.number().int(),
  name: z.string(),
  divisionCode: z.string().describe('GB/T 2260 code (statistical division code for the two zones)'),
  kind: z.string().describe('district | county | county-level city | zone'),
});

export const Deadline = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(['working-days', 'days', 'date']),
  amount: z.number().int().nullable(),
  date: z.string().nullable().describe('MM-DD for unit date'),
  from: z.string().nullable(),
  citation: Citation,
  note: z.string().optional(),
});

export const Penalty = z.object({
  key: z.string(),
  kind: z
    .string()
    .describe(
      'fine | ban | revocation | warning | policy-support-loss | delisting | publication | referral | voidance | disqualification',
    ),
  violation: z.string(),
  label: z.string(),
  precondition: z.string().nullable(),
  minYuan: z.number().nullable(),
  maxYuan: z.number().nullable(),
  maxMultipleOfGain: z.number().nullable().describe('Fine as a multiple of the illegal gain'),
  minYears: z.number().nullable(),
  maxYears: z.number().nullable(),
  figures: z.record(z.string(), z.number()),
  citation: Citation,
});

const ruleList = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    note: z.string().nullable().describe('"not stated in the document" when empty'),
  });

export const RegimeRule = z.object({
  seq: z.number().int().describe('Order in part 3'),
  title: z.string(),
  lines: z.object({ from: z.number().int(), to: z.number().int() }),
  subjects: z.object({
    categories: z.array(Category),
    citations: z.array(Citation),
    note: z.string().optional(),
  }),
  minSamplingRatio: figure(
    z.number(),
    'Minimum share of the supervised entities checked per year (0.1 = 10 %)',
  ),
  roundsPerYear: figure(
    z.object({ min: z.number().int(), max: z.number().int() }),
    'Spot-check rounds per year',
  ),
  minInspectors: figure(z.number().int(), 'Minimum staff on each check'),
  onComplaint: figure(z.literal(true), 'Checks at any time on a complaint'),
  frequencyNotes: z.array(CitedText),
  methods: z.array(CitedText),
  deadlines: ruleList(Deadline),
  penalties: ruleList(Penalty),
  documentContents: ruleList(CitedText.extend({ document: z.string() })),
});

const Allocation = z.object({
  riskClass: z.string().optional().describe('Version 2: the risk class of the stratum (A–D, U)'),
  county: z.string(),
  population: z.number().int(),
  quota: z.number().int(),
});

export const PublicPlan = z.object({
  id: z.number().int(),
  regimeSeq: z.number().int(),
  title: z.string(),
  year: z.number().int(),
  round: z.number().int(),
  ratioBasisPoints: z.number().int().describe('Sampling ratio in units of 0.01 % (1000 = 10 %)'),
  ratio: z.string(),
  minInspectors: z.number().int().describe('Inspectors per task'),
  counties: z.array(z.string()).describe('Counties the population is narrowed to (empty: all)'),
  riskClasses: z.array(z.object({ code: z.string(), name: z.string() })),
  status: z.enum(['committed', 'drawn']),
  belowMinimum: z
    .boolean()
    .describe('The ratio is below the regime minimum (then a reason was recorded and approved)'),
  belowMinReason: z.string().nullable(),
  approvedAt: z.string().nullable(),
  committedAt: z.string().nullable(),
  algorithmVersion: z
    .union([z.literal(1), z.literal(2)])
    .describe('Draw algorithm (docs/draws.md): 2 when the plan names a witness source'),
  period: z
    .object({ start: z.string(), end: z.string() })
    .nullable()
    .describe('Version 2: inspection period, YYYY-MM-DD'),
  classRatios: z
    .array(
      z.object({
        code: z.string().describe('A–D, or U (not classified)'),
        name: z.string(),
        ratioBasisPoints: z.number().int(),
        ratio: z.string(),
      }),
    )
    .describe('Version 2: the sampling ratio of each risk class (empty for version 1)'),
  yearlyCap: z
    .number()
    .int()
    .nullable()
    .describe('Version 2: checks per entity per year at which an entity is left out (国办发〔2024〕54号)'),
  inspectorScope: z
    .enum(['own-county', 'any'])
    .nullable()
    .describe('Version 2: own-county — inspectors only in their own county (属地), city-wide ones anywhere'),
  witness: z
    .object({
      source: z.string().describe('Witness source id (e.g. cwl-ssq)'),
      sourceName: z.string(),
      reference: z.string().describe('Which draw of the source: 期号 or round'),
      referenceLabel: z.string(),
      format: z.string().describe('Canonical form of the value (docs/draws.md)'),
      valueLabel: z.string(),
      plannedDrawAt: z.string().describe('When the witness becomes public (UTC ISO); no draw before it'),
    })
    .nullable()
    .describe('Version 2: the witness source fixed in the commitment'),
  commitment: z
    .object({
      populationSize: z.number().int(),
      sampleSize: z.number().int(),
      allocation: z.array(Allocation),
      populationHash: z.string(),
      exclusionsHash: z.string().nullable().describe('Version 2: hash of the entities left out at the cap'),
      inspectorsHash: z.string(),
      serverSeedHash: z.string(),
      commitHash: z.string(),
      commitText: z.string().describe('The commit text whose SHA-256 is commitHash'),
    })
    .nullable()
    .describe('Published at commit, before the draw'),
  draw: z
    .object({
      drawnAt: z.string(),
      witness: z.string().describe('The witness as typed'),
      witnessCanonical: z
        .string()
        .describe('Version 2: after the published normalisation; version 1: as typed'),
      drawSeed: z.string(),
      serverSeed: z.string().describe('Secret until the draw; published with it'),
      tasks: z.number().int(),
      drawFileSha256: z.string(),
    })
    .nullable()
    .describe('Published at the draw'),
});

export const PublicTask = z.object({
  position: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  county: z.string(),
  rank: z.string().describe('HMAC-SHA256(drawSeed, uscc), hex'),
  inspectors: z
    .array(z.string())
    .describe('Certificate numbers of the assigned inspectors (names are not public)'),
});

export const DrawFile = z
  .object({
    format: z.enum(['zhize-draw/v1', 'zhize-draw/v2']),
    parameters: z.record(z.string(), z.unknown()),
    commitment: z.record(z.string(), z.unknown()),
    serverSeed: z.string(),
    witness: z.union([z.string(), z.object({ typed: z.string(), canonical: z.string() })]),
    drawnAt: z.string().optional().describe('Version 2: when the draw ran, Beijing time'),
    result: z.record(z.string(), z.unknown()),
    population: z.array(z.unknown()),
    exclusions: z.array(z.unknown()).optional().describe('Version 2: entities left out at the cap'),
    inspectors: z.array(z.unknown()),
  })
  .describe(
    'The self-contained draw file (docs/draws.md), byte for byte as published; `zhize draw verify` accepts it',
  );

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
