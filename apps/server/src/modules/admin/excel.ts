import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { CreateUserInput, IMPORT_COLUMNS, IMPORT_MAX_ROWS } from '@pingan/contract';
import { ROLES, ROLE_LABELS, type Role } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { organisations, subjects, users } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { CurrentUser } from '../../access/scope.js';
import { attachmentProblems, requireDuty } from '../../access/admin.js';
import { cellValue, loadWorkbook } from '../standards/formats.js';
import { hashPassword } from '../auth/service.js';
import type { Keys } from '../../crypto/keys.js';
import { sealPhone } from '../applications/personalData.js';
import { oneTimePassword, type AdminOrg, type AdminUser } from './service.js';

/**
 * Accounts in Excel: the import template, the all-or-nothing import and the export. The export
 * never carries a password, a hash or a TOTP secret; the import's answer carries the one-time
 * passwords of the accounts it made, once.
 */

const ROLE_BY_LABEL = new Map<string, Role>(ROLES.flatMap((r) => [[r, r] as [string, Role], [ROLE_LABELS[r].zh, r] as [string, Role]]));
const bold = (ws: ExcelJS.Worksheet) => (ws.getRow(1).font = { bold: true });
const toBuffer = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
const when = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');

export async function importTemplate(db: Db, actor: CurrentUser): Promise<Buffer> {
  requireDuty(actor, 'manageAccounts');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('账号');
  ws.columns = IMPORT_COLUMNS.map((h) => ({ header: h, width: h === '姓名' || h === '邮箱' ? 24 : 16 }));
  bold(ws);
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列', width: 14 },
    { header: '填写说明', width: 80 },
  ];
  bold(help);
  help.addRows([
    ['用户名', '必填；3–64位字母、数字、下划线、点或连字符，以字母或数字开头；不能与已有账号重复'],
    ['姓名', '必填'],
    ['角色', `必填；填角色名称或代码：${ROLES.map((r) => `${ROLE_LABELS[r].zh}（${r}）`).join('、')}`],
    ['组织编号', '平安办、部门、专家账号必填，见“组织”表的编号；申报单位和三员账号留空'],
    ['申报主体编号', '申报单位账号必填（申报主体的编号）；其他角色留空'],
    ['邮箱', '选填'],
    ['电话', '选填'],
    [
      '',
      `一次最多导入${IMPORT_MAX_ROWS}行；任何一行有误则不导入任何账号，并列出有误的行。新账号的一次性密码在导入结果中显示一次，首次登录须修改。`,
    ],
  ]);
  const orgs = wb.addWorksheet('组织');
  orgs.columns = [
    { header: '组织编号', width: 10 },
    { header: '组织名称', width: 28 },
    { header: '类型', width: 10 },
    { header: '部门代码', width: 18 },
  ];
  bold(orgs);
  for (const o of await db.select().from(organisations).orderBy(organisations.id))
    orgs.addRow([o.id, o.name, o.kind === 'safety_office' ? '平安办' : '部门', o.deptCode]);
  return toBuffer(wb);
}

interface ParsedRow {
  row: number;
  input: {
    username: string;
    displayName: string;
    role: Role;
    orgId: number | null;
    subjectId: number | null;
    email: string | null;
    phone: string | null;
  };
}

const text = (v: ReturnType<typeof cellValue>) => (v === null ? '' : String(v).trim());
const idOrNull = (v: ReturnType<typeof cellValue>) => {
  const t = text(v);
  return t === '' ? null : /^\d{1,9}$/.test(t) ? Number(t) : NaN;
};

/**
 * 导入账号. Every row is checked first (its fields, role and attachment, that its organisation or
 * subject exists, that its username is new and not repeated in the file); if any row is wrong
 * nothing is written and the 400 IMPORT_INVALID lists each wrong row with its reasons. Otherwise all
 * are created in one transaction, each with a one-time password it must change at first login.
 */
