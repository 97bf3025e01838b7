/**
 * Builds a JPEG EXIF block (an APP1 segment) for tests, so a test image can carry an orientation and a GPS position
 * like a phone photo does, and inserts it into a JPEG. Pure (Uint8Array only): it runs in Node and in the page.
 *
 * Layout (Exif 2.32 §4.5–4.6; TIFF 6.0 §2): `FF E1`, a 2-byte big-endian length that counts itself and the rest,
 * `Exif\0\0`, then a TIFF structure in big-endian ("MM"): the header (`MM`, 42, offset of IFD0 = 8), IFD0 with
 * Make (0x010F), Orientation (0x0112) and the GPS IFD pointer (0x8825), then the GPS IFD with latitude/longitude
 * and their N/S, E/W references. Each IFD is a 2-byte entry count, 12-byte entries (tag, type, count, value or
 * offset of the value when it is longer than 4 bytes), a 4-byte offset of the next IFD (0: none), then the values
 * that did not fit. Offsets count from the start of the TIFF header.
 */

/** TIFF field types (TIFF 6.0 §2 "Types"). */
const TiffType = { Ascii: 2, Short: 3, Long: 4, Rational: 5 } as const;
type TiffType = (typeof TiffType)[keyof typeof TiffType];

interface IfdEntry {
  tag: number;
  type: TiffType;
  count: number;
  /** The value, already big-endian. */
  bytes: Uint8Array;
}

export interface ExifTags {
  /** EXIF Orientation 1–8 (6: the stored pixels must be turned 90° clockwise to be upright). */
  orientation: number;
  make?: string;
  /** Degrees, minutes, seconds (whole numbers) and hemispheres. */
  gps?: {
    latitude: readonly [number, number, number];
    latitudeRef: 'N' | 'S';
    longitude: readonly [number, number, number];
    longitudeRef: 'E' | 'W';
  };
}

const ascii = (text: string) => new TextEncoder().encode(`${text}\0`);

function uint16(value: number): Uint8Array {
  return new Uint8Array([(value >> 8) & 0xff, value & 0xff]);
}

function uint32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function rationals(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  values.forEach((value, index) => {
    out.set(uint32(value), index * 8);
    out.set(uint32(1), index * 8 + 4);
  });
  return out;
}

const padded = (length: number) => length + (length % 2);
const ifdSize = (entries: IfdEntry[]) =>
  2 + entries.length * 12 + 4 + entries.reduce((sum, entry) => sum + (entry.bytes.length > 4 ? padded(entry.bytes.length) : 0), 0);

/** Writes one IFD at `offset` of `tiff` (entries in ascending tag order, as TIFF requires). */
function writeIfd(tiff: Uint8Array, offset: number, entries: IfdEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  tiff.set(uint16(sorted.length), offset);
  let valueOffset = offset + 2 + sorted.length * 12 + 4;
  sorted.forEach((entry, index) => {
    const at = offset + 2 + index * 12;
    tiff.set(uint16(entry.tag), at);
    tiff.set(uint16(entry.type), at + 2);
    tiff.set(uint32(entry.count), at + 4);
    if (entry.bytes.length <= 4) {
      tiff.set(entry.bytes, at + 8); // left-justified in the 4-byte field
    } else {
      tiff.set(uint32(valueOffset), at + 8);
      tiff.set(entry.bytes, valueOffset);
      valueOffset += padded(entry.bytes.length);
    }
  });
  tiff.set(uint32(0), offset + 2 + sorted.length * 12); // no next IFD
}

/** The APP1 segment, marker included. */
export function buildExifApp1(tags: ExifTags): Uint8Array<ArrayBuffer> {
  const gpsEntries: IfdEntry[] = tags.gps
    ? [
        { tag: 0x0001, type: TiffType.Ascii, count: 2, bytes: ascii(tags.gps.latitudeRef) },
        { tag: 0x0002, type: TiffType.Rational, count: 3, bytes: rationals(tags.gps.latitude) },
        { tag: 0x0003, type: TiffType.Ascii, count: 2, bytes: ascii(tags.gps.longitudeRef) },
        { tag: 0x0004, type: TiffType.Rational, count: 3, bytes: rationals(tags.gps.longitude) },
      ]
    : [];
  const ifd0: IfdEntry[] = [{ tag: 0x0112, type: TiffType.Short, count: 1, bytes: uint16(tags.orientation) }];
  if (tags.make !== undefined) {
    const make = ascii(tags.make);
    ifd0.push({ tag: 0x010f, type: TiffType.Ascii, count: make.length, bytes: make });
  }
  // The GPS pointer's value is known once IFD0's size is: the GPS IFD follows it.
  const gpsPointer: IfdEntry = { tag: 0x8825, type: TiffType.Long, count: 1, bytes: uint32(0) };
  if (tags.gps) ifd0.push(gpsPointer);
  const ifd0Offset = 8;
  const gpsOffset = ifd0Offset + ifdSize(ifd0);
  gpsPointer.bytes = uint32(gpsOffset);

  const tiff = new Uint8Array(gpsOffset + (tags.gps ? ifdSize(gpsEntries) : 0));
  tiff.set([0x4d, 0x4d, 0x00, 0x2a], 0); // "MM", 42
  tiff.set(uint32(ifd0Offset), 4);
  writeIfd(tiff, ifd0Offset, ifd0);
  if (tags.gps) writeIfd(tiff, gpsOffset, gpsEntries);

  const header = new Uint8Array([0x45, 0x78, 0x69, 0x66, 0x00, 0x00]); // "Exif\0\0"
  const length = 2 + header.length + tiff.length;
  if (length > 0xffff) throw new RangeError('An APP1 segment holds at most 65533 bytes of data.');
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe1], 0);
  segment.set(uint16(length), 2);
  segment.set(header, 4);
  segment.set(tiff, 4 + header.length);
  return segment;
}

/** `jpeg` with `app1` right after its SOI marker, where Exif readers (and browsers) look for it. */
export function insertExifApp1(jpeg: Uint8Array, app1: Uint8Array): Uint8Array<ArrayBuffer> {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new TypeError('Not a JPEG: it does not start with SOI (FF D8).');
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}
