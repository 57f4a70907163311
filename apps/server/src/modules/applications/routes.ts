import type { FastifyPluginAsync } from 'fastify';
import { applicationsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { streamXlsx } from '../../http/xlsx.js';
import { clientOf } from '../../http/client.js';
import { markRecorded } from '../../http/audit-hook.js';
import { addEvidence, deleteEvidence, loadEvidence, withdrawEvidence } from './files.js';
import {
  applicationsExport,
  createApplication,
  getApplicationDetail,
  listApplications,
  reviewApplication,
  saveDraft,
  submitApplication,
} from './service.js';
import { getRevision, listRevisions, revealContact } from './revisions.js';

/** 申报: thin handlers over the contract in packages/contract/src/applications.ts. */
export const applicationRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.list, async ({ query }, req, reply) => {
      const { format, ...q } = query;
      if (format === 'xlsx') {
        const { limit: _l, offset: _o, ...filter } = q;
        const x = applicationsExport(db, ctx.keys, await user(req), filter);
        return streamXlsx(reply, '申报列表.xlsx', '申报列表', x.columns, x.fetch);
      }
      return listApplications(db, await user(req), q);
    });
    register(app, api.create, async ({ body }, req) => ({ id: (await createApplication(db, await user(req), body)).id }));
    register(app, api.detail, async ({ params }, req) => getApplicationDetail(db, await user(req), params.id, ctx.keys));
    register(app, api.saveDraft, async ({ params, body }, req) => saveDraft(db, await user(req), params.id, body, ctx.keys));
    register(app, api.revisions, async ({ params }, req) => listRevisions(db, await user(req), params.id));
    register(app, api.revision, async ({ params }, req) => getRevision(db, ctx.keys, await user(req), params.id, params.no));
    // revealContact writes its own pii.view row (ok or denied): the generic request row would repeat it
    register(app, api.revealContact, async ({ params }, req) =>
      revealContact(db, ctx.keys, await user(req), params.id, clientOf(req), () => markRecorded(req)),
    );
    register(app, api.submit, async ({ params }, req) => submitApplication(db, await user(req), params.id));
    register(app, api.review, async ({ params, body }, req) => reviewApplication(db, await user(req), params.id, body));

    register(app, api.upload, async ({ params }, req) => {
      const u = await user(req);
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let criterionId = null as string | null; // both set in the callback below
      let file = null as { fileName: string; declaredType: string; data: Buffer } | null;
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 5 }, async (part) => {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
          file = { fileName: part.filename, declaredType: part.mimetype, data };
        } else if (part.fieldname === 'criterionId' && typeof part.value === 'string' && part.value) {
          criterionId = part.value.slice(0, 32);
        }
      });
      if (!file) throw new AppError('VALIDATION', '未选择文件');
      return addEvidence(db, ctx.storage, u, params.id, { criterionId, ...file });
    });

    register(app, api.download, async ({ params }, req, reply) => {
      const row = await loadEvidence(db, await user(req), params.id);
      return sendFile(reply, await ctx.storage.get(row.f.storageKey), row.f.contentType, row.f.fileName);
    });

    register(app, api.deleteFile, async ({ params }, req) => {
      await deleteEvidence(db, ctx.storage, await user(req), params.id);
      return { ok: true as const };
    });
    register(app, api.withdrawFile, async ({ params }, req) => withdrawEvidence(db, await user(req), params.id));
  };
