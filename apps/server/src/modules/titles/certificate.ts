import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { LEVEL_LABELS, awardYearLine, smallNumberInChinese, type TitleLevel } from '@pingan/core';

const require = createRequire(import.meta.url);
/** Noto Sans SC (OTF) shipped in an npm package: PDF Chinese text needs a real embedded font. */
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT_REGULAR = path.join(FONT_DIR, 'NotoSansHans-Regular.otf');
const FONT_BOLD = path.join(FONT_DIR, 'NotoSansHans-Bold.otf');

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
  verifyUrl: string;
}

const RED = '#b71c1c';
const GOLD = '#c9a227';

/**
 * The certificate in the style of the award plaque of 002_169671291d704e13.txt (附件3):
 * banner, "被评为二〇二〇年度", the title spaced out large, the issuing body, the month.
 */
export function renderCertificate(d: CertificateData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    info: { Title: `${d.subjectName} ${d.titleName}`, Author: d.issuer },
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const W = doc.page.width;
  const H = doc.page.height;
  doc.rect(0, 0, W, H).fill('#fffaf0');
  doc
    .lineWidth(10)
    .strokeColor(RED)
    .rect(22, 22, W - 44, H - 44)
    .stroke();
  doc
    .lineWidth(2)
    .strokeColor(GOLD)
    .rect(38, 38, W - 76, H - 76)
    .stroke();

  const center = (text: string, y: number, size: number, font = 'regular', color = '#222', spacing = 0) => {
    doc.font(font).fontSize(size).fillColor(color);
    doc.text(text, 60, y, { width: W - 120, align: 'center', characterSpacing: spacing });
  };

  center(d.banner, 80, 24, 'bold', RED, 4);
  center(d.subjectName, 150, 30, 'bold', '#222');
  center(awardYearLine(d.year), 210, 22, 'regular', '#333', 2);
  center(d.titleName.split('').join(' '), 255, 60, 'bold', RED, 8);
  // no star line for a title-only standard's title (level 'title', stars 0)
  const starLine =
    d.stars > 0 && d.level !== 'title'
      ? `${'★'.repeat(d.stars)}${'☆'.repeat(5 - d.stars)}  ${smallNumberInChinese(d.stars)}星级${LEVEL_LABELS[d.level as TitleLevel]?.zh ?? d.level}`
      : '';
  if (starLine) center(starLine, 350, 20, 'regular', GOLD, 2);

  const [y, m] = d.conferredOn.split('-');
  doc
    .font('bold')
    .fontSize(20)
    .fillColor('#222')
    .text(d.issuer, W / 2, 420, { width: W / 2 - 90, align: 'right' });
  doc
    .font('regular')
    .fontSize(18)
    .text(`${y}年${Number(m)}月`, W / 2, 455, { width: W / 2 - 90, align: 'right' });

  doc.font('regular').fontSize(10).fillColor('#666');
  doc.text(`证书编号 Certificate No. ${d.certificateNo}    查验 Verify: ${d.verifyUrl}`, 60, H - 70, { width: W - 120, align: 'center' });
  doc.end();
  return done;
}
