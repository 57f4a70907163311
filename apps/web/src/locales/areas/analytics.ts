/** 数据分析 (Analytics): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'analytics.menu': '数据分析',
};

export const en: Record<keyof typeof zh, string> = {
  'analytics.menu': 'Analytics',
};
