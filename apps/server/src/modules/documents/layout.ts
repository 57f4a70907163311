import { bytesOf, newCertificateDocument } from '../titles/certificate.js';

/**
 * A4 forms drawn with pdfkit and the embedded Chinese font the certificates use: a title, bordered
 * table rows that grow with their text and break onto a new page, seal areas (a blank square with
 * 盖章, the signer line and 年 月 日), and simple bar charts.
 */

export type Doc = PDFKit.PDFDocument;
export const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const LABEL_W = 96;
const PAD = 8;
const INK = '#111';
const GREY = '#888';

/** A new A4 document; `bytes` resolves with the PDF once `doc.end()` is called. */
export function newA4(info: Record<string, string>): { doc: Doc; bytes: Promise<Buffer> } {
  const doc = newCertificateDocument(info, { firstPage: 'a4' });
  return { doc, bytes: bytesOf(doc) };
}

/** A cursor down the page: where the next block goes; breaks to a new page when a block does not fit. */
export class Flow {
  y = PAGE.margin;
  readonly x = PAGE.margin;
  readonly width = PAGE.width - 2 * PAGE.margin;
  constructor(readonly doc: Doc) {}

  need(h: number): void {
    if (this.y + h <= PAGE.height - PAGE.margin) return;
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.y = PAGE.margin;
  }

  title(text: string, size = 18): void {
    const { doc } = this;
    doc.font('bold').fontSize(size).fillColor(INK);
    const h = doc.heightOfString(text, { width: this.width, align: 'center' });
    this.need(h + 8);
    doc.text(text, this.x, this.y, { width: this.width, align: 'center' });
    this.y += h + 8;
  }

  line(text: string, opts: { size?: number; align?: 'left' | 'right' | 'center'; color?: string; font?: string } = {}): void {
    const { doc } = this;
    doc
      .font(opts.font ?? 'regular')
      .fontSize(opts.size ?? 10.5)
      .fillColor(opts.color ?? INK);
    const h = doc.heightOfString(text, { width: this.width, align: opts.align ?? 'left' });
    this.need(h + 4);
    doc.text(text, this.x, this.y, { width: this.width, align: opts.align ?? 'left' });
    this.y += h + 4;
  }

  gap(h: number): void {
    this.y += h;
  }

