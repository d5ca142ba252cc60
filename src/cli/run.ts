/** `vfio-kvm run <id|file.json> [--era E] [--schedule Q,Q,KV] [--json]` (the CLI (README)). */
import { ERAS } from '../model/era.ts';
import { opLabel } from '../model/model.ts';
import { runScenario, ScheduleError, type Run } from '../model/run.ts';
import { describeStep } from '../model/view.ts';
import { traceWithMicro } from '../model/micro.ts';
import { parseArgs } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraOption, loadScenario, scheduleOption } from './load.ts';

export async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { era: 'value', schedule: 'value', json: 'bool' });
  if (p.positional.length > 1) throw new UsageError(`run takes one scenario, got ${p.positional.length}`);
  const scenario = await loadScenario(p.positional[0], io);
  const era = eraOption(p, scenario);
  let r: Run;
  try {
    r = runScenario(scenario, { era, schedule: scheduleOption(p) });
  } catch (e) {
    if (e instanceof ScheduleError) throw new UsageError(`--schedule: ${e.message}`);
    throw e;
  }
  if (p.flags.has('json')) {
    io.out(JSON.stringify(traceWithMicro(r), null, 2) + '\n');
    return 0;
  }
  io.out(narrative(r));
  return 0;
}

export function narrative(r: Run): string {
  const m = r.model;
  const sc = m.scenario;
  const lines: string[] = [];
  lines.push(`${sc.id}: ${sc.title}`);
  lines.push(`era ${m.v.id}: ${ERAS[m.v.id].summary}`);
  if (m.v.assume.length) lines.push(`assuming: ${m.v.assume.join(', ')} (hypothetical, INFERRED)`);
  lines.push('');
  const w = String(r.records.length).length;
  r.records.forEach((rec, i) => {
    const sv = describeStep(m, rec, r.states[i + 1]!, i + 1);
    lines.push(`${String(i + 1).padStart(w)}  ${sv.text}`);
    for (const v of sv.violations) lines.push(`${' '.repeat(w)}  !! ${v.kind}: ${v.detail ?? v.at}`);
  });
  lines.push('');
  lines.push('ops:');
  for (const st of r.trace.steps) {
    const what = opLabel(sc.steps[st.index]!);
    const res =
      st.status === 'done'
        ? `returns ${st.result}`
        : st.status === 'crashed'
          ? st.started === false
            ? 'never ran (thread crashed)'
            : 'crashed'
          : st.started === false
            ? 'never ran (thread stuck)'
            : 'blocked forever';
    lines.push(`  ${st.thread.padEnd(3)} ${what.padEnd(30)} ${res}`);
  }
  const f = r.trace.final;
  lines.push('');
  lines.push('final:');
  for (const [k, v] of Object.entries(f.vms)) lines.push(`  VM ${k}: ${v.state}, users_count ${v.users}`);
  for (const [g, v] of Object.entries(f.groups)) lines.push(`  group ${g}: kvm = ${v.kvm ?? 'NULL'}`);
  for (const [d, v] of Object.entries(f.devices))
    lines.push(
      `  device ${d}: open_count ${v.openCount}${m.v.capture === 'none' ? '' : `, device->kvm = ${v.kvm ?? 'NULL'}`}, driver's kvm = ${v.driverKvm ?? 'NULL'}${v.driverRef ? ' (counted reference held)' : ''}`,
    );
  for (const [t, v] of Object.entries(f.threads))
    lines.push(`  thread ${t}: ${v.state}${v.on ? ` on ${v.on}` : ''}`);
  lines.push('');
  if (r.violations.length === 0) lines.push('violations: none');
  else {
    lines.push(`violations: ${r.violations.length}`);
    for (const v of r.violations)
      lines.push(
        `  step ${v.step}: ${v.kind} in ${v.at} (thread ${v.thread})${v.detail ? `: ${v.detail}` : ''}`,
      );
  }
  const ld = r.trace.lockdep;
  lines.push('');
  if (!ld) lines.push('lockdep: no warning');
  else {
    lines.push(
      `lockdep: WARNING: possible ${ld.kind === 'circular' ? 'circular locking dependency' : 'recursive locking'} detected`,
    );
    lines.push(`  ${ld.chain.join(' -> ')}${ld.kind === 'circular' ? ` -> ${ld.chain[0]}` : ''}`);
    lines.push(`  at micro-steps ${ld.steps.join(', ')} (vfio-kvm report prints it as the kernel would)`);
  }
  return lines.join('\n') + '\n';
}