export async function importUsers(db: Db, keys: Keys, actor: CurrentUser, data: Buffer) {
  requireDuty(actor, 'manageAccounts');
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadWorkbook(data);
  } catch {
    throw new AppError('VALIDATION', '不是有效的 Excel（.xlsx）文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('VALIDATION', 'Excel 文件中没有工作表');
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => cols.set(text(cellValue(cell.value)), col));
  const missing = IMPORT_COLUMNS.filter((h) => !cols.has(h));
  if (missing.length) throw new AppError('VALIDATION', `缺少列：${missing.join('、')}（第1行须为表头：${IMPORT_COLUMNS.join('、')}）`);

  const raw: { row: number; get: (h: (typeof IMPORT_COLUMNS)[number]) => ReturnType<typeof cellValue> }[] = [];
  let tooMany = false;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const get = (h: (typeof IMPORT_COLUMNS)[number]) => cellValue(row.getCell(cols.get(h)!).value);
    if (IMPORT_COLUMNS.every((h) => text(get(h)) === '')) return;
    if (raw.length >= IMPORT_MAX_ROWS) tooMany = true;
    else raw.push({ row: n, get });
  });
  if (tooMany) throw new AppError('VALIDATION', `一次最多导入${IMPORT_MAX_ROWS}个账号，请分批导入`);
  if (!raw.length) throw new AppError('VALIDATION', 'Excel 中没有账号数据');

  const orgKinds = new Map(
    (await db.select({ id: organisations.id, kind: organisations.kind }).from(organisations)).map((o) => [o.id, o.kind]),
  );
  const subjectIds = new Set((await db.select({ id: subjects.id }).from(subjects)).map((s) => s.id));
  const existing = new Set((await db.select({ u: sql<string>`lower(${users.username})` }).from(users)).map((r) => r.u));
  const seen = new Map<string, number>();
  const problems: { row: number; reasons: string[] }[] = [];
  const rows: ParsedRow[] = [];

  for (const r of raw) {
    const reasons: string[] = [];
    const roleText = text(r.get('角色'));
    const role = ROLE_BY_LABEL.get(roleText);
    if (!roleText) reasons.push('角色为空');
    else if (!role) reasons.push(`角色「${roleText}」不存在`);
    const orgId = idOrNull(r.get('组织编号'));
    const subjectId = idOrNull(r.get('申报主体编号'));
    if (Number.isNaN(orgId)) reasons.push('组织编号须为数字');
    if (Number.isNaN(subjectId)) reasons.push('申报主体编号须为数字');
    const email = text(r.get('邮箱')) || null;
    const phone = text(r.get('电话')) || null;
    const parsed = CreateUserInput.safeParse({
      username: text(r.get('用户名')),
      displayName: text(r.get('姓名')),
      role: role ?? 'applicant',
      orgId: Number.isNaN(orgId) ? null : orgId,
      subjectId: Number.isNaN(subjectId) ? null : subjectId,
      email,
      phone,
    });
    if (!parsed.success) for (const issue of parsed.error.issues) reasons.push(`${columnOf(issue.path[0])}：${issue.message}`);
    const username = text(r.get('用户名'));
    const key = username.toLowerCase();
    if (username && existing.has(key)) reasons.push(`用户名「${username}」已存在`);
    if (username && seen.has(key)) reasons.push(`用户名「${username}」与第${seen.get(key)}行重复`);
    if (username && !seen.has(key)) seen.set(key, r.row);
    if (role && !Number.isNaN(orgId) && !Number.isNaN(subjectId)) {
      if (orgId !== null && !orgKinds.has(orgId)) reasons.push(`组织编号 ${orgId} 不存在`);
      if (subjectId !== null && !subjectIds.has(subjectId)) reasons.push(`申报主体编号 ${subjectId} 不存在`);
      const kind = orgId !== null ? orgKinds.get(orgId) : undefined;
      reasons.push(...attachmentProblems(role, orgId, subjectId, kind ? { kind } : null));
    }
    if (reasons.length) problems.push({ row: r.row, reasons });
    else if (parsed.success && role)
      rows.push({
        row: r.row,
        input: {
          ...parsed.data,
          role,
          orgId: parsed.data.orgId ?? null,
          subjectId: parsed.data.subjectId ?? null,
          email: parsed.data.email ?? null,
          phone: parsed.data.phone ?? null,
        },
      });
  }
  if (problems.length)
    throw new AppError(
      'IMPORT_INVALID',
      `导入失败，未写入任何账号：${problems.map((p) => `第${p.row}行：${p.reasons.join('，')}`).join('；')}`,
      { rows: problems },
    );

  // hash outside the transaction (argon2 is slow on purpose), a few at a time
  const prepared: (ParsedRow & { password: string; hash: string })[] = [];
  for (let i = 0; i < rows.length; i += 4) {
    const batch = rows.slice(i, i + 4);
    prepared.push(
      ...(await Promise.all(
        batch.map(async (r) => {
          const password = oneTimePassword();
          return { ...r, password, hash: await hashPassword(password) };
        }),
      )),
    );
  }
  const accounts = await db.transaction(async (tx) => {
    const out: { row: number; id: number; username: string; displayName: string; role: Role; oneTimePassword: string }[] = [];
    const now = new Date();
    for (const r of prepared) {
      const [u] = await tx
        .insert(users)
        .values({
          ...r.input,
          phone: sealPhone(keys, r.input.phone),
          passwordHash: r.hash,
          mustChangePassword: true,
          passwordChangedAt: now,
        })
        .returning({ id: users.id });
      out.push({
        row: r.row,
        id: u!.id,
        username: r.input.username,
        displayName: r.input.displayName,
        role: r.input.role,
        oneTimePassword: r.password,
      });
    }
    return out;
  });
  return { created: accounts.length, accounts };
}

