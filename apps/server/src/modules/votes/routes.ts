import type { FastifyPluginAsync } from 'fastify';
import { votesApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { streamXlsx } from '../../http/xlsx.js';
import { cleanHeader } from '../../http/client.js';
import {
  applyVoteResult,
  candidatesForVote,
  castPublicBallot,
  closeVote,
  createVote,
  getVote,
  listBallots,
  listVotes,
  publicVoteDetail,
  publicVoteList,
  restoreBallots,
  setAsideBallots,
  voteXlsx,
  votesExport,
} from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 网络评选: thin handlers over packages/contract/src/votes.ts. */
export const voteRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    // the public's ballots: besides one code per minute per number (otp.ts), a burst guard per address
    const burst = app.rateLimit({ max: 30, timeWindow: 60_000 });
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'POST' && req.routeOptions.url === api.cast.path) await burst.call(app, req, reply);
    });

    register(app, api.list, async ({ query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') {
        const x = votesExport(db, u, query);
        return streamXlsx(reply, '网络评选.xlsx', '网络评选', x.columns, x.fetch);
      }
      return listVotes(db, u, query);
    });
    register(app, api.candidates, async ({ query }, req) => candidatesForVote(db, await user(req), query.campaignId));
    register(app, api.create, async ({ body }, req) => createVote(db, await user(req), body));
    register(app, api.detail, async ({ params, query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') {
        const f = await voteXlsx(db, u, params.id);
        return sendFile(reply, f.data, XLSX, f.fileName);
      }
      return getVote(db, u, params.id);
    });
    register(app, api.ballots, async ({ params, query }, req) => listBallots(db, await user(req), params.id, query));
    register(app, api.setAside, async ({ params, body }, req) => setAsideBallots(db, await user(req), params.id, body));
    register(app, api.restore, async ({ params, body }, req) => restoreBallots(db, await user(req), params.id, body));
    register(app, api.close, async ({ params, body }, req) => closeVote(db, await user(req), params.id, body));
    register(app, api.apply, async ({ params }, req) => applyVoteResult(db, await user(req), params.id));

    register(app, api.publicList, async ({ query }) => publicVoteList(db, query));
    register(app, api.publicDetail, async ({ params }) => publicVoteDetail(db, params.code));
    register(app, api.cast, async ({ params, body }, req) =>
      castPublicBallot(db, ctx.keys, params.code, body, {
        ip: cleanHeader(req.ip, 64) ?? 'unknown',
        userAgent: cleanHeader(req.headers['user-agent']),
        acceptLanguage: cleanHeader(req.headers['accept-language'], 200),
      }),
    );
  };
