#!/usr/bin/env tsx
/**
 * pingan-admin: the operator's commands, run on the server with the same environment as the
 * platform (DATABASE_URL or DATA_DIR, DATA_KEY, AUDIT_KEY, SIGNING_KEY). `npm run admin -- <command> [args]`.
 * Each command lives in cli/admin/<name>.ts and is listed here once.
 */
import { loadConfig } from '../config.js';
import type { AdminCommand } from './admin/command.js';

const COMMANDS: Record<string, () => Promise<AdminCommand>> = {
  'audit-verify': async () => (await import('./admin/audit-verify.js')).auditVerifyCommand,
  backup: async () => (await import('./admin/backup.js')).backup,
  'create-sysadmin': async () => (await import('./admin/create-sysadmin.js')).createSysadminCommand,
  restore: async () => (await import('./admin/restore.js')).restore,
  'verify-certificate': async () => (await import('./admin/verify-certificate.js')).verifyCertificateCommand,
};

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  return `pingan-admin — 运维命令 operator commands\n\n用法: npm run admin -- <命令> [参数]\n命令: ${names.join(', ') || '(none)'}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(usage());
    return name === undefined || name === '--help' ? 0 : 2;
  }
  const cmd = await load();
  return cmd.run(args, loadConfig());
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`失败 failed: ${e.message}\n`);
    process.exit(1);
  },
);
