import type { Config } from '../../config.js';

/** One operator command: prints to stdout/stderr and returns the exit code (0 ok, 1 failed, 2 bad usage). */
export interface AdminCommand {
  summary: string;
  run(args: string[], config: Config): Promise<number>;
}
