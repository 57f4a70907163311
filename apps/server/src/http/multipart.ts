import type { FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import { AppError } from '../errors.js';

/** The answer to a multipart body the parser cannot read (bad or missing boundary, truncated, malformed part header). */
export const BAD_MULTIPART_MESSAGE = '上传的表单数据格式不正确或不完整，请重新选择文件上传';

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text that reaches SQL without a contract (form fields, file names): no NUL, no lone surrogate. */
export function isCleanText(s: string): boolean {
  return !NUL.test(s) && !LONE_SURROGATE.test(s);
}

interface PartLimits {
  fileSize: number;
  files: number;
  fields: number;
}

/**
 * Reads every part of a multipart request through `onPart`. File names and text fields are refused
 * when they carry NUL or a lone surrogate. What busboy throws while parsing is the client's doing, a
 * 400 with a Chinese message; the limits (FST_*_LIMIT, FST_REQ_FILE_TOO_LARGE) keep their codes and
 * the error handler answers them 413. `onPart` should only read the part: any other error it throws
 * that is not an AppError is reported as a malformed body too.
 */
export async function readParts(req: FastifyRequest, limits: PartLimits, onPart: (part: Multipart) => Promise<void>): Promise<void> {
  try {
    for await (const part of req.parts({ limits })) {
      if (part.type === 'file' && !isCleanText(part.filename)) throw new AppError('VALIDATION', '文件名包含无效的字符');
      if (part.type === 'field' && (!isCleanText(part.fieldname) || (typeof part.value === 'string' && !isCleanText(part.value))))
        throw new AppError('VALIDATION', `${isCleanText(part.fieldname) ? part.fieldname : '字段'}包含无效的字符`);
      await onPart(part);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('FST_')) throw err;
    throw new AppError('VALIDATION', BAD_MULTIPART_MESSAGE);
  }
}
