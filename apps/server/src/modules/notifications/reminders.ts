import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import { addDays, isRealDate } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applications, categories, expertAssignments, rectifications, signoffs, subjects, users } from '../../db/schema.js';
import { notify } from './service.js';
import { sendFilingReminders } from '../filings/reminders.js';

/** who signs for an organisation (an expert attached to an office does not) */
const SIGNING_ROLES = ['safety_office', 'lead_department', 'cooperating_department'] as const;

/** A reminder goes out when a deadline is this many days away or fewer (and not yet past). */
export const REMINDER_DAYS = 3;

interface Due {
  key: string;
  userIds: number[];
  title: string;
  body: string;
  link: string;
}

const daysLeft = (today: string, due: string) =>
  Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
const whenText = (n: number) => (n <= 0 ? '今天到期' : `还有${n}天到期`);

/**
 * Reminds people of deadlines within REMINDER_DAYS of `today` (YYYY-MM-DD, China time): pending
 * sign-offs (会签) to the accounts of the signing organisation, open expert assignments to the expert,
 * open rectification requests (整改) to the applicant accounts of the unit. Each deadline is reminded
 * once (the dedupe key carries the date, so a moved deadline is reminded again). Answers how many
 * reminders were written.
 */
export async function sendDeadlineReminders(db: Db, today: string): Promise<number> {
  if (!isRealDate(today)) throw new Error(`not a date: ${today}`);
  const until = addDays(today, REMINDER_DAYS);
  const due: Due[] = [];

  const pendingSignoffs = await db
    .select({
      id: signoffs.id,
      orgId: signoffs.orgId,
      deadline: signoffs.deadline,
      applicationId: signoffs.applicationId,
      subjectName: subjects.name,
      categoryName: categories.name,
    })
    .from(signoffs)
    .innerJoin(applications, eq(applications.id, signoffs.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(eq(signoffs.status, 'pending'), gte(signoffs.deadline, today), lte(signoffs.deadline, until)));
  const orgIds = [...new Set(pendingSignoffs.map((s) => s.orgId))];
  const orgUsers = orgIds.length
    ? await db
        .select({ id: users.id, orgId: users.orgId })
        .from(users)
        .where(and(inArray(users.orgId, orgIds), eq(users.disabled, false), inArray(users.role, SIGNING_ROLES)))
    : [];
  for (const s of pendingSignoffs) {
    const left = daysLeft(today, s.deadline!);
    due.push({
      key: `deadline:signoff:${s.id}:${s.deadline}`,
      userIds: orgUsers.filter((u) => u.orgId === s.orgId).map((u) => u.id),
      title: `会签即将到期（${whenText(left)}）：${s.subjectName} ${s.categoryName}`,
      body: `截止日期 ${s.deadline}`,
      link: `/applications/${s.applicationId}`,
    });
  }

  const openAssignments = await db
    .select({
      id: expertAssignments.id,
      expertId: expertAssignments.expertId,
      dueOn: expertAssignments.dueOn,
      applicationId: expertAssignments.applicationId,
      subjectName: subjects.name,
      categoryName: categories.name,
    })
    .from(expertAssignments)
    .innerJoin(applications, eq(applications.id, expertAssignments.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(eq(expertAssignments.status, 'open'), gte(expertAssignments.dueOn, today), lte(expertAssignments.dueOn, until)));
  for (const a of openAssignments) {
    const left = daysLeft(today, a.dueOn!);
    due.push({
      key: `deadline:assignment:${a.id}:${a.dueOn}`,
      userIds: [a.expertId],
      title: `核查任务即将到期（${whenText(left)}）：${a.subjectName} ${a.categoryName}`,
      body: `完成期限 ${a.dueOn}`,
      link: `/applications/${a.applicationId}`,
    });
  }

  const openRectifications = await db
    .select({
      id: rectifications.id,
      dueOn: rectifications.dueOn,
      applicationId: rectifications.applicationId,
      subjectId: applications.subjectId,
      categoryName: categories.name,
    })
    .from(rectifications)
    .innerJoin(applications, eq(applications.id, rectifications.applicationId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(and(inArray(rectifications.status, ['open', 'reopened']), gte(rectifications.dueOn, today), lte(rectifications.dueOn, until)));
  const subjectIds = [...new Set(openRectifications.map((r) => r.subjectId))];
  const applicants = subjectIds.length
    ? await db
        .select({ id: users.id, subjectId: users.subjectId })
        .from(users)
        .where(and(inArray(users.subjectId, subjectIds), eq(users.role, 'applicant'), eq(users.disabled, false)))
    : [];
  for (const r of openRectifications) {
    const left = daysLeft(today, r.dueOn);
    due.push({
      key: `deadline:rectification:${r.id}:${r.dueOn}`,
      userIds: applicants.filter((u) => u.subjectId === r.subjectId).map((u) => u.id),
      title: `整改即将到期（${whenText(left)}）：${r.categoryName}`,
      body: `整改期限 ${r.dueOn}`,
      link: `/applications/${r.applicationId}`,
    });
  }

  let written = 0;
  for (const d of due) {
    if (!d.userIds.length) continue;
    // one transaction a reminder: its notifications and their outbox rows together
    written += await db.transaction((tx) =>
      notify(tx, d.userIds, { kind: 'deadline', title: d.title, body: d.body, link: d.link, dedupeKey: d.key }),
    );
  }
  // 报备: filings due in three days or today (modules/filings/reminders.ts)
  written += await sendFilingReminders(db, today);
  return written;
}
