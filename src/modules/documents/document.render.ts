import { createHash } from 'node:crypto';
import { AlignmentType, Document, Packer, PageOrientation, Paragraph, TextRun } from 'docx';
import { unzipSync, zipSync } from 'fflate';
import { CHINA_OFFSET_MS } from '../../lib/china-time.ts';
import { type DocumentType, ISSUER } from './document.types.ts';

/**
 * DOCX rendering with the `docx` library, made DETERMINISTIC so that the same document renders to
 * the same bytes, always:
 * - the core properties' dcterms:created / dcterms:modified are the issue time (docx writes the
 *   clock's time: they are replaced in docProps/core.xml);
 * - the ZIP is written again with every entry's time set to the issue time (China civil time, the
 *   same whatever the server's time zone) and the entries in a fixed (sorted) order;
 * - only features that take no random id are used (no hyperlinks, text boxes, embedded fonts,
 *   comments or images: docx gives those nanoid ids).
 * The issued bytes are stored with their SHA-256 anyway (document.service.ts); this makes a
 * regeneration checkable against them.
 */

export interface RenderInput {
  type: DocumentType;
  number: string;
  /** ISO-8601 UTC issue time. */
  issuedAt: string;
  fields: Readonly<Record<string, string>>;
  /** The 文号 of the document this one corrects, when it does. */
  supersedesNumber: string | null;
  correctionReason: string | null;
}

const FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

/** China civil date and time parts of an ISO instant. */
function chinaParts(iso: string) {
  const d = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** 2026年12月24日: the issue date as printed (China date). */
export function chineseDate(iso: string): string {
  const p = chinaParts(iso);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** A YYYY-MM-DD field printed as 2026年10月23日; other text unchanged. */
export function printedValue(kind: string, value: string): string {
  const m = kind === 'date' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : value;
}

/** The document as lines of print, shared by the DOCX and the print view. */
export interface PrintLayout {
  issuer: string;
  title: string;
  number: string;
  correction: string | null;
  items: { label: string; lines: string[] }[];
  closing: string | null;
  signature: { issuer: string; date: string; seal: string };
}

export function layoutOf(input: RenderInput): PrintLayout {
  const items = input.type.fields
    .filter((f) => (input.fields[f.key] ?? '').trim() !== '')
    .map((f) => ({
      label: f.label,
      lines: printedValue(f.kind, input.fields[f.key]!.trim()).split(/\r?\n/),
    }));
  return {
    issuer: ISSUER,
    title: input.type.name,
    number: input.number,
    correction: input.supersedesNumber
      ? `本文书更正并替代${input.supersedesNumber}${input.correctionReason ? `（更正理由：${input.correctionReason}）` : ''}，原文书同时作废。`
      : null,
    items,
    closing: input.type.closing?.text ?? null,
    signature: { issuer: ISSUER, date: chineseDate(input.issuedAt), seal: '（印章）' },
  };
}

const run = (text: string, options: { bold?: boolean; size?: number; heading?: boolean } = {}) =>
  new TextRun({
    text,
    bold: options.bold,
    size: options.size ?? 28, // half-points: 14 pt (四号)
    font: options.heading ? HEADING_FONT : FONT,
  });

function docxOf(input: RenderInput): Document {
  const layout = layoutOf(input);
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(layout.issuer, { size: 36, heading: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [run(layout.title, { size: 44, bold: true, heading: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { after: 300 },
      children: [run(layout.number)],
    }),
  ];
  if (layout.correction)
    children.push(new Paragraph({ spacing: { after: 200 }, children: [run(layout.correction)] }));
  for (const item of layout.items) {
    const [first, ...rest] = item.lines;
    children.push(
      new Paragraph({
        spacing: { after: 120 },
        children: [run(`${item.label}：`, { bold: true }), run(first ?? '')],
      }),
    );
    for (const line of rest)
      children.push(new Paragraph({ indent: { firstLine: 560 }, children: [run(line)] }));
  }
  if (layout.closing) {
    children.push(
      new Paragraph({
        spacing: { before: 200 },
        indent: { firstLine: 560 },
        children: [run(layout.closing)],
      }),
    );
  }
  children.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 600 },
      children: [run(layout.signature.issuer)],
    }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(layout.signature.seal)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(layout.signature.date)] }),
  );
  return new Document({
    creator: ISSUER,
    title: `${layout.title} ${layout.number}`,
    description: layout.number,
    lastModifiedBy: ISSUER,
    revision: 1,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [
      {
        properties: {
          page: {
            // A4 in twentieths of a point, with 公文 margins (GB/T 9704: 37 mm top, 28 mm left)
            size: { width: 11906, height: 16838, orientation: PageOrientation.PORTRAIT },
            margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
          },
        },
        children,
      },
    ],
  });
}

const W3CDTF = /<dcterms:(created|modified) xsi:type="dcterms:W3CDTF">[^<]*<\/dcterms:\1>/g;

/** The DOCX bytes of a document: the same input gives the same bytes. */
export async function renderDocx(input: RenderInput): Promise<Buffer> {
  const packed = await Packer.toBuffer(docxOf(input));
  const files = unzipSync(new Uint8Array(packed));
  const stamp = `${new Date(Date.parse(input.issuedAt)).toISOString().slice(0, 19)}Z`;
  const core = files['docProps/core.xml'];
  if (!core) throw new Error('docx produced no docProps/core.xml');
  files['docProps/core.xml'] = new TextEncoder().encode(
    new TextDecoder().decode(core).replace(W3CDTF, (_m, which: string) => {
      return `<dcterms:${which} xsi:type="dcterms:W3CDTF">${stamp}</dcterms:${which}>`;
    }),
  );
  // fflate reads an entry's time with the local-time getters: a Date whose local parts are the
  // China civil time of the issue gives the same DOS timestamp in every time zone.
  const p = chinaParts(input.issuedAt);
  const mtime = new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // [Content_Types].xml first (as Word writes it), then the rest in sorted order.
  const names = Object.keys(files).sort((a, b) =>
    a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const zipped = zipSync(Object.fromEntries(names.map((n) => [n, [files[n]!, { mtime, level: 6 }]])));
  return Buffer.from(zipped);
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The text of word/document.xml of a DOCX (for checks and tests). */
export function documentXml(docx: Uint8Array): string {
  const files = unzipSync(docx, { filter: (f) => f.name === 'word/document.xml' });
  const xml = files['word/document.xml'];
  if (!xml) throw new Error('no word/document.xml in the DOCX');
  return new TextDecoder().decode(xml);
}
