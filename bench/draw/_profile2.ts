import { createHash } from 'node:crypto';
const pop = Array.from({length: 1_000_000}, (_, i) => ({ uscc: '91131102MA' + String(i).padStart(8, '0'), name: `企业${i}`, county: '桃城区' }));
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
{ const h = createHash('sha256'); for (let s = 0; s < pop.length; s += 4096) { let c = ''; for (let i = s; i < Math.min(s + 4096, pop.length); i++) { const e = pop[i]!; c += `${e.uscc}\t${e.name}\t${e.county}\n`; } h.update(c, 'utf8'); } h.digest('hex'); lap('concat chunks'); }
{ const h = createHash('sha256'); for (let s = 0; s < pop.length; s += 4096) { const parts: string[] = []; for (let i = s; i < Math.min(s + 4096, pop.length); i++) { const e = pop[i]!; parts.push(e.uscc, '\t', e.name, '\t', e.county, '\n'); } h.update(parts.join(''), 'utf8'); } h.digest('hex'); lap('join chunks'); }
{ const h = createHash('sha256'); const buf = Buffer.allocUnsafe(1 << 20); let off = 0; for (const e of pop) { if (off > buf.length - 4096) { h.update(buf.subarray(0, off)); off = 0; } off += buf.write(e.uscc, off, 'latin1'); buf[off++] = 9; off += buf.write(e.name, off, 'utf8'); buf[off++] = 9; off += buf.write(e.county, off, 'utf8'); buf[off++] = 10; } h.update(buf.subarray(0, off)); h.digest('hex'); lap('buffer write'); }
const re1 = /[\u0000-\u001f\u007f]|\p{Cs}/u; for (const e of pop) { re1.test(e.name); re1.test(e.county); } lap('regex u');
const re2 = /[\u0000-\u001f\u007f\ud800-\udfff]/; for (const e of pop) { re2.test(e.name); re2.test(e.county); } lap('regex plain');
for (const e of pop) { re2.test(e.name + e.county); } lap('regex plain concat');
