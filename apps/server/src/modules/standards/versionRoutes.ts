import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { STANDARD_FILE_FORMATS } from './formats.js';
import { addVersion, createStandard, diffVersions, exportVersion, validateStandard } from './versions.js';

const Id = z.coerce.number().int().positive();
const DocBody = z.object({
  /** a document of format pingan-standard/v1; checked by parseStandard, errors name the field */
  doc: z.unknown().optional(),
  note: z.string().trim().max(500).nullish(),
});

/** Editing standards: new standards and versions, diffs, validation and export. */
export const standardVersionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const db = ctx.database.db;

    app.post(
      '/api/standards/validate',
      { schema: { tags: ['standards'], summary: '校验标准 Validate a standard document', body: z.object({ doc: z.unknown().optional() }) } },
      async (req) => {
        await ctx.requireUser(req);
        return validateStandard(req.body.doc);
      },
    );

    app.post(
      '/api/standards',
      { schema: { tags: ['standards'], summary: '新建标准 Create a standard (version 1)', body: DocBody } },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const v = await createStandard(db, user, req.body.doc, req.body.note ?? null);
        return reply.code(201).send(v);
      },
    );

    app.post(
      '/api/standards/:id/versions',
      { schema: { tags: ['standards'], summary: '保存新版本 Store a new version', params: z.object({ id: Id }), body: DocBody } },
      async (req, reply) => {
        const user = await ctx.requireUser(req);
        const v = await addVersion(db, user, req.params.id, req.body.doc, req.body.note ?? null);
        return reply.code(201).send(v);
      },
    );

    app.get(
      '/api/standards/:id/versions/:a/diff/:b',
      { schema: { tags: ['standards'], summary: '版本对比 Changes between two versions', params: z.object({ id: Id, a: Id, b: Id }) } },
      async (req) => {
        await ctx.requireUser(req);
        return diffVersions(db, req.params.id, req.params.a, req.params.b);
      },
    );

    app.get(
      '/api/standard-versions/:id/export',
      {
        schema: {
          tags: ['standards'],
          summary: '导出标准 Download a version as JSON, YAML or Excel',
          params: z.object({ id: Id }),
          querystring: z.object({ format: z.enum(STANDARD_FILE_FORMATS).default('yaml') }),
        },
      },
      async (req, reply) => {
        await ctx.requireUser(req);
        const f = await exportVersion(db, req.params.id, req.query.format);
        reply
          .header('content-type', f.contentType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
          .header('x-content-type-options', 'nosniff');
        return reply.send(f.body);
      },
    );
  };
