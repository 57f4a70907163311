import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layers hold by rule, not goodwill: the lint configuration refuses an import across a
 * boundary. Each case lints one line as if it stood in a file of that layer.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('the core imports nothing with I/O', async () => {
    expect(await problems('packages/core/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await problems('packages/core/src/x.ts', "import { sql } from 'drizzle-orm';\nexport const a = sql;\n")).toHaveLength(1);
    expect(await problems('packages/core/src/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toHaveLength(0);
  });

  it('the web app never imports the server', async () => {
    expect(
      await problems('apps/web/src/pages/x.tsx', "import { buildApp } from '../../../server/src/app';\nexport const a = buildApp;\n"),
    ).toHaveLength(1);
    expect(
      await problems(
        'apps/web/src/pages/x.tsx',
        "import { applicationsApi } from '@pingan/contract';\nexport const a = applicationsApi;\n",
      ),
    ).toHaveLength(0);
  });

  it('a route file does not import the database schema or drizzle', async () => {
    expect(
      await problems(
        'apps/server/src/modules/applications/routes.ts',
        "import { applications } from '../../db/schema.js';\nexport const a = applications;\n",
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        'apps/server/src/modules/applications/service.ts',
        "import { applications } from '../../db/schema.js';\nexport const a = applications;\n",
      ),
    ).toHaveLength(0);
  });
});
