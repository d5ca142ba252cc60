/**
 * Mutation score (`npm run bench -- --mutation`; docs/mutation.md): runs StrykerJS with
 * stryker.config.mjs over src/model and src/explore, reads its JSON report (the mutation-testing-report
 * schema) and counts, per folder, the mutants the tests killed, the ones that survived, timed out, or that
 * no test ran. Stryker runs in its own process (its CLI), so the bench's bundle does not carry it.
 *
 * score = (killed + timeout) / (killed + timeout + survived + no coverage), in percent, as Stryker counts
 * it (a timeout counts as detected: the mutant made the tests hang). Ignored mutants (the eras' prose,
 * scripts/mutation/ignore-prose.mjs) and compile/runtime errors count for neither side.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The folders whose score is reported (and that stryker.config.mjs mutates). */
export const MUTATED_DIRS = ['src/model', 'src/explore'] as const;
export const REPORT = 'reports/mutation/mutation.json';
/** Written as the run goes by scripts/mutation/progress-log.mjs: one decided mutant a line. */
export const PROGRESS = 'reports/mutation/progress.ndjson';
/**
 * A narrowed run (--mutate) keeps its own incremental file: Stryker rewrites the incremental file with the
 * mutants of the run alone, so a narrowed run would otherwise throw away the full run's cache.
 */
export const PARTIAL_INCREMENTAL = 'reports/mutation/stryker-incremental.narrowed.json';

export interface MutationCounts {
  killed: number;
  survived: number;
  timeout: number;
  'no-coverage': number;
  ignored: number;
  errors: number;
  /** Mutants that count: killed + survived + timeout + no-coverage. */
  total: number;
  /** Percent, one decimal; null when no mutant counts. */
  score: number | null;
}

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  replacement: string;
  status: 'Survived' | 'NoCoverage';
}

export interface MutationReport {
  /** Per folder (MUTATED_DIRS), then `all`. */
  dirs: Record<string, MutationCounts>;
  all: MutationCounts;
  /** The files reported (all of both folders, unless --mutate narrowed the run). */
  files: number;
  /** The --mutate globs when the run was narrowed to them, else null (a full run). */
  mutate: string[] | null;
  /** True when counted from the progress log of a run that did not finish (--partial). */
  partial: boolean;
  ms: number;
  survivors: Survivor[];
}

/** The subset of the mutation-testing-report-schema JSON that is read here. */
interface StrykerJson {
  files: Record<
    string,
    {
      mutants: {
        status: string;
        mutatorName: string;
        replacement?: string;
        location: { start: { line: number } };
      }[];
    }
  >;
}

function empty(): MutationCounts {
  return {
    killed: 0,
    survived: 0,
    timeout: 0,
    'no-coverage': 0,
    ignored: 0,
    errors: 0,
    total: 0,
    score: null,
  };
}

function add(c: MutationCounts, status: string): void {
  if (status === 'Killed') c.killed++;
  else if (status === 'Survived') c.survived++;
  else if (status === 'Timeout') c.timeout++;
  else if (status === 'NoCoverage') c['no-coverage']++;
  else if (status === 'Ignored') c.ignored++;
  else c.errors++; // CompileError, RuntimeError, Pending
}

function finish(c: MutationCounts): MutationCounts {
  c.total = c.killed + c.survived + c.timeout + c['no-coverage'];
  c.score = c.total ? Math.round(((c.killed + c.timeout) / c.total) * 1000) / 10 : null;
  return c;
}

