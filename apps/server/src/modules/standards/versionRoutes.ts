import type { FastifyPluginAsync } from 'fastify';
import { standardsApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { addVersion, createStandard, diffVersions, exportVersion, validateStandard } from './versions.js';

/** Editing standards: new standards and versions, diffs, validation and export (contract: standards.ts). */
export const standardVersionRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.validate, async ({ body }, req) => {
      await user(req);
      return validateStandard(body.doc);
    });
    register(app, api.create, async ({ body }, req) => createStandard(db, await user(req), body.doc, body.note ?? null));
    register(app, api.addVersion, async ({ params, body }, req) => addVersion(db, await user(req), params.id, body.doc, body.note ?? null));
    register(app, api.diff, async ({ params }, req) => {
      await user(req);
      return diffVersions(db, params.id, params.a, params.b);
    });
    register(app, api.export, async ({ params, query }, req, reply) => {
      await user(req);
      const f = await exportVersion(db, params.id, query.format);
      return sendFile(reply, f.body, f.contentType, f.fileName);
    });
  };
