import type { FastifyPluginAsync } from 'fastify';
import { filingsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import {
  createFromPlan,
  createRequirement,
  deleteRequirement,
  getMatrix,
  listFilingCampaigns,
  listMine,
  listRequirements,
  updateRequirement,
} from './requirements.js';
import {
  acceptFiling,
  getFiling,
  loadFilingFile,
  openFiling,
  returnFiling,
  saveFiling,
  searchSites,
  submitFiling,
  uploadFilingFile,
  type FilingUpload,
} from './service.js';
import { remindFiler, remindLate } from './reminders.js';
import { matrixXlsx } from './xlsx.js';
import { requireFilingRole } from './access.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 报备: thin handlers over the contract in packages/contract/src/filings.ts. */
export const filingRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    // every route: a signed-in office or department (403 for anyone else), then scope in the service
    const user = async (req: Parameters<AppContext['requireUser']>[0]) => {
      const u = await ctx.requireUser(req);
      requireFilingRole(u);
      return u;
    };

    register(app, api.campaigns, async (_, req) => listFilingCampaigns(db, await user(req)));
    register(app, api.requirements, async ({ query }, req) => listRequirements(db, await user(req), query.campaignId));
    register(app, api.createRequirement, async ({ body }, req) => createRequirement(db, await user(req), body));
    register(app, api.fromPlan, async ({ body }, req) => createFromPlan(db, await user(req), body.campaignId));
    register(app, api.updateRequirement, async ({ params, body }, req) => updateRequirement(db, await user(req), params.id, body));
    register(app, api.deleteRequirement, async ({ params }, req) => deleteRequirement(db, ctx.storage, await user(req), params.id));
    register(app, api.remind, async ({ params, body }, req) => remindFiler(db, await user(req), params.id, body.orgId));
    register(app, api.remindLate, async ({ body }, req) => remindLate(db, await user(req), body.campaignId));

    register(app, api.matrix, async ({ query }, req, reply) => {
      const { format, limit, offset, campaignId, late, ...rest } = query;
      const u = await user(req);
      const filter = { ...rest, late: !!late };
      if (format === 'xlsx') {
        const x = await matrixXlsx(db, u, campaignId, filter);
        return sendFile(reply, x.data, XLSX, x.name);
      }
      return getMatrix(db, u, campaignId, { ...filter, limit, offset });
    });
    register(app, api.mine, async ({ query }, req) => listMine(db, await user(req), query));

    register(app, api.open, async ({ body }, req) => openFiling(db, await user(req), body.requirementId));
    register(app, api.detail, async ({ params }, req) => getFiling(db, await user(req), params.id));
    register(app, api.save, async ({ params, body }, req) => saveFiling(db, await user(req), params.id, body));
    register(app, api.upload, async ({ params }, req) => {
      const u = await user(req);
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let file = null as FilingUpload | null; // set in the callback below
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 2 }, async (part) => {
        if (part.type !== 'file') return;
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
        file = { fileName: part.filename, declaredType: part.mimetype, data };
      });
      if (!file) throw new AppError('VALIDATION', '未选择文件');
      return uploadFilingFile(db, ctx.storage, u, params.id, file);
    });
    register(app, api.download, async ({ params }, req, reply) => {
      const f = await loadFilingFile(db, await user(req), params.id);
      return sendFile(reply, await ctx.storage.get(f.key), f.mime, f.fileName);
    });
    register(app, api.sites, async ({ params, query }, req) => searchSites(db, await user(req), params.id, query.q));
    register(app, api.submit, async ({ params }, req) => submitFiling(db, await user(req), params.id));
    register(app, api.accept, async ({ params }, req) => acceptFiling(db, await user(req), params.id));
    register(app, api.reject, async ({ params, body }, req) => returnFiling(db, await user(req), params.id, body.reason));
  };
