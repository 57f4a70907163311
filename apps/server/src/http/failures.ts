/**
 * What the error handler makes of errors that are not AppErrors: database errors caused by input
 * become 400s, multipart errors get Chinese messages, and whatever is logged carries neither SQL
 * parameters nor request data.
 */

export interface Answer {
  status: number;
  code: string;
  message: string;
}

/** PostgreSQL SQLSTATEs that mean "the input was bad" (class 22, data exception; 54000, too long). */
const PG_INPUT: Record<string, string> = {
  '22P05': '文本包含无法保存的字符（如空字符）',
  '22021': '文本包含无效的字符（如空字符或不完整的字符）',
  '22003': '数值超出范围',
  '22007': '日期或时间格式不正确',
  '22008': '日期或时间超出范围',
  '22001': '文本过长',
  '22P02': '数据格式不正确',
  '54000': '提交的内容过长',
};

/** The error itself or one of its causes (drizzle wraps the driver's error in `cause`). */
function* chain(err: unknown): Generator<{ code?: unknown; message?: unknown; name?: unknown; cause?: unknown }> {
  let e = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    yield e as { code?: unknown; cause?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** The SQLSTATE of a database error, from the error or its cause. */
export function sqlState(err: unknown): string | null {
  for (const e of chain(err)) if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return null;
}

/** A database error caused by input: a 400 VALIDATION whose message names no SQL and no value. */
export function inputDatabaseError(err: unknown): Answer | null {
  const state = sqlState(err);
  if (!state) return null;
  const message = PG_INPUT[state] ?? (state.startsWith('22') ? '提交的数据不正确' : null);
  return message ? { status: 400, code: 'VALIDATION', message: `提交的数据不正确：${message}` } : null;
}

const MULTIPART: Record<string, Answer> = {
  FST_FILES_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '一次只能上传一个文件' },
  FST_FIELDS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传的表单字段过多' },
  FST_PARTS_LIMIT: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '上传的表单内容过多' },
  FST_PROTO_VIOLATION: { status: 400, code: 'VALIDATION', message: '上传的表单包含不允许的字段名' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 400, code: 'VALIDATION', message: '请以 multipart/form-data 上传' },
  FST_INVALID_JSON_FIELD_ERROR: { status: 400, code: 'VALIDATION', message: '上传的表单字段不是有效的JSON' },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'VALIDATION', message: '上传未完成，连接已中断，请重试' },
};
/** @fastify/multipart's errors (FST_*), in Chinese; the file-size limit is answered by the handler itself. */
export function multipartError(err: { code?: unknown }): Answer | null {
  return typeof err.code === 'string' ? (MULTIPART[err.code] ?? null) : null;
}

/** A message without what follows "params:" (drizzle appends the query's parameters) and without quoted values. */
export function safeMessage(message: string, quoted = false): string {
  const i = message.search(/\bparams:/);
  const cut = (i >= 0 ? message.slice(0, i) : message).trimEnd();
  // the driver's own messages quote the offending value: invalid input syntax for type integer: "…"
  return quoted ? cut.replace(/"(?:[^"\\]|\\.)*"/g, '"…"') : cut;
}

/**
 * What the log may carry of an error: its name, message (parameters cut off), code, stack and the
 * same of its causes. Never the error object itself: pino's serializer writes every enumerable
 * property, and drizzle's errors carry `params` (applicants' form data, passwords' hashes) there.
 */
export function loggable(err: unknown): Record<string, unknown> {
  const causes: Record<string, unknown>[] = [];
  let first: Record<string, unknown> | null = null;
  for (const e of chain(err)) {
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const isDriver: boolean = first !== null; // the driver's message quotes values; drizzle's names the SQL text only
    const message: string = typeof e.message === 'string' ? safeMessage(e.message, isDriver) : '';
    const stack = typeof (e as { stack?: unknown }).stack === 'string' ? (e as { stack: string }).stack : '';
    const frames = stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n');
    const entry: Record<string, unknown> = {
      type: name,
      message,
      code: typeof e.code === 'string' ? e.code : undefined,
      stack: `${name}: ${message}\n${frames}`,
    };
    if (!first) first = entry;
    else causes.push({ type: name, message, code: entry.code });
  }
  return { ...(first ?? { type: 'Error', message: String(err) }), ...(causes.length ? { causes } : {}) };
}
