import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throwaway PostgreSQL database next to the one `baseUrl` names, for tests and benchmarks.
 * drop() waits for the last sockets to close instead of killing them, since a killed connection
 * raises an error event after its pool has let go of it.
 */
export async function createScratchDatabase(
  baseUrl: string,
  prefix: string,
  /** copy this database (which nobody may be connected to) instead of starting empty */
  template?: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  if (template && !/^[a-z_][a-z0-9_]*$/.test(template)) throw new Error(`bad template name ${template}`);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    for (let i = 0; ; i++) {
      try {
        await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
        break;
      } catch (e) {
        // two copies of one template at the same moment: PostgreSQL refuses the second while the first reads it
        if (!template || i >= 50 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        for (let i = 0; ; i++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (e) {
            if (i >= 50) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
