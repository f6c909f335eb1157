import { createSecretKey } from 'node:crypto';
import * as d from '../../src/modules/supervision/draw.ts';
import { composeUscc, USCC_ALPHABET } from '../../src/modules/supervision/uscc.ts';
function orgBody(i: number): string { let rest = i; let out = ''; for (let k = 0; k < 6; k++) { out = USCC_ALPHABET.charAt(rest % 31) + out; rest = Math.floor(rest / 31); } return `MA${out}`; }
const pop = Array.from({length: 1_000_000}, (_, i) => { const c = d.HENGSHUI_COUNTIES[(i * 7919) % 13]!; return { uscc: composeUscc('91', c.divisionCode, orgBody(i)), name: `企业${i}`, county: c.name }; });
const params = { regimeId: 'x', year: 2026, round: 1, ratioBasisPoints: 1000, minInspectorsPerTask: 2, strata: 'county' } as const;
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
const sorted = d.canonicalPopulationOrder(pop); lap('sort');
d.commitPlan({ parameters: params, population: sorted, inspectors: [], serverSeed: '5a'.repeat(32) }); lap('commitPlan sorted');
const insp = Array.from({length: Number(process.env.I ?? 10)}, (_, i) => ({ certificate: `C${i}`, name: 'n', county: 'c', conflicts: [] }));
d.runDraw({ parameters: { ...params, ratioBasisPoints: 1 }, population: sorted, inspectors: insp, serverSeed: '5a'.repeat(32), witness: 'w' }); lap('runDraw 0.01% (rank+select, no assign)');
d.runDraw({ parameters: params, population: sorted, inspectors: insp, serverSeed: '5a'.repeat(32), witness: 'w' }); lap('runDraw 10%');
