import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Writes one section of docs/benchmarks.md, replacing only the text between its heading and the next '## '. */
export function writeBenchSection(heading: string, body: string, path = 'docs/benchmarks.md'): void {
  const machine = `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${process.platform}. Date: ${new Date().toISOString().slice(0, 10)}.`;
  const section = `${heading}\n\n${machine}\n\n${body.trim()}\n\n`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf(`${heading}\n`);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + heading.length);
    next = current.slice(0, start) + section + (after === -1 ? '' : current.slice(after + 1));
  }
  writeFileSync(path, `${next.trimEnd()}\n`);
}
