import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A ZIP container (an XLSX workbook) checked before any parser inflates it: the central
 * directory is read from the end of the file, the entry count and the declared uncompressed
 * sizes are held to limits, and then every entry is inflated here with its declared size as a
 * hard ceiling — a header that understates its size stops at the ceiling instead of filling the
 * memory — and its CRC-32 compared with the directory's, so a damaged byte is refused rather than
 * read as other text. Pure: bytes in, a verdict out.
 */

export interface ZipLimits {
  /** Entries in the archive (an XLSX has a dozen or two). */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Declared uncompressed size over compressed size of one entry above which it is a bomb. */
  maxRatio: number;
}

/** Why the archive is refused, in Chinese, or null when it is within the limits. */
export function zipProblem(data: Buffer, limits: ZipLimits): string | null {
  const eocd = findEocd(data);
  if (eocd < 0) return '不是有效的 .xlsx 文件（找不到 ZIP 目录）';
  const entries = data.readUInt16LE(eocd + 10);
  const dirSize = data.readUInt32LE(eocd + 12);
  const dirOffset = data.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) return '不支持 ZIP64 格式的 .xlsx 文件';
  if (entries > limits.maxEntries) return `文件包含 ${entries} 个部件，超过上限 ${limits.maxEntries}`;
  if (dirOffset + dirSize > eocd) return '不是有效的 .xlsx 文件（ZIP 目录损坏）';
  let at = dirOffset;
  let total = 0;
  const found: Array<{ method: number; crc: number; compressed: number; size: number; local: number }> = [];
  for (let i = 0; i < entries; i++) {
    if (at + 46 > eocd || data.readUInt32LE(at) !== 0x02014b50)
      return '不是有效的 .xlsx 文件（ZIP 目录损坏）';
    const method = data.readUInt16LE(at + 10);
    const crc = data.readUInt32LE(at + 16);
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    if (method !== 0 && method !== 8) return '文件使用了不支持的压缩方式';
    total += size;
    if (total > limits.maxTotalBytes)
      return `文件解压后超过 ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB（可能是“压缩炸弹”）`;
    if (size > Math.max(1024 * 1024, compressed * limits.maxRatio))
      return '文件中有压缩比异常高的部件（可能是“压缩炸弹”）';
    found.push({ method, crc, compressed, size, local });
    at += 46 + nameLength + extraLength + commentLength;
  }
  // The declared sizes are claims: inflate each entry with its claim as the ceiling.
  for (const e of found) {
    if (e.local + 30 > data.length || data.readUInt32LE(e.local) !== 0x04034b50)
      return '不是有效的 .xlsx 文件（ZIP 部件损坏）';
    const start = e.local + 30 + data.readUInt16LE(e.local + 26) + data.readUInt16LE(e.local + 28);
    if (start + e.compressed > data.length) return '不是有效的 .xlsx 文件（ZIP 部件被截断）';
    const raw = data.subarray(start, start + e.compressed);
    let out: Buffer;
    if (e.method === 0) out = raw;
    else {
      try {
        out = inflateRawSync(raw, { maxOutputLength: e.size + 1 });
      } catch {
        return '文件中有部件解压后超过它声明的大小，或已损坏（可能是“压缩炸弹”）';
      }
    }
    if (out.length !== e.size) return '不是有效的 .xlsx 文件（ZIP 部件大小与目录不符）';
    if (crc32(out) !== e.crc) return '不是有效的 .xlsx 文件（ZIP 部件校验和不符，文件已损坏）';
  }
  return null;
}

/** The end-of-central-directory record: searched backwards over the last 64 KiB + 22 bytes. */
function findEocd(data: Buffer): number {
  const min = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= min; i--) if (data.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}
