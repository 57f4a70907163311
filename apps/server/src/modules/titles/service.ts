import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { maskName } from '../notices/service.js';
import { renderCertificate } from './certificate.js';
import { certificateRow, titleByCertificateNo, titleRows } from './queries.js';

/** The staff and applicant list stops here; the list says so in its summary. */
const TITLE_LIST_LIMIT = 500;

/** Titles in the account's scope, newest first. */
export async function listTitles(db: Db, user: CurrentUser) {
  const rows = await titleRows(db, user, TITLE_LIST_LIMIT);
  return rows.map((r) => ({ ...r.t, revokedAt: iso(r.t.revokedAt), subjectName: r.subjectName, regionName: r.regionName }));
}

/** The certificate of a title in scope, as a PDF; `origin` builds the verify link it prints. */
export async function certificatePdf(db: Db, user: CurrentUser, id: number, origin: string): Promise<{ data: Buffer; fileName: string }> {
  const row = await certificateRow(db, user, id);
  if (!row) throw notFound('证书');
  const data = await renderCertificate({
    banner: bannerFor(row.campaignName),
    subjectName: row.subjectName,
    year: row.t.year,
    titleName: row.t.titleName,
    stars: row.t.stars,
    level: row.t.level,
    issuer: row.t.issuer,
    conferredOn: row.t.conferredOn,
    certificateNo: row.t.certificateNo,
    verifyUrl: `${origin}/verify/${row.t.certificateNo}`,
  });
  return { data, fileName: `${row.subjectName}-${row.t.titleName}-证书.pdf` };
}

/** The public check of a certificate number: no internal ids, households and persons masked. */
export async function verifyCertificate(db: Db, no: string) {
  const row = await titleByCertificateNo(db, no.trim().toUpperCase());
  if (!row) throw notFound('证书');
  return {
    certificateNo: row.t.certificateNo,
    subjectName: maskName(row.subjectName, row.subjectKind),
    regionName: row.regionName,
    titleName: row.t.titleName,
    year: row.t.year,
    stars: row.t.stars,
    level: row.t.level,
    issuer: row.t.issuer,
    conferredOn: row.t.conferredOn,
    valid: row.t.revokedAt === null,
    revokeReason: row.t.revokeReason,
  };
}

/** “十大平安”创建 from a campaign named 大托铺街道2026年“十大平安”创建: the quoted brand, else 平安创建. */
export function bannerFor(campaignName: string): string {
  const m = campaignName.match(/[“"]([^”"]+)[”"]/);
  return m ? `“${m[1]}”创建` : '平安创建';
}
