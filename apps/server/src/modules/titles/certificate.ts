import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { LEVEL_LABELS, awardYearLine, smallNumberInChinese, type TitleLevel } from '@pingan/core';
import { FastCffSubset, readCff, type CffSource } from './cff-subset.js';
import { pageAsPdf } from './page-pdf.js';
import { pdfInfoEntries, type SignedCertificate } from './sign.js';

const require = createRequire(import.meta.url);
/** Noto Sans SC (OTF) shipped in an npm package: PDF Chinese text needs a real embedded font. */
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT_REGULAR = path.join(FONT_DIR, 'NotoSansHans-Regular.otf');
const FONT_BOLD = path.join(FONT_DIR, 'NotoSansHans-Bold.otf');

/** pdfkit's own font parser, resolved from pdfkit's folder (it is pdfkit's dependency). */
const fontkit = createRequire(require.resolve('pdfkit')).resolve('fontkit');
type FontkitFont = { layout: (...args: unknown[]) => unknown; postscriptName: string };

/**
 * The fonts, read and parsed once per process or worker (8 MB each). pdfkit takes a parsed font as
 * well as a file. Each document still embeds its own subset, made by cff-subset.ts: fontkit's
 * subsetter takes ~40 ms and ~100 KB a document with this font, ours well under a millisecond and a
 * few KB.
 */
let fonts: { regular: FontkitFont; bold: FontkitFont; sources: Map<string, CffSource> } | null = null;
function fontData() {
  if (!fonts) {
    const { create } = require(fontkit) as { create(b: Buffer): FontkitFont & { createSubset(): unknown } };
    const sources = new Map<string, CffSource>();
    const load = (file: string): FontkitFont => {
      const bytes = fs.readFileSync(file);
      const font = create(bytes);
      const cff = readCff(bytes);
      if (!cff) return font; // not CID-keyed: pdfkit's own subsetter
      sources.set(font.postscriptName, cff);
      // the same font, with our subsetter where pdfkit asks for one
      return Object.create(font, { createSubset: { value: () => new FastCffSubset(cff) } }) as FontkitFont;
    };
    fonts = { regular: load(FONT_REGULAR), bold: load(FONT_BOLD), sources };
  }
  return fonts;
}

/** The two layouts: the 002 award plaque (A4 landscape) and an A4 portrait certificate. */
export const CERTIFICATE_LAYOUTS = ['plaque', 'a4'] as const;
export type CertificateLayout = (typeof CERTIFICATE_LAYOUTS)[number];

export interface CertificateData {
  /** the campaign's banner line, e.g. “十大平安”创建 */
  banner: string;
  subjectName: string;
  year: number;
  titleName: string;
  stars: number;
  level: string;
  issuer: string;
  /** YYYY-MM-DD */
  conferredOn: string;
  certificateNo: string;
  /** 命名文件, e.g. 云安〔2026〕3号; null when none was recorded */
  namingDocument: string | null;
  /** the title's public page: PUBLIC_BASE_URL/t/<number>; the QR code opens it */
  verifyUrl: string;
}

const RED = '#b71c1c';
const GOLD = '#c9a227';
const INK = '#222';

type Doc = PDFKit.PDFDocument;

/** pdfkit's page options for a layout. */
export function pageOptions(layout: CertificateLayout): PDFKit.PDFDocumentOptions {
  return { size: 'A4', layout: layout === 'plaque' ? 'landscape' : 'portrait', margin: 0 };
}

/** A new document with the fonts registered; `info` goes into its document information. */
export function newCertificateDocument(info: Record<string, string>, opts: { firstPage?: CertificateLayout } = {}): Doc {
  const doc = new PDFDocument({
    ...(opts.firstPage ? pageOptions(opts.firstPage) : { margin: 0 }),
    autoFirstPage: Boolean(opts.firstPage),
    info: { Creator: '平安创建工作平台', ...info } as PDFKit.DocumentInfo,
  });
  const f = fontData();
  doc.registerFont('regular', f.regular as unknown as Buffer);
  doc.registerFont('bold', f.bold as unknown as Buffer);
  return doc;
}

/** The star line, or null where the scheme has no stars (a title-only standard: level 'title', stars 0). */
export function starLine(d: Pick<CertificateData, 'stars' | 'level'>): { stars: string; words: string } | null {
  if (!(d.stars > 0) || d.level === 'title') return null;
  const n = Math.max(0, Math.min(5, Math.round(d.stars)));
  return {
    stars: `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`,
    words: `${smallNumberInChinese(n)}星级${LEVEL_LABELS[d.level as TitleLevel]?.zh ?? d.level}`,
  };
}

