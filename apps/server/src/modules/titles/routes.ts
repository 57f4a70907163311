import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { titlesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { publicBaseUrl } from '../../config.js';
import { loadSigningKey } from '../../crypto/keys.js';
import { loggable } from '../../http/failures.js';
import { register, sendFile } from '../../http/contract.js';
import { certificatePdf, listTitles, setNamingDocument, signingKeyView, titlesExport } from './service.js';
import { streamXlsx } from '../../http/xlsx.js';
import { batchFile, getBatch, listBatches, registerBatchJob, startBatch, type BatchEnv } from './batch.js';

/** Kept for the modules that import them from here (dashboard); they live in queries.ts and service.ts. */
export { titleScopeSql } from './queries.js';
export { bannerFor } from './service.js';

/** 命名: thin handlers over the contract in packages/contract/src/titles.ts. */
export const titleRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);
    // the certificates' key (SIGNING_KEY, or DATA_DIR/keys.json outside production) and the address
    // they print: both from the configuration, never from a request
    const env: BatchEnv = {
      db,
      key: loadSigningKey(ctx.config)!,
      baseUrl: publicBaseUrl(ctx.config),
      dir: path.join(ctx.config.DATA_DIR, 'certificates'),
      onError: (err, batchId) => app.log.error({ error: loggable(err), batchId }, 'certificate batch failed'),
    };
    // a batch cut off by a restart or a lost node is started again by the job queue, not given up
    registerBatchJob(env, ctx.jobs);

    register(app, api.list, async ({ query }, req, reply) => {
      const { format, ...q } = query;
      if (format === 'xlsx') {
        const { limit: _l, offset: _o, ...filter } = q;
        const x = titlesExport(db, await user(req), filter, env.baseUrl);
        return streamXlsx(reply, '已命名.xlsx', '已命名', x.columns, x.fetch);
      }
      return listTitles(db, await user(req), q, env.baseUrl);
    });

    register(app, api.certificate, async ({ params, query }, req, reply) => {
      const pdf = await certificatePdf(env, await user(req), params.id, query.layout);
      return sendFile(reply, pdf.data, 'application/pdf', pdf.fileName);
    });

    register(app, api.signingKey, async () => signingKeyView(env.key));

    register(app, api.setNamingDocument, async ({ params, body }, req) => setNamingDocument(db, await user(req), params.id, body));

    register(app, api.startBatch, async ({ params, body }, req) => startBatch(env, ctx.jobs, await user(req), params.id, body.layout));
    register(app, api.listBatches, async ({ params, query }, req) => listBatches(env, await user(req), params.id, query));
    register(app, api.batch, async ({ params }, req) => getBatch(env, await user(req), params.id));

    for (const [route, kind, type] of [
      [api.batchPdf, 'pdf', 'application/pdf'],
      [api.batchZip, 'zip', 'application/zip'],
    ] as const)
      register(app, route, async ({ params }, req, reply) => {
        const f = await batchFile(env, await user(req), params.id, kind);
        return reply
          .header('content-type', type)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
          .header('x-content-type-options', 'nosniff')
          .send(fs.createReadStream(f.file));
      });
  };
