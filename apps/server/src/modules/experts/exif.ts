/**
 * A small EXIF reader for on-site photos: the capture time (DateTimeOriginal, with
 * OffsetTimeOriginal when the camera wrote it) and the GPS position, from a JPEG's APP1 segment
 * (a TIFF structure). No dependency; anything malformed yields nulls, never an exception.
 */

export interface PhotoExif {
  takenAt: Date | null;
  latitude: number | null;
  longitude: number | null;
}

const NONE: PhotoExif = { takenAt: null, latitude: null, longitude: null };

/** A camera's local time without an offset is read as China Standard Time (UTC+8). */
const DEFAULT_OFFSET = '+08:00';

export function readExif(data: Buffer): PhotoExif {
  try {
    const tiff = findTiff(data);
    return tiff ? readTiff(tiff) : NONE;
  } catch {
    return NONE;
  }
}

/** The TIFF block inside the first "Exif\0\0" APP1 segment, or null. */
function findTiff(data: Buffer): Buffer | null {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let p = 2;
  while (p + 4 <= data.length) {
    if (data[p] !== 0xff) return null;
    const marker = data[p + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // image data began: no EXIF before it
    const len = data.readUInt16BE(p + 2);
    if (len < 2 || p + 2 + len > data.length) return null;
    if (marker === 0xe1 && len >= 8 && data.toString('latin1', p + 4, p + 10) === 'Exif\0\0') return data.subarray(p + 10, p + 2 + len);
    p += 2 + len;
  }
  return null;
}

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** offset in the TIFF block of the value (inline values point into the entry itself) */
  at: number;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

function readTiff(t: Buffer): PhotoExif {
  const order = t.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return NONE;
  const le = order === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  if (u16(2) !== 42) return NONE;

  const ifd = (offset: number): Map<number, Entry> => {
    const out = new Map<number, Entry>();
    if (offset < 8 || offset + 2 > t.length) return out;
    const n = u16(offset);
    for (let i = 0; i < n && i < 512; i++) {
      const e = offset + 2 + i * 12;
      if (e + 12 > t.length) break;
      const type = u16(e + 2);
      const count = u32(e + 4);
      const size = (TYPE_SIZE[type] ?? 0) * count;
      const at = size <= 4 ? e + 8 : u32(e + 8);
      if (size === 0 || at + size > t.length) continue;
      out.set(u16(e), { tag: u16(e), type, count, at });
    }
    return out;
  };
  const ascii = (e: Entry | undefined): string | null =>
    e && e.type === 2
      ? t
          .toString('latin1', e.at, e.at + e.count)
          .replace(/\0.*$/s, '')
          .trim()
      : null;
  const long = (e: Entry | undefined): number | null => (e ? (e.type === 4 ? u32(e.at) : e.type === 3 ? u16(e.at) : null) : null);
  const rationals = (e: Entry | undefined): number[] | null => {
    if (!e || e.type !== 5) return null;
    const out: number[] = [];
    for (let i = 0; i < e.count; i++) {
      const den = u32(e.at + i * 8 + 4);
      if (den === 0) return null;
      out.push(u32(e.at + i * 8) / den);
    }
    return out;
  };

  const ifd0 = ifd(u32(4));
  const exifOffset = long(ifd0.get(0x8769));
  const gpsOffset = long(ifd0.get(0x8825));

  let takenAt: Date | null = null;
  if (exifOffset) {
    const exif = ifd(exifOffset);
    const dt = ascii(exif.get(0x9003)) ?? ascii(ifd0.get(0x0132));
    const m = dt?.match(/^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/);
    if (m) {
      const off = ascii(exif.get(0x9011));
      const offset = off && /^[+-]\d{2}:\d{2}$/.test(off) ? off : DEFAULT_OFFSET;
      const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
      if (Number.isFinite(d.getTime()) && d.getUTCFullYear() >= 1990) takenAt = d;
    }
  }

  let latitude: number | null = null;
  let longitude: number | null = null;
  if (gpsOffset) {
    const gps = ifd(gpsOffset);
    const dms = (v: number[] | null) => (v && v.length === 3 ? v[0]! + v[1]! / 60 + v[2]! / 3600 : null);
    const lat = dms(rationals(gps.get(2)));
    const lon = dms(rationals(gps.get(4)));
    const latRef = ascii(gps.get(1));
    const lonRef = ascii(gps.get(3));
    if (lat !== null && lon !== null && lat <= 90 && lon <= 180) {
      latitude = round6(latRef === 'S' ? -lat : lat);
      longitude = round6(lonRef === 'W' ? -lon : lon);
    }
  }
  return { takenAt, latitude, longitude };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
