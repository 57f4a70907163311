import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { auditApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { register, sendFile } from '../../http/contract.js';
import { clientOf } from '../../http/client.js';
import { markRecorded } from '../../http/audit-hook.js';
import { assertAuditor, auditXlsx, listAudit, purgeAudit, verifyAudit } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 审计日志: thin handlers over packages/contract/src/audit.ts, for the audit administrator only.
 * Looking at, exporting, checking and purging the trail are themselves recorded by the audit hook
 * (http/audit-hook.ts); a purge writes its own row, with the count and the last purged hash.
 */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const auditor = async (req: FastifyRequest) => {
      const u = await ctx.requireUser(req);
      assertAuditor(u);
      return u;
    };

    register(app, api.list, async ({ query }, req) => {
      await auditor(req);
      return listAudit(db, query);
    });

    register(app, api.export, async ({ query }, req, reply) => {
      await auditor(req);
      const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      return sendFile(reply, await auditXlsx(db, query), XLSX, `审计日志-${day}.xlsx`);
    });

    register(app, api.verify, async (_input, req) => {
      await auditor(req);
      return verifyAudit(db, ctx.keys);
    });

    register(app, api.purge, async ({ body }, req) => {
      const u = await auditor(req);
      const out = await purgeAudit(db, ctx.keys, { actor: u, client: clientOf(req) }, body.before, ctx.config.AUDIT_RETENTION_DAYS);
      // the purge wrote its own row in its transaction: the hook must not add a second one
      markRecorded(req);
      return out;
    });
  };
