import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { expertsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { streamXlsx, type Column } from '../../http/xlsx.js';
import {
  assignExperts,
  autoAssignCampaign,
  campaignAssignments,
  listPool,
  putProfile,
  searchSubjects,
  withdrawAssignment,
} from './service.js';
import { addPhoto, deletePhoto, getOnsite, listMyAssignments, loadPhoto, saveCheck, submitCheck } from './onsite.js';
import { answerRectification, listRectifications, recheckRectification, requestRectification } from './rectifications.js';

/** Reads a multipart request: one file (optional) and text fields. */
async function readMultipart(req: FastifyRequest, maxBytes: number, fieldNames: readonly string[]) {
  if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传');
  const fields: Record<string, string> = {};
  let file = null as { fileName: string; declaredType: string; data: Buffer } | null; // set in the callback below
  await readParts(req, { fileSize: maxBytes, files: 1, fields: 10 }, async (part) => {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
      file = { fileName: part.filename, declaredType: part.mimetype, data };
    } else if (fieldNames.includes(part.fieldname) && typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  });
  return { fields, file };
}

const num = (s: string | undefined, min: number, max: number, label: string): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) throw new AppError('VALIDATION', `${label}须为${min}到${max}之间的数字`);
  return n;
};

/** Experts, on-site checks and 整改: thin handlers over the contract in packages/contract/src/experts.ts. */
export const expertRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    // ───────────── the office: pool and assignments ─────────────
    register(app, api.pool, async ({ query }, req, reply) => {
      const pool = await listPool(db, await user(req));
      if (query.format !== 'xlsx') return pool;
      const domain = new Map(pool.categories.map((c) => [c.code, c.name]));
      type Row = (typeof pool.items)[number];
      const columns: Column<Row>[] = [
        { header: '姓名', width: 12, value: (e) => e.displayName },
        { header: '账号', width: 16, value: (e) => e.username },
        { header: '所在单位', width: 24, value: (e) => e.orgName },
        {
          header: '核查类别',
          width: 36,
          value: (e) => (e.domains.length ? e.domains.map((d) => domain.get(d) ?? d).join('、') : '全部类别'),
        },
        { header: '工作单位（回避）', width: 24, value: (e) => e.employerName },
        { header: '居住地（回避）', width: 16, value: (e) => e.homeRegionName },
        { header: '利害关系单位（回避）', width: 30, value: (e) => e.relatedNames.join('、') },
        { header: '当前任务', width: 10, value: (e) => e.load },
        { header: '任务上限', width: 10, value: (e) => e.maxLoad },
        { header: '状态', width: 8, value: (e) => (e.disabled ? '停用' : '正常') },
      ];
      return streamXlsx(reply, '专家库.xlsx', '专家库', columns, async (o, l) => pool.items.slice(o, o + l));
    });
    register(app, api.searchSubjects, async ({ query }, req) => searchSubjects(db, await user(req), query.q.trim()));
    register(app, api.putProfile, async ({ params, body }, req) => putProfile(db, await user(req), params.id, body));
    register(app, api.campaignAssignments, async ({ params }, req) => campaignAssignments(db, await user(req), params.id));
    register(app, api.assign, async ({ params, body }, req) => assignExperts(db, await user(req), params.id, body));
    register(app, api.autoAssign, async ({ params, body }, req) => autoAssignCampaign(db, await user(req), params.id, body));
    register(app, api.withdraw, async ({ params }, req) => withdrawAssignment(db, await user(req), params.id));

    // ───────────── the expert: on-site checks ─────────────
    register(app, api.mine, async (_, req) => listMyAssignments(db, await user(req)));
    register(app, api.onsite, async ({ params }, req) => getOnsite(db, await user(req), params.applicationId));
    register(app, api.saveCheck, async ({ params, body }, req) => saveCheck(db, await user(req), params.applicationId, body));

    register(app, api.uploadPhoto, async ({ params }, req) => {
      const u = await user(req);
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
      return addPhoto(db, ctx.storage, u, params.applicationId, {
        data: file.data,
        criterionId,
        browser: { takenAt, latitude, longitude },
      });
    });

    // shown inline (<img>), so no attachment disposition
    register(app, api.photo, async ({ params }, req, reply) => {
      const p = await loadPhoto(db, await user(req), params.id);
      const data = await ctx.storage.get(p.storageKey);
      return reply
        .header('content-type', p.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .send(data);
    });

    register(app, api.deletePhoto, async ({ params }, req) =>
      deletePhoto(db, ctx.storage, await user(req), params.applicationId, params.id),
    );
    register(app, api.submit, async ({ params }, req) => submitCheck(db, await user(req), params.applicationId));

    // ───────────── 整改 ─────────────
    register(app, api.requestRectification, async ({ params, body }, req) =>
      requestRectification(db, await user(req), params.applicationId, body),
    );
    register(app, api.rectifications, async ({ params }, req) => listRectifications(db, await user(req), params.id));

    register(app, api.answerRectification, async ({ params }, req) => {
      const u = await user(req);
      const { fields, file } = await readMultipart(req, ctx.config.MAX_UPLOAD_BYTES, ['answer']);
      const answer = fields.answer ?? '';
      if (answer.length > 5000) throw new AppError('VALIDATION', '整改情况不能超过5000字');
      return answerRectification(db, ctx.storage, u, params.id, { answer, file });
    });

    register(app, api.recheckRectification, async ({ params, body }, req) => recheckRectification(db, await user(req), params.id, body));
  };
