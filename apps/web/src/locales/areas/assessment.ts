/** 区域考评 (Region assessment): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'assessment.menu': '区域指标',
  'assessment.rankingMenu': '年度排名',
};

export const en: Record<keyof typeof zh, string> = {
  'assessment.menu': 'Region indicators',
  'assessment.rankingMenu': 'Yearly ranking',
};
