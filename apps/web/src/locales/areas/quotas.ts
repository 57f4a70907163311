/** UI strings of one area, Chinese and English side by side; spread into zh-CN.ts and en-US.ts. */
export const zh = {
} as const;

export const en: Record<keyof typeof zh, string> = {
};
