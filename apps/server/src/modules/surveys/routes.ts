import type { FastifyPluginAsync } from 'fastify';
import { surveysApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { publicBaseUrl } from '../../config.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { applySurveyResults } from './apply.js';
import { createInvitations, importResponses, importTemplate, progressXlsx, surveysXlsx } from './excel.js';
import { answerSurvey, publicSurveyDetail, publicSurveyList } from './public.js';
import {
  closeSurvey,
  createSurvey,
  getSurvey,
  listSurveys,
  listTemplates,
  openSurvey,
  ownedSurvey,
  proposeTargets,
  saveTargets,
  surveyProgress,
  surveyResults,
  unitOptions,
  updateSurvey,
} from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 问卷调查: thin handlers over the contract in packages/contract/src/surveys.ts. */
export const surveyRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    // the public's answers: besides one code a minute per number (otp.ts), a burst guard per address
    const burst = app.rateLimit({ max: 30, timeWindow: 60_000 });
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'POST' && req.routeOptions.url === api.respond.path) await burst.call(app, req, reply);
    });

    register(app, api.list, async ({ query }, req, reply) => {
      const { format, limit, offset, ...filter } = query;
      const u = await user(req);
      if (format === 'xlsx') return sendFile(reply, await surveysXlsx(db, u, filter), XLSX, '问卷调查.xlsx');
      return listSurveys(db, u, { ...filter, limit, offset });
    });
    register(app, api.templates, async (_i, req) => listTemplates(await user(req)));
    register(app, api.unitOptions, async ({ query }, req) => unitOptions(db, await user(req), query.q));
    register(app, api.create, async ({ body }, req) => createSurvey(db, await user(req), body));
    register(app, api.detail, async ({ params }, req) => getSurvey(db, await user(req), params.id));
    register(app, api.update, async ({ params, body }, req) => updateSurvey(db, await user(req), params.id, body));
    register(app, api.proposeTargets, async ({ params, query }, req) => proposeTargets(db, await user(req), params.id, query));
    register(app, api.saveTargets, async ({ params, body }, req) => saveTargets(db, await user(req), params.id, body));
    register(app, api.open, async ({ params }, req) => openSurvey(db, await user(req), params.id));
    register(app, api.close, async ({ params }, req) => closeSurvey(db, await user(req), params.id));
    register(app, api.invitations, async ({ params, body }, req, reply) => {
      const f = await createInvitations(db, ctx.keys, await user(req), params.id, body, publicBaseUrl(ctx.config));
      reply.code(201);
      return sendFile(reply, f.data, XLSX, f.fileName);
    });
    register(app, api.progress, async ({ params, query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') return sendFile(reply, await progressXlsx(db, u, params.id), XLSX, '调查进度.xlsx');
      return surveyProgress(db, u, params.id);
    });
    register(app, api.results, async ({ params }, req) => surveyResults(db, await user(req), params.id));
    register(app, api.apply, async ({ params }, req) => applySurveyResults(db, await user(req), params.id));
    register(app, api.importTemplate, async ({ params }, req, reply) => {
      const f = await importTemplate(db, await user(req), params.id);
      return sendFile(reply, f.data, XLSX, f.fileName);
    });
    register(app, api.importResponses, async ({ params }, req) => {
      const u = await user(req);
      await ownedSurvey(db, u, params.id); // before reading the upload
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let file = null as { data: Buffer; name: string } | null; // set in the callback below
      await readParts(req, { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 2 }, async (part) => {
        if (part.type !== 'file') return;
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
        file = { data, name: part.filename || '电话调查.xlsx' };
      });
      if (!file) throw new AppError('VALIDATION', '未选择文件');
      const f: { data: Buffer; name: string } = file;
      return importResponses(db, ctx.keys, u, params.id, f.data, f.name);
    });

    register(app, api.publicList, async ({ query }) => publicSurveyList(db, query));
    register(app, api.publicDetail, async ({ params }) => publicSurveyDetail(db, params.code));
    register(app, api.respond, async ({ params, body }) => answerSurvey(db, ctx.keys, params.code, body));
  };
