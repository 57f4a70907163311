import type { FastifyPluginAsync } from 'fastify';
import { quotasApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { exportQuotasXlsx, getQuotas, importQuotasXlsx, loadQuotaTable, replaceQuotas } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 名额: thin handlers over the contract in packages/contract/src/quotas.ts. */
export const quotaRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.get, async ({ params, query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') {
        const f = await exportQuotasXlsx(db, u, params.id);
        return sendFile(reply, f.data, XLSX, f.fileName);
      }
      return getQuotas(db, u, params.id);
    });
    register(app, api.replace, async ({ params, body }, req) => replaceQuotas(db, await user(req), params.id, body.rows));
    register(app, api.load, async ({ params, body }, req) => loadQuotaTable(db, await user(req), params.id, body));

    register(app, api.import, async ({ params }, req) => {
      const u = await user(req);
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let data = null as Buffer | null; // set in the callback below
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 5 }, async (part) => {
        if (part.type === 'file') {
          data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
        }
      });
      if (!data) throw new AppError('VALIDATION', '未选择文件');
      return importQuotasXlsx(db, u, params.id, data);
    });
  };
