/** 名册导入 (Roster import): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'roster.menu': '名册导入',
};

export const en: Record<keyof typeof zh, string> = {
  'roster.menu': 'Roster import',
};
