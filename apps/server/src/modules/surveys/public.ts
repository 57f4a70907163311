import { and, asc, eq, gte, isNull, or, sql } from 'drizzle-orm';
import { SATISFACTION_OPTIONS, answerProblems, type SurveyAnswers } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { regions, surveyInvitations, surveyResponses, surveys } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import { today as clockToday } from '../../clock.js';
import { hmac, type Keys } from '../../crypto/keys.js';
import { consumeCode, phoneHash } from '../public/otp.js';
import { loadSurveyByCode, targetRows, type LoadedSurvey } from './queries.js';

/**
 * 问卷调查, the public side: addressed by the public code only. Answers are anonymous: who answered is
 * kept only as a keyed hash (the confirmed phone keyed again with the survey, or the invitation's
 * row), so one phone or one invitation answers once — a unique index, not a check in code.
 */

/** The respondent: the phone's keyed hash (otp.ts) keyed again with the survey; never the number. */
export const respondentHash = (keys: Keys, surveyId: number, phoneH: string) => hmac(keys, `survey-respondent:${surveyId}:${phoneH}`);
export const respondentOfPhone = (keys: Keys, surveyId: number, phone: string) => respondentHash(keys, surveyId, phoneHash(keys, phone));
/** An invitation code, as kept: keyed with the survey. */
export const invitationHash = (keys: Keys, surveyId: number, code: string) =>
  hmac(keys, `survey-invitation:${surveyId}:${code.trim().toUpperCase()}`);

type State = 'draft' | 'upcoming' | 'open' | 'closed';

export function publicState(
  s: Pick<LoadedSurvey['s'], 'status' | 'opensOn' | 'closesOn'>,
  today = clockToday(),
): { state: State; message: string | null } {
  if (s.status === 'draft') return { state: 'draft', message: '本次问卷调查尚未发布' };
  if (s.status === 'closed' || (s.closesOn && today > s.closesOn)) return { state: 'closed', message: '本次问卷调查已结束，感谢您的关注' };
  if (s.opensOn && today < s.opensOn) return { state: 'upcoming', message: `本次问卷调查将于${s.opensOn}开始` };
  return { state: 'open', message: null };
}

export async function publicSurveyList(db: Db, page: { limit: number; offset: number }) {
  const today = clockToday();
  const where = and(
    eq(surveys.status, 'open'),
    or(isNull(surveys.closesOn), gte(surveys.closesOn, today)),
    or(isNull(surveys.opensOn), sql`${surveys.opensOn} <= ${today}`),
  );
  const rows = await db
    .select({ code: surveys.publicCode, title: surveys.title, regionName: regions.name, year: surveys.year, closesOn: surveys.closesOn })
    .from(surveys)
    .innerJoin(regions, eq(regions.id, surveys.regionId))
    .where(where)
    .orderBy(asc(surveys.closesOn), asc(surveys.id))
    .limit(page.limit)
    .offset(page.offset);
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(surveys)
    .where(where)) as [{ n: number }];
  return { items: rows, total: Number(n) };
}

export async function publicSurveyDetail(db: Db, code: string) {
  const s = await loadSurveyByCode(db, code);
  if (!s) throw notFound('问卷');
  const { state, message } = publicState(s.s);
  const targets = state === 'open' ? await targetRows(db, s.s.id) : [];
  return {
    code: s.s.publicCode,
    title: s.s.title,
    intro: s.s.intro,
    regionName: s.regionName,
    year: s.s.year,
    state,
    message,
    opensOn: s.s.opensOn,
    closesOn: s.s.closesOn,
    identity: s.s.identity,
    questions:
      state === 'open'
        ? s.s.questions.map(({ indicator: _i, ...q }) => (q.kind === 'satisfaction' ? { ...q, options: [...SATISFACTION_OPTIONS] } : q))
        : [],
    regions: targets.map((t) => ({ name: t.regionName })),
  };
}

export interface ResponseInput {
  phone?: string;
  smsCode?: string;
  invitation?: string;
  region?: string;
  answers: SurveyAnswers;
}

