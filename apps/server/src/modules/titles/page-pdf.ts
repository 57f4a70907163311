import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { subsetCff, type CffSource } from './cff-subset.js';

/**
 * A page of a pdfkit document written again as a PDF of its own, without drawing it twice.
 *
 * A batch draws each certificate once, on its page of the print document; the holder's own file is
 * that page's content stream with the glyph ids renumbered for a font subset of its own (made by
 * cff-subset.ts from the glyphs the page uses), the same widths and ToUnicode text, and the
 * document information (with the signed data, sign.ts). What pdfkit writes on a certificate page is
 * paths, colours and text in embedded fonts: that is all this handles (no images, no opacity).
 */

/** What pdfkit's EmbeddedFont holds (its fields are not typed by @types/pdfkit). */
interface PdfkitEmbeddedFont {
  id: string;
  name: string;
  scale: number;
  ascender: number;
  descender: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  subset: { glyphs: number[] };
  widths: number[];
  unicode: number[][];
  font: { italicAngle: number; capHeight: number; ascent: number; xHeight: number; post: { isFixedPitch: boolean } };
}

/** pdfkit's numbers as it writes them: up to 6 decimals, no exponent. */
const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6));

function pdfString(s: string): string {
  // as pdfkit: UTF-16BE with a byte order mark when not ASCII, else the bytes; escaped
  const ascii = !/[^\x00-\x7f]/.test(s);
  const bytes = ascii ? Buffer.from(s, 'latin1') : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
  return `(${bytes.toString('latin1').replace(/[\n\r\t\b\f()\\]/g, (c) => `\\${{ '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f' }[c] ?? c}`)})`;
}

