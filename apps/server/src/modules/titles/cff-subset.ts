/**
 * A fast subsetter for CID-keyed CFF fonts (Noto Sans SC), for pdfkit.
 *
 * fontkit's subsetter keeps every local subroutine of the font as a 1-byte stub (22,293 in the
 * ideographs' font dictionary alone) and encodes them with restructure: ~40 ms and ~100 KB for a
 * one-page certificate. This one inlines the subroutines into each glyph's charstring
 * (desubroutinising, once per glyph, cached) and writes a CFF with no subroutines at all: the same
 * outlines and hints, a subset in well under a millisecond, a few KB per certificate.
 *
 * The font is read once from the OTF's 'CFF ' table. Only what a CID-keyed font needs is kept: the
 * glyphs, their font dictionaries (FontMatrix etc.) and private dictionaries (hinting values),
 * the top dictionary's FontBBox and FontMatrix. Fonts that are not CID-keyed are not handled here
 * (`readCff` returns null and pdfkit's own subsetter is used).
 */

interface DictEntry {
  op: number;
  operands: number[];
  /** the entry's bytes: operands and operator */
  raw: Buffer;
}

export interface CffSource {
  name: string;
  charStrings: Buffer[];
  /** the global subroutines */
  gsubrs: Buffer[];
  /** per font dictionary: its entries other than FontName and Private, its private dictionary without Subrs, its subroutines */
  fds: { fontDict: Buffer; privateDict: Buffer; subrs: Buffer[] }[];
  /** the font dictionary of each glyph */
  fdOf: Uint8Array;
  /** FontBBox and FontMatrix of the top dictionary, as their bytes */
  topExtra: Buffer;
  /** desubroutinised charstrings, made on first use */
  flat: Map<number, Buffer>;
}

// ───────────────────────────── reading ─────────────────────────────

function readIndex(buf: Buffer, pos: number): { items: Buffer[]; end: number } {
  const count = buf.readUInt16BE(pos);
  if (count === 0) return { items: [], end: pos + 2 };
  const offSize = buf[pos + 2]!;
  const offsetAt = (i: number) => buf.readUIntBE(pos + 3 + i * offSize, offSize);
  const base = pos + 3 + (count + 1) * offSize - 1;
  const items: Buffer[] = [];
  for (let i = 0; i < count; i++) items.push(buf.subarray(base + offsetAt(i), base + offsetAt(i + 1)));
  return { items, end: base + offsetAt(count) };
}

function readDict(d: Buffer): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: number[] = [];
  let start = 0;
  let i = 0;
  while (i < d.length) {
    const b = d[i]!;
    if (b <= 21) {
      let op = b;
      if (b === 12) op = 1200 + d[++i]!;
      i++;
      out.push({ op, operands, raw: d.subarray(start, i) });
      operands = [];
      start = i;
    } else if (b === 28) {
      operands.push(d.readInt16BE(i + 1));
      i += 3;
    } else if (b === 29) {
      operands.push(d.readInt32BE(i + 1));
      i += 5;
    } else if (b === 30) {
      // a real number, in nibbles: its value is not needed here (only copied), so it is skipped
      i++;
      while (i < d.length && (d[i]! & 0x0f) !== 0x0f && d[i]! >> 4 !== 0x0f) i++;
      i++;
      operands.push(NaN);
    } else if (b >= 32 && b <= 246) {
      operands.push(b - 139);
      i++;
    } else if (b >= 247 && b <= 250) {
      operands.push((b - 247) * 256 + d[i + 1]! + 108);
      i += 2;
    } else if (b >= 251 && b <= 254) {
      operands.push(-(b - 251) * 256 - d[i + 1]! - 108);
      i += 2;
    } else throw new Error(`CFF: bad DICT byte ${b}`);
  }
  return out;
}

const OP = {
  charStrings: 17,
  private: 18,
  subrs: 19,
  fontBBox: 5,
  fontMatrix: 1207,
  ros: 1230,
  fdArray: 1236,
  fdSelect: 1237,
  fontName: 1238,
} as const;

