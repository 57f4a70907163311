import type { FastifyPluginAsync } from 'fastify';
import { adminApi as api } from '@pingan/contract';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { register, sendFile } from '../../http/contract.js';
import { readParts } from '../../http/multipart.js';
import { requireDuty } from '../../access/admin.js';
import { exportOrgsXlsx, exportUsersXlsx, importTemplate, importUsers } from './excel.js';
import {
  allOrgs,
  allRegions,
  allUsers,
  createOrg,
  createUser,
  findSubjects,
  getUser,
  listOrgs,
  listUsers,
  resetPassword,
  resetTotp,
  updateOrg,
  updateUser,
} from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** an account import is a small sheet; 5 MB is far more than 500 rows need */
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** 系统管理: accounts and organisations, for the system administrator (access/admin.ts decides). */
export const adminRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const db = ctx.database.db;
    const user = (req: Parameters<AppContext['requireUser']>[0]) => ctx.requireUser(req);

    register(app, api.listUsers, async ({ query }, req) => listUsers(db, ctx.keys, await user(req), query));
    register(app, api.exportUsers, async ({ query }, req, reply) => {
      const list = await allUsers(db, ctx.keys, await user(req), query);
      return sendFile(reply, await exportUsersXlsx(list), XLSX, '账号.xlsx');
    });
    register(app, api.importTemplate, async (_input, req, reply) =>
      sendFile(reply, await importTemplate(db, await user(req)), XLSX, '账号导入模板.xlsx'),
    );
    register(app, api.importUsers, async (_input, req) => {
      const u = await user(req);
      requireDuty(u, 'manageAccounts'); // before reading the upload
      if (!req.isMultipart()) throw new AppError('VALIDATION', '请以 multipart/form-data 上传文件');
      let data = null as Buffer | null; // set in the callback below
      await readParts(req, { fileSize: Math.min(ctx.config.MAX_UPLOAD_BYTES, IMPORT_MAX_BYTES), files: 1, fields: 5 }, async (part) => {
        if (part.type === 'file') {
          data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', '文件超过上传上限');
        }
      });
      if (!data) throw new AppError('VALIDATION', '未选择文件');
      return importUsers(db, ctx.keys, u, data);
    });
    register(app, api.getUser, async ({ params }, req) => getUser(db, ctx.keys, await user(req), params.id));
    register(app, api.createUser, async ({ body }, req) => createUser(db, ctx.keys, await user(req), body));
    register(app, api.updateUser, async ({ params, body }, req) => updateUser(db, ctx.keys, await user(req), params.id, body));
    register(app, api.resetPassword, async ({ params }, req) => resetPassword(db, await user(req), params.id));
    register(app, api.resetTotp, async ({ params }, req) => resetTotp(db, await user(req), params.id));

    register(app, api.listOrgs, async ({ query }, req, reply) => {
      const u = await user(req);
      if (query.format === 'xlsx') return sendFile(reply, await exportOrgsXlsx(await allOrgs(db, u, query)), XLSX, '组织.xlsx');
      return listOrgs(db, u, query);
    });
    register(app, api.createOrg, async ({ body }, req) => createOrg(db, await user(req), body));
    register(app, api.updateOrg, async ({ params, body }, req) => updateOrg(db, await user(req), params.id, body));
    register(app, api.regions, async (_input, req) => allRegions(db, await user(req)));
    register(app, api.subjects, async ({ query }, req) => findSubjects(db, await user(req), query));
  };
