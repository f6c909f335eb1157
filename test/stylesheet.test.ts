import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The site's one stylesheet stays well-formed: every block closes before the next rule starts. A
 * block left open (as a merge of two appended sections once did) silently swallows every rule
 * after it, which no linter of this project reads CSS for.
 */
describe('public/portal.css', () => {
  it('closes every block it opens, in order', () => {
    const css = readFileSync(new URL('../public/portal.css', import.meta.url), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    let depth = 0;
    let line = 1;
    const problems: string[] = [];
    for (const ch of css) {
      if (ch === '\n') line += 1;
      else if (ch === '{') depth += 1;
      else if (ch === '}') {
        depth -= 1;
        if (depth < 0) problems.push(`line ${line}: } without {`);
      }
      // A selector list ending a line inside a declaration block means a block was left open.
      if (ch === '{' && depth > 2) problems.push(`line ${line}: blocks nested ${depth} deep`);
    }
    expect(problems).toEqual([]);
    expect(depth).toBe(0);
  });
});