/** The CFF table of an OpenType font file, or null when there is none or the font is not CID-keyed. */
export function readCff(otf: Buffer): CffSource | null {
  const numTables = otf.readUInt16BE(4);
  let cff: Buffer | null = null;
  for (let t = 0; t < numTables; t++) {
    const rec = 12 + t * 16;
    if (otf.toString('latin1', rec, rec + 4) === 'CFF ') {
      const off = otf.readUInt32BE(rec + 8);
      cff = otf.subarray(off, off + otf.readUInt32BE(rec + 12));
    }
  }
  if (!cff) return null;
  const names = readIndex(cff, cff[2]!);
  const tops = readIndex(cff, names.end);
  const strings = readIndex(cff, tops.end);
  const gsubrs = readIndex(cff, strings.end).items;
  const top = readDict(tops.items[0]!);
  const get = (entries: DictEntry[], op: number) => entries.find((e) => e.op === op);
  if (!get(top, OP.ros) || !get(top, OP.fdArray) || !get(top, OP.fdSelect)) return null;
  const charStrings = readIndex(cff, get(top, OP.charStrings)!.operands[0]!).items;
  const fds = readIndex(cff, get(top, OP.fdArray)!.operands[0]!).items.map((raw) => {
    const fd = readDict(raw);
    const priv = get(fd, OP.private);
    let privateDict = Buffer.alloc(0);
    let subrs: Buffer[] = [];
    if (priv) {
      const [size, offset] = priv.operands as [number, number];
      const p = readDict(cff.subarray(offset, offset + size));
      privateDict = Buffer.concat(p.filter((e) => e.op !== OP.subrs).map((e) => e.raw));
      const s = get(p, OP.subrs);
      if (s) subrs = readIndex(cff, offset + s.operands[0]!).items;
    }
    const fontDict = Buffer.concat(fd.filter((e) => e.op !== OP.private && e.op !== OP.fontName).map((e) => e.raw));
    return { fontDict, privateDict, subrs };
  });
  const n = charStrings.length;
  const fdOf = new Uint8Array(n);
  let p = get(top, OP.fdSelect)!.operands[0]!;
  const format = cff[p++]!;
  if (format === 0) fdOf.set(cff.subarray(p, p + n));
  else if (format === 3) {
    const ranges = cff.readUInt16BE(p);
    for (let r = 0; r < ranges; r++) {
      const at = p + 2 + r * 3;
      const first = cff.readUInt16BE(at);
      const end = cff.readUInt16BE(at + 3); // the next range's first, or the sentinel
      fdOf.fill(cff[at + 2]!, first, Math.min(end, n));
    }
  } else throw new Error(`CFF: FDSelect format ${format}`);
  const topExtra = Buffer.concat(top.filter((e) => e.op === OP.fontBBox || e.op === OP.fontMatrix).map((e) => e.raw));
  return { name: names.items[0]!.toString('latin1'), charStrings, gsubrs, fds, fdOf, topExtra, flat: new Map() };
}

// ───────────────────────────── desubroutinising ─────────────────────────────

const bias = (n: number) => (n < 1240 ? 107 : n < 33900 ? 1131 : 32768);

/**
 * The glyph's charstring with every callsubr / callgsubr replaced by the subroutine's body. The
 * stems are counted as it goes, to know how many mask bytes follow a hintmask or cntrmask.
 */
function flatten(src: CffSource, gid: number): Buffer {
  const cached = src.flat.get(gid);
  if (cached) return cached;
  const local = src.fds[src.fdOf[gid]!]?.subrs ?? [];
  const out: Buffer[] = [];
  const stack: number[] = [];
  let stems = 0;
  let done = false;
  const run = (cs: Buffer, depth: number) => {
    if (depth > 10) throw new Error('CFF: subroutines nested too deep');
    let i = 0;
    while (i < cs.length && !done) {
      const b = cs[i]!;
      if (b >= 32 || b === 28) {
        let len = 1;
        let v: number;
        if (b === 28) {
          v = cs.readInt16BE(i + 1);
          len = 3;
        } else if (b <= 246) v = b - 139;
        else if (b <= 250) {
          v = (b - 247) * 256 + cs[i + 1]! + 108;
          len = 2;
        } else if (b <= 254) {
          v = -(b - 251) * 256 - cs[i + 1]! - 108;
          len = 2;
        } else {
          v = cs.readInt32BE(i + 1) / 65536;
          len = 5;
        }
        out.push(cs.subarray(i, i + len));
        stack.push(v);
        i += len;
        continue;
      }
      if (b === 10 || b === 29) {
        // callsubr / callgsubr: the number before it (already written) names the subroutine
        out.pop();
        const subrs = b === 10 ? local : src.gsubrs;
        const body = subrs[stack.pop()! + bias(subrs.length)];
        if (!body) throw new Error('CFF: missing subroutine');
        i++;
        run(body, depth + 1);
        continue;
      }
      if (b === 11) return; // return: back to the caller
      if (b === 1 || b === 3 || b === 18 || b === 23) stems += stack.length >> 1;
      if (b === 19 || b === 20) {
        // hintmask / cntrmask: operands left before it are an implicit vstem
        stems += stack.length >> 1;
        const len = 1 + ((stems + 7) >> 3);
        out.push(cs.subarray(i, i + len));
        i += len;
        stack.length = 0;
        continue;
      }
      const len = b === 12 ? 2 : 1;
      out.push(cs.subarray(i, i + len));
      i += len;
      stack.length = 0;
      if (b === 14) done = true; // endchar
    }
  };
  run(src.charStrings[gid]!, 0);
  const flat = Buffer.concat(out);
  src.flat.set(gid, flat);
  return flat;
}

// ───────────────────────────── writing ─────────────────────────────

