/**
 * Figures for `npm run bench` (npm run bench (README) `explore`): every built-in scenario
 * in every era, explored exhaustively, with traces built (what
 * `explore --json` does).
 */
import { ERA_IDS, type EraId } from '../model/index.ts';
import { BUILTINS } from '../scenarios/index.ts';
import type { Scenario } from '../model/index.ts';
import { exploreScenario, type ExploreOptions } from './exploration.ts';

export interface ExploreRow {
  scenario: string;
  era: EraId;
  complete: boolean;
  states: number;
  transitions: number;
  interleavings: number | null;
  ms: number;
  kinds: string[];
}

export interface ExploreAll {
  rows: ExploreRow[];
  /** npm run bench (README) `explore`. */
  total: { runs: number; states: number; transitions: number; ms: number; statesPerSec: number };
}

export function exploreAll(
  scenarios: readonly Scenario[] = BUILTINS,
  opts: Omit<ExploreOptions, 'era'> = {},
): ExploreAll {
  const rows: ExploreRow[] = [];
  const t0 = performance.now();
  for (const sc of scenarios) {
    for (const era of ERA_IDS) {
      const x = exploreScenario(sc, { ...opts, era });
      rows.push({
        scenario: sc.id,
        era,
        complete: x.complete,
        states: x.states,
        transitions: x.transitions,
        interleavings: x.interleavings,
        ms: x.ms,
        kinds: x.violations.map((v) => v.kind),
      });
    }
  }
  const ms = performance.now() - t0;
  const states = rows.reduce((a, r) => a + r.states, 0);
  return {
    rows,
    total: {
      runs: rows.length,
      states,
      transitions: rows.reduce((a, r) => a + r.transitions, 0),
      ms: Math.round(ms),
      statesPerSec: Math.round(states / (ms / 1000)),
    },
  };
}

/** The table the bench prints. */
export function formatExploreAll(x: ExploreAll): string {
  const head = ['scenario', 'era', 'states', 'transitions', 'interleavings', 'ms', 'kinds'];
  const body = x.rows.map((r) => [
    r.scenario,
    r.era,
    String(r.states),
    String(r.transitions),
    r.interleavings === null
      ? 'cyclic'
      : r.interleavings > Number.MAX_SAFE_INTEGER
        ? r.interleavings.toExponential(3)
        : String(r.interleavings),
    r.ms.toFixed(1),
    (r.complete ? '' : 'INCOMPLETE ') + (r.kinds.join(', ') || '-'),
  ]);
  body.push([
    'total',
    `${x.total.runs} runs`,
    String(x.total.states),
    String(x.total.transitions),
    '',
    String(x.total.ms),
    `${x.total.statesPerSec} states/s`,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 2 && i <= 5 ? c.padStart(w[i]!) : c.padEnd(w[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n\n' + formatPerEra(x);
}

/** States and time per era, summed over the built-ins. */
export function perEra(x: ExploreAll): { era: EraId; runs: number; states: number; ms: number }[] {
  return ERA_IDS.map((era) => {
    const rows = x.rows.filter((r) => r.era === era);
    return {
      era,
      runs: rows.length,
      states: rows.reduce((a, r) => a + r.states, 0),
      ms: Math.round(rows.reduce((a, r) => a + r.ms, 0)),
    };
  }).filter((e) => e.runs > 0);
}

function formatPerEra(x: ExploreAll): string {
  const rows = perEra(x);
  const w = Math.max(3, ...rows.map((r) => r.era.length));
  return (
    [
      `${'era'.padEnd(w)}  ${'runs'.padStart(4)}  ${'states'.padStart(8)}  ${'ms'.padStart(7)}`,
      ...rows.map(
        (r) =>
          `${r.era.padEnd(w)}  ${String(r.runs).padStart(4)}  ${String(r.states).padStart(8)}  ${String(r.ms).padStart(7)}`,
      ),
    ].join('\n') + '\n'
  );
}
