import { defineConfig, devices } from '@playwright/test';
import { buildE2eBundle } from './e2e/support/build-model.ts';
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/chromium.ts';

// The specs compare the page with the model: bundle the app's code for Node first (see e2e/support/).
await buildE2eBundle();

// 4173 (`npm run preview`, the address the examples/ use); E2E_PORT to run beside another preview.
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['line'], ['html', { open: 'never' }]]
    : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumPath(),
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  // e2e runs against the production build, never the dev server.
  webServer: {
    command: `npm run build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
