import { timingSafeEqual } from 'node:crypto';
import { maskName } from '@pingan/core';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { objectionFiles, objections } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { today as todayInShanghai } from '../../clock.js';
import { hmac, type Keys } from '../../crypto/keys.js';
import { encrypt } from '../../crypto/pii.js';
import { publicCode } from '../../crypto/codes.js';
import type { FileStorage } from '../../storage/storage.js';
import { addressHash, consumeCode, phoneHash } from '../public/otp.js';
import { notify } from '../notifications/service.js';
import { objectionHandlerUserIds } from './access.js';
import { candidateByCode, countByAddress, countByPhone, fileCount, insertObjection, lockAddress, objectionByReceipt } from './queries.js';

/**
 * 异议 from the public (no account): filed against a candidate of a notice during its period, by
 * name with a phone confirmed by an SMS code or anonymously; evidence attached afterwards with a
 * short-lived upload token; followed by the receipt code. Nothing the public reads names the
 * objector, and the name and phone are stored encrypted with a keyed hash of the phone for throttling.
 */

/** objections a confirmed phone may file against one candidate, and one client address in all, in 24 hours */
export const PER_PHONE_PER_CANDIDATE = 3;
export const PER_ADDRESS = 10;
const DAY_MS = 86_400_000;

/** evidence: at most MAX_FILES files of PDF, JPEG or PNG, each within the upload limit (10 MB at most) */
export const MAX_FILES = 5;
export const UPLOAD_TTL_MS = 30 * 60_000;
export const maxFileBytes = (configured: number) => Math.min(configured, 10 * 1024 * 1024);

export interface FileObjectionInput {
  anonymous: boolean;
  name?: string;
  phone?: string;
  code?: string;
  text: string;
}

/** The token that lets the filer attach files to this objection until it expires: expiry.hmac. */
export function uploadToken(keys: Keys, objectionId: number, expiresAt: number): string {
  return `${expiresAt.toString(36)}.${hmac(keys, `objection-upload:${objectionId}:${expiresAt}`).slice(0, 40)}`;
}