/** The largest size ≤ `size` (and ≥ `min`) at which `text` fits on one line of `width`. */
function fit(doc: Doc, font: string, text: string, width: number, size: number, min: number, spacing = 0): number {
  doc.font(font);
  for (let s = size; s > min; s -= 0.5) {
    doc.fontSize(s);
    if (doc.widthOfString(text, { characterSpacing: spacing }) <= width) return s;
  }
  return min;
}

/**
 * Draws the QR code as vector squares (sharp at any print size), with its quiet zone in white.
 * Dark modules of a row are merged into runs, so there are no seams between them.
 */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const m = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(x + (start + quiet) * m, y + (r + quiet) * m, (c - start) * m, m);
    }
  }
  doc.fill('#000000');
  doc.restore();
}

function frame(doc: Doc, outer: number, inner: number) {
  const W = doc.page.width;
  const H = doc.page.height;
  doc.rect(0, 0, W, H).fill('#fffaf0');
  doc
    .lineWidth(10)
    .strokeColor(RED)
    .rect(outer, outer, W - 2 * outer, H - 2 * outer)
    .stroke();
  doc
    .lineWidth(2)
    .strokeColor(GOLD)
    .rect(inner, inner, W - 2 * inner, H - 2 * inner)
    .stroke();
}

/** The lines beside the QR code: the number, the naming document, the verify link. */
function qrLegend(doc: Doc, d: CertificateData, x: number, y: number, width: number) {
  const line = (label: string, value: string, size: number, yy: number, font = 'regular') => {
    doc.font('regular').fontSize(8).fillColor('#666').text(label, x, yy, { width, lineBreak: false });
    const s = fit(doc, font, value, width, size, 6);
    doc
      .font(font)
      .fontSize(s)
      .fillColor(INK)
      .text(value, x, yy + 11, { width, lineBreak: false });
  };
  line('证书编号 Certificate No.', d.certificateNo, 10, y, 'bold');
  line('命名文件 Naming document', d.namingDocument ?? '—', 10, y + 30);
  line('扫码或访问查验 Scan or visit to verify', d.verifyUrl, 9, y + 60);
}

/**
 * The plaque in the style of the award plaque of 002_169671291d704e13.txt (附件3): banner,
 * the holder, "被评为二〇二〇年度", the title spaced out large, the stars, the issuing body and the
 * month; at the foot the QR code with the number, the naming document and the verify link.
 */
function drawPlaque(doc: Doc, d: CertificateData) {
  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  frame(doc, 22, 38);
  const center = (text: string, y: number, size: number, font = 'regular', color = INK, spacing = 0, min = size * 0.6) => {
    const s = fit(doc, font, text, W - 140, size, min, spacing);
    doc.font(font).fontSize(s).fillColor(color);
    doc.text(text, 70, y, { width: W - 140, align: 'center', characterSpacing: spacing, lineBreak: false });
  };

  center(d.banner, 70, 24, 'bold', RED, 4);
  center(d.subjectName, 130, 30, 'bold', INK, 0, 16);
  center(awardYearLine(d.year), 190, 22, 'regular', '#333', 2);
  center(d.titleName.split('').join(' '), 232, 60, 'bold', RED, 8, 30);
  const stars = starLine(d);
  if (stars) center(`${stars.stars}  ${stars.words}`, 322, 20, 'regular', GOLD, 2);

  // the issuer and the month, right
  const [y, m] = d.conferredOn.split('-');
  const rightX = W / 2 + 40;
  const rightW = W - 70 - rightX;
  doc
    .font('bold')
    .fontSize(fit(doc, 'bold', d.issuer, rightW, 20, 12))
    .fillColor(INK)
    .text(d.issuer, rightX, 400, { width: rightW, align: 'right', lineBreak: false });
  doc
    .font('regular')
    .fontSize(18)
    .text(`${y}年${Number(m)}月`, rightX, 435, { width: rightW, align: 'right', lineBreak: false });

  // the QR code and its legend, bottom left inside the gold frame
  const qrSize = 104;
  const qrX = 56;
  const qrY = H - 56 - qrSize;
  drawQr(doc, d.verifyUrl, qrX, qrY, qrSize);
  qrLegend(doc, d, qrX + qrSize + 10, qrY + 8, rightX - (qrX + qrSize + 10) - 16);
}