  /**
   * One bordered row: the label cell on the left, the text on the right, and optionally a seal
   * area at the foot of the right cell. Text that would not fit a page is cut with a note.
   */
  row(label: string, body: string, opts: { minHeight?: number; seal?: SealArea; size?: number } = {}): void {
    const { doc } = this;
    const size = opts.size ?? 10.5;
    const bodyW = this.width - LABEL_W - 2 * PAD;
    const sealH = opts.seal ? SEAL_BLOCK_H : 0;
    const maxText = PAGE.height - 2 * PAGE.margin - sealH - 3 * PAD;
    doc.font('regular').fontSize(size);
    let text = body;
    if (doc.heightOfString(text, { width: bodyW }) > maxText) {
      const note = '……（篇幅所限，全文见系统）';
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (doc.heightOfString(text.slice(0, mid) + note, { width: bodyW }) <= maxText) lo = mid;
        else hi = mid - 1;
      }
      text = text.slice(0, lo) + note;
    }
    const textH = text ? doc.heightOfString(text, { width: bodyW }) : 0;
    doc.font('bold').fontSize(11);
    const labelH = doc.heightOfString(label, { width: LABEL_W - 2 * PAD, align: 'center' });
    const h = Math.max(opts.minHeight ?? 0, textH + sealH + 2 * PAD + (text && sealH ? PAD : 0), labelH + 2 * PAD);
    this.need(h);
    const y = this.y;
    doc.lineWidth(0.8).strokeColor(INK);
    doc.rect(this.x, y, LABEL_W, h).stroke();
    doc.rect(this.x + LABEL_W, y, this.width - LABEL_W, h).stroke();
    doc
      .font('bold')
      .fontSize(11)
      .fillColor(INK)
      .text(label, this.x + PAD, y + (h - labelH) / 2, { width: LABEL_W - 2 * PAD, align: 'center' });
    if (text)
      doc
        .font('regular')
        .fontSize(size)
        .fillColor(INK)
        .text(text, this.x + LABEL_W + PAD, y + PAD, { width: bodyW });
    if (opts.seal) drawSeal(doc, opts.seal, this.x + LABEL_W, y + h - SEAL_BLOCK_H - PAD / 2, this.width - LABEL_W);
    this.y = y + h;
  }

  /** Horizontal bars: one per item, scaled to the largest (or to `max`), with the value at the end. */
  bars(caption: string, items: { label: string; value: number; text?: string }[], opts: { max?: number; color?: string } = {}): void {
    const { doc } = this;
    const barH = 14;
    const h = 22 + items.length * (barH + 6) + 4;
    this.need(h);
    doc.font('bold').fontSize(11).fillColor(INK).text(caption, this.x, this.y, { width: this.width });
    let y = this.y + 20;
    const labelW = 130;
    const valueW = 90;
    const trackW = this.width - labelW - valueW - 10;
    const max = Math.max(opts.max ?? 0, ...items.map((i) => i.value), 1);
    for (const it of items) {
      doc
        .font('regular')
        .fontSize(9.5)
        .fillColor(INK)
        .text(it.label, this.x, y + 2, { width: labelW - 6, align: 'right', lineBreak: false, ellipsis: true });
      doc.rect(this.x + labelW, y, trackW, barH).fill('#eeeeee');
      const w = Math.max(0, Math.min(1, it.value / max)) * trackW;
      if (w > 0) doc.rect(this.x + labelW, y, w, barH).fill(opts.color ?? '#3f6fb5');
      doc
        .fillColor(INK)
        .font('regular')
        .fontSize(9.5)
        .text(it.text ?? String(it.value), this.x + labelW + trackW + 6, y + 2, { width: valueW, lineBreak: false });
      y += barH + 6;
    }
    if (!items.length)
      doc
        .font('regular')
        .fontSize(9.5)
        .fillColor(GREY)
        .text('（无数据）', this.x + labelW, y, { width: trackW });
    this.y += h + (items.length ? 0 : 14);
  }

  /** A plain bordered grid: header row and rows of text cells with given relative widths. */
  grid(header: string[], rows: string[][], widths: number[]): void {
    const { doc } = this;
    const sum = widths.reduce((a, b) => a + b, 0);
    const ws = widths.map((w) => (w / sum) * this.width);
    const drawRow = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'bold' : 'regular').fontSize(9.5);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: ws[i]! - 8 }))) + 8;
      this.need(h);
      let x = this.x;
      cells.forEach((c, i) => {
        doc.lineWidth(0.6).strokeColor(INK).rect(x, this.y, ws[i]!, h).stroke();
        doc
          .font(bold ? 'bold' : 'regular')
          .fontSize(9.5)
          .fillColor(INK)
          .text(c, x + 4, this.y + 4, { width: ws[i]! - 8 });
        x += ws[i]!;
      });
      this.y += h;
    };
    drawRow(header, true);
    for (const r of rows) drawRow(r, false);
    if (!rows.length)
      drawRow(
        header.map((_, i) => (i === 0 ? '（无）' : '')),
        false,
      );
  }
}

/** The signer's line (牵头单位：…), the date (a real one, or 年 月 日 to fill in) and the seal square. */
export interface SealArea {
  signer: string;
  /** YYYY-MM-DD, or null for a blank 年 月 日 */
  date: string | null;
}

const SEAL_SIZE = 62;
const SEAL_BLOCK_H = SEAL_SIZE + 4;

/** 2026-03-05 → 2026年3月5日; null → the blank line to fill in by hand. */
export function chineseDate(d: string | null): string {
  if (!d) return '        年    月    日';
  const [y, m, day] = d.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

function drawSeal(doc: Doc, seal: SealArea, x: number, y: number, w: number): void {
  const sx = x + w - SEAL_SIZE - PAD;
  doc.save();
  doc.lineWidth(0.6).dash(3, { space: 2 }).strokeColor(GREY).rect(sx, y, SEAL_SIZE, SEAL_SIZE).stroke();
  doc.undash();
  doc.restore();
  doc
    .font('regular')
    .fontSize(10)
    .fillColor(GREY)
    .text('盖章', sx, y + SEAL_SIZE / 2 - 6, { width: SEAL_SIZE, align: 'center' });
  const textW = w - SEAL_SIZE - 3 * PAD;
  doc
    .font('regular')
    .fontSize(10.5)
    .fillColor(INK)
    .text(`${seal.signer}（盖章）`, x + PAD, y + 10, { width: textW, align: 'right' });
  doc.text(chineseDate(seal.date), x + PAD, y + 34, { width: textW, align: 'right' });
}