function columnOf(field: PropertyKey | undefined): string {
  const names: Record<string, string> = {
    username: '用户名',
    displayName: '姓名',
    role: '角色',
    orgId: '组织编号',
    subjectId: '申报主体编号',
    email: '邮箱',
    phone: '电话',
  };
  return names[String(field)] ?? String(field ?? '');
}

export async function exportUsersXlsx(list: AdminUser[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('账号');
  ws.columns = [
    { header: '编号', key: 'id', width: 8 },
    { header: '用户名', key: 'username', width: 18 },
    { header: '姓名', key: 'displayName', width: 18 },
    { header: '角色', key: 'role', width: 14 },
    { header: '组织', key: 'org', width: 24 },
    { header: '申报主体', key: 'subject', width: 24 },
    { header: '邮箱', key: 'email', width: 24 },
    { header: '电话', key: 'phone', width: 16 },
    { header: '状态', key: 'status', width: 8 },
    { header: '须修改密码', key: 'must', width: 10 },
    { header: '双因素', key: 'totp', width: 8 },
    { header: '锁定至', key: 'locked', width: 20 },
    { header: '密码修改时间', key: 'changed', width: 20 },
    { header: '最后登录', key: 'last', width: 20 },
    { header: '创建时间', key: 'created', width: 20 },
  ];
  bold(ws);
  for (const u of list)
    ws.addRow({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: ROLE_LABELS[u.role].zh,
      org: u.org?.name ?? '',
      subject: u.subject?.name ?? '',
      email: u.email ?? '',
      phone: u.phone ?? '',
      status: u.disabled ? '停用' : '正常',
      must: u.mustChangePassword ? '是' : '否',
      totp: u.totpEnabled ? '已启用' : '未启用',
      locked: when(u.lockedUntil),
      changed: when(u.passwordChangedAt),
      last: when(u.lastLoginAt),
      created: when(u.createdAt),
    });
  return toBuffer(wb);
}

export async function exportOrgsXlsx(list: AdminOrg[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('组织');
  ws.columns = [
    { header: '组织编号', key: 'id', width: 10 },
    { header: '组织名称', key: 'name', width: 28 },
    { header: '类型', key: 'kind', width: 10 },
    { header: '部门代码', key: 'deptCode', width: 18 },
    { header: '辖区', key: 'regionName', width: 18 },
    { header: '账号数', key: 'users', width: 8 },
  ];
  bold(ws);
  for (const o of list) ws.addRow({ ...o, kind: o.kind === 'safety_office' ? '平安办' : '部门' });
  return toBuffer(wb);
}
