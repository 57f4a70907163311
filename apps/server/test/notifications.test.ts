import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { addDays } from '@pingan/core';
import {
  applications,
  expertAssignments,
  filingRequirements,
  notifications,
  organisations,
  outbox,
  rectifications,
  signoffs,
  users,
} from '../src/db/schema.js';
import { notify } from '../src/modules/notifications/service.js';
import {
  drainOutbox,
  startOutboxWorker,
  LogSender,
  maskRecipient,
  MAX_ATTEMPTS,
  type OutboxMessage,
  type Sender,
} from '../src/modules/notifications/outbox.js';
import { sendDeadlineReminders } from '../src/modules/notifications/reminders.js';
// getTestServer runs without the outbox worker: these tests drain the outbox themselves, at chosen times
import { call, DB_KINDS, getTestServer, type TestServer } from './helpers.js';

const uid = async (s: TestServer, username: string) =>
  (await s.database.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

class FlakySender implements Sender {
  sent: OutboxMessage[] = [];
  constructor(
    readonly channel: 'mail' | 'sms',
    public failing: boolean,
  ) {}
  async send(msg: OutboxMessage) {
    if (this.failing) throw new Error('gateway down');
    this.sent.push(msg);
  }
}

describe.each(DB_KINDS)('notifications (%s)', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer(kind);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const outboxFor = (recipient: string) => s.database.db.select().from(outbox).where(eq(outbox.recipient, recipient)).orderBy(outbox.id);

  it('notify writes the notification and one outbox row per channel the user has, in the same transaction', async () => {
    const db = s.database.db;
    const edu = await uid(s, 'city_edu');
    const police = await uid(s, 'city_police');
    await db.update(users).set({ email: 'li.wenbo@edu.example.cn', phone: '13812341234' }).where(eq(users.id, edu));

    const n = await notify(db, [edu, police, edu], { kind: 'assigned', title: '您有一项会签待办：测试', link: '/applications/1' });
    expect(n).toBe(2);
    const mine = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, edu), eq(notifications.title, '您有一项会签待办：测试')));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.readAt).toBeNull();
    const mail = await outboxFor('li.wenbo@edu.example.cn');
    const sms = await outboxFor('13812341234');
    expect(mail.map((r) => [r.channel, r.status, r.attempts])).toEqual([['mail', 'pending', 0]]);
    expect(mail[0]!.body).toContain('您有一项会签待办：测试');
    expect(sms.map((r) => r.channel)).toEqual(['sms']);

    // a failure inside the caller's transaction takes the notification and its messages with it
    await expect(
      db.transaction(async (tx) => {
        await notify(tx, [edu], { kind: 'assigned', title: '回滚的通知' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.select().from(notifications).where(eq(notifications.title, '回滚的通知'))).toHaveLength(0);
    expect(await outboxFor('li.wenbo@edu.example.cn')).toHaveLength(1);
  });

  it('ignores a repeated dedupeKey, messages included', async () => {
    const db = s.database.db;
    const edu = await uid(s, 'city_edu');
    const first = await notify(db, [edu], { kind: 'deadline', title: '提醒一次', dedupeKey: 'test:once' });
    const again = await notify(db, [edu], { kind: 'deadline', title: '提醒一次', dedupeKey: 'test:once' });
    expect([first, again]).toEqual([1, 0]);
    expect(await db.select().from(notifications).where(eq(notifications.dedupeKey, 'test:once'))).toHaveLength(1);
    const rows = await db.select().from(outbox).where(eq(outbox.subject, '【平安创建】提醒一次'));
    expect(rows).toHaveLength(1);
  });

  it('keeps a message pending with backoff when the sender fails, sends it later, and gives up after 8 attempts', async () => {
    const db = s.database.db;
    // the earlier rows are sent first, so this test only sees its own
    await drainOutbox(db, [new FlakySender('mail', false), new FlakySender('sms', false)], {
      now: new Date(Date.now() + 86_400_000),
      batch: 1000,
    });

    const wei = await uid(s, 'city_health');
    await db.update(users).set({ phone: '13900001111', email: null }).where(eq(users.id, wei));
    await notify(db, [wei], { kind: 'returned', title: '申报被退回' });
    const sms = new FlakySender('sms', true);
    const t0 = new Date(Date.now() + 2 * 86_400_000);

    const r1 = await drainOutbox(db, [sms], { now: t0 });
    expect(r1).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    let [row] = await outboxFor('13900001111');
    expect(row!.status).toBe('pending');
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toBe('gateway down');
    expect(row!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000);

    // not due yet: nothing claimed
    expect((await drainOutbox(db, [sms], { now: new Date(t0.getTime() + 30_000) })).claimed).toBe(0);

    // second failure: five minutes
    const t1 = new Date(t0.getTime() + 61_000);
    await drainOutbox(db, [sms], { now: t1 });
    [row] = await outboxFor('13900001111');
    expect([row!.status, row!.attempts, row!.nextAttemptAt.getTime()]).toEqual(['pending', 2, t1.getTime() + 5 * 60_000]);

    // the gateway is back
    sms.failing = false;
    const r3 = await drainOutbox(db, [sms], { now: new Date(t1.getTime() + 5 * 60_000) });
    expect(r3.sent).toBe(1);
    [row] = await outboxFor('13900001111');
    expect([row!.status, row!.attempts]).toEqual(['sent', 3]);
    expect(row!.sentAt).not.toBeNull();
    expect(sms.sent.map((m) => m.recipient)).toEqual(['13900001111']);
    // sent is sent: never again
    expect((await drainOutbox(db, [sms], { now: new Date(t1.getTime() + 86_400_000) })).claimed).toBe(0);

    // a message that never goes through is marked failed after MAX_ATTEMPTS and kept
    await db.update(users).set({ phone: '13900002222' }).where(eq(users.id, wei));
    await notify(db, [wei], { kind: 'override', title: '会签被越过' });
    sms.failing = true;
    let t = new Date(Date.now() + 3 * 86_400_000);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await drainOutbox(db, [sms], { now: t });
      t = new Date(t.getTime() + 2 * 86_400_000);
    }
    [row] = await outboxFor('13900002222');
    expect([row!.status, row!.attempts]).toEqual(['failed', MAX_ATTEMPTS]);
    expect((await drainOutbox(db, [sms], { now: t })).claimed).toBe(0);
  });

  it('the worker drains the outbox on its own timer and stops cleanly', async () => {
    const db = s.database.db;
    const health = await uid(s, 'city_health');
    await db.update(users).set({ phone: '13900003333' }).where(eq(users.id, health));
    await notify(db, [health], { kind: 'assigned', title: '后台发送' });
    const sms = new FlakySender('sms', false);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const worker = startOutboxWorker(db, [sms, new FlakySender('mail', false)], quiet, 20);
    for (let i = 0; i < 200 && !sms.sent.some((m) => m.recipient === '13900003333'); i++) await new Promise((r) => setTimeout(r, 25));
    await worker.stop();
    expect(sms.sent.some((m) => m.recipient === '13900003333')).toBe(true);
    expect((await outboxFor('13900003333'))[0]!.status).toBe('sent');
  });

  it('logs a message with the recipient masked and without its body', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    await new LogSender('sms', log).send({
      id: 7,
      channel: 'sms',
      recipient: '13812341234',
      subject: null,
      body: '【平安创建】王建国家庭 整改',
      attempts: 0,
    });
    await new LogSender('mail', log).send({
      id: 8,
      channel: 'mail',
      recipient: 'wang@x.com',
      subject: 's',
      body: '王建国家庭',
      attempts: 0,
    });
    expect(lines[0]).toContain('138****1234');
    expect(lines[1]).toContain('w***@x.com');
    expect(lines.join('\n')).not.toMatch(/13812341234|wang@x\.com|王建国/);
    expect(maskRecipient('sms', '123')).toBe('***');
  });

  it('reminds each deadline within three days once, and not one ten days away', async () => {
    const db = s.database.db;
    const today = '2031-05-10';
    const [app] = await db
      .select({ id: applications.id, subjectId: applications.subjectId })
      .from(applications)
      .innerJoin(users, and(eq(users.subjectId, applications.subjectId), eq(users.role, 'applicant')))
      .orderBy(applications.id)
      .limit(1);
    expect(app).toBeDefined();
    const [police] = await db
      .select({ id: organisations.id })
      .from(organisations)
      .innerJoin(users, eq(users.orgId, organisations.id))
      .where(eq(users.username, 'city_police'));
    const office = await uid(s, 'city_office');
    const expert = await uid(s, 'expert_zhou');
    const soon = await db
      .insert(signoffs)
      .values({ applicationId: app!.id, step: 'test_soon', orgId: police!.id, deptCode: 'police', deadline: addDays(today, 3) })
      .returning();
    const late = await db
      .insert(signoffs)
      .values({ applicationId: app!.id, step: 'test_late', orgId: police!.id, deptCode: 'police', deadline: addDays(today, 10) })
      .returning();
    const [asg] = await db
      .insert(expertAssignments)
      .values({ applicationId: app!.id, expertId: expert, dueOn: addDays(today, 1), assignedBy: office })
      .onConflictDoNothing()
      .returning();
    const [rect] = await db
      .insert(rectifications)
      .values({ applicationId: app!.id, criterionId: 'x', request: '补充台账', dueOn: today, requestedBy: expert })
      .returning();

    const keyed = (key: string) => db.select().from(notifications).where(eq(notifications.dedupeKey, key));
    // the demo's 报备 deadlines fall in March and November; their reminders are filings.test.ts's to check
    await db.update(filingRequirements).set({ dueOn: '2099-12-31' });
    const before = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(outbox);
    const n1 = await sendDeadlineReminders(db, today);
    expect(n1).toBeGreaterThanOrEqual(2);
    const soonRows = await keyed(`deadline:signoff:${soon[0]!.id}:${addDays(today, 3)}`);
    expect(soonRows.map((r) => r.userId)).toEqual([await uid(s, 'city_police')]);
    expect(soonRows[0]!.title).toContain('还有3天到期');
    expect(await keyed(`deadline:signoff:${late[0]!.id}:${addDays(today, 10)}`)).toHaveLength(0);
    if (asg) expect((await keyed(`deadline:assignment:${asg.id}:${addDays(today, 1)}`)).map((r) => r.userId)).toEqual([expert]);
    const rectRows = await keyed(`deadline:rectification:${rect!.id}:${today}`);
    expect(rectRows.length).toBeGreaterThanOrEqual(1);
    const applicantIds = (
      await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.subjectId, app!.subjectId), eq(users.role, 'applicant')))
    ).map((u) => u.id);
    expect(rectRows.every((r) => applicantIds.includes(r.userId))).toBe(true);

    // the second run on the same day, or the next, writes nothing new
    expect(await sendDeadlineReminders(db, today)).toBe(0);
    expect(await sendDeadlineReminders(db, addDays(today, 1))).toBe(0);
    expect(await keyed(`deadline:signoff:${soon[0]!.id}:${addDays(today, 3)}`)).toHaveLength(1);
    // seven days on, the late one is three days away and reminded once
    expect((await keyed(`deadline:signoff:${late[0]!.id}:${addDays(today, 10)}`)).length).toBe(0);
    await sendDeadlineReminders(db, addDays(today, 7));
    expect(await keyed(`deadline:signoff:${late[0]!.id}:${addDays(today, 10)}`)).toHaveLength(1);
    // a signed sign-off is not reminded
    await db.update(signoffs).set({ status: 'signed' }).where(eq(signoffs.id, late[0]!.id));
    const after = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(outbox);
    expect(after[0]!.n).toBeGreaterThanOrEqual(before[0]!.n);
  });

  it('lists only my own notifications, newest first, and keeps accounts apart', async () => {
    const db = s.database.db;
    const wang = await uid(s, 'family_wang');
    const zhou = await uid(s, 'expert_zhou');
    await notify(db, [wang], { kind: 'rectification', title: '整改要求一', link: '/applications/1' });
    await notify(db, [wang], { kind: 'returned', title: '申报被退回二' });
    await notify(db, [zhou], { kind: 'assigned', title: '核查任务三' });

    const list = await call(s, 'family_wang', 'GET', '/api/notifications?limit=50');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => i.title).slice(0, 2)).toEqual(['申报被退回二', '整改要求一']);
    expect(list.body.items.some((i: any) => i.title === '核查任务三')).toBe(false);
    expect(list.body.unread).toBe(list.body.total);
    const unread0 = list.body.unread;

    const zhous = await call(s, 'expert_zhou', 'GET', '/api/notifications');
    const theirs = zhous.body.items.find((i: any) => i.title === '核查任务三');
    expect(theirs).toBeDefined();
    // another's notification is not found, and stays unread
    expect((await call(s, 'family_wang', 'POST', `/api/notifications/${theirs.id}/read`)).status).toBe(404);
    expect((await call(s, 'family_wang', 'POST', '/api/notifications/999999/read')).status).toBe(404);
    expect((await call(s, 'family_wang', 'POST', '/api/notifications/0/read')).status).toBe(400);
    expect((await call(s, null, 'GET', '/api/notifications')).status).toBe(401);

    const mine = list.body.items[0];
    const read = await call(s, 'family_wang', 'POST', `/api/notifications/${mine.id}/read`);
    expect(read.status).toBe(200);
    const unread = await call(s, 'family_wang', 'GET', '/api/notifications?unread=1');
    expect(unread.body.unread).toBe(unread0 - 1);
    expect(unread.body.total).toBe(unread0 - 1);
    expect(unread.body.items.some((i: any) => i.id === mine.id)).toBe(false);

    const paged = await call(s, 'family_wang', 'GET', '/api/notifications?limit=1&offset=1');
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.items[0].id).toBe(list.body.items[1].id);

    const all = await call(s, 'family_wang', 'POST', '/api/notifications/read-all');
    expect(all.body.updated).toBe(unread0 - 1);
    expect((await call(s, 'family_wang', 'GET', '/api/notifications')).body.unread).toBe(0);
    // expert_zhou's are untouched
    const z2 = await call(s, 'expert_zhou', 'GET', '/api/notifications?unread=1');
    expect(z2.body.items.some((i: any) => i.title === '核查任务三')).toBe(true);
  });
});
