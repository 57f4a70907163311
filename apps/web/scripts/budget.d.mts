// Types for budget.mjs (a plain Node script, so the build needs no TypeScript step), for
// vite.config.ts and apps/server/test/web-budget.test.ts.
export interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}
export type Manifest = Record<string, ManifestChunk>;
export interface FirstLoad {
  files: { file: string; bytes: number }[];
  bytes: number;
}
export interface BudgetResult {
  staff: FirstLoad;
  public: FirstLoad;
  limit: number;
  ok: boolean;
}
export interface BundleChunk {
  fileName: string;
  name?: string;
  isEntry?: boolean;
  moduleIds: string[];
  imports: string[];
  dynamicImports: string[];
}
export const PUBLIC_LIMIT: number;
export const ENTRIES: { staff: string; public: string };
export function firstLoadFiles(manifest: Manifest, entryKey: string): string[];
export function checkBudget(manifest: Manifest, gzipSize: (file: string) => number, limit?: number): BudgetResult;
export function publicLeaks(chunks: BundleChunk[], entryName?: string): string[];
export function formatReport(result: BudgetResult): string[];
