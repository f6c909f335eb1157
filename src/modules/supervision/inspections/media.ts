import { createHash } from 'node:crypto';
/**
 * Attachments of an on-site record (photos JPEG/PNG, PDF): the type is read from the bytes (never
 * from the name or the browser's type), and photos lose their metadata before they are stored —
 * EXIF (with its GPS position, camera serial, time), XMP, IPTC, comments and anything appended
 * after the image — by a segment filter that copies the image data itself byte for byte. The only
 * piece of EXIF kept is the orientation, rewritten as a minimal EXIF block of its own, so a photo
 * taken on its side still shows upright. Pure code: bytes in, bytes out.
 */

export type MediaType = 'image/jpeg' | 'image/png' | 'application/pdf';

export const MEDIA_EXTENSION: Record<MediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

/** Limits of one record's attachments. */
export const ATTACHMENT_LIMITS = {
  /** A photo (JPEG, PNG). */
  photoBytes: 10 * 1024 * 1024,
  /** A PDF (scanned 笔录, documents the checked party handed over). */
  pdfBytes: 15 * 1024 * 1024,
  /** Attachments of one record. */
  files: 20,
} as const;

export const ACCEPTED_MEDIA_ZH = 'JPG、PNG 照片或 PDF 文件';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type of the bytes, or null when they are none of the accepted kinds. */
export function sniffMedia(data: Buffer): MediaType | null {
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** The bytes are not a well-formed file of their kind (truncated, a segment longer than the file …). */
export class MalformedMediaError extends Error {
  constructor(readonly messageZh: string) {
    super(messageZh);
    this.name = 'MalformedMediaError';
  }
}

export interface CleanedMedia {
  data: Buffer;
  /** What was removed, in English keys for the record (e.g. ['exif', 'xmp', 'trailing-data']). */
  removed: string[];
}

// ───────────────────────────── JPEG ─────────────────────────────

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

/** Markers without a length field: SOI, EOI, TEM and the restart markers. */
const standalone = (m: number) => m === SOI || m === EOI || m === 0x01 || (m >= 0xd0 && m <= 0xd7);

const startsWith = (data: Buffer, at: number, text: string) =>
  data.subarray(at, at + text.length).toString('latin1') === text;

/** Why an application segment is dropped, or null to keep it (JFIF, ICC profile, Adobe colour). */
function droppedApp(marker: number, body: Buffer): string | null {
  if (marker === APP0) return null; // JFIF / JFXX: no personal data
  if (marker === APP2 && startsWith(body, 0, 'ICC_PROFILE\0')) return null; // colours
  if (marker === APP14 && startsWith(body, 0, 'Adobe')) return null; // colour transform
  if (marker === APP1) return startsWith(body, 0, 'Exif\0') ? 'exif' : 'xmp';
  if (marker === APP2) return startsWith(body, 0, 'MPF\0') ? 'mpf' : 'app2';
  if (marker === 0xed) return 'iptc';
  if (marker === COM) return 'comment';
  return `app${marker - APP0}`;
}

/**
 * The EXIF orientation (1–8) of an APP1 body ("Exif\0\0" + TIFF), or null when it states none.
 * Reads IFD0 only; a damaged block is simply treated as stating none.
 */
export function exifOrientation(body: Buffer): number | null {
  const tiff = 6;
  if (body.length < tiff + 8 || !startsWith(body, 0, 'Exif\0')) return null;
  const order = body.subarray(tiff, tiff + 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number) => (le ? body.readUInt16LE(at) : body.readUInt16BE(at));
  const u32 = (at: number) => (le ? body.readUInt32LE(at) : body.readUInt32BE(at));
  if (u16(tiff + 2) !== 42) return null;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > body.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i += 1) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > body.length) return null;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** A minimal APP1 segment holding only the orientation (big-endian TIFF, one IFD0 entry). */
export function orientationSegment(orientation: number): Buffer {
  const body = Buffer.alloc(32);
  body.write('Exif\0\0MM\0*', 0, 'latin1');
  body.writeUInt32BE(8, 10); // IFD0 right after the TIFF header
  body.writeUInt16BE(1, 14); // one entry
  body.writeUInt16BE(0x0112, 16); // Orientation
  body.writeUInt16BE(3, 18); // SHORT
  body.writeUInt32BE(1, 20); // count
  body.writeUInt16BE(orientation, 24); // value, left-justified
  body.writeUInt32BE(0, 28); // no next IFD
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** Offset just past the entropy-coded data that starts at `from` (at the next real marker). */
function endOfScan(data: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const ff = data.indexOf(0xff, i);
    if (ff === -1 || ff + 1 >= data.length)
      throw new MalformedMediaError('照片文件不完整（图像数据没有结束标记）');
    const next = data[ff + 1]!;
    // FF00 is a stuffed data byte, FFD0–FFD7 restart markers, FFFF fill: all inside the scan.
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
      i = ff + 1;
      continue;
    }
    return ff;
  }
}

/**
 * Copies a JPEG without its metadata segments: keeps JFIF, the ICC colour profile, Adobe's colour
 * segment and every image segment (tables, frame, scans with their entropy-coded data) byte for
 * byte; drops EXIF, XMP, IPTC, multi-picture data, comments and everything after the end marker.
 * An orientation other than 1 survives as a minimal EXIF block. Throws MalformedMediaError.
 */
