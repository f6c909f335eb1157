/**
 * Links built from data (search hits, resolver sources) pass through here: only same-site paths,
 * http(s), tel: and mailto: are allowed; anything else (javascript:, data:, vbscript: …) becomes
 * null and the caller renders plain text.
 */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const u = url.trim();
  if (u === '' || Array.from(u).some((c) => c.charCodeAt(0) < 0x20)) return null;
  if (u.startsWith('/')) return u.startsWith('//') || u.startsWith('/\\') ? null : u;
  if (u.startsWith('#') || u.startsWith('?')) return u;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(u)?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'https' || scheme === 'tel' || scheme === 'mailto' ? u : null;
}
