/**
 * `vfio-kvm render <id|file.json> [--era E] [--step N | --all-steps]
 *   [--theme light|dark] [--width PX] [--format svg|png [--scale N]] --out PATH`:
 * the page's reference-flow diagram as a standalone SVG file (presentation
 * attributes only, system fonts with fallbacks, <title>/<desc>), for Sphinx
 * figures, PDFs, GitHub and CI; or that SVG rasterised to PNG by resvg
 * (@resvg/resvg-js, prebuilt for each platform) on the theme's background,
 * for places that take no SVG (mail, some trackers). With --all-steps, PATH
 * is a directory (one file per step, <scenario>-<era>-<nnn>.svg|png) or a
 * pattern containing {step}.
 */
import { runScenario, ScheduleError } from '../model/run.ts';
import { ReferenceFlow } from '../diagrams/ReferenceFlow.tsx';
import { renderSvgFile } from '../diagrams/render.ts';
import { flowPropsAt } from '../diagrams/frame.ts';
import { int, parseArgs, str } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraOption, loadScenario, scheduleOption } from './load.ts';
import { THEMES } from '../diagrams/theme.ts';

export async function renderCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, {
    era: 'value',
    step: 'value',
    'all-steps': 'bool',
    theme: 'value',
    width: 'value',
    out: 'value',
    schedule: 'value',
    format: 'value',
    scale: 'value',
  });
  if (p.positional.length > 1) throw new UsageError(`render takes one scenario, got ${p.positional.length}`);
  const scenario = await loadScenario(p.positional[0], io);
  const era = eraOption(p, scenario);
  const theme = str(p, 'theme') ?? 'light';
  if (theme !== 'light' && theme !== 'dark')
    throw new UsageError(`--theme: expected light or dark, got "${theme}"`);
  const width = int(p, 'width', 320, 4000) ?? 960;
  const format = str(p, 'format') ?? 'svg';
  if (format !== 'svg' && format !== 'png')
    throw new UsageError(`--format: expected svg or png, got "${format}"`);
  if (format === 'svg' && p.flags.has('scale')) throw new UsageError('--scale is for --format png only');
  const scale = int(p, 'scale', 1, 4) ?? 2;
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
  const png = format === 'png' ? await rasteriser(THEMES[theme].bg, width * scale) : null;
  const file = (n: number): string | Uint8Array => (png ? png(svg(n)) : svg(n));

  if (!all) {
    const n = int(p, 'step', 0, total) ?? total;
    if (out === '-') {
      if (png) throw new UsageError('--format png writes a file: give --out PATH, not "-"');
      io.out(svg(n));
    } else await write(io, out, file(n));
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
      : `${out.replace(/\/$/, '')}/${scenario.id}-${era}-${nnn}.${format}`;
  };
  for (let n = 0; n <= total; n++) await write(io, name(n), file(n));
  io.err(`wrote ${total + 1} files (steps 0…${total}): ${name(0)} …\n`);
  return 0;
}

/**
 * SVG → PNG with resvg: `pixels` wide, on `background` (a PNG in a mail or a
 * tracker is shown on any colour; the diagram's own background is the
 * page's). Text is drawn with the system's fonts (the SVG's font stacks end
 * in Liberation Sans, DejaVu Sans and sans-serif).
 */
async function rasteriser(background: string, pixels: number): Promise<(svg: string) => Uint8Array> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (e) {
    throw new UsageError(
      `--format png needs @resvg/resvg-js (a dependency of vfio-kvm-explorer: run npm install): ${(e as Error).message}`,
    );
  }
  return (svg) =>
    new Resvg(svg, {
      background,
      fitTo: { mode: 'width', value: pixels },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
}

async function write(io: CliIO, path: string, data: string | Uint8Array): Promise<void> {
  if (!io.writeFile) throw new UsageError('this environment cannot write files');
  try {
    await io.writeFile(path, data);
  } catch (e) {
    throw new UsageError(
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
