import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { subjects, titles } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import type { CurrentUser } from '../access/scope.js';
import { addIncidentFile, confirmIncident, recordIncident } from '../modules/incidents/service.js';

/**
 * The demo's incident (事件与申诉): a fire in 云州市人民医院's in-patient building this morning,
 * recorded by the city's health commission (its lead department) with a scanned report, and
 * confirmed today by the city office that conferred the hospital's 平安医院 title: 黄牌警告. The
 * holder (hospital_rm) has been told and may appeal for 15 days. Deterministic: the same rows on
 * every run, dated from the platform's day like the rest of the demo.
 */
export async function seedIncidents(
  db: Db,
  storage: FileStorage,
  ctx: { as(username: string): Promise<CurrentUser>; day(offset: number): string },
): Promise<void> {
  const [hospital] = await db.select({ id: subjects.id }).from(subjects).where(eq(subjects.name, '云州市人民医院'));
  if (!hospital) throw new Error('demo subject 云州市人民医院 missing');
  const [title] = await db
    .select({ id: titles.id })
    .from(titles)
    .where(and(eq(titles.subjectId, hospital.id), eq(titles.status, 'valid')));
  if (!title) throw new Error('demo title of 云州市人民医院 missing');
  const health = await ctx.as('city_health');
  const incident = await recordIncident(db, health, {
    type: 'fire_accident',
    subjectId: hospital.id,
    occurredOn: ctx.day(0),
    place: '云州市人民医院住院部三楼配电间',
    description:
      '今日上午，住院部三楼配电间电气线路老化短路引发火灾，过火面积约12平方米，疏散住院患者46人，无人员伤亡。经消防部门调查，医院未按要求开展电气线路隐患排查，消防安全主体责任落实不到位。',
  });
  await addIncidentFile(db, storage, health, incident.id, {
    fileName: '火灾事故调查报告.pdf',
    declaredType: 'application/pdf',
    data: REPORT_PDF,
  });
  await confirmIncident(db, await ctx.as('city_office'), incident.id, {
    consequences: incident.proposedConsequences,
    reason: '经核实，火灾系医院消防安全责任落实不到位所致，依照事件处理规则给予黄牌警告，责令限期整改，整改验收合格前保留黄牌警告。',
  });
}

const REPORT_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
