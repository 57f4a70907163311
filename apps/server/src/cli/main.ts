#!/usr/bin/env tsx
/**
 * pingan-standards: validate, convert (JSON / YAML / Excel), template and rate from the command
 * line. `npx tsx apps/server/src/cli/main.ts <command>` or
 * `npm run standards -w @pingan/server -- <command>`.
 */
import { parseArgs } from 'node:util';
import { USAGE, convertCommand, rateCommand, templateCommand, validateCommand, type CommandResult } from './commands.js';

/** Run as an npm script the working directory is the workspace's; names are the user's. */
function userCwd(): string {
  return process.env.npm_lifecycle_event === 'standards' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string', short: 't' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const cwd = userCwd();
  let r: CommandResult;
  switch (command) {
    case 'validate':
      r = await validateCommand(args, { cwd });
      break;
    case 'export':
    case 'import':
      if (args.length !== 1) {
        process.stderr.write(`${command}: 须给出一个文件\n\n${USAGE}\n`);
        return 2;
      }
      r = await convertCommand(args[0], { cwd, to: values.to, out: values.out });
      break;
    case 'template':
      r = await templateCommand({ cwd, out: values.out });
      break;
    case 'rate':
      r = await rateCommand(args[0], args[1], { cwd, out: values.out });
      break;
    default:
      process.stderr.write(`未知命令 ${command}\n\n${USAGE}\n`);
      return 2;
  }
  if (r.out.length) process.stdout.write(`${r.out.join('\n')}\n`);
  if (r.err.length) process.stderr.write(`${r.err.join('\n')}\n`);
  return r.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
