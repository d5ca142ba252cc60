/** Helpers for the report tests. */
import { expect } from 'vitest';
import { compileModel, runModel, runScenario, type EraId, type Run, type Scenario } from '../model/index.ts';
import type { Frame, LockMode } from '../model/program.ts';
import type { LockKey } from '../model/slots.ts';
import type { KState, ThreadSnap } from '../model/state.ts';
import type { LockEvent, StepRecord } from '../model/step.ts';
import { builtin } from '../scenarios/index.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { exploreScenario } from '../explore/exploration.ts';
import { displayWidth, MAX_COLS } from './text.ts';

/** Every line at most 75 columns, no control character but newline, no ESC. */
export function expectPasteable(text: string): void {
  for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(MAX_COLS);
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
}

/** Each of `parts` occurs in `text`, in this order. */
export function expectInOrder(text: string, parts: readonly (string | RegExp)[]): void {
  let at = 0;
  for (const p of parts) {
    const rest = text.slice(at);
    const m = typeof p === 'string' ? rest.indexOf(p) : rest.search(p);
    expect(m, `${String(p)} after offset ${at} in:\n${text}`).toBeGreaterThanOrEqual(0);
    at += m + 1;
  }
}

export function scenario(data: unknown): Scenario {
  const v = validateScenario(data);
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.scenario;
}

export function builtinRun(id: string, era: EraId, schedule?: string[]): Run {
  return runScenario(builtin(id)!, { era, schedule });
}

/** The shortest counterexample of `kind` that explore finds, replayed. */
export function counterexampleRun(s: Scenario, era: EraId, kind: string): Run {
  const x = exploreScenario(s, { era });
  const c = x.violations.find((v) => v.kind === kind);
  if (!c) throw new Error(`explore finds no ${kind} in ${s.id} (${era})`);
  return runModel(compileModel(s, era), c.schedule);
}

/**
 * be8d3adae65c's race: CPU2 deletes the group from the VM and closes the VM
 * while CPU1 opens the vGPU, in v5.18 (one thread per CPU, as the message
 * draws it).
 */
export const OPEN_VS_DEL_AND_CLOSE = scenario({
  schema: 'vfio-kvm-scenario/1',
  id: 'open-vs-del-and-close',
  title: 'GET_DEVICE_FD races GROUP_DEL and the VM close (be8d3adae65c)',
  era: 'v5.18',
  vms: ['K'],
  devices: [{ id: 'D', driver: 'gvt', group: 'G' }],
  steps: [
    { thread: 'CPU2', op: 'kvm_add_group', vm: 'K', group: 'G' },
    { thread: 'CPU1', op: 'open_device', device: 'D' },
    { thread: 'CPU2', op: 'kvm_del_group', vm: 'K', group: 'G' },
    { thread: 'CPU2', op: 'close_vm', vm: 'K' },
  ],
});

interface HandStep {
  thread: string;
  /** The call stack at the step, outermost first (function names). */
  stack: string[];
  /** A piece of the pseudo-code line of the instruction in the innermost function (default: its first line). */
  line?: string;
  locks: LockEvent[];
}

/**
 * A run made by hand from the model's functions: records and per-step call
 * stacks, no execution. For lock sequences the model of this era cannot
 * produce (the circular dependency of 51cdc8bc120e needs its era).
 */
export function handMadeRun(base: Scenario, era: EraId, steps: HandStep[]): Run {
  const m = compileModel(base, era);
  const threads = m.threads.map((t) => t.id);
  const frames: Frame[][] = threads.map(() => []);
  const snap = (): KState => ({
    o: [],
    t: threads.map((_, i): ThreadSnap => ({
      op: 0,
      frames: frames[i]!.slice(),
      status: 'ready',
      on: null,
      key: '',
      lids: [],
    })),
  });
  const states: KState[] = [snap()];
  const records: StepRecord[] = steps.map((s) => {
    const ti = threads.indexOf(s.thread);
    if (ti < 0) throw new Error(`no thread ${s.thread}`);
    frames[ti] = s.stack.map((name, j): Frame => {
      const id = m.fnId.get(name) ?? m.fns.find((f) => f.name === name)?.id;
      if (id === undefined) throw new Error(`era ${era} has no ${name}`);
      const pc =
        j === s.stack.length - 1 && s.line ? m.fns[id]!.instrs.findIndex((x) => x.line.includes(s.line!)) : 0;
      if (pc < 0) throw new Error(`${name} has no line with "${s.line}"`);
      return { fn: id, pc, l: {}, into: null };
    });
    const top = frames[ti]![frames[ti]!.length - 1]!;
    states.push(snap());
    return {
      ti,
      thread: s.thread,
      fn: top.fn,
      pc: top.pc,
      l: {},
      blocked: null,
      woke: false,
      opStart: null,
      opDone: null,
      violations: [],
      effects: [],
      locks: s.locks,
    };
  });
  const run = runModel(m, []);
  return { ...run, states, records, violations: [] };
}

export const lock = (key: string, mode: LockMode = 'mutex'): LockEvent => ({
  op: 'acquire',
  key: key as LockKey,
  mode,
});
export const unlock = (key: string, mode: LockMode = 'mutex'): LockEvent => ({
  op: 'release',
  key: key as LockKey,
  mode,
});
