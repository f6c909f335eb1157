import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Static files of the portal (CSS, icon, the draw verifier), served by @fastify/static under /static/. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));
export const STATIC_PREFIX = '/static/';

/** Versioned URL of a static file: the content hash busts caches when the file changes. */
function versioned(name: string): string {
  try {
    const hash = createHash('sha256')
      .update(readFileSync(`${PUBLIC_DIR}${name}`))
      .digest('hex')
      .slice(0, 10);
    return `${STATIC_PREFIX}${name}?v=${hash}`;
  } catch {
    return `${STATIC_PREFIX}${name}`;
  }
}

export const assets = {
  css: versioned('portal.css'),
  favicon: versioned('favicon.svg'),
  /** The browser verifier of the public draw page (an ES module, docs/draws.md). */
  drawVerify: versioned('draw-verify.js'),
} as const;
