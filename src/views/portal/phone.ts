/**
 * Telephone links. The lists publish Hengshui numbers without the area code (0318) as 7 digits;
 * service numbers such as 12312 and 12345 are dialled as they are. The number is shown as
 * published; only the `tel:` target is normalised. Anything unrecognised gets no link.
 */
export function telHref(published: string): string | null {
  const d = published.replace(/[\s\-－—()（）]/g, '');
  if (!/^\+?\d+$/.test(d)) return null;
  if (/^\d{7}$/.test(d)) return `tel:+86-318-${d}`;
  if (/^0318\d{7}$/.test(d)) return `tel:+86-318-${d.slice(4)}`;
  if (/^1\d{10}$/.test(d)) return `tel:+86-${d}`;
  if (/^(1\d{4}|9\d{4})$/.test(d)) return `tel:${d}`;
  if (/^0\d{9,11}$/.test(d)) return `tel:+86-${d.slice(1)}`;
  return null;
}

/** The national service hotlines the portal points to. */
export const HOTLINES = {
  /** 政务服务便民热线: the general hotline for anything the lists do not settle. */
  general: '12345',
  /** 商务举报投诉 hotline. */
  commerce: '12312',
} as const;
