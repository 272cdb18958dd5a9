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

/** RxDB's document and collection write methods. */
const WRITE_METHODS = '/^(insert|bulkInsert|upsert|bulkUpsert|incrementalUpsert|incrementalModify|incrementalPatch|patch|modify|remove|bulkRemove|incrementalRemove|cleanup)$/';
/**
 * One writer (DESIGN §5): the renderer states intents as API commands and never writes a document; only the engine
 * writes the outbox, the delivery log and the notification center.
 */
const rendererWrites = {
  selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=${WRITE_METHODS}]`,
  message: 'The renderer never writes documents: send a command of the API (shared/ipc/contract.ts); the host checks and writes.',
};
const unnamedCloseButtons = {
  selector: "JSXOpeningElement[name.name=/^(Modal|Drawer)$/]:not(:has(JSXAttribute[name.name='closeButtonProps'])):not(:has(JSXAttribute[name.name='withCloseButton'] > JSXExpressionContainer > Literal[value=false]))",
  message: "A dialog's close button needs a name a screen reader can say: closeButtonProps={{ 'aria-label': t('common.close') }}.",
};
const engineCollectionWrites = {
  selector: `CallExpression[callee.property.name=${WRITE_METHODS}][callee.object.property.name=/^(jobs|delivery_log|team_events)$/]`,
  message: 'Only the notification engine (electron/host/engine) writes jobs, delivery_log and team_events; go through it.',
};
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
    // Plain scripts copied to the built page as they are (renderer/public): browser globals, no module syntax.
    files: ['renderer/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    // The rules of hooks and the React Compiler's checks; dependency lists are errors, including the live-query hook's.
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^(useRxQuery|useMessagesQuery)$' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'electron/**/*.ts'],
    ignores: ['electron/host/engine/**'],
    rules: { 'no-restricted-syntax': ['error', engineCollectionWrites] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', rendererWrites, unnamedCloseButtons] },
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
