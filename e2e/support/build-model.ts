/**
 * Bundles ./entry.ts for Node (scripts/node-bundle.mjs) into
 * node_modules/.cache/vfio-kvm-e2e/app.mjs, when any source is newer than the
 * bundle. Called from playwright.config.ts, so it runs before specs load.
 */
import { join } from 'node:path';
import { bundleForNode, ROOT } from '../../scripts/node-bundle.mjs';

export const E2E_BUNDLE = join(ROOT, 'node_modules', '.cache', 'vfio-kvm-e2e', 'app.mjs');

export function buildE2eBundle(): Promise<string> {
  return bundleForNode({
    entry: 'e2e/support/entry.ts',
    cache: 'vfio-kvm-e2e',
    file: 'app.mjs',
    sources: ['src', 'e2e/support'],
  });
}