function tokenValid(keys: Keys, objectionId: number, token: string, now: number): boolean {
  const m = /^([0-9a-z]{1,12})\.([0-9a-f]{40})$/.exec(token);
  if (!m) return false;
  const exp = parseInt(m[1]!, 36);
  if (!Number.isSafeInteger(exp) || exp < now) return false;
  const want = Buffer.from(uploadToken(keys, objectionId, exp).split('.')[1]!, 'hex');
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

/** Files an objection against the candidate with public code `code`; answers the receipt and an upload token. */
export async function fileObjection(
  db: Db,
  keys: Keys,
  candidate: string,
  input: FileObjectionInput,
  ip: string,
  limits: { maxUploadBytes: number },
  now = new Date(),
) {
  const c = await candidateByCode(db, candidate);
  const today = todayInShanghai();
  if (!c || c.noticeStatus !== 'active' || today < c.startsOn) throw notFound('公示对象');
  if (today > c.endsOn) throw new AppError('WRONG_STATUS', `公示期已于${c.endsOn}结束，不再受理异议`);
  if (c.removedAt || c.app.status !== 'in_notice') throw new AppError('WRONG_STATUS', '该对象已不在公示中，不再受理异议');

  let name: string | null = null;
  let phone: string | null = null;
  if (!input.anonymous) {
    name = input.name?.trim() ?? '';
    if (!name) throw new AppError('VALIDATION', '实名异议须填写姓名（也可选择匿名）');
    if (!input.phone || !input.code) throw new AppError('VALIDATION', '实名异议须填写手机号码和短信验证码');
    phone = input.phone;
  }

  const since = new Date(now.getTime() - DAY_MS);
  const ih = addressHash(keys, ip);
  const tooManyFromAddress = () =>
    new AppError('RATE_LIMITED', `本网络24小时内提出异议已达${PER_ADDRESS}次，请明天再试`, { limit: PER_ADDRESS });
  if ((await countByAddress(db, ih, since)) >= PER_ADDRESS) throw tooManyFromAddress();
  let ph: string | null = null;
  if (phone) {
    // counted before the code is used, so a refused filing does not spend it
    const wanted = phoneHash(keys, phone);
    if ((await countByPhone(db, wanted, c.noticeId, c.app.id, since)) >= PER_PHONE_PER_CANDIDATE)
      throw new AppError('RATE_LIMITED', `该手机号码24小时内对同一对象提出异议已达${PER_PHONE_PER_CANDIDATE}次，请明天再试`, {
        limit: PER_PHONE_PER_CANDIDATE,
      });
    // outside the transaction: a wrong code's counted try must stay counted
    ph = await consumeCode(db, keys, { phone, purpose: 'objection', code: input.code! }, now);
  }

  const notifyIds = await objectionHandlerUserIds(db, c.app);
  const row = await db.transaction(async (tx) => {
    await lockAddress(tx, ih);
    if ((await countByAddress(tx, ih, since)) >= PER_ADDRESS) throw tooManyFromAddress();
    const o = await insertObjection(tx, {
      publicCode: publicCode(),
      noticeId: c.noticeId,
      applicationId: c.app.id,
      anonymous: input.anonymous,
      objectorName: name ? encrypt(keys, name) : null,
      objectorPhone: phone ? encrypt(keys, phone) : null,
      phoneHash: ph,
      ipHash: ih,
      text: input.text,
      createdAt: now,
    });
    await notify(tx, notifyIds, {
      kind: 'objection',
      title: `新异议：${c.subjectName}（${c.categoryName}）`,
      body: `「${c.noticeTitle}」收到一件${input.anonymous ? '匿名' : '实名'}异议，请调查核实。`,
      link: `/objections/${o.id}`,
    });
    return o;
  });
  const expires = now.getTime() + UPLOAD_TTL_MS;
  return {
    receipt: row.publicCode,
    uploadToken: uploadToken(keys, row.id, expires),
    uploadExpiresInSeconds: UPLOAD_TTL_MS / 1000,
    maxFiles: MAX_FILES,
    maxFileBytes: maxFileBytes(limits.maxUploadBytes),
  };
}

/** Evidence types the public may attach, each with the bytes its files must start with. */
const ACCEPTED: { mime: string; ext: string[]; magic: number[] }[] = [
  { mime: 'application/pdf', ext: ['pdf'], magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mime: 'image/jpeg', ext: ['jpg', 'jpeg'], magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', ext: ['png'], magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export function checkEvidence(fileName: string, declared: string, data: Buffer): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const spec = ACCEPTED.find((a) => a.ext.includes(ext));
  if (!spec) throw new AppError('UNSUPPORTED_TYPE', `不支持的文件类型「.${ext}」，请上传PDF或图片（JPG/PNG）`);
  if (declared !== spec.mime && declared !== 'application/octet-stream')
    throw new AppError('UNSUPPORTED_TYPE', `文件「${fileName}」的类型（${declared}）与扩展名不符`);
  if (!spec.magic.every((b, i) => data[i] === b))
    throw new AppError('UNSUPPORTED_TYPE', `文件「${fileName}」内容不是有效的${ext.toUpperCase()}文件`);
  return spec.mime;
}

/** Attaches one evidence file to the objection with receipt `receipt`, with the upload token given on filing. */
export async function addObjectionFile(
  db: Db,
  keys: Keys,
  storage: FileStorage,
  receipt: string,
  input: { token: string | null; fileName: string; declaredType: string; data: Buffer },
  now = new Date(),
) {
  const r = await objectionByReceipt(db, receipt);
  if (!r) throw notFound('异议');
  if (!input.token || !tokenValid(keys, r.o.id, input.token, now.getTime()))
    throw new AppError('VALIDATION', '上传凭证无效或已过期：证据须在提交异议后30分钟内上传');
  if (r.o.status !== 'open') throw new AppError('WRONG_STATUS', '异议已在办理中，不能再补充证据');
  if (!input.data.length) throw new AppError('VALIDATION', '文件为空');
  const mime = checkEvidence(input.fileName, input.declaredType, input.data);
  const stored = await storage.put(input.data);
  try {
    return await db.transaction(async (tx) => {
      // one at a time per objection, so the count holds
      await tx.execute(sql`select 1 from ${objections} where ${objections.id} = ${r.o.id} for update`);
      const n = await fileCount(tx, r.o.id);
      if (n >= MAX_FILES) throw new AppError('WRONG_STATUS', `每件异议最多上传${MAX_FILES}个证据文件`);
      await tx.insert(objectionFiles).values({
        objectionId: r.o.id,
        storageKey: stored.key,
        fileName: input.fileName.slice(0, 200),
        mime,
        size: stored.size,
        sha256: stored.sha256,
      });
      return { fileName: input.fileName.slice(0, 200), size: stored.size, files: n + 1 };
    });
  } catch (e) {
    await storage.delete(stored.key);
    throw e;
  }
}

/** What a receipt shows: the status and the written reply; never the text, the objector or an internal id. */
export async function objectionReceipt(db: Db, receipt: string) {
  const r = await objectionByReceipt(db, receipt);
  if (!r) throw notFound('异议');
  const decided = r.o.status === 'upheld' || r.o.status === 'dismissed';
  return {
    receipt: r.o.publicCode,
    noticeCode: r.noticeCode,
    noticeTitle: r.noticeTitle,
    candidateName: maskName(r.subjectName, r.subjectKind),
    categoryName: r.categoryName,
    filedOn: dayOf(r.o.createdAt),
    status: r.o.status,
    outcome: decided ? r.o.outcome : null,
    reply: decided ? r.o.reply : null,
    decidedOn: r.o.decidedAt ? dayOf(r.o.decidedAt) : null,
  };
}

/** A moment as the calendar day in China. */
export function dayOf(d: Date): string {
  return d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