const pdfDate = (d: Date) => `(D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`;

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** A subset tag of six capitals from the glyphs: different subsets, different names. */
function tag(glyphs: number[]): string {
  const h = crypto.createHash('md5').update(Uint32Array.from(glyphs)).digest();
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

/** The content of the document's current page (pdfkit keeps it until the next page is added). */
export function currentPageContent(doc: PDFKit.PDFDocument): {
  content: Buffer;
  mediaBox: number[];
  fonts: Map<string, PdfkitEmbeddedFont>;
} {
  const page = doc.page as unknown as { content: { buffer: Uint8Array[] }; dictionary: { data: { MediaBox: number[] } } };
  const families = (doc as unknown as { _fontFamilies: Record<string, PdfkitEmbeddedFont> })._fontFamilies;
  const fonts = new Map<string, PdfkitEmbeddedFont>();
  for (const f of Object.values(families)) if (f.subset) fonts.set(f.id, f);
  return { content: Buffer.concat(page.content.buffer), mediaBox: page.dictionary.data.MediaBox, fonts };
}

/**
 * The current page of `doc` as a PDF of one page with `info` as its document information.
 * `sources` gives each embedded font's CFF (by the font's registered name).
 */
export function pageAsPdf(
  doc: PDFKit.PDFDocument,
  sources: Map<string, CffSource>,
  info: Record<string, string>,
  created = new Date(),
): Buffer {
  const { content, mediaBox, fonts } = currentPageContent(doc);
  // renumber the glyphs, font by font: `/F2 46 Tf` picks the font for the hex strings after it
  const used = new Map<string, { font: PdfkitEmbeddedFont; glyphs: number[]; printIds: number[]; ids: Map<number, number> }>();
  let current: ReturnType<typeof used.get>;
  const text = content
    .toString('latin1')
    .replace(/\/(F\d+) ([\d.]+) Tf|<([0-9a-f]+)>/g, (m, fid: string | undefined, _size, hex: string | undefined) => {
      if (fid) {
        const font = fonts.get(fid);
        if (!font) throw new Error(`page-pdf: unknown font ${fid}`);
        current = used.get(fid);
        if (!current) used.set(fid, (current = { font, glyphs: [font.subset.glyphs[0]!], printIds: [0], ids: new Map([[0, 0]]) }));
        return m;
      }
      if (!current) throw new Error('page-pdf: text before a font');
      let out = '';
      for (let i = 0; i < hex!.length; i += 4) {
        const printId = parseInt(hex!.slice(i, i + 4), 16);
        let id = current.ids.get(printId);
        if (id === undefined) {
          id = current.glyphs.length;
          current.ids.set(printId, id);
          current.glyphs.push(current.font.subset.glyphs[printId]!);
          current.printIds.push(printId);
        }
        out += hex4(id);
      }
      return `<${out}>`;
    });

  const objects: (string | Buffer)[] = [];
  /** reserves an object number; its body is set later */
  const ref = () => objects.push('');
  const set = (n: number, body: string | Buffer) => (objects[n - 1] = body);
  const stream = (dict: string, data: Buffer) => {
    // level 1: a third of the default's time, and the files barely larger (the zip stores them as they are)
    const z = zlib.deflateSync(data, { level: 1 });
    return Buffer.concat([
      Buffer.from(`<<${dict} /Length ${z.length} /Filter /FlateDecode>>\nstream\n`, 'latin1'),
      z,
      Buffer.from('\nendstream', 'latin1'),
    ]);
  };

  const catalog = ref();
  const pages = ref();
  const page = ref();
  const contents = ref();
  const fontRefs: string[] = [];
  for (const [fid, u] of used) {
    const f = u.font;
    const source = sources.get(f.name);
    if (!source) throw new Error(`page-pdf: no CFF for ${f.name}`);
    const name = `${tag(u.glyphs)}+${f.name.replaceAll(' ', '_')}`;
    const type0 = ref();
    const cid = ref();
    const descriptor = ref();
    const file = ref();
    const toUnicode = ref();
    fontRefs.push(`/${fid} ${type0} 0 R`);
    set(file, stream(' /Subtype /CIDFontType0C', subsetCff(source, u.glyphs)));
    let flags = 1 << 2;
    if (f.font.post.isFixedPitch) flags |= 1;
    set(
      descriptor,
      `<< /Type /FontDescriptor /FontName /${name} /Flags ${flags} /FontBBox [${[f.bbox.minX, f.bbox.minY, f.bbox.maxX, f.bbox.maxY].map((v) => num(v * f.scale)).join(' ')}] /ItalicAngle ${num(f.font.italicAngle)} /Ascent ${num(f.ascender)} /Descent ${num(f.descender)} /CapHeight ${num((f.font.capHeight || f.font.ascent) * f.scale)} /XHeight ${num((f.font.xHeight || 0) * f.scale)} /StemV 0 /FontFile3 ${file} 0 R >>`,
    );
    const widths = u.printIds.map((p) => num(f.widths[p] ?? 0)).join(' ');
    set(
      cid,
      `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /W [0 [${widths}]] >>`,
    );
    const entries = u.printIds.map((p) => {
      const cps = f.unicode[p] ?? [0];
      return `<${cps.map((cp) => (cp > 0xffff ? hex4(0xd800 | ((cp - 0x10000) >> 10)) + hex4(0xdc00 | ((cp - 0x10000) & 0x3ff)) : hex4(cp))).join('')}>`;
    });
    const ranges: string[] = [];
    for (let i = 0; i < entries.length; i += 256)
      ranges.push(`<${hex4(i)}> <${hex4(Math.min(i + 256, entries.length) - 1)}> [${entries.slice(i, i + 256).join(' ')}]`);
    set(
      toUnicode,
      stream(
        '',
        Buffer.from(
          `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <<\n  /Registry (Adobe)\n  /Ordering (UCS)\n  /Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><ffff>\nendcodespacerange\n${ranges.length} beginbfrange\n${ranges.join('\n')}\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`,
          'latin1',
        ),
      ),
    );
    set(
      type0,
      `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
    );
  }
  const infoRef = ref();
  set(catalog, `<< /Type /Catalog /Pages ${pages} 0 R >>`);
  set(pages, `<< /Type /Pages /Count 1 /Kids [${page} 0 R] >>`);
  set(
    page,
    `<< /Type /Page /Parent ${pages} 0 R /MediaBox [${mediaBox.map(num).join(' ')}] /Contents ${contents} 0 R /Resources << /ProcSet [/PDF /Text /ImageB /ImageC /ImageI] /Font << ${fontRefs.join(' ')} >> >> >>`,
  );
  set(contents, stream('', Buffer.from(text, 'latin1')));
  const infoEntries = Object.entries({ Producer: 'PDFKit', ...info }).map(([k, v]) => `/${k} ${pdfString(v)}`);
  set(infoRef, `<< ${infoEntries.join(' ')} /CreationDate ${pdfDate(created)} >>`);

  const parts: Buffer[] = [Buffer.from('%PDF-1.3\n%\xff\xff\xff\xff\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(b);
    offset += b.length;
  });
  const id = crypto.createHash('md5').update(text).update(infoEntries.join('')).digest('hex');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoRef} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}
