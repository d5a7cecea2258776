// Lint configuration. Besides the recommended rules, it enforces the direction of imports inside
// the engine (DESIGN.md section 2): image → layer → analyzer → inventory → match/check → scan → report,
// with versioning and vulndb as leaves, and keeps server/cli on the engine's public index. The web
// console (packages/console) also gets React's rules of hooks.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { engineImportRules } from './scripts/lint/engine-layers.mjs';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '.tools/**', '.cache/**', '**/dist/**', 'packages/cli/.bundle-test-*/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union or an `as const` object.' },
      ],
    },
  },
  ...engineImportRules(),
  {
    files: ['packages/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['packages/server/src/**/*.ts', 'packages/cli/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // ./tool-version is the one other export: the version alone, for a CLI start-up without the engine.
              group: ['@drydock/engine/*', '!@drydock/engine/tool-version', '**/engine/src/**'],
              message:
                'Import the engine only through its public index (@drydock/engine or @drydock/engine/tool-version).',
            },
          ],
        },
      ],
    },
  },
);
