// Frozen dev/test split for the real-question evaluation set (issue 13).
// Rule: SHA-256 of the question text (UTF-8, field "q", exactly as stored);
// first byte < 128 -> test, otherwise dev. Never change this rule or the
// question texts after the test split has been committed.
//
//   node eval/real/split.mjs build <collected.json>   (writes questions.dev.json,
//        questions.test.json, test.sha256; ids r001.. in collection order)
//   node eval/real/split.mjs check                    (verifies the dev file's
//        assignments and the test file's SHA-256 without parsing the test file)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const sha = (s) => crypto.createHash('sha256').update(s, 'utf8').digest();
export const splitOf = (q) => (sha(q)[0] < 128 ? 'test' : 'dev');

const [cmd, input] = process.argv.slice(2);
if (cmd === 'build') {
  const all = JSON.parse(fs.readFileSync(input, 'utf8'));
  const seen = new Set();
  const dev = [],
    test = [];
  all.forEach((e, i) => {
    if (seen.has(e.q)) throw new Error(`duplicate question: ${e.q.slice(0, 40)}`);
    seen.add(e.q);
    if (!e.source?.url) throw new Error(`missing url: ${e.q.slice(0, 40)}`);
    const { _L, ...rest } = e;
    const entry = { id: `r${String(i + 1).padStart(3, '0')}`, ...rest };
    (splitOf(e.q) === 'test' ? test : dev).push(entry);
  });
  const testText = `${JSON.stringify(test, null, 1)}\n`;
  fs.writeFileSync(path.join(dir, 'questions.test.json'), testText);
  fs.writeFileSync(path.join(dir, 'questions.dev.json'), `${JSON.stringify(dev, null, 1)}\n`);
  fs.writeFileSync(
    path.join(dir, 'test.sha256'),
    `${crypto.createHash('sha256').update(testText, 'utf8').digest('hex')}  questions.test.json\n`,
  );
  console.log(`total ${all.length}: dev ${dev.length}, test ${test.length}`);
} else if (cmd === 'check') {
  const dev = JSON.parse(fs.readFileSync(path.join(dir, 'questions.dev.json'), 'utf8'));
  const bad = dev.filter((e) => splitOf(e.q) !== 'dev');
  const bytes = fs.readFileSync(path.join(dir, 'questions.test.json'));
  const got = crypto.createHash('sha256').update(bytes).digest('hex');
  const want = fs.readFileSync(path.join(dir, 'test.sha256'), 'utf8').split(/\s+/)[0];
  console.log(
    `dev entries ${dev.length}, misassigned ${bad.length}; test file sha256 ${got === want ? 'OK' : 'MISMATCH'}`,
  );
  if (bad.length || got !== want) process.exit(1);
} else {
  console.error('usage: split.mjs build <collected.json> | check');
  process.exit(2);
}
