/**
 * How every browser here is launched (playwright.config.ts, `npm run bench`):
 * Debian's Chromium, never a downloaded one, and no network beyond this machine.
 */
import { existsSync } from 'node:fs';

/** $CHROMIUM_PATH > Debian's /usr/bin/chromium > Playwright's own browser (never downloaded here). */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return undefined;
}

/**
 * Launch arguments. No --disable-features=… here: Chromium keeps only the last
 * one and would drop Playwright's own list.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // No DNS query leaves the machine (Debian Chromium looks up accounts.google.com otherwise).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];
