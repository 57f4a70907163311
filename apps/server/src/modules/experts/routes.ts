import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { assignExperts, autoAssignCampaign, campaignAssignments, listPool, putProfile, searchSubjects, withdrawAssignment } from './service.js';
import { addPhoto, deletePhoto, getOnsite, listMyAssignments, loadPhoto, saveCheck, submitCheck } from './onsite.js';
import { answerRectification, listRectifications, recheckRectification, requestRectification } from './rectifications.js';

const IdNum = z.coerce.number().int().positive('编号须为正整数').max(2147483647, '编号过大');
const Id = z.object({ id: IdNum });
const AppId = z.object({ applicationId: IdNum });
const noNul = (s: string) => !s.includes('\u0000');
const Str = (max: number) => z.string().max(max, `不能超过${max}字`).refine(noNul, '不能包含空字符');
const CriterionId = z.string().min(1).max(32).refine(noNul, '不能包含空字符');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为YYYY-MM-DD');
const Score = z
  .number()
  .finite()
  .min(0)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, '得分最多保留两位小数');

/** Reads a multipart request: one file (optional) and text fields. */
async function readMultipart(req: FastifyRequest, maxBytes: number, fieldNames: readonly string[]) {
  if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传');
  const fields: Record<string, string> = {};
  let file: { fileName: string; declaredType: string; data: Buffer } | null = null;
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
      file = { fileName: part.filename, declaredType: part.mimetype, data };
    } else if (fieldNames.includes(part.fieldname) && typeof part.value === 'string') {
      if (!noNul(part.value)) throw new AppError('VALIDATION', `${part.fieldname}不能包含空字符`);
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, file };
}

const num = (s: string | undefined, min: number, max: number, label: string): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) throw new AppError('VALIDATION', `${label}须为${min}到${max}之间的数字`);
  return n;
};

