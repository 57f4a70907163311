import type { Config } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { loadKeys } from '../../crypto/keys.js';
import { verifyAudit } from '../../modules/audit/service.js';
import type { AdminCommand } from './command.js';

/**
 * audit-verify: checks the audit trail's HMAC chain in the platform's database with its AUDIT_KEY.
 * Prints the rows checked and, when the chain is broken, the first broken row's id; exit 1 then.
 * On PGlite it needs the data folder to itself (stop the platform first: the folder is locked).
 */
export const auditVerifyCommand: AdminCommand = {
  summary: '校验审计日志 Verify the audit trail’s HMAC chain',
  async run(args: string[], config: Config): Promise<number> {
    if (args.length > 0) {
      process.stderr.write('用法 usage: npm run admin -- audit-verify\n');
      return 2;
    }
    const keys = loadKeys(config);
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    try {
      const r = await verifyAudit(database.db, keys);
      process.stdout.write(`已校验 checked: ${r.rows} 条 rows\n`);
      if (r.firstBroken) {
        process.stdout.write(
          `审计日志被篡改 chain broken: 第一条异常记录 first broken row id=${r.firstBroken.id} (${r.firstBroken.reason === 'hash' ? '内容与校验值不符 hash mismatch' : '链接断开 link broken'})\n`,
        );
        return 1;
      }
      process.stdout.write('审计日志完整 chain intact\n');
      return 0;
    } finally {
      await database.close();
    }
  },
};

export default auditVerifyCommand;