/** Counts of a Stryker JSON report, per folder. File names are made relative to `root`, with `/`. */
export function summarize(
  json: StrykerJson,
  root: string,
): Omit<MutationReport, 'mutate' | 'ms' | 'partial'> {
  const dirs: Record<string, MutationCounts> = Object.fromEntries(MUTATED_DIRS.map((d) => [d, empty()]));
  const all = empty();
  const survivors: Survivor[] = [];
  const names = Object.keys(json.files).sort();
  for (const name of names) {
    const file = (name.startsWith('/') ? relative(root, name) : name).split(sep).join('/');
    const dir = MUTATED_DIRS.find((d) => file.startsWith(`${d}/`));
    for (const m of json.files[name]!.mutants) {
      add(all, m.status);
      if (dir) add(dirs[dir]!, m.status);
      if (m.status === 'Survived' || m.status === 'NoCoverage')
        survivors.push({
          file,
          line: m.location.start.line,
          mutator: m.mutatorName,
          replacement: m.replacement ?? '',
          status: m.status,
        });
    }
  }
  for (const d of Object.values(dirs)) finish(d);
  return { dirs, all: finish(all), files: names.length, survivors };
}

/**
 * Runs `stryker run stryker.config.mjs` in `root` (incremental: see the config), its progress on stderr,
 * then reads the report. `mutate`: globs for --mutate (a narrowed run, for iterating), or null.
 */
export async function mutationReport(
  root: string,
  mutate: string[] | null,
  log: (s: string) => void,
): Promise<MutationReport | string> {
  const bin = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  if (!existsSync(bin)) return `StrykerJS is not installed (${bin}); run npm install`;
  const args = [bin, 'run', 'stryker.config.mjs'];
  if (mutate) args.push('--mutate', mutate.join(','), '--incrementalFile', PARTIAL_INCREMENTAL);
  log(`stryker ${args.slice(1).join(' ')}`);
  const t0 = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    p.on('close', resolve);
  });
  const ms = Date.now() - t0;
  if (code !== 0) return `stryker exited with ${code}`;
  const json = JSON.parse(readFileSync(join(root, REPORT), 'utf8')) as StrykerJson;
  return { ...summarize(json, root), mutate, ms, partial: false };
}

/**
 * `--partial`: the counts so far of a run that is still going or was stopped, from the progress log
 * (the mutants decided before the dry run's end are not in it: none are). The files at the end of
 * Stryker's order may not have been reached: `files` says how many were.
 */
export function partialReport(root: string): MutationReport | string {
  const file = join(root, PROGRESS);
  if (!existsSync(file)) return `no ${PROGRESS}: no mutation run has got past its dry run`;
  const files: StrykerJson['files'] = {};
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    let m: { file: string; line: number; mutator: string; replacement?: string; status: string };
    try {
      m = JSON.parse(l) as typeof m;
    } catch {
      continue; // the last line of a run killed mid-write
    }
    (files[m.file] ??= { mutants: [] }).mutants.push({
      status: m.status,
      mutatorName: m.mutator,
      replacement: m.replacement,
      location: { start: { line: m.line } },
    });
  }
  return { ...summarize({ files }, root), mutate: null, ms: 0, partial: true };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function mutationTable(r: MutationReport): string {
  const L: string[] = [];
  L.push(
    `Mutation testing (StrykerJS, stryker.config.mjs): ${r.files} files${r.mutate ? ` (--mutate ${r.mutate.join(',')}: a narrowed run)` : ''}${r.partial ? ` (PARTIAL: the mutants decided so far, from ${PROGRESS})` : `, ${Math.round(r.ms / 1000)} s`}`,
  );
  L.push(
    `  ${pad('folder', 14)}${['killed', 'survived', 'timeout', 'no-cov', 'ignored', 'score'].map((h) => lpad(h, 10)).join('')}`,
  );
  for (const [d, c] of [...Object.entries(r.dirs), ['all', r.all] as const])
    L.push(
      `  ${pad(d, 14)}${[c.killed, c.survived, c.timeout, c['no-coverage'], c.ignored]
        .map((n) => lpad(String(n), 10))
        .join('')}${lpad(c.score == null ? 'n/a' : `${c.score} %`, 10)}`,
    );
  L.push(`  survivors and mutants no test ran: ${r.survivors.length} (reports/mutation/mutation.html)`);
  return L.join('\n') + '\n';
}
