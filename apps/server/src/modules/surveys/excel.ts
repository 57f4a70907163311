import ExcelJS from 'exceljs';
import { and, eq, inArray } from 'drizzle-orm';
import { answerFits, answerProblems, type SurveyAnswers, type SurveyQuestionDef } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { surveyInvitations, surveyResponses } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { randomCode } from '../../crypto/codes.js';
import type { Keys } from '../../crypto/keys.js';
import type { CurrentUser } from '../../access/scope.js';
import { cellValue, loadWorkbook } from '../standards/formats.js';
import { MOBILE } from '../public/otp.js';
import { invitationHash, respondentOfPhone } from './public.js';
import { targetRows } from './queries.js';
import { ownedSurvey, surveyProgress, surveyRows, type SurveyFilter } from './service.js';

/**
 * 问卷调查 in Excel: the list and the progress as files, invitation codes (shown once, kept hashed),
 * and the telephone survey's import: one row per respondent, checked whole before anything is written.
 */

const bold = (ws: ExcelJS.Worksheet) => (ws.getRow(1).font = { bold: true });
const toBuffer = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
const STATUS = { draft: '草稿', open: '进行中', closed: '已结束' } as const;

export async function surveysXlsx(db: Db, user: CurrentUser, f: SurveyFilter): Promise<Buffer> {
  const { items } = await surveyRows(db, user, f);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问卷调查');
  ws.columns = [
    { header: '年度', width: 8 },
    { header: '标题', width: 40 },
    { header: '地区', width: 14 },
    { header: '发起单位', width: 18 },
    { header: '民调单位', width: 22 },
    { header: '状态', width: 8 },
    { header: '验证方式', width: 10 },
    { header: '开始', width: 12 },
    { header: '结束', width: 12 },
    { header: '题数', width: 6 },
    { header: '目标样本', width: 10 },
    { header: '已回收', width: 10 },
    { header: '结果已应用', width: 20 },
  ];
  bold(ws);
  for (const r of items)
    ws.addRow([
      r.year,
      r.title,
      r.regionName,
      r.orgName,
      r.subjectName ?? '',
      STATUS[r.status],
      r.identity === 'phone' ? '手机验证' : '邀请码',
      r.opensOn ?? '',
      r.closesOn ?? '',
      r.questions,
      r.target,
      r.responses,
      r.appliedAt ? new Date(r.appliedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '',
    ]);
  return toBuffer(wb);
}

export async function progressXlsx(db: Db, user: CurrentUser, id: number): Promise<Buffer> {
  const p = await surveyProgress(db, user, id);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查进度');
  ws.columns = [
    { header: '地区', width: 18 },
    { header: '目标样本', width: 10 },
    { header: '网上答卷', width: 10 },
    { header: '电话调查', width: 10 },
    { header: '合计', width: 10 },
    { header: '完成率(%)', width: 10 },
  ];
  bold(ws);
  for (const r of [...p.items, p.total]) ws.addRow([r.regionName, r.target, r.web, r.telephone, r.responses, r.percent ?? '']);
  ws.lastRow!.font = { bold: true };
  return toBuffer(wb);
}

/** N codes for a region, stored as keyed hashes; the file is the only place the codes are ever shown. */
export async function createInvitations(
  db: Db,
  keys: Keys,
  user: CurrentUser,
  id: number,
  input: { regionId: number; count: number },
  baseUrl: string,
): Promise<{ data: Buffer; fileName: string }> {
  const s = await ownedSurvey(db, user, id);
  if (s.s.identity !== 'invitation')
    throw new AppError('VALIDATION', '本问卷按手机号码验证，无需邀请码；如需邀请码，请先将验证方式改为邀请码');
  if (s.s.status === 'closed') throw new AppError('WRONG_STATUS', '调查已结束，不能再生成邀请码');
  const target = (await targetRows(db, id)).find((t) => t.regionId === input.regionId);
  if (!target) throw new AppError('VALIDATION', '请选择抽样方案中的地区');
  const codes = new Set<string>();
  while (codes.size < input.count) codes.add(randomCode(50));
  const list = [...codes];
  await db.transaction(async (tx) => {
    for (let i = 0; i < list.length; i += 500)
      await tx
        .insert(surveyInvitations)
        .values(list.slice(i, i + 500).map((c) => ({ surveyId: id, regionId: input.regionId, codeHash: invitationHash(keys, id, c) })));
  });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('邀请码');
  ws.columns = [
    { header: '序号', width: 8 },
    { header: '邀请码', width: 16 },
    { header: '地区', width: 16 },
    { header: '问卷地址', width: 60 },
  ];
  bold(ws);
  const url = `${baseUrl}/public/surveys/${s.s.publicCode}`;
  list.forEach((c, i) => ws.addRow([i + 1, c, target.regionName, url]));
  const note = wb.addWorksheet('说明');
  note.addRow(['邀请码只在本文件中出现一次，系统只保存其摘要，无法再次查看；每个邀请码只能提交一次答卷。']);
  note.addRow([`问卷：${s.s.title}`]);
  return { data: await toBuffer(wb), fileName: `邀请码-${target.regionName}-${list.length}个.xlsx` };
}

// ───────────────────────────── telephone import ─────────────────────────────

const REGION_COL = '地区';
const PHONE_COL = '电话（选填，用于去重）';
export const IMPORT_MAX_ROWS = 5000;
const header = (q: SurveyQuestionDef) => `${q.id} ${q.text}`.slice(0, 120);

function hint(q: SurveyQuestionDef): string {
  switch (q.kind) {
    case 'satisfaction':
      return '满意 / 基本满意 / 不满意';
    case 'yes_no':
      return '是 / 否';
    case 'scale':
      return `1到${q.max}的整数`;
    case 'single':
      return (q.options ?? []).join(' / ');
    case 'open':
      return '文字（500字以内）';
  }
}

export async function importTemplate(db: Db, user: CurrentUser, id: number): Promise<{ data: Buffer; fileName: string }> {
  const s = await ownedSurvey(db, user, id);
  const targets = await targetRows(db, id);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('电话调查');
  ws.columns = [
    { header: REGION_COL, width: 14 },
    { header: PHONE_COL, width: 16 },
    ...s.s.questions.map((q) => ({ header: header(q), width: 24 })),
  ];
  bold(ws);
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列', width: 40 },
    { header: '填写', width: 60 },
  ];
  bold(help);
  help.addRow([REGION_COL, `必填，抽样方案中的地区：${targets.map((t) => t.regionName).join('、')}`]);
  help.addRow([PHONE_COL, '选填；填写时同一号码只计一份（与网上答卷一并去重），号码不保存']);
  for (const q of s.s.questions) help.addRow([header(q), `${q.required ? '必填' : '选填'}：${hint(q)}`]);
  help.addRow(['', `每行一位受访者；一次最多${IMPORT_MAX_ROWS}行；任何一行有误则不导入任何数据，并列出有误的行。`]);
  return { data: await toBuffer(wb), fileName: `电话调查导入模板-${s.s.publicCode}.xlsx` };
}

