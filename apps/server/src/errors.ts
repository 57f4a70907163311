/**
 * One error catalogue with stable codes. Messages are Chinese, for the person at the screen;
 * `code` is for programs. Anything that is not an AppError is a 500 whose detail stays in the log.
 */
export const ERRORS = {
  VALIDATION: { status: 400, message: '提交的数据不正确' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { status: 401, message: '登录失败次数过多，账号已暂时锁定，请稍后再试' },
  WRONG_PASSWORD: { status: 422, message: '当前密码不正确' },
  CROSS_ORIGIN: { status: 403, message: '拒绝来自其他网站的请求' },
  RATE_LIMITED: { status: 429, message: '尝试过于频繁，请稍后再试' },
  FORBIDDEN: { status: 403, message: '无权执行此操作' },
  NOT_FOUND: { status: 404, message: '记录不存在或不在您的权限范围内' },
  CONFLICT: { status: 409, message: '记录已被他人修改，请刷新后重试' },
  DUPLICATE: { status: 409, message: '记录已存在' },
  WRONG_STATUS: { status: 409, message: '当前状态不允许此操作' },
  INCOMPLETE: { status: 422, message: '申报材料不完整' },
  REASON_REQUIRED: { status: 422, message: '须填写理由' },
  NOTICE_NOT_ENDED: { status: 422, message: '公示期未满' },
  RULE_BROKEN: { status: 422, message: '不符合推荐、名额或评选规则' },
  DATE_INVALID: { status: 422, message: '日期不符合要求' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '文件过大' },
  UNSUPPORTED_TYPE: { status: 415, message: '不支持的文件类型' },
  EXPERT_CONFLICT: { status: 422, message: '所选专家须回避' },
  PASSWORD_POLICY: { status: 400, message: '新密码不符合密码策略' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '请先修改密码' },
  TOTP_SETUP_REQUIRED: { status: 403, message: '安全策略要求启用双因素认证，请先完成设置' },
  OTP_REQUIRED: { status: 401, message: '请输入动态口令' },
  BAD_OTP: { status: 401, message: '动态口令错误或已使用' },
  WRONG_OTP: { status: 422, message: '动态口令不正确或已使用' },
  IMPORT_INVALID: { status: 400, message: '导入失败，未写入任何数据' },
} as const;
export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

export const notFound = (what?: string) => new AppError('NOT_FOUND', what ? `${what}不存在或不在您的权限范围内` : undefined);
export const forbidden = (msg?: string) => new AppError('FORBIDDEN', msg);
