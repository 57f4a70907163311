import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import './messages.js';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { AppError } from './errors.js';
import { setClockOffsetDays } from './clock.js';
import { openapiTransform, openapiTransformObject } from './http/openapi.js';
import { inputDatabaseError, loggable, multipartError, sqlState } from './http/failures.js';
import { installSecurity } from './http/security.js';
import { installAuditHook } from './http/audit-hook.js';
import { auditRoutes } from './modules/audit/routes.js';
import { filingRoutes } from './modules/filings/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { rosterRoutes } from './modules/roster/routes.js';
import { analyticsRoutes } from './modules/analytics/routes.js';
import { assessmentRoutes } from './modules/assessment/routes.js';
import { surveyRoutes } from './modules/surveys/routes.js';
import { loadKeys } from './crypto/keys.js';
import type { AppContext } from './context.js';
import { createStorage, type FileStorage } from './storage/storage.js';
import { JobQueue } from './jobs/queue.js';
import { SESSION_COOKIE } from './modules/auth/service.js';
import { requireSessionUser } from './modules/auth/session.js';
import type { CurrentUser } from './access/scope.js';
import { authRoutes } from './modules/auth/routes.js';
import { adminRoutes } from './modules/admin/routes.js';
import { policyRoutes } from './modules/policy/routes.js';
import { applicationRoutes } from './modules/applications/routes.js';
import { campaignRoutes } from './modules/campaigns/routes.js';
import { standardRoutes } from './modules/standards/routes.js';
import { standardVersionRoutes } from './modules/standards/versionRoutes.js';
import { noticeRoutes } from './modules/notices/routes.js';
import { titleRoutes } from './modules/titles/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { regionRoutes } from './modules/regions/routes.js';
import { ratingRoutes } from './modules/rating/routes.js';
import { quotaRoutes } from './modules/quotas/routes.js';
import { recommendationRoutes } from './modules/recommendations/routes.js';
import { selectionRoutes } from './modules/selections/routes.js';
import { voteRoutes } from './modules/votes/routes.js';
import { signoffRoutes } from './modules/signoffs/routes.js';
import { expertRoutes } from './modules/experts/routes.js';
import { inspectionRoutes } from './modules/inspections/routes.js';
import { incidentRoutes } from './modules/incidents/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { publicCodeRoutes } from './modules/public/routes.js';
import { honourRoutes } from './modules/honour/routes.js';
import { objectionRoutes } from './modules/objections/routes.js';
import { LogCodeSender, type CodeSender } from './modules/public/otp.js';
import { defaultSenders, startOutboxWorker } from './modules/notifications/outbox.js';
import { protectPersonalData } from './modules/applications/personalData.js';

