/**
 * `vfio-kvm render <id|file.json> [--era E] [--step N | --all-steps]
 *   [--theme light|dark] [--width PX] --out PATH` (the CLI (README)): the page's
 * reference-flow diagram as a standalone SVG file (presentation attributes
 * only, system fonts with fallbacks, <title>/<desc>), for Sphinx figures,
 * PDFs, GitHub and CI. With --all-steps, PATH is a directory (one file per
 * step, <scenario>-<era>-<nnn>.svg) or a pattern containing {step}.
 */
import { runScenario, ScheduleError } from '../model/run.ts';
import { ReferenceFlow } from '../diagrams/ReferenceFlow.tsx';
import { renderSvgFile } from '../diagrams/render.ts';
import { flowPropsAt } from '../diagrams/frame.ts';
import { int, parseArgs, str } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraOption, loadScenario, scheduleOption } from './load.ts';

export async function renderCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, {
    era: 'value',
    step: 'value',
    'all-steps': 'bool',
    theme: 'value',
    width: 'value',
    out: 'value',
    schedule: 'value',
  });
  if (p.positional.length > 1) throw new UsageError(`render takes one scenario, got ${p.positional.length}`);
  const scenario = await loadScenario(p.positional[0], io);
  const era = eraOption(p, scenario);
  const theme = str(p, 'theme') ?? 'light';
  if (theme !== 'light' && theme !== 'dark')
    throw new UsageError(`--theme: expected light or dark, got "${theme}"`);
  const width = int(p, 'width', 320, 4000) ?? 960;
  const out = str(p, 'out');
  if (!out)
    throw new UsageError(
      'render needs --out PATH (a file, "-" for standard output, or with --all-steps a directory or a pattern with {step})',
    );
  const all = p.flags.has('all-steps');
  if (all && p.flags.has('step')) throw new UsageError('give --step N or --all-steps, not both');

  let run;
  try {
    run = runScenario(scenario, { era, schedule: scheduleOption(p) });
  } catch (e) {
    if (e instanceof ScheduleError) throw new UsageError(`--schedule: ${e.message}`);
    throw e;
  }
  const total = run.records.length;
  const svg = (n: number) => renderSvgFile(ReferenceFlow, flowPropsAt(run, n, { theme, width }));

  if (!all) {
    const n = int(p, 'step', 0, total) ?? total;
    if (out === '-') io.out(svg(n));
    else await write(io, out, svg(n));
    if (out !== '-') io.err(`wrote ${out} (step ${n} of ${total})\n`);
    return 0;
  }
  if (out === '-')
    throw new UsageError(
      '--all-steps writes several files: --out must be a directory or a pattern with {step}',
    );
  const pad = String(total).length;
  const name = (n: number) => {
    const nnn = String(n).padStart(Math.max(3, pad), '0');
    return out.includes('{step}')
      ? out.replaceAll('{step}', nnn)
      : `${out.replace(/\/$/, '')}/${scenario.id}-${era}-${nnn}.svg`;
  };
  for (let n = 0; n <= total; n++) await write(io, name(n), svg(n));
  io.err(`wrote ${total + 1} files (steps 0…${total}): ${name(0)} …\n`);
  return 0;
}

async function write(io: CliIO, path: string, data: string): Promise<void> {
  if (!io.writeFile) throw new UsageError('this environment cannot write files');
  try {
    await io.writeFile(path, data);
  } catch (e) {
    throw new UsageError(
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
