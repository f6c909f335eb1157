/** Small text helpers shared by the importer, the pages and the presenters. */

/** Whitespace-insensitive key, used only to recognise a repeated text, never stored. */
export function looseKey(s: string): string {
  return s.replace(/[\s\u3000\u00a0]+/g, '').replace(/[，,]/g, ',');
}

/** Cuts text to at most `max` characters (code points, so no half of a rare character), adding “…”. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