declare module 'fastify' {
  interface FastifyRequest {
    currentUser?: CurrentUser | null;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10}MB` : `${Math.round(n / 1024)}KB`;
}

/** Options for tests: `logStream` receives the log lines (pino's JSON) instead of stdout. */
/**
 * Vite names every file under assets/ by its content hash: a browser keeps it a year and never asks
 * again. The pages themselves (index.html, public.html) are checked each time, so a new build is seen.
 */
export function cacheControlFor(filePath: string): string {
  return /[\\/]assets[\\/]/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** /public…, /verify… and /t/… (a certificate's QR code) are the public's pages. */
export function isPublicPage(url: string): boolean {
  return /^\/(public|verify|t)(\/|\?|$)/.test(url);
}

export interface BuildOptions {
  logStream?: { write(line: string): void };
  /** where the public's one-time codes go; by default the server log */
  sms?: CodeSender;
}

export async function buildApp(
  config: Config,
  database: Database,
  storage?: FileStorage,
  opts: BuildOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // the default request serializer logs method and url, never the body; errors are logged through loggable()
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();
  setClockOffsetDays(config.CLOCK_OFFSET_DAYS);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ctx: AppContext = {
    config,
    database,
    // main.ts hands in its local store (it seeds the demo with it): under STORAGE=s3 the shared object store wins
    storage: storage ?? (await createStorage(config)),
    keys: loadKeys(config),
    sms: opts.sms ?? new LogCodeSender(app.log),
    jobs: new JobQueue(database, {
      staleSeconds: config.JOB_STALE_SECONDS,
      concurrency: config.JOB_CONCURRENCY,
      maxAttempts: config.JOB_MAX_ATTEMPTS,
      log: app.log,
    }),
    // the session under the security policy, and the password / second-factor gate (modules/auth/session.ts)
    requireUser: (req) => requireSessionUser(database.db, config, req),
  };

  // personal numbers left in clear (older rows, the demo seed) are encrypted before anything is served
  await protectPersonalData(database.db, ctx.keys);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'), message: v.message ?? '' }));
      return reply.code(400).send({
        code: 'VALIDATION',
        message: `提交的数据不正确：${issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('；')}`,
        details: issues,
      });
    }
    if (err instanceof AppError) return reply.code(err.status).send({ code: err.code, message: err.message, details: err.details });
    if (err.code === 'FST_REQ_FILE_TOO_LARGE')
      return reply.code(413).send({ code: 'PAYLOAD_TOO_LARGE', message: `文件超过${formatBytes(config.MAX_UPLOAD_BYTES)}上限` });
    const known = multipartError(err) ?? inputDatabaseError(err);
    if (known) {
      if (known.code === 'VALIDATION' && sqlState(err)) req.log.warn({ error: loggable(err) }, 'database refused the input');
      return reply.code(known.status).send({ code: known.code, message: known.message });
    }
    if (err.statusCode === 413) return reply.code(413).send({ code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send({ code: 'BAD_REQUEST', message: `请求无效：${err.message}` });
    // never the error itself: drizzle's carries the SQL parameters, i.e. the request's data
    req.log.error({ error: loggable(err) }, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL', message: '服务器内部错误，请稍后重试' });
  });

  await app.register(cookie);
  // API answers over 1 KB go out brotli- or gzip-compressed as the client accepts; brotli at quality 4,
  // since the default 11 costs more time than it saves on a page of JSON. Static assets carry their
  // build-time .br / .gz (content-encoding already set), and xlsx / pdf / zip are not compressible types.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await installSecurity(app, config);
  installAuditHook(app, ctx);
  await app.register(multipart, { limits: { fileSize: config.MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '平安创建 Pingan platform API',
        version: '0.2.0',
        description:
          '平安创建全流程平台的接口。每个接口的请求与应答由 packages/contract 中的 zod 模式定义。The contract of every route lives in packages/contract.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/', description: '本服务 This server' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '登录后的会话 Cookie (HttpOnly, SameSite=Strict)' },
        },
      },
    },
    transform: openapiTransform,
    transformObject: openapiTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true, database: database.kind }));

  for (const routes of [
    authRoutes,
    adminRoutes,
    policyRoutes,
    applicationRoutes,
    campaignRoutes,
    standardRoutes,
    standardVersionRoutes,
    noticeRoutes,
    titleRoutes,
    dashboardRoutes,
    regionRoutes,
    ratingRoutes,
    notificationRoutes,
    publicCodeRoutes,
    honourRoutes,
    objectionRoutes,
    signoffRoutes,
    expertRoutes,
    inspectionRoutes,
    incidentRoutes,
    quotaRoutes,
    recommendationRoutes,
    selectionRoutes,
    voteRoutes,
    surveyRoutes,
    assessmentRoutes,
    analyticsRoutes,
    rosterRoutes,
    documentRoutes,
    filingRoutes,
  ])
    await app.register(routes(ctx));
  await app.register(auditRoutes(ctx));
  // plugins register when the app loads: the queue starts once every module has registered its job kinds
  app.addHook('onReady', () => ctx.jobs.start());
  app.addHook('onClose', () => ctx.jobs.stop());

  if (config.OUTBOX_INTERVAL_MS > 0) {
    // mail and SMS leave through the outbox; the default senders write to the log
    const worker = startOutboxWorker(database.db, defaultSenders(app.log), app.log, config.OUTBOX_INTERVAL_MS, ctx.keys);
    app.addHook('onClose', () => worker.stop());
  }

  if (fs.existsSync(path.join(config.WEB_DIST, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart
    await app.register(fastifyStatic, {
      root: config.WEB_DIST,
      wildcard: true,
      // .br / .gz written next to each asset at build time (apps/web/scripts/compress.mjs) go out as they are
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => reply.header('cache-control', cacheControlFor(filePath)),
    });
    // the single-page app answers every non-API path
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/') || req.method !== 'GET') return reply.code(404).send({ code: 'NOT_FOUND', message: '接口不存在' });
      // the public's pages are a page of their own (apps/web/public.html): light, without the staff app's code
      if (isPublicPage(req.url) && fs.existsSync(path.join(config.WEB_DIST, 'public.html'))) return reply.sendFile('public.html');
      return reply.sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 'NOT_FOUND', message: '接口不存在' }));
  }
  return app;
}
