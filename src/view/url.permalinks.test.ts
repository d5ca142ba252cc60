/**
 * The v=1 promise: every link of e2e/fixtures/permalinks.json parses
 * today exactly as it did when it was made. (e2e/permalink.spec.ts opens each
 * one in Chromium and checks the moment it shows.) If the format ever
 * changes, v=1 links must keep this parse.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUrlState, serializeUrlState } from './url.ts';

interface Fixture {
  url: string;
  parsed: ReturnType<typeof parseUrlState>['state'];
}
const fixtures = JSON.parse(
  readFileSync(new URL('../../e2e/fixtures/permalinks.json', import.meta.url), 'utf8'),
) as { format: number; links: Fixture[] };

describe('v=1 permalinks', () => {
  it('the fixture file is format 1 and not empty', () => {
    expect(fixtures.format).toBe(1);
    expect(fixtures.links.length).toBeGreaterThanOrEqual(5);
  });
  for (const f of fixtures.links) {
    it(f.url.slice(0, 80), () => {
      const u = new URL(f.url, 'https://example.org');
      const p = parseUrlState(u.search, u.hash);
      expect(p.notices).toEqual([]);
      expect(p.state).toEqual(f.parsed);
      // What the page writes back for that state reads the same again.
      const again = serializeUrlState({
        scenario: p.state.scenario,
        scenarioJson: p.state.scenarioJson,
        era: p.state.era!,
        step: p.state.step!,
        schedule: p.state.schedule ?? [],
        theme: p.state.theme ?? 'auto',
      });
      expect(parseUrlState(again.search, again.hash).state).toEqual(f.parsed);
    });
  }
});
