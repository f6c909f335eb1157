import { describe, expect, it } from 'vitest';
import {
  CAMERA_SERIAL,
  CANVAS_JPEG,
  CANVAS_PNG,
  phoneExifSegment,
  phoneJpeg,
} from '../../../../test/fixtures/images.ts';
import {
  cleanMedia,
  exifOrientation,
  MalformedMediaError,
  orientationSegment,
  sniffMedia,
  stripJpeg,
  stripPng,
} from './media.ts';

/** The marker bytes of a JPEG's segments, in order (SOS counted once with its scan). */
function markers(data: Buffer): number[] {
  const out: number[] = [];
  let i = 2;
  while (i < data.length) {
    const m = data[i + 1]!;
    out.push(m);
    if (m === 0xd9) break;
    const len = data.readUInt16BE(i + 2);
    i += 2 + len;
    if (m === 0xda) {
      while (!(data[i] === 0xff && data[i + 1] !== 0 && !(data[i + 1]! >= 0xd0 && data[i + 1]! <= 0xd7)))
        i += 1;
    }
  }
  return out;
}

const has = (data: Buffer, text: string) => data.includes(Buffer.from(text, 'latin1'));

describe('the type of an upload is read from its bytes', () => {
  it('recognises JPEG, PNG and PDF whatever the file is called', () => {
    expect(sniffMedia(CANVAS_JPEG)).toBe('image/jpeg');
    expect(sniffMedia(CANVAS_PNG)).toBe('image/png');
    expect(sniffMedia(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBe('application/pdf');
  });

  it('refuses HTML, an SVG, a GIF and an empty file even when they claim to be photos', () => {
    expect(sniffMedia(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffMedia(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffMedia(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBeNull();
    expect(sniffMedia(Buffer.alloc(0))).toBeNull();
  });
});

describe('a phone photo loses its metadata', () => {
  const photo = phoneJpeg(6);

  it('starts out with a GPS position, a camera serial, XMP, a comment and a trailer', () => {
    expect(has(photo, 'Exif')).toBe(true);
    expect(has(photo, CAMERA_SERIAL)).toBe(true);
    expect(has(photo, 'GPSLatitude')).toBe(true);
    expect(has(photo, 'TRAILER-GPS')).toBe(true);
    expect(exifOrientation(phoneExifSegment(6).subarray(4))).toBe(6);
  });

  it('keeps the image segments byte for byte and drops every metadata segment', () => {
    const { data, removed } = stripJpeg(photo);
    expect(removed).toEqual(['comment', 'exif', 'trailing-data', 'xmp']);
    expect(has(data, CAMERA_SERIAL)).toBe(false);
    expect(has(data, 'GPSLatitude')).toBe(false);
    expect(has(data, '37.73')).toBe(false);
    expect(has(data, 'TRAILER')).toBe(false);
    // The GPS IFD tag (0x8825, little-endian 25 88) is gone with the EXIF block.
    expect(data.includes(Buffer.from([0x25, 0x88, 0x04, 0x00]))).toBe(false);
    // What remains is the canvas JPEG plus a minimal orientation block after JFIF.
    const jfifEnd = 2 + CANVAS_JPEG.readUInt16BE(4) + 2;
    expect(
      Buffer.concat([CANVAS_JPEG.subarray(0, jfifEnd), orientationSegment(6), CANVAS_JPEG.subarray(jfifEnd)]),
    ).toEqual(data);
    expect(markers(data)).toEqual([0xe0, 0xe1, 0xe2, 0xdb, 0xdb, 0xc0, 0xc4, 0xc4, 0xc4, 0xc4, 0xda, 0xd9]);
  });

  it('keeps the orientation, and only the orientation, so the photo still shows upright', () => {
    const { data } = stripJpeg(photo);
    const app1 = data.indexOf(Buffer.from([0xff, 0xe1]));
    const body = data.subarray(app1 + 4, app1 + 2 + data.readUInt16BE(app1 + 2));
    expect(exifOrientation(body)).toBe(6);
    expect(body.length).toBe(32);
  });

  it('adds no EXIF block to a photo that is upright, and leaves a clean photo unchanged', () => {
    expect(stripJpeg(phoneJpeg(1)).data).toEqual(CANVAS_JPEG);
    const clean = stripJpeg(CANVAS_JPEG);
    expect(clean.data).toEqual(CANVAS_JPEG);
    expect(clean.removed).toEqual([]);
  });

  it('keeps stuffed bytes and restart markers inside the scan', () => {
    const sos = CANVAS_JPEG.indexOf(Buffer.from([0xff, 0xda]));
    const header = 2 + CANVAS_JPEG.readUInt16BE(sos + 2);
    const eoi = CANVAS_JPEG.length - 2;
    const scan = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78]);
    const custom = Buffer.concat([CANVAS_JPEG.subarray(0, sos + header), scan, CANVAS_JPEG.subarray(eoi)]);
    expect(stripJpeg(custom).data).toEqual(custom);
  });

  it('refuses a truncated photo or one whose segment runs past the end', () => {
    expect(() => stripJpeg(CANVAS_JPEG.subarray(0, 300))).toThrow(MalformedMediaError);
    const broken = Buffer.from(CANVAS_JPEG);
    broken.writeUInt16BE(0xfff0, 4); // APP0 claims 65,520 bytes
    expect(() => stripJpeg(broken)).toThrow(MalformedMediaError);
    expect(() => stripJpeg(Buffer.from([0xff, 0xd8, 0x00, 0x00]))).toThrow(MalformedMediaError);
  });
});

describe('a PNG loses its text, time and EXIF chunks', () => {
  const chunk = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(payload.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, payload, Buffer.alloc(4)]);
  };
  const iend = CANVAS_PNG.length - 12;
  const tagged = Buffer.concat([
    CANVAS_PNG.subarray(0, 33), // signature + IHDR
    chunk('tEXt', Buffer.from('Location\0Hengshui 37.73N', 'latin1')),
    chunk('eXIf', Buffer.from(`MM\0*${CAMERA_SERIAL}`, 'latin1')),
    chunk('tIME', Buffer.alloc(7)),
    CANVAS_PNG.subarray(33, iend),
    CANVAS_PNG.subarray(iend),
    Buffer.from('after-the-end', 'latin1'),
  ]);

  it('keeps the picture chunks and drops the rest', () => {
    const { data, removed } = stripPng(tagged);
    expect(data).toEqual(CANVAS_PNG);
    expect(removed).toEqual(['exif', 'text', 'time', 'trailing-data']);
    expect(has(data, 'Hengshui')).toBe(false);
  });

  it('refuses a PNG cut off before its end chunk', () => {
    expect(() => stripPng(CANVAS_PNG.subarray(0, 100))).toThrow(MalformedMediaError);
  });
});

describe('a PDF is stored as it came', () => {
  it('is not rewritten', () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
    expect(cleanMedia('application/pdf', pdf)).toEqual({ data: pdf, removed: [] });
  });
});
