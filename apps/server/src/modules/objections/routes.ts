import type { FastifyPluginAsync } from 'fastify';
import { objectionsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { streamXlsx } from '../../http/xlsx.js';
import { readParts } from '../../http/multipart.js';
import { clientOf } from '../../http/client.js';
import { markRecorded } from '../../http/audit-hook.js';
import { addObjectionFile, fileObjection, maxFileBytes, objectionReceipt } from './public.js';
import {
  decideObjection,
  getObjection,
  listObjections,
  loadObjectionFile,
  objectionsExport,
  recordFindings,
  revealObjector,
} from './service.js';

/** 异议: thin handlers over the contract in packages/contract/src/objections.ts. */
export const objectionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    // the public's routes: besides the daily counts in public.ts, a burst guard per client address
    const burst = app.rateLimit({ max: 30, timeWindow: 60_000 });
    const publicPaths = new Set<string>([api.file.path, api.uploadFile.path, api.receipt.path]);
    app.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.url && publicPaths.has(req.routeOptions.url)) await burst.call(app, req, reply);
    });

    register(app, api.file, async ({ params, body }, req) =>
      fileObjection(db, ctx.keys, params.code, body, req.ip, { maxUploadBytes: ctx.config.MAX_UPLOAD_BYTES }),
    );
    register(app, api.uploadFile, async ({ params }, req) => {
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      const header = req.headers['x-upload-token'];
      let token = typeof header === 'string' ? header : null;
      let file = null as { fileName: string; declaredType: string; data: Buffer } | null; // set in the callback below
      await readParts(req, { fileSize: maxFileBytes(ctx.config.MAX_UPLOAD_BYTES), files: 1, fields: 3 }, async (part) => {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
          file = { fileName: part.filename, declaredType: part.mimetype, data };
        } else if (part.fieldname === 'token' && typeof part.value === 'string') {
          token = part.value.slice(0, 100);
        }
      });
      if (!file) throw new AppError('VALIDATION', '未选择文件');
      return addObjectionFile(db, ctx.keys, ctx.storage, params.receipt, { token, ...file });
    });
    register(app, api.receipt, async ({ params }) => objectionReceipt(db, params.receipt));

    register(app, api.list, async ({ query }, req, reply) => {
      const { format, ...q } = query;
      if (format === 'xlsx') {
        const { limit: _l, offset: _o, ...filter } = q;
        const x = objectionsExport(db, await user(req), filter);
        return streamXlsx(reply, '异议办理.xlsx', '异议办理', x.columns, x.fetch);
      }
      return listObjections(db, await user(req), q);
    });
    register(app, api.detail, async ({ params }, req) => getObjection(db, ctx.keys, await user(req), params.id));
    register(app, api.findings, async ({ params, body }, req) => recordFindings(db, await user(req), params.id, body));
    register(app, api.decide, async ({ params, body }, req) => decideObjection(db, await user(req), params.id, body));
    // revealObjector writes its own pii.view row (ok or denied): the generic request row would repeat it
    register(app, api.revealContact, async ({ params }, req) =>
      revealObjector(db, ctx.keys, await user(req), params.id, clientOf(req), () => markRecorded(req)),
    );
    register(app, api.downloadFile, async ({ params }, req, reply) => {
      const f = await loadObjectionFile(db, await user(req), params.id);
      return sendFile(reply, await ctx.storage.get(f.storageKey), f.mime, f.fileName);
    });
  };
