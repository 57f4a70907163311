import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A port nothing listens on now: the OS picks it (two files' servers run side by side). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Starts the real server on a fresh embedded database with the demo world; resolves when healthy. */
export interface RunningServer {
  url: string;
  dataDir: string;
  /** stops the server; the data folder is removed unless keepData */
  stop: (opts?: { keepData?: boolean }) => Promise<void>;
  log: () => string;
}

/**
 * Starts the real server. By default on a copy of the data folder that e2e/global-setup.ts left
 * (a server started once on an empty folder with DEMO=1, which seeded the demo world, then
 * stopped); `fresh` starts on an empty folder and seeds again. Pass the folder of a stopped server
 * to start it again on the same data (e.g. with CLOCK_OFFSET_DAYS, "ten days later", so a notice
 * period can end within a test).
 */
export async function startServer(
  opts: { dataDir?: string; env?: Record<string, string>; port?: number; fresh?: boolean } = {},
): Promise<RunningServer> {
  let dataDir = opts.dataDir;
  if (!dataDir) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-e2e-'));
    const template = opts.fresh ? null : inject('e2eTemplate');
    if (template) fs.cpSync(template, dataDir, { recursive: true });
  }
  const port = opts.port ?? (await freePort());
  let out = '';
  // the browser walkthrough runs on the embedded database, as a newcomer's first start does
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO: '1', ...opts.env };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    log: () => out,
    stop: async (o = {}) => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!o.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
