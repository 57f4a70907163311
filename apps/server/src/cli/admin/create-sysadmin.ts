import { eq, sql } from 'drizzle-orm';
import { Username } from '@pingan/contract';
import type { Config } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { loadKeys } from '../../crypto/keys.js';
import { recordAudit } from '../../modules/audit/service.js';
import { hashPassword } from '../../modules/auth/service.js';
import { oneTimePassword } from '../../modules/admin/service.js';
import type { AdminCommand } from './command.js';

const USAGE = '用法 usage: npm run admin -- create-sysadmin <用户名 username> [--name <显示名 display name>]\n';

/**
 * create-sysadmin: the first system administrator of a new platform (production has no demo
 * accounts). Prints a random one-time password once; the account must change it at its first
 * login. Refuses a username that exists. On PGlite stop the platform first (the folder is locked).
 */
export const createSysadminCommand: AdminCommand = {
  summary: '创建系统管理员 Create a system administrator with a one-time password',
  async run(args: string[], config: Config): Promise<number> {
    const rest = [...args];
    let displayName = '系统管理员';
    const at = rest.indexOf('--name');
    if (at >= 0) {
      const v = rest[at + 1];
      if (!v || v.startsWith('--') || v.length > 64) {
        process.stderr.write(USAGE);
        return 2;
      }
      displayName = v;
      rest.splice(at, 2);
    }
    const parsed = rest.length === 1 ? Username.safeParse(rest[0]) : null;
    if (!parsed?.success) {
      process.stderr.write(parsed ? `用户名不正确 bad username: ${parsed.error.issues.map((i) => i.message).join('；')}\n${USAGE}` : USAGE);
      return 2;
    }
    const username = parsed.data;
    const keys = loadKeys(config);
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    try {
      const db = database.db;
      const [taken] = await db
        .select({ id: users.id })
        .from(users)
        .where(eq(sql`lower(${users.username})`, username.toLowerCase()));
      if (taken) {
        process.stderr.write(`用户名已存在 username exists: ${username}\n`);
        return 1;
      }
      const password = oneTimePassword();
      const [row] = await db
        .insert(users)
        .values({
          username,
          displayName,
          role: 'sys_admin',
          passwordHash: await hashPassword(password),
          mustChangePassword: true,
          passwordChangedAt: new Date(),
        })
        .returning({ id: users.id });
      await recordAudit(db, keys, {
        actor: null,
        username: 'pingan-admin',
        client: null,
        action: 'createSysadmin',
        objectType: 'user',
        objectId: row!.id,
        result: 'ok',
        detail: { username },
      });
      process.stdout.write(
        `已创建系统管理员 system administrator created: ${username}\n` +
          `一次性密码 one-time password (只显示这一次 shown once): ${password}\n` +
          '首次登录须修改密码 the first login must change it.\n',
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};

export default createSysadminCommand;