export function stripJpeg(data: Buffer): CleanedMedia {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== SOI) throw new MalformedMediaError('不是 JPEG 照片');
  const kept: Buffer[] = [data.subarray(0, 2)];
  const removed = new Set<string>();
  let orientation: number | null = null;
  let afterApp0 = 1; // where the orientation block goes: after SOI, or after a leading APP0
  let i = 2;
  for (;;) {
    if (i >= data.length) throw new MalformedMediaError('照片文件不完整（缺少结束标记）');
    if (data[i] !== 0xff) throw new MalformedMediaError('照片文件已损坏（段标记错误）');
    while (data[i] === 0xff && i < data.length) i += 1; // fill bytes
    const marker = data[i]!;
    const start = i - 1;
    i += 1;
    if (marker === EOI) {
      kept.push(Buffer.from([0xff, EOI]));
      if (i < data.length) removed.add('trailing-data');
      break;
    }
    if (standalone(marker)) {
      kept.push(data.subarray(start, i));
      continue;
    }
    if (i + 2 > data.length) throw new MalformedMediaError('照片文件不完整');
    const length = data.readUInt16BE(i);
    const end = i + length;
    if (length < 2 || end > data.length) throw new MalformedMediaError('照片文件已损坏（段长度超出文件）');
    const body = data.subarray(i + 2, end);
    const isApp = (marker >= APP0 && marker <= 0xef) || marker === COM;
    const drop = isApp ? droppedApp(marker, body) : null;
    if (drop === null) {
      if (marker === SOS) {
        const scanEnd = endOfScan(data, end);
        kept.push(data.subarray(start, scanEnd));
        i = scanEnd;
        continue;
      }
      kept.push(data.subarray(start, end));
      if (marker === APP0 && kept.length === 2) afterApp0 = 2;
    } else {
      removed.add(drop);
      if (drop === 'exif') orientation = orientation ?? exifOrientation(body);
    }
    i = end;
  }
  if (orientation !== null && orientation !== 1) kept.splice(afterApp0, 0, orientationSegment(orientation));
  return { data: Buffer.concat(kept), removed: [...removed].sort() };
}

// ───────────────────────────── PNG ─────────────────────────────

/** Chunks that carry metadata rather than the picture: EXIF, text (often with a location), time. */
const PNG_METADATA: Record<string, string> = {
  eXIf: 'exif',
  tEXt: 'text',
  zTXt: 'text',
  iTXt: 'text',
  tIME: 'time',
};

/** Copies a PNG without its metadata chunks and without anything after IEND. */
export function stripPng(data: Buffer): CleanedMedia {
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE)) throw new MalformedMediaError('不是 PNG 图片');
  const kept: Buffer[] = [data.subarray(0, 8)];
  const removed = new Set<string>();
  let i = 8;
  for (;;) {
    if (i + 12 > data.length) throw new MalformedMediaError('PNG 图片不完整（缺少结束块）');
    const length = data.readUInt32BE(i);
    const type = data.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > data.length) throw new MalformedMediaError('PNG 图片已损坏（块长度超出文件）');
    const why = PNG_METADATA[type];
    if (why) removed.add(why);
    else kept.push(data.subarray(i, end));
    i = end;
    if (type === 'IEND') {
      if (i < data.length) removed.add('trailing-data');
      break;
    }
  }
  return { data: Buffer.concat(kept), removed: [...removed].sort() };
}

/** The bytes to store for an upload of this type: photos without metadata, PDFs as they are. */
export function cleanMedia(type: MediaType, data: Buffer): CleanedMedia {
  if (type === 'image/jpeg') return stripJpeg(data);
  if (type === 'image/png') return stripPng(data);
  return { data, removed: [] };
}

/** The size limit of a type, in bytes. */
export const limitOf = (type: MediaType) =>
  type === 'application/pdf' ? ATTACHMENT_LIMITS.pdfBytes : ATTACHMENT_LIMITS.photoBytes;

export interface PreparedMedia {
  type: MediaType;
  filename: string;
  data: Buffer;
  size: number;
  sha256: string;
  originalSha256: string;
  removed: string;
}

/**
 * Checks one upload as every attachment of supervision is checked — type from the bytes, the
 * type's size limit, metadata stripped, both hashes — and returns what to store, or the Chinese
 * problem to show (campaign filings; inspection.service.ts does the same steps inline).
 */
export function prepareMedia(upload: {
  filename: string;
  data: Buffer;
}): PreparedMedia | { problem: string } {
  if (upload.data.length === 0) return { problem: `文件“${upload.filename}”是空文件` };
  const type = sniffMedia(upload.data);
  if (!type)
    return { problem: `文件“${upload.filename}”不是${ACCEPTED_MEDIA_ZH}（按文件内容判断，与文件名无关）` };
  if (upload.data.length > limitOf(type)) {
    return { problem: `文件“${upload.filename}”超过 ${limitOf(type) / 1024 / 1024} MB` };
  }
  let cleaned: CleanedMedia;
  try {
    cleaned = cleanMedia(type, upload.data);
  } catch (e) {
    if (e instanceof MalformedMediaError) return { problem: `文件“${upload.filename}”：${e.messageZh}` };
    throw e;
  }
  const hash = (d: Buffer) => createHash('sha256').update(d).digest('hex');
  return {
    type,
    filename: cleanFilename(upload.filename, MEDIA_EXTENSION[type]),
    data: cleaned.data,
    size: cleaned.data.length,
    sha256: hash(cleaned.data),
    originalSha256: hash(upload.data),
    removed: cleaned.removed.join(','),
  };
}

/** A name safe to show and to send: no path, no control characters or quotes, at most 100 characters. */
export function cleanFilename(name: string, ext: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const base = [...last]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .slice(0, 100)
    .trim();
  return base === '' ? `附件.${ext}` : base;
}
