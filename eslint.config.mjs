// ESLint: typescript-eslint's recommended rules (syntax only: no type-aware rules, so a run stays
// quick), plus one line-length rule for what Prettier cannot break. Formatting is Prettier's
// (.prettierrc.json); `npm run lint` runs both.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { maxLine } from './scripts/eslint/maxLine.mjs';

/** Prettier's printWidth (.prettierrc.json): what it leaves longer, it could not break. */
const printWidth = JSON.parse(readFileSync(new URL('./.prettierrc.json', import.meta.url), 'utf8')).printWidth;

// The Node globals the scripts (.mjs) use; TypeScript checks the .ts files' names itself.
const node = Object.fromEntries(
  [
    'process',
    'console',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'Buffer',
    'URL',
    'AbortController',
    'AbortSignal',
    'fetch',
  ].map((n) => [n, 'readonly']),
);

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'out-e2e/',
      '.vscode-test/',
      'bench/out/',
      '.cache/',
      'test/fixtures/',
      'test/e2e/workspace/',
      'examples/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: node },
  },
  {
    plugins: { hooksmith: { rules: { 'max-line': maxLine } } },
    rules: {
      'hooksmith/max-line': ['error', { max: printWidth }],
      // Control characters are matched on purpose: escaping output, NUL detection, hostile file names.
      'no-control-regex': 'off',
    },
  },
  {
    // Loaded at call time on purpose: a separate bundle (not at activation), an import cycle broken at first use,
    // or a node module only one CLI format needs (loading it costs every start).
    files: [
      'client/src/languageClient.ts',
      'client/src/simulate/register.ts',
      'server/src/diagnostics.ts',
      'server/src/languageServer.ts',
      'server/src/cli/formatGitlab.ts',
    ],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // XML's Name production lists U+200C-U+200D (joiners) in a class on purpose.
    files: ['server/src/xml/scanner.ts'],
    rules: { 'no-misleading-character-class': 'off' },
  },
);
