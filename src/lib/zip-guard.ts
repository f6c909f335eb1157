import { inflateRawSync } from 'node:zlib';

/**
 * A guard for ZIP containers (XLSX is one) BEFORE any parser inflates them: reads the central
 * directory, refuses too many entries or too many declared bytes, then inflates each entry with
 * an output cap of its declared size, so an entry whose header lies (a zip bomb that declares
 * 1 KB and inflates to 2 GB) is caught after at most the declared bytes. The work is bounded by
 * the limits, whatever the file claims. Pure: no I/O, no project imports.
 */

export interface ZipLimits {
  /** Most entries (an XLSX workbook has a dozen or two). */
  entries: number;
  /** Most bytes of all entries together, uncompressed. */
  totalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { entries: 1000, totalBytes: 128 * 1024 * 1024 };

export interface ZipCheck {
  ok: boolean;
  entries: number;
  /** Uncompressed bytes declared by the central directory (those checked, when refused midway). */
  declaredBytes: number;
  /** Why the archive was refused, in Chinese, for the person who uploaded it. */
  problem?: string;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** True when the bytes start like a ZIP archive ("PK\x03\x04", or an empty one "PK\x05\x06"). */
export function looksLikeZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5);
}

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

export function checkZip(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipCheck {
  const refuse = (problem: string, entries = 0, declaredBytes = 0): ZipCheck => ({
    ok: false,
    entries,
    declaredBytes,
    problem,
  });
  // The end-of-central-directory record: in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return refuse('文件不是完整的 ZIP/XLSX 文件（找不到目录）');
  const count = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    return refuse('文件使用了 ZIP64 格式或过大，无法接受');
  }
  if (count > limits.entries)
    return refuse(`压缩包内文件过多（${count} 个，最多 ${limits.entries} 个）`, count);
  if (cdOffset + cdSize > eocd) return refuse('文件不是完整的 ZIP/XLSX 文件（目录损坏）', count);

  const entries: Array<{ method: number; compressed: number; size: number; local: number }> = [];
  let declared = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || data.readUInt32LE(p) !== CENTRAL) {
      return refuse('文件不是完整的 ZIP/XLSX 文件（目录损坏）', count, declared);
    }
    const method = data.readUInt16LE(p + 10);
    const compressed = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    if (compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
      return refuse('文件使用了 ZIP64 格式或过大，无法接受', count, declared);
    }
    declared += size;
    if (declared > limits.totalBytes) {
      return refuse(`文件解压后超过 ${mib(limits.totalBytes)}，无法接受`, count, declared);
    }
    entries.push({ method, compressed, size, local });
    p += 46 + nameLength + extraLength + commentLength;
  }

  // Each entry inflates to at most its declared size; one that would grow past it is refused.
  for (const e of entries) {
    if (e.local + 30 > data.length || data.readUInt32LE(e.local) !== LOCAL) {
      return refuse('文件不是完整的 ZIP/XLSX 文件（内容损坏）', count, declared);
    }
    const start = e.local + 30 + data.readUInt16LE(e.local + 26) + data.readUInt16LE(e.local + 28);
    if (start + e.compressed > data.length) {
      return refuse('文件不是完整的 ZIP/XLSX 文件（内容被截断）', count, declared);
    }
    const body = data.subarray(start, start + e.compressed);
    if (e.method === 0) {
      if (e.compressed !== e.size) return refuse('文件内容与目录不符', count, declared);
      continue;
    }
    if (e.method !== 8) return refuse('文件使用了不支持的压缩方式', count, declared);
    try {
      const out = inflateRawSync(body, { maxOutputLength: Math.max(1, e.size) });
      if (out.length !== e.size) return refuse('文件内容与目录不符（解压后大小不一致）', count, declared);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        return refuse('文件解压后远大于其声明的大小（疑似压缩炸弹），无法接受', count, declared);
      }
      return refuse('文件内容已损坏，无法解压', count, declared);
    }
  }
  return { ok: true, entries: count, declaredBytes: declared };
}
