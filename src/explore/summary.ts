/** The readable summary `vfio-kvm explore` prints without --json. */
import { ERAS, VIOLATION_KINDS } from '../model/index.ts';
import type { Exploration, ExplorationViolation } from './exploration.ts';
import { INVARIANT_DESCRIPTIONS, INVARIANT_KINDS, isInvariantKind } from './invariants.ts';

export interface SummaryOptions {
  /** How to name the scenario in the replay command (id or path); default the scenario id. */
  ref?: string;
  /** The scenario's title, for the header. */
  title?: string;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatSummary(x: Exploration, opts: SummaryOptions = {}): string {
  const ref = opts.ref ?? x.scenario;
  const lines: string[] = [];
  lines.push(opts.title ? `${x.scenario}: ${opts.title}` : x.scenario);
  lines.push(`era ${x.era}: ${ERAS[x.era].summary}`);
  lines.push('');
  const n = (v: number | null) =>
    v === null ? 'infinitely many (the state graph has a cycle)' : v.toLocaleString('en-US');
  if (x.complete) {
    lines.push(`every interleaving explored in ${x.ms} ms:`);
  } else {
    lines.push(`INCOMPLETE after ${x.ms} ms: ${x.reason}`);
    lines.push('(the figures below are lower bounds; a kind not listed may still be reachable)');
  }
  lines.push(
    `  ${x.states.toLocaleString('en-US')} distinct states, ${x.transitions.toLocaleString('en-US')} transitions, ${x.terminals.toLocaleString('en-US')} end states`,
  );
  lines.push(
    `  ${n(x.interleavings)} interleavings (maximal schedules)${x.interleavingsExact === false ? ', rounded' : ''}${x.longest == null ? '' : `, the longest ${x.longest} micro-steps`}`,
  );
  if (x.error) {
    lines.push('');
    lines.push(`MODEL ERROR: ${x.error.message}`);
    lines.push(`  schedule: ${x.error.schedule.join(',') || '(initial state)'}`);
  }

  const spec = x.violations.filter((v) => !isInvariantKind(v.kind));
  const inv = x.violations.filter((v) => isInvariantKind(v.kind));
  const block = (v: ExplorationViolation) => {
    const who = [v.thread ? `thread ${v.thread}` : '', v.at ? `in ${v.at}` : ''].filter(Boolean).join(' ');
    lines.push(`  ${v.kind}: shows at step ${v.step}${who ? ` (${who})` : ''}`);
    if (v.detail) lines.push(`    ${v.detail}`);
    lines.push(`    schedule (${v.schedule.length} steps): ${v.schedule.join(',')}`);
  };

  lines.push('');
  lines.push(
    spec.length
      ? 'violations, each with a shortest schedule:'
      : `violations: none${x.complete ? '' : ' found so far'}`,
  );
  spec.forEach(block);
  const absent = VIOLATION_KINDS.filter((k) => !spec.some((v) => v.kind === k));
  if (spec.length && absent.length)
    lines.push(`  not reachable${x.complete ? '' : ' (so far)'}: ${absent.join(', ')}`);

  lines.push('');
  lines.push(
    inv.length
      ? 'guarantees of the patch broken, each with a shortest schedule:'
      : `guarantees of the patch broken: none${x.complete ? '' : ' found so far'}`,
  );
  inv.forEach(block);
  for (const r of x.relaxed ?? []) lines.push(`  not checked in ${x.era}: ${r.kind}, by design: ${r.why}`);
  if (inv.length) {
    lines.push('  where:');
    for (const k of INVARIANT_KINDS)
      if (inv.some((v) => v.kind === k)) lines.push(`    ${k}: ${INVARIANT_DESCRIPTIONS[k]}`);
  }

  if (x.violations.length) {
    const first = x.violations[0]!;
    lines.push('');
    lines.push('replay any schedule step by step, e.g.:');
    lines.push(`  vfio-kvm run ${quote(ref)} --era ${x.era} --schedule ${first.schedule.join(',')}`);
  }
  return lines.join('\n') + '\n';
}
