/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { prerenderDefaultView } from './src/prerender/plugin.ts';

export default defineConfig({
  // prerenderDefaultView: index.html carries the default view, rendered at build time (src/prerender/).
  plugins: [react(), prerenderDefaultView()],
  base: './',
  build: {
    target: 'es2022',
    sourcemap: false,
    // Two pages: the explorer and its chrome-less embed (the page's interface (README)). The custom element is a
    // separate library build (vite.element.config.ts) into the same dist/.
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        embed: fileURLToPath(new URL('embed.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
  test: {
    // Only unit/model/CLI tests; Playwright specs live in e2e/ and must not be collected here.
    include: ['src/**/*.test.{ts,tsx}', 'examples/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
