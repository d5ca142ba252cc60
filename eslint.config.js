// ESLint (flat config): JavaScript and TypeScript recommended rules, React hooks rules for the view.
// Formatting is Prettier's job (`npm run format`); ESLint checks code, not layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'examples/**/node_modules/',
      'examples/**/_build/',
      'examples/**/build/',
      'examples/**/.docusaurus/',
      'examples/**/.vitepress/cache/',
      'examples/**/.vitepress/dist/',
      'examples/mkdocs/site/',
      // Mutation testing (stryker.config.mjs): sandboxes of instrumented code, reports
      '.stryker-tmp/',
      'reports/',
      '.bundle-cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/view/**/*.ts', 'src/element/**/*.ts', 'src/diagrams/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
