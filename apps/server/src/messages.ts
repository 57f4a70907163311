import { z } from 'zod';

/**
 * Validation messages a person reads are Chinese first: zod's own messages come in zh-CN
 * wherever the server or the CLI validates input. (The web app translates in the browser, so
 * that its English view stays English.) Imported for its effect by app.ts and cli/commands.ts.
 */
z.config(z.locales.zhCN());