export const expertRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    // ───────────── the office: pool and assignments ─────────────

    app.get('/api/experts', { schema: { tags: ['experts'], summary: '专家库 The expert pool of my region' } }, async (req) => listPool(db, await ctx.requireUser(req)));

    app.get(
      '/api/experts/subjects',
      {
        schema: {
          tags: ['experts'],
          summary: '查找单位 Find subjects of my region (for 回避 facts)',
          querystring: z.object({ q: Str(50).default('') }),
        },
      },
      async (req) => searchSubjects(db, await ctx.requireUser(req), req.query.q.trim()),
    );

    app.put(
      '/api/experts/:id',
      {
        schema: {
          tags: ['experts'],
          summary: '设置专家信息 Put an expert into the pool (domains, 回避 facts, cap)',
          params: Id,
          body: z.object({
            domains: z.array(z.string().min(1).max(64).refine(noNul)).max(50),
            employerSubjectId: IdNum.nullable(),
            homeRegionId: IdNum.nullable(),
            relatedSubjectIds: z.array(IdNum).max(100),
            maxLoad: z.number().int().min(0).max(200),
          }),
        },
      },
      async (req) => putProfile(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.get(
      '/api/campaigns/:id/assignments',
      { schema: { tags: ['experts'], summary: '专家指派 Applications at the onsite step, the pool and conflicts', params: Id } },
      async (req) => campaignAssignments(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/applications/:id/assignments',
      {
        schema: {
          tags: ['experts'],
          summary: '指派专家 Assign experts by hand (conflicts refused with reasons)',
          params: Id,
          body: z.object({ expertIds: z.array(IdNum).min(1).max(20), dueOn: Day.nullish() }),
        },
      },
      async (req, reply) => {
        const out = await assignExperts(db, await ctx.requireUser(req), req.params.id, req.body);
        reply.code(201);
        return out;
      },
    );

    app.post(
      '/api/campaigns/:id/assignments/auto',
      {
        schema: {
          tags: ['experts'],
          summary: '自动分配专家 Assign automatically: balanced load, a cap per expert',
          params: Id,
          body: z.object({
            categoryCode: z.string().min(1).max(64).refine(noNul).optional(),
            perApplication: z.number().int().min(1).max(10),
            cap: z.number().int().min(1).max(200),
          }),
        },
      },
      async (req) => autoAssignCampaign(db, await ctx.requireUser(req), req.params.id, req.body),
    );

    app.delete(
      '/api/assignments/:id',
      { schema: { tags: ['experts'], summary: '撤回指派 Withdraw an assignment', params: Id, response: { 200: z.object({ ok: z.boolean() }) } } },
      async (req) => withdrawAssignment(db, await ctx.requireUser(req), req.params.id),
    );

    // ───────────── the expert: on-site checks ─────────────

    app.get('/api/onsite', { schema: { tags: ['onsite'], summary: '我的核查任务 My open assignments' } }, async (req) => listMyAssignments(db, await ctx.requireUser(req)));

    app.get(
      '/api/onsite/:applicationId',
      { schema: { tags: ['onsite'], summary: '现场核查清单 The checklist, my findings and photos', params: AppId } },
      async (req) => getOnsite(db, await ctx.requireUser(req), req.params.applicationId),
    );

    app.put(
      '/api/onsite/:applicationId',
      {
        schema: {
          tags: ['onsite'],
          summary: '保存核查草稿 Save the draft (autosave)',
          params: AppId,
          body: z.object({
            place: Str(200).nullish(),
            latitude: z.number().min(-90).max(90).nullish(),
            longitude: z.number().min(-180).max(180).nullish(),
            summary: Str(5000).nullish(),
            findings: z
              .array(
                z.object({
                  criterionId: CriterionId,
                  met: z.boolean().nullish(),
                  score: Score.nullish(),
                  note: Str(2000).nullish(),
                  figures: z.record(z.string().max(64).refine(noNul), z.number().finite()).optional(),
                }),
              )
              .max(500),
          }),
          response: { 200: z.object({ checkId: z.number(), savedAt: z.string() }) },
        },
      },
      async (req) => saveCheck(db, await ctx.requireUser(req), req.params.applicationId, req.body),
    );

    app.post(
      '/api/onsite/:applicationId/photos',
      {
        schema: {
          tags: ['onsite'],
          summary: '上传现场照片 Upload a photo (multipart: file, criterionId, takenAt, latitude, longitude)',
          params: AppId,
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const { fields, file } = await readMultipart(req, ctx.config.MAX_UPLOAD_BYTES, ['criterionId', 'takenAt', 'latitude', 'longitude']);
        if (!file) throw new AppError('VALIDATION', '未选择照片');
        const criterionId = fields.criterionId ? fields.criterionId.slice(0, 32) : null;
        let takenAt: Date | null = null;
        if (fields.takenAt) {
          const d = new Date(fields.takenAt.slice(0, 40));
          if (!Number.isFinite(d.getTime())) throw new AppError('VALIDATION', '拍摄时间格式不正确');
          takenAt = d;
        }
        const latitude = num(fields.latitude, -90, 90, '纬度');
        const longitude = num(fields.longitude, -180, 180, '经度');
        if ((latitude === null) !== (longitude === null)) throw new AppError('VALIDATION', '经纬度须同时提供');
        reply.code(201);
        return addPhoto(db, ctx.storage, user, req.params.applicationId, { data: file.data, criterionId, browser: { takenAt, latitude, longitude } });
      },
    );

    app.get(
      '/api/onsite-photos/:id',
      { schema: { tags: ['onsite'], summary: '下载现场照片 Download a photo', params: Id } },
      async (req, reply) => {
        const p = await loadPhoto(db, await ctx.requireUser(req), req.params.id);
        reply.header('content-type', p.contentType).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=3600');
        return reply.send(await ctx.storage.get(p.storageKey));
      },
    );

    app.delete(
      '/api/onsite/:applicationId/photos/:id',
      {
        schema: {
          tags: ['onsite'],
          summary: '删除现场照片 Delete a photo of my draft',
          params: z.object({ applicationId: IdNum, id: IdNum }),
          response: { 200: z.object({ ok: z.boolean() }) },
        },
      },
      async (req) => deletePhoto(db, ctx.storage, await ctx.requireUser(req), req.params.applicationId, req.params.id),
    );

    app.post(
      '/api/onsite/:applicationId/submit',
      { schema: { tags: ['onsite'], summary: '提交核查 Submit: findings become onsite-stage scores', params: AppId } },
      async (req) => submitCheck(db, await ctx.requireUser(req), req.params.applicationId),
    );

    // ───────────── 整改 ─────────────

    app.post(
      '/api/onsite/:applicationId/rectifications',
      {
        schema: {
          tags: ['rectifications'],
          summary: '提出整改要求 Ask the unit to fix something by a date',
          params: AppId,
          body: z.object({ criterionId: CriterionId, request: Str(2000).refine((s) => s.trim().length > 0, '请填写整改要求'), dueOn: Day }),
        },
      },
      async (req, reply) => {
        const out = await requestRectification(db, await ctx.requireUser(req), req.params.applicationId, req.body);
        reply.code(201);
        return out;
      },
    );

    app.get(
      '/api/applications/:id/rectifications',
      { schema: { tags: ['rectifications'], summary: '整改要求 Rectifications of an application', params: Id } },
      async (req) => listRectifications(db, await ctx.requireUser(req), req.params.id),
    );

    app.post(
      '/api/rectifications/:id/answer',
      {
        schema: {
          tags: ['rectifications'],
          summary: '答复整改 Answer (multipart: answer, optional file)',
          params: Id,
          consumes: ['multipart/form-data'],
        },
      },
      async (req) => {
        const user = await ctx.requireUser(req);
        const { fields, file } = await readMultipart(req, ctx.config.MAX_UPLOAD_BYTES, ['answer']);
        const answer = fields.answer ?? '';
        if (answer.length > 5000) throw new AppError('VALIDATION', '整改情况不能超过5000字');
        return answerRectification(db, ctx.storage, user, req.params.id, { answer, file });
      },
    );

    app.post(
      '/api/rectifications/:id/recheck',
      {
        schema: {
          tags: ['rectifications'],
          summary: '复查整改 Re-check the answer',
          params: Id,
          body: z.object({ accepted: z.boolean(), note: Str(2000).nullish() }),
        },
      },
      async (req) => recheckRectification(db, await ctx.requireUser(req), req.params.id, req.body),
    );
  };