function writeIndex(items: Buffer[]): Buffer {
  if (items.length === 0) return Buffer.from([0, 0]);
  const dataLen = items.reduce((s, b) => s + b.length, 0);
  const offSize = dataLen + 1 < 0x100 ? 1 : dataLen + 1 < 0x10000 ? 2 : dataLen + 1 < 0x1000000 ? 3 : 4;
  const head = Buffer.alloc(3 + (items.length + 1) * offSize);
  head.writeUInt16BE(items.length, 0);
  head[2] = offSize;
  let off = 1;
  for (let i = 0; i <= items.length; i++) {
    head.writeUIntBE(off, 3 + i * offSize, offSize);
    off += items[i]?.length ?? 0;
  }
  return Buffer.concat([head, ...items]);
}

/** An integer operand in its 5-byte form, so a dictionary's size does not depend on the offsets in it. */
function int5(v: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = 29;
  b.writeInt32BE(v, 1);
  return b;
}
const op = (n: number) => (n >= 1200 ? Buffer.from([12, n - 1200]) : Buffer.from([n]));

/**
 * A CID-keyed CFF of the glyphs `gids` (original glyph ids; the first should be 0, .notdef), with
 * new ids 0…n-1 in that order (CID = new glyph id), as PDF's FontFile3 /CIDFontType0C wants it.
 */
export function subsetCff(src: CffSource, gids: readonly number[]): Buffer {
  const n = gids.length;
  const charStrings = gids.map((g) => flatten(src, g));
  const usedFds: number[] = [];
  const fdIndex = new Map<number, number>();
  const fdSelect = Buffer.alloc(1 + n);
  gids.forEach((g, i) => {
    const fd = src.fdOf[g]!;
    if (!fdIndex.has(fd)) {
      fdIndex.set(fd, usedFds.length);
      usedFds.push(fd);
    }
    fdSelect[1 + i] = fdIndex.get(fd)!;
  });
  const charset = n > 1 ? Buffer.from([2, 0, 1, (n - 2) >> 8, (n - 2) & 0xff]) : Buffer.from([0]);
  const header = Buffer.from([1, 0, 4, 4]);
  const nameIndex = writeIndex([Buffer.from(src.name, 'latin1')]);
  const stringIndex = writeIndex([Buffer.from('Adobe'), Buffer.from('Identity')]);
  const gsubrIndex = writeIndex([]);
  const topDict = (offsets: { charset: number; fdSelect: number; charStrings: number; fdArray: number }) =>
    Buffer.concat([
      int5(391),
      int5(392),
      int5(0),
      op(OP.ros),
      src.topExtra,
      int5(n),
      op(1234), // CIDCount
      int5(offsets.charset),
      op(15),
      int5(offsets.fdSelect),
      op(OP.fdSelect),
      int5(offsets.charStrings),
      op(OP.charStrings),
      int5(offsets.fdArray),
      op(OP.fdArray),
    ]);
  const fontDicts = (privateAt: number[]) =>
    usedFds.map((fd, k) =>
      Buffer.concat([src.fds[fd]!.fontDict, int5(src.fds[fd]!.privateDict.length), int5(privateAt[k]!), op(OP.private)]),
    );
  const zeroOffsets = { charset: 0, fdSelect: 0, charStrings: 0, fdArray: 0 };
  const topIndexLen = writeIndex([topDict(zeroOffsets)]).length;
  const charStringIndex = writeIndex(charStrings);
  const fdArrayLen = writeIndex(fontDicts(usedFds.map(() => 0))).length;
  let at = header.length + nameIndex.length + topIndexLen + stringIndex.length + gsubrIndex.length;
  const offsets = { charset: at, fdSelect: (at += charset.length), charStrings: (at += fdSelect.length), fdArray: 0 };
  offsets.fdArray = at += charStringIndex.length;
  at += fdArrayLen;
  const privateAt = usedFds.map((fd) => {
    const p = at;
    at += src.fds[fd]!.privateDict.length;
    return p;
  });
  return Buffer.concat([
    header,
    nameIndex,
    writeIndex([topDict(offsets)]),
    stringIndex,
    gsubrIndex,
    charset,
    fdSelect,
    charStringIndex,
    writeIndex(fontDicts(privateAt)),
    ...usedFds.map((fd) => src.fds[fd]!.privateDict),
  ]);
}

/** What pdfkit asks of a font's subset: fontkit's Subset, with `cff` set so pdfkit embeds it as CIDFontType0C. */
export class FastCffSubset {
  readonly cff = true;
  readonly glyphs: number[] = [];
  readonly mapping: Record<number, number> = {};
  constructor(private readonly src: CffSource) {
    this.includeGlyph(0);
  }
  includeGlyph(glyph: number | { id: number }): number {
    const id = typeof glyph === 'object' ? glyph.id : glyph;
    if (this.mapping[id] == null) {
      this.glyphs.push(id);
      this.mapping[id] = this.glyphs.length - 1;
    }
    return this.mapping[id];
  }
  encode(): Buffer {
    return subsetCff(this.src, this.glyphs);
  }
}
