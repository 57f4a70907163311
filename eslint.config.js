// Lint rules and the boundaries that keep the house in shape (docs/CONVENTIONS.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const IO = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'pg',
  'drizzle-orm',
  'drizzle-orm/*',
  'fastify',
  '@fastify/*',
  '@electric-sql/*',
  'pdfkit',
  'exceljs',
  'react',
  'react-dom',
  'antd',
];
const ioBan = (who) => ({ group: IO, message: `${who} is pure: no I/O, no database, no web framework` });

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'apps/server/migrations/**', 'test-results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // tests may read answers loosely
  { files: ['**/test/**', '**/*.test.ts', 'e2e/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['packages/core/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ioBan('packages/core'), { group: ['@pingan/*', '**/apps/**'], message: 'the core imports nothing of ours' }] },
      ],
    },
  },
  {
    files: ['packages/contract/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ioBan('packages/contract'),
            { group: ['@pingan/server', '@pingan/web', '**/apps/**'], message: 'the contract depends on the core only' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pingan/server', '@pingan/server/*', '**/apps/server/**', '**/server/src/**', 'node:*'],
              message: 'the web app talks to the server through the contract only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/modules/**/routes.ts', 'apps/server/src/modules/**/*Routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/schema', '**/db/schema.js', 'drizzle-orm', 'drizzle-orm/*'],
              message: 'route files parse, authorise, call a use case and present: SQL lives in queries.ts',
            },
          ],
        },
      ],
    },
  },
);
