import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startServer } from './server';

/**
 * Starts the real server once on an empty data folder with DEMO=1, as a newcomer's first start
 * does: it seeds the demo world. Stopped, its folder is the template each browser test's server
 * starts from a copy of (e2e/server.ts), instead of seeding the same world again per file.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const server = await startServer({ fresh: true });
  // the banner follows the first answer to /healthz by a moment
  for (let i = 0; i < 100 && !/演示数据已生成/.test(server.log()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!/演示数据已生成/.test(server.log())) throw new Error(`the first start did not seed the demo world:\n${server.log()}`);
  await server.stop({ keepData: true });
  project.provide('e2eTemplate', server.dataDir);
  return () => fs.rmSync(server.dataDir, { recursive: true, force: true });
}
