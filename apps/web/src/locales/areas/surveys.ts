/** 问卷调查 (Surveys): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'surveys.menu': '问卷调查',
};

export const en: Record<keyof typeof zh, string> = {
  'surveys.menu': 'Surveys',
};
