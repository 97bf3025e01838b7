import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier';
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering (README "Architecture"): core <- react <- components, and nothing in src/ reaches server/.
// Enforced here so a wrong-way import fails `npm test`, not a code review.
const serverImports = {
  group: ['**/server', '**/server/**', 'node:*'],
  message: 'src/ is browser code: it never imports server/ or Node built-ins.',
};
const reactImports = {
  group: ['react', 'react/*', 'react-dom', 'react-dom/*', '@tanstack/*', 'react-dropzone', '**/react/**', '**/components/**'],
  message: 'src/core is framework-free: no React, react-query, react-dropzone, hooks or components.',
};
const componentImports = {
  group: ['**/components/**'],
  message: 'src/react (hooks, including the react-dropzone one) must not import components; only components import hooks.',
};

export default tseslint.config(
  { ignores: ['dist/', 'storybook-static/', 'node_modules/', 'coverage/', 'public/mockServiceWorker.js', '.oss-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'demo/**/*.{ts,tsx}', 'stories/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // One import style in src/ (the package emits .d.ts for node16 resolution): relative specifiers
    // end in `.js`, and types come through `import type`, never inline `type` specifiers.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^\\.{1,2}\\//]:not([source.value=/\\.js$/])',
          message: 'Relative imports in src/ end in .js.',
        },
        { selector: "ImportSpecifier[importKind='type']", message: 'Import types with a separate `import type { … }` statement.' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [reactImports, serverImports] }], 'no-console': 'error' },
  },
  {
    files: ['src/react/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [componentImports, serverImports] }], 'no-console': 'error' },
  },
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImports] }], 'no-console': 'error' },
  },
  {
    // One import style in server/ (Node ESM; the published entry's .d.ts must resolve under node16):
    // relative imports name the .js file, built-ins carry `node:`, one import statement per module
    // with `type` on the names that are types.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.{1,2}/(?!.*\\.js$)', message: 'Relative imports in server/ end in .js (node16 resolution).' },
            { regex: `^(${builtinModules.join('|')})(/.*)?$`, message: 'Import Node built-ins with the node: prefix.' },
          ],
        },
      ],
      'no-duplicate-imports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  // Formatting is Prettier's job (npm run lint runs both): turn off the stylistic rules it would fight.
  prettierConfig,
);
