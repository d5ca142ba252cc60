/**
 * `vfio-kvm explore <id|file.json> [--era E] [--max-states N] [--max-ms N] [--json]` (the CLI (README)).
 * Prints the exploration (the exploration format (README)) or a readable summary. Exit 0 when the
 * search ran (complete or stopped by a bound, whatever it found), 2 on bad
 * input, 1 when the model itself threw inside a transition (reported, with
 * the schedule that triggers it).
 * `--max-ms` is an addition to the CLI (README): the time bound the issue asks for,
 * so that no input can make the command hang.
 */
import { DEFAULT_MAX_MS } from '../explore/search.ts';
import { exploreScenario, type Exploration } from '../explore/exploration.ts';
import type { Scenario } from '../model/scenario.ts';
import { formatSummary } from '../explore/summary.ts';
import { int, parseArgs } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraOption, loadScenario } from './load.ts';

/** The exploration with, on each counterexample, its reports (`explore --json --report`). */
async function withReports(scenario: Scenario, x: Exploration) {
  const { counterexampleReports, reportJson } = await import('./report.ts');
  return {
    ...x,
    violations: x.violations.map((c) => ({
      ...c,
      reports: counterexampleReports(scenario, x, c).map(reportJson),
    })),
  };
}

export async function exploreCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, {
    era: 'value',
    'max-states': 'value',
    'max-ms': 'value',
    json: 'bool',
    report: 'bool',
  });
  if (p.positional.length > 1) throw new UsageError(`explore takes one scenario, got ${p.positional.length}`);
  const maxStates = int(p, 'max-states', 1, 50_000_000);
  const maxMs = int(p, 'max-ms', 1, 3_600_000) ?? DEFAULT_MAX_MS;
  const ref = p.positional[0];
  const scenario = await loadScenario(ref, io);
  const era = eraOption(p, scenario);
  const x = exploreScenario(scenario, { era, maxMs, ...(maxStates !== undefined ? { maxStates } : {}) });
  const withReport = p.flags.has('report');
  if (p.flags.has('json')) {
    const doc = withReport ? await withReports(scenario, x) : x;
    io.out(JSON.stringify(doc, null, 2) + '\n');
  } else if (withReport) {
    // Everything --report prints keeps to 75 columns, the summary included.
    const { exploreReportText, summaryIn75 } = await import('./report.ts');
    io.out(summaryIn75(formatSummary(x, { ref: ref ?? scenario.id, title: scenario.title })));
    io.out(exploreReportText(scenario, x, ref ?? scenario.id));
  } else io.out(formatSummary(x, { ref: ref ?? scenario.id, title: scenario.title }));
  if (x.error) {
    io.err(
      `vfio-kvm: the model failed inside a transition: ${x.error.message} (schedule ${x.error.schedule.join(',') || 'empty'})\n`,
    );
    return 1;
  }
  return 0;
}
