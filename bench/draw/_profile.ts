import { createSecretKey } from 'node:crypto';
import { canonicalPopulationOrder, hashPopulation, commitPlan, computeDrawSeed, canonicalInspectors, HENGSHUI_COUNTIES } from '../../src/modules/supervision/draw.ts';
import { composeUscc, isValidCanonicalUscc, USCC_ALPHABET } from '../../src/modules/supervision/uscc.ts';
function orgBody(i: number): string { let rest = i; let out = ''; for (let k = 0; k < 6; k++) { out = USCC_ALPHABET.charAt(rest % 31) + out; rest = Math.floor(rest / 31); } return `MA${out}`; }
const pop = Array.from({length: 1_000_000}, (_, i) => { const c = HENGSHUI_COUNTIES[i % 13]!; return { uscc: composeUscc('91', c.divisionCode, orgBody(i)), name: `企业${i}`, county: c.name }; });
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
const sorted = canonicalPopulationOrder(pop); lap('sort');
canonicalPopulationOrder(sorted); lap('sorted check');
for (const e of sorted) isValidCanonicalUscc(e.uscc); lap('validate uscc');
const re = /[\u0000-\u001f\u007f]|\p{Cs}/u; for (const e of sorted) { re.test(e.name); re.test(e.county); } lap('regex');
hashPopulation(sorted); lap('hash');
commitPlan({ parameters: { regimeId: 'x', year: 2026, round: 1, ratioBasisPoints: 1000, minInspectorsPerTask: 2, strata: 'county' }, population: sorted, inspectors: [], serverSeed: '5a'.repeat(32) }); lap('commitPlan sorted');
