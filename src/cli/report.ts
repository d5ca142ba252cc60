/**
 * `vfio-kvm report <id|file.json> [--era E] [--schedule Q,Q,KV,…] [--json]`:
 * runs the scenario and prints, for each violation and for the lockdep
 * warning, the report the kernel would have printed and the interleaving as
 * a commit-message diagram. Everything fits in 75 columns.
 * Also the `--report` part of `vfio-kvm explore`.
 */
import { compileModel, runModel, runScenario, ScheduleError, type Run } from '../model/index.ts';
import type { Exploration, ExplorationViolation } from '../explore/exploration.ts';
import { INVARIANT_DESCRIPTIONS, isInvariantKind } from '../explore/invariants.ts';
import {
  diagramBlock,
  escapeInline,
  interleaving,
  lockdepReport,
  MAX_COLS,
  REPORT_SCHEMA,
  runReports,
  violationReport,
  wrapText,
  type ReportItem,
} from '../report/index.ts';
import { eraIdent } from '../report/common.ts';
import { wrapShell } from '../report/text.ts';
import { windowOf } from '../report/diagram.ts';
import { validateLocks } from '../model/lockdep.ts';
import type { Scenario } from '../model/scenario.ts';
import { parseArgs } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraOption, loadScenario, scheduleOption } from './load.ts';

/** A report as `--json` prints it. */
export function reportJson(it: ReportItem) {
  return {
    kind: it.kind,
    title: it.title,
    step: it.step,
    thread: it.thread,
    violation: it.violation,
    lockdep: it.lockdep,
    text: it.text,
    diagram: {
      threads: it.diagram.threads,
      from: it.diagram.from,
      to: it.diagram.to,
      rows: it.diagram.rows,
      text: it.diagram.text,
    },
  };
}

/** One report and its diagram, as pasted: "[1/2] title", the report, the interleaving. */
export function itemBlock(it: ReportItem, i: number, n: number): string {
  return [
    wrapText(`[${i + 1}/${n}] ${it.title}, micro-step ${it.step}`),
    '',
    it.text,
    '',
    diagramBlock(it.diagram),
  ].join('\n');
}

function header(sc: Scenario, run: Run, schedule: readonly string[] | undefined): string {
  const lines = [
    `${sc.id}: ${escapeInline(sc.title)}`,
    eraIdent(run.model),
    schedule && schedule.length
      ? `schedule: ${schedule.join(',')}, then the default order`
      : 'schedule: the default order',
  ];
  return wrapText(lines.join('\n'), MAX_COLS, 2);
}

/** The whole text `vfio-kvm report` prints for a run. */
export function reportDocument(sc: Scenario, run: Run, schedule?: readonly string[]): string {
  const items = runReports(run);
  const parts = [header(sc, run, schedule)];
  if (items.length === 0) parts.push('', 'No violation and no lockdep warning in this run.');
  else {
    parts.push(
      wrapText(
        `${items.length} report${items.length === 1 ? '' : 's'}: ${items.map((x) => x.kind).join(', ')}`,
      ),
    );
    items.forEach((it, i) => parts.push('', itemBlock(it, i, items.length)));
  }
  return parts.join('\n') + '\n';
}

export async function reportCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { era: 'value', schedule: 'value', json: 'bool' });
  if (p.positional.length > 1) throw new UsageError(`report takes one scenario, got ${p.positional.length}`);
  const scenario = await loadScenario(p.positional[0], io);
  const era = eraOption(p, scenario);
  const schedule = scheduleOption(p) ?? scenario.schedule;
  let run: Run;
  try {
    run = runScenario(scenario, { era, schedule });
  } catch (e) {
    if (e instanceof ScheduleError) throw new UsageError(`--schedule: ${e.message}`);
    throw e;
  }
  if (p.flags.has('json')) {
    const doc = {
      schema: REPORT_SCHEMA,
      scenario: scenario.id,
      title: scenario.title,
      era: run.model.v.id,
      schedule: schedule ?? null,
      reports: runReports(run).map(reportJson),
    };
    io.out(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  io.out(reportDocument(scenario, run, schedule));
  return 0;
}

/** The reports of one counterexample: its violation (replayed), and the lockdep warning up to it. */
export function counterexampleReports(
  scenario: Scenario,
  x: Exploration,
  c: ExplorationViolation,
): ReportItem[] {
  const run = runModel(compileModel(scenario, x.era), c.schedule);
  const out: ReportItem[] = [];
  const w = validateLocks(run.records);
  if (w && w.step <= c.step) out.push(lockdepReport(run, w));
  if (isInvariantKind(c.kind)) {
    const thread = c.thread ?? run.records[c.step - 1]?.thread ?? run.model.threads[0]!.id;
    const win = windowOf(run, thread, c.step, { vm: c.vm ?? null });
    const words = INVARIANT_DESCRIPTIONS[c.kind];
    out.push({
      kind: 'invariant',
      title: `guarantee broken: ${c.kind}`,
      step: c.step,
      thread,
      violation: null,
      lockdep: null,
      text: wrapText(`No kernel report: ${words}.${c.detail ? `\n${c.detail}` : ''}`),
      diagram: interleaving(run, {
        from: win.from,
        to: win.to,
        threads: win.threads,
        steps: win.steps,
        marks: [{ step: c.step, thread, text: `// ${c.kind}` }],
      }),
    });
    return out;
  }
  const v =
    run.violations.find((x) => x.kind === c.kind && x.step === c.step) ??
    run.violations.find((x) => x.kind === c.kind);
  if (v) out.push(violationReport(run, v));
  return out;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${escapeInline(s).replace(/'/g, `'\\''`)}'`;
}

/** The explore summary in 75 columns: commands wrapped so that they still paste. */
export function summaryIn75(summary: string): string {
  return summary
    .split('\n')
    .flatMap((l) => (/^\s*vfio-kvm /.test(l) ? wrapShell(l) : wrapText(l, MAX_COLS, 4).split('\n')))
    .join('\n');
}

/** What `explore --report` adds after the summary. */
export function exploreReportText(scenario: Scenario, x: Exploration, ref: string): string {
  const parts: string[] = [];
  x.violations.forEach((c, i) => {
    const items = counterexampleReports(scenario, x, c);
    parts.push(
      '',
      wrapText(
        `=== counterexample ${i + 1}/${x.violations.length}: ${c.kind} (${c.schedule.length} micro-steps)`,
      ),
      ...wrapShell(`vfio-kvm report ${shellQuote(ref)} --era ${x.era} --schedule ${c.schedule.join(',')}`),
    );
    items.forEach((it, j) => parts.push('', itemBlock(it, j, items.length)));
  });
  return parts.join('\n') + '\n';
}
