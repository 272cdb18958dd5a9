// @ts-check
/**
 * Lint, including the layering rule: folders say where code runs.
 *   shared/        isomorphic — no Node built-ins, no Electron, no DOM-only or UI libraries
 *   electron/host/ Node only — never 'electron' (so it runs in plain Node for web mode and tests)
 *   renderer/      browser only — no Node built-ins, no 'electron', no host code
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const bareBuiltins = builtinModules.map((name) => name.replace(/^node:/, ''));
const nodeBuiltins = [...new Set([...bareBuiltins, ...bareBuiltins.map((name) => `node:${name}`)])];

const electronMessage = "Only electron/main and electron/preload may import 'electron'.";
const nodeMessage = 'Node built-ins are not available here; move this code to electron/host/.';

/** @param {{ name: string, message: string }[]} paths @param {{ group: string[], message: string }[]} patterns */
const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

const builtinPaths = nodeBuiltins.map((name) => ({ name, message: nodeMessage }));
const electronPath = { name: 'electron', message: electronMessage };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: restrict(
      [...builtinPaths, electronPath, ...['react', 'react-dom', 'ws', 'nodemailer', 'node-notifier'].map((name) => ({ name, message: 'shared/ must stay isomorphic and UI-free.' }))],
      [
        { group: ['@mantine/*', 'rxdb/plugins/dev-mode', 'rxdb/plugins/electron'], message: 'shared/ must stay isomorphic and UI-free.' },
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ may import only shared/ code.' },
      ],
    ),
  },
  {
    files: ['electron/host/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: restrict([electronPath], [
      { group: ['electron/*'], message: electronMessage },
      { group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'], message: 'The host core may import only host and shared code.' },
    ]),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'scripts/**/*.{ts,mjs}', '.ci/**/*.mjs', 'test/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The rules of hooks and the React Compiler's checks; dependency lists are errors, including the live-query hook's.
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useRxQuery$' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([...builtinPaths, electronPath], [
      { group: ['electron/*', 'rxdb/plugins/dev-mode'], message: "The renderer reaches the host only through the API; dev-mode loads remote content in a browser." },
      { group: ['**/electron/**'], message: 'The renderer may import only renderer and shared code.' },
    ]),
  },
);