const text = (v: ReturnType<typeof cellValue>) => (v === null ? '' : String(v).trim());

/** A cell as the question's answer; undefined when blank (left to answerProblems to judge). */
function answerOf(q: SurveyQuestionDef, cell: ReturnType<typeof cellValue>): string | number | boolean | undefined | null {
  const t = text(cell);
  if (!t) return undefined;
  if (q.kind === 'yes_no')
    return ['是', 'yes', 'y', '1', 'true'].includes(t.toLowerCase())
      ? true
      : ['否', 'no', 'n', '0', 'false'].includes(t.toLowerCase())
        ? false
        : null;
  const value = q.kind === 'scale' ? Number(t) : t;
  return answerFits(q, value) ? value : null;
}

interface ParsedRow {
  row: number;
  regionId: number;
  respondentHash: string | null;
  answers: SurveyAnswers;
}

/**
 * 导入电话调查结果. Every row is checked first (its region among the targets, its phone if given — a
 * mobile number, not repeated in the file, not already answered online or in an earlier import — and
 * its answers); if any row is wrong nothing is written and the 400 IMPORT_INVALID lists each wrong row.
 */
export async function importResponses(db: Db, keys: Keys, user: CurrentUser, id: number, data: Buffer, fileName: string) {
  const s = await ownedSurvey(db, user, id);
  if (s.s.status === 'draft') throw new AppError('WRONG_STATUS', '问卷尚未发布，不能导入结果');
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadWorkbook(data);
  } catch {
    throw new AppError('VALIDATION', '不是有效的 Excel（.xlsx）文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('VALIDATION', 'Excel 文件中没有工作表');
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const h = text(cellValue(cell.value));
    const qid = /^(q\d{1,4})(\s|$)/.exec(h)?.[1];
    cols.set(qid ?? h, col);
  });
  const missing = [REGION_COL, ...s.s.questions.map((q) => q.id)].filter((h) => !cols.has(h));
  if (missing.length) throw new AppError('VALIDATION', `缺少列：${missing.join('、')}（请使用本问卷的导入模板）`);
  const targets = new Map((await targetRows(db, id)).map((t) => [t.regionName, t.regionId]));
  const raw: { row: number; values: ReturnType<typeof cellValue>[] }[] = [];
  let tooMany = false;
  const order = [REGION_COL, PHONE_COL, ...s.s.questions.map((q) => q.id)];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = order.map((h) => (cols.has(h) ? cellValue(row.getCell(cols.get(h)!).value) : null));
    if (values.every((v) => text(v) === '')) return;
    if (raw.length >= IMPORT_MAX_ROWS) tooMany = true;
    else raw.push({ row: n, values });
  });
  if (tooMany) throw new AppError('VALIDATION', `一次最多导入${IMPORT_MAX_ROWS}行，请分批导入`);
  if (!raw.length) throw new AppError('VALIDATION', 'Excel 中没有答卷数据');

  const problems: { row: number; reasons: string[] }[] = [];
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  for (const r of raw) {
    const reasons: string[] = [];
    const region = text(r.values[0]!);
    const regionId = targets.get(region);
    if (!region) reasons.push('地区为空');
    else if (!regionId) reasons.push(`地区「${region}」不在抽样方案中`);
    const phone = text(r.values[1]!).replace(/[\s-]/g, '');
    let who: string | null = null;
    if (phone && !MOBILE.test(phone)) reasons.push('电话须为11位手机号码');
    else if (phone) {
      who = respondentOfPhone(keys, id, phone);
      if (seen.has(who)) reasons.push(`电话与第${seen.get(who)}行重复`);
      else seen.set(who, r.row);
    }
    const answers: SurveyAnswers = {};
    const bad = new Set<number>();
    s.s.questions.forEach((q, i) => {
      const v = answerOf(q, r.values[i + 2]!);
      if (v === null) {
        bad.add(i);
        reasons.push(`第${i + 1}题（${q.id}）的答案「${text(r.values[i + 2]!)}」不正确，应为${hint(q)}`);
      } else if (v !== undefined) answers[q.id] = v;
    });
    for (const p of answerProblems(s.s.questions, answers)) if (![...bad].some((i) => p.startsWith(`第${i + 1}题`))) reasons.push(p);
    if (reasons.length) problems.push({ row: r.row, reasons });
    else rows.push({ row: r.row, regionId: regionId!, respondentHash: who, answers });
  }
  const hashes = rows.map((r) => r.respondentHash).filter((h): h is string => !!h);
  if (hashes.length) {
    const taken = new Set<string | null>();
    for (let i = 0; i < hashes.length; i += 1000)
      for (const x of await db
        .select({ h: surveyResponses.respondentHash })
        .from(surveyResponses)
        .where(and(eq(surveyResponses.surveyId, id), inArray(surveyResponses.respondentHash, hashes.slice(i, i + 1000)))))
        taken.add(x.h);
    for (const r of rows.filter((x) => x.respondentHash && taken.has(x.respondentHash)))
      problems.push({ row: r.row, reasons: ['该电话已有答卷（网上或此前导入）'] });
  }
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    throw new AppError(
      'IMPORT_INVALID',
      `导入失败，未写入任何答卷：${problems.map((p) => `第${p.row}行：${p.reasons.join('，')}`).join('；')}`,
      {
        rows: problems,
      },
    );
  }
  const importRef = `${fileName.slice(0, 150)} @ ${new Date().toISOString()}`;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const ins = await tx
        .insert(surveyResponses)
        .values(
          chunk.map((r) => ({
            surveyId: id,
            regionId: r.regionId,
            respondentHash: r.respondentHash,
            channel: 'telephone' as const,
            answers: r.answers,
            importRef,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: surveyResponses.id });
      if (ins.length !== chunk.length) throw new AppError('DUPLICATE', '导入期间有相同电话的答卷提交，未写入任何答卷，请重新导入');
    }
  });
  return { imported: rows.length, importRef };
}