/** The A4 portrait certificate (荣誉证书): the same facts, read top to bottom. */
function drawA4(doc: Doc, d: CertificateData) {
  const W = doc.page.width; // 595.28
  const H = doc.page.height; // 841.89
  frame(doc, 20, 36);
  const left = 72;
  const width = W - 2 * left;
  const center = (text: string, y: number, size: number, font = 'regular', color = INK, spacing = 0, min = size * 0.6) => {
    const s = fit(doc, font, text, width, size, min, spacing);
    doc.font(font).fontSize(s).fillColor(color);
    doc.text(text, left, y, { width, align: 'center', characterSpacing: spacing, lineBreak: false });
  };

  center('荣 誉 证 书', 84, 46, 'bold', RED, 10);
  center('CERTIFICATE OF HONOUR', 148, 11, 'regular', GOLD, 3);
  center(d.banner, 182, 18, 'bold', RED, 3);

  // the holder, then the text of the award
  const nameSize = fit(doc, 'bold', `${d.subjectName}：`, width, 22, 13);
  doc.font('bold').fontSize(nameSize).fillColor(INK).text(`${d.subjectName}：`, left, 246, { width, lineBreak: false });
  const stars = starLine(d);
  const body = `经考核评定、公示，${awardYearLine(d.year)}“${d.titleName}”${stars ? `（${stars.words}）` : ''}。特发此证，以资鼓励。`;
  doc.font('regular').fontSize(16).fillColor('#333').text(body, left, 292, { width, indent: 32, lineGap: 8, align: 'left' });

  center(d.titleName.split('').join(' '), 400, 44, 'bold', RED, 6, 24);
  if (stars) {
    center(stars.stars, 470, 30, 'regular', GOLD, 4);
    center(stars.words, 512, 14, 'regular', '#7a5c00', 2);
  }

  // the issuer and the date, right
  const [y, m, day] = d.conferredOn.split('-');
  doc
    .font('bold')
    .fontSize(fit(doc, 'bold', d.issuer, width, 18, 11))
    .fillColor(INK)
    .text(d.issuer, left, 574, { width, align: 'right', lineBreak: false });
  doc
    .font('regular')
    .fontSize(15)
    .text(`${y}年${Number(m)}月${Number(day)}日`, left, 604, { width, align: 'right', lineBreak: false });

  // the QR code and its legend at the foot
  const qrSize = 112;
  const qrX = 56;
  const qrY = H - 56 - qrSize;
  drawQr(doc, d.verifyUrl, qrX, qrY, qrSize);
  qrLegend(doc, d, qrX + qrSize + 12, qrY + 12, W - 56 - (qrX + qrSize + 12) - 8);
}

/** Draws one certificate on the document's current page (sized by pageOptions(layout)). */
export function drawCertificate(doc: Doc, d: CertificateData, layout: CertificateLayout): void {
  if (layout === 'a4') drawA4(doc, d);
  else drawPlaque(doc, d);
}

/** What a certificate's document information says, besides the signature. */
export function certificateInfo(d: CertificateData): Record<string, string> {
  return {
    Title: `${d.subjectName} ${d.titleName}`,
    Author: d.issuer,
    Subject: `平安创建证书 Certificate ${d.certificateNo}`,
    Keywords: d.certificateNo,
  };
}

/** Collects a pdfkit document's bytes once it ends. */
export function bytesOf(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** The document information of a holder's own certificate file. */
function holderInfo(d: CertificateData, signed: SignedCertificate | null): Record<string, string> {
  return { Creator: '平安创建工作平台', ...certificateInfo(d), ...(signed ? pdfInfoEntries(signed) : {}) };
}

/**
 * The certificate just drawn on `doc`'s current page as a PDF of its own (page-pdf.ts): a batch
 * draws each certificate once, for the print document, and takes the holder's file from it.
 */
export function currentPageAsCertificate(doc: Doc, d: CertificateData, signed: SignedCertificate | null): Buffer {
  return pageAsPdf(doc, fontData().sources, holderInfo(d, signed));
}

/** One certificate as a PDF of one page, with its signed data in the document information. */
export function renderCertificate(d: CertificateData, layout: CertificateLayout, signed: SignedCertificate | null): Promise<Buffer> {
  const doc = newCertificateDocument(holderInfo(d, signed), { firstPage: layout });
  const done = bytesOf(doc);
  drawCertificate(doc, d, layout);
  doc.end();
  return done;
}
