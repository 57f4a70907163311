import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { applications, noticeItems, objectionFiles, publicNotices, subjects, users } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import { buildScope, type CurrentUser } from '../access/scope.js';
import { today } from '../clock.js';
import { publicCode } from '../crypto/codes.js';
import { notify } from '../modules/notifications/service.js';
import { objectionHandlerUserIds } from '../modules/objections/access.js';
import { insertObjection } from '../modules/objections/queries.js';
import { decideObjection, recordFindings } from '../modules/objections/service.js';

/**
 * 异议 in the demo world: on the city's open notice (第二批拟命名对象公示, two households), one
 * objection still open against 张德福家庭 and one against 李秀英家庭 investigated by the 妇联 and
 * dismissed by the 平安办 with a written reply. Both anonymous: the seed runs without the data key,
 * so it files nothing that would have to be stored encrypted.
 */
export async function seedObjections(db: Db, storage: FileStorage): Promise<void> {
  const t = today();
  const rows = await db
    .select({ noticeId: publicNotices.id, noticeTitle: publicNotices.title, app: applications, subjectName: subjects.name })
    .from(noticeItems)
    .innerJoin(publicNotices, eq(publicNotices.id, noticeItems.noticeId))
    .innerJoin(applications, eq(applications.id, noticeItems.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .where(
      and(
        eq(publicNotices.status, 'active'),
        lte(publicNotices.startsOn, t),
        gte(publicNotices.endsOn, t),
        eq(applications.status, 'in_notice'),
        eq(applications.categoryCode, 'family'),
      ),
    )
    .orderBy(asc(publicNotices.id), asc(applications.id));
  const li = rows.find((r) => r.subjectName === '李秀英家庭');
  const zhang = rows.find((r) => r.subjectName === '张德福家庭');
  if (!li || !zhang) return;
  const at = (daysAgo: number, hour: number) =>
    new Date(Date.parse(`${t}T${String(hour).padStart(2, '0')}:00:00+08:00`) - daysAgo * 86_400_000);

  const file = async (r: typeof li, text: string, createdAt: Date) => {
    const o = await insertObjection(db, {
      publicCode: publicCode(),
      noticeId: r.noticeId,
      applicationId: r.app.id,
      anonymous: true,
      ipHash: 'demo',
      text,
      createdAt,
    });
    await notify(db, await objectionHandlerUserIds(db, r.app), {
      kind: 'objection',
      title: `新异议：${r.subjectName}（平安家庭）`,
      body: `「${r.noticeTitle}」收到一件匿名异议，请调查核实。`,
      link: `/objections/${o.id}`,
    });
    return o;
  };

  const dismissed = await file(
    li,
    '反映该户在小区5栋楼下私自搭建铁皮棚用于堆放杂物，占用消防通道，存在安全隐患，不应评为平安家庭。',
    at(1, 9),
  );
  const stored = await storage.put(DEMO_PHOTO_PDF);
  await db.insert(objectionFiles).values({
    objectionId: dismissed.id,
    storageKey: stored.key,
    fileName: '现场照片说明.pdf',
    mime: 'application/pdf',
    size: stored.size,
    sha256: stored.sha256,
  });
  await recordFindings(db, await as(db, 'city_women'), dismissed.id, {
    findings: '会同南门社区现场查看：所称铁皮棚为小区物业统一设置的非机动车棚，不属于该户私搭乱建，未占用消防通道。',
  });
  await decideObjection(db, await as(db, 'city_office'), dismissed.id, {
    decision: 'dismissed',
    reply:
      '经云州市妇联会同南门社区现场核实，您反映的铁皮棚为小区物业统一设置的非机动车棚，并非该户私自搭建，也未占用消防通道。异议不成立。感谢您对平安创建工作的关心和监督。',
    revision: 2,
  });

  await file(
    zhang,
    '该户户主今年5月因宅基地边界与邻居发生争执并动手，派出所出过警，邻里矛盾至今没有化解，不符合平安家庭“邻里和睦、无打架斗殴”的要求。',
    new Date(Date.now() - 3_600_000),
  );
}

async function as(db: Db, username: string): Promise<CurrentUser> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  const { scope, org } = await buildScope(db, u!);
  return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, org, subjectId: u!.subjectId, scope };
}

/** A one-page PDF standing in for the objector's photo description. */
const DEMO_PHOTO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
