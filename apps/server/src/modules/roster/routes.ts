import type { FastifyPluginAsync } from 'fastify';
import { rosterApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { requireRole } from '../../access/scope.js';
import {
  listRoster,
  registerRosterJobs,
  rosterErrorReport,
  rosterExport,
  rosterJobStatus,
  rosterTemplateFor,
  startRosterImport,
} from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 名册导入: thin handlers over the contract in packages/contract/src/roster.ts. */
export const rosterRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const jobs = ctx.jobs;
    registerRosterJobs(db, ctx.keys, ctx.storage, jobs);
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.template, async (_input, req, reply) =>
      sendFile(reply, await rosterTemplateFor(db, await user(req)), XLSX, '名册导入模板.xlsx'),
    );
    register(app, api.importFile, async (_input, req) => {
      const u = await user(req);
      requireRole(u, 'safety_office'); // before reading the upload
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let data = null as Buffer | null; // set in the callback below
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 2 }, async (part) => {
        if (part.type !== 'file') return;
        data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
      });
      if (!data) throw new AppError('VALIDATION', '未选择文件');
      return startRosterImport(ctx.storage, jobs, u, data);
    });
    register(app, api.job, async ({ params }, req) => rosterJobStatus(jobs, await user(req), params.id));
    register(app, api.errorReport, async ({ params }, req, reply) =>
      sendFile(reply, await rosterErrorReport(jobs, await user(req), params.id), XLSX, '名册导入错误报告.xlsx'),
    );
    register(app, api.list, async ({ query }, req, reply) => {
      const { format, limit, offset, ...filter } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await rosterExport(db, ctx.keys, u, filter), XLSX, '名册.xlsx');
      return listRoster(db, ctx.keys, u, { ...filter, limit, offset });
    });
  };
