import type { FastifyPluginAsync } from 'fastify';
import { incidentsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import {
  addIncidentFile,
  confirmIncident,
  decideAppeal,
  dismissIncident,
  fileAppeal,
  getIncident,
  incidentsXlsx,
  listIncidents,
  listTargets,
  loadIncidentFile,
  recordIncident,
  type IncidentUpload,
} from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 事件与申诉: thin handlers over the contract in packages/contract/src/incidents.ts. */
export const incidentRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ query }, req, reply) => {
      const { format, limit, offset, ...filter } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await incidentsXlsx(db, u, filter), XLSX, '事件列表.xlsx');
      return listIncidents(db, u, { ...filter, limit, offset });
    });
    register(app, api.targets, async ({ query }, req) => listTargets(db, await user(req), query.q));
    register(app, api.create, async ({ body }, req) => recordIncident(db, await user(req), body));
    register(app, api.detail, async ({ params }, req) => getIncident(db, await user(req), params.id));

    register(app, api.upload, async ({ params }, req) => {
      const u = await user(req);
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let file = null as IncidentUpload | null; // set in the callback below
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 2 }, async (part) => {
        if (part.type !== 'file') return;
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
        file = { fileName: part.filename, declaredType: part.mimetype, data };
      });
      if (!file) throw new AppError('VALIDATION', '未选择文件');
      return addIncidentFile(db, ctx.storage, u, params.id, file);
    });
    register(app, api.download, async ({ params }, req, reply) => {
      const f = await loadIncidentFile(db, await user(req), params.id);
      return sendFile(reply, await ctx.storage.get(f.storageKey), f.mime, f.fileName);
    });

    register(app, api.confirm, async ({ params, body }, req) => confirmIncident(db, await user(req), params.id, body));
    register(app, api.dismiss, async ({ params, body }, req) => dismissIncident(db, await user(req), params.id, body));
    register(app, api.appeal, async ({ params, body }, req) => fileAppeal(db, await user(req), params.id, body));
    register(app, api.decideAppeal, async ({ params, body }, req) => decideAppeal(db, await user(req), params.id, body));
  };