/** The survey row read FOR SHARE: a close waits for answers being stored, and no answer lands after it. */
async function lockOpen(tx: Tx, surveyId: number): Promise<void> {
  const [row] = await tx
    .select({ status: surveys.status, opensOn: surveys.opensOn, closesOn: surveys.closesOn })
    .from(surveys)
    .where(eq(surveys.id, surveyId))
    .for('share');
  const { state, message } = publicState(row!);
  if (state !== 'open') throw new AppError('WRONG_STATUS', message!);
}

const DUPLICATE_PHONE = '您已参与本次问卷调查，每个手机号码只能提交一次';

export async function answerSurvey(db: Db, keys: Keys, code: string, input: ResponseInput) {
  const s = await loadSurveyByCode(db, code);
  if (!s) throw notFound('问卷');
  const { state, message } = publicState(s.s);
  if (state !== 'open') throw new AppError('WRONG_STATUS', message!);
  const problems = answerProblems(s.s.questions, input.answers);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { problems });
  const answers = Object.fromEntries(Object.entries(input.answers).filter(([, v]) => !(typeof v === 'string' && !v.trim())));
  const targets = await targetRows(db, s.s.id);
  const chosen = (): number => {
    const name = input.region?.trim();
    const t = name ? targets.find((x) => x.regionName === name) : targets.length === 1 ? targets[0] : undefined;
    if (!t) throw new AppError('VALIDATION', '请选择您所在的地区');
    return t.regionId;
  };
  const at = new Date();

  if (s.s.identity === 'invitation') {
    if (!input.invitation) throw new AppError('VALIDATION', '请输入邀请码');
    const h = invitationHash(keys, s.s.id, input.invitation);
    await db.transaction(async (tx) => {
      await lockOpen(tx, s.s.id);
      const [inv] = await tx
        .update(surveyInvitations)
        .set({ usedAt: at })
        .where(and(eq(surveyInvitations.surveyId, s.s.id), eq(surveyInvitations.codeHash, h), isNull(surveyInvitations.usedAt)))
        .returning({ id: surveyInvitations.id, regionId: surveyInvitations.regionId });
      if (!inv) {
        const [used] = await tx
          .select({ id: surveyInvitations.id })
          .from(surveyInvitations)
          .where(and(eq(surveyInvitations.surveyId, s.s.id), eq(surveyInvitations.codeHash, h)));
        if (used) throw new AppError('DUPLICATE', '该邀请码已使用，每个邀请码只能提交一次');
        throw new AppError('VALIDATION', '邀请码不正确，请核对后重新输入');
      }
      await tx
        .insert(surveyResponses)
        .values({ surveyId: s.s.id, regionId: inv.regionId ?? chosen(), invitationId: inv.id, channel: 'web', answers, createdAt: at });
    });
    return { ok: true as const, at: iso(at) };
  }

  if (!input.phone || !input.smsCode) throw new AppError('VALIDATION', '请输入手机号码和短信验证码');
  const regionId = chosen();
  const who = respondentOfPhone(keys, s.s.id, input.phone);
  const [already] = await db
    .select({ id: surveyResponses.id })
    .from(surveyResponses)
    .where(and(eq(surveyResponses.surveyId, s.s.id), eq(surveyResponses.respondentHash, who)));
  if (already) throw new AppError('DUPLICATE', DUPLICATE_PHONE);
  const phoneH = await consumeCode(db, keys, { phone: input.phone, purpose: 'survey', code: input.smsCode });
  await db.transaction(async (tx) => {
    await lockOpen(tx, s.s.id);
    const [row] = await tx
      .insert(surveyResponses)
      .values({ surveyId: s.s.id, regionId, respondentHash: respondentHash(keys, s.s.id, phoneH), channel: 'web', answers, createdAt: at })
      .onConflictDoNothing({ target: [surveyResponses.surveyId, surveyResponses.respondentHash] })
      .returning({ id: surveyResponses.id });
    if (!row) throw new AppError('DUPLICATE', DUPLICATE_PHONE);
  });
  return { ok: true as const, at: iso(at) };
}
