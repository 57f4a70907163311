/** 打印文书 (Printed forms): strings side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
  'documents.menu': '打印文书',
};

export const en: Record<keyof typeof zh, string> = {
  'documents.menu': 'Printed forms',
};
