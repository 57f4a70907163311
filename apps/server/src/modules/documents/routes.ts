import type { FastifyPluginAsync } from 'fastify';
import { documentsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { today } from '../../clock.js';
import { applicationFormPdf, loadFormData, reviewFormPdf } from './forms.js';
import { loadRegionSummary, regionSummaryPdf } from './summary.js';

const PDF = 'application/pdf';

/** 打印文书: thin handlers over the contract in packages/contract/src/documents.ts. */
export const documentRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.applicationForm, async ({ params }, req, reply) => {
      const d = await loadFormData(db, ctx.keys, await user(req), params.id);
      return sendFile(reply, await applicationFormPdf(d), PDF, `申报表-${d.applicant.name}.pdf`);
    });
    register(app, api.reviewForm, async ({ params }, req, reply) => {
      const d = await loadFormData(db, ctx.keys, await user(req), params.id);
      return sendFile(reply, await reviewFormPdf(d, today()), PDF, `审核表-${d.applicant.name}.pdf`);
    });
    register(app, api.regionSummary, async ({ query }, req, reply) => {
      const s = await loadRegionSummary(db, await user(req), query.regionId, query.year);
      return sendFile(reply, await regionSummaryPdf(s, today()), PDF, `${s.region.name}${s.year}年度汇总.pdf`);
    });
  };
