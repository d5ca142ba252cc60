/**
 * Reports of a thread touching a VM it should not: KASAN's use-after-free
 * (mm/kasan/report.c), the x86 NULL-pointer oops (arch/x86/mm/fault.c) and
 * the refcount_t warnings of lib/refcount.c. Addresses, pids, CPU numbers and
 * registers are not modelled and are left out.
 */
import type { Run, Violation } from '../model/index.ts';
import type { KvmCtx } from '../model/machines/kvm.ts';
import { ctxOf, valueOf } from '../model/state.ts';
import { callTrace, eraIdent, holderWords, innermostFirst, traceLines } from './common.ts';
import { frameInfo, frameText, frozenStack, stackAt, type FrameInfo } from './frames.ts';

/** Write for an atomic update or a lock inside the VM (kvm_get_kvm, kvm_put_kvm, mutex_lock), else Read. */
export function accessOf(v: Violation): 'Read' | 'Write' {
  return /kvm_get_kvm|kvm_put_kvm|lock\(/.test(v.detail ?? '') ? 'Write' : 'Read';
}

/** The crashed thread's stack, innermost first (exact: the state keeps its frames). */
function crashFrames(run: Run, v: Violation): FrameInfo[] {
  const ti = run.model.threadIndex.get(v.thread)!;
  const th = run.states[v.step]!.t[ti]!;
  const frames =
    th.status === 'crashed' || th.status === 'blocked'
      ? frozenStack(run, v.step, ti)
      : stackAt(run, v.step - 1);
  return innermostFirst(run.model, frames);
}

/** "Workqueue: events <work fn>" for a kernel worker, as the kernel prints it before RIP. */
function workqueueLine(frames: readonly FrameInfo[]): string[] {
  const outer = [...frames].reverse();
  if (outer[0]?.fn !== 'worker_thread' && outer[0]?.fn !== 'process_one_work') return [];
  const work = outer.find((f) => f.fn !== 'worker_thread' && f.fn !== 'process_one_work');
  return work ? [`Workqueue: events ${work.fn}`] : [];
}

/** The micro-step (1-based) that freed VM `k`, up to `s`, or null. */
export function freeStep(run: Run, k: string, s: number): number | null {
  for (let i = 0; i < Math.min(s, run.records.length); i++)
    if (
      valueOf(run.model, run.states[i]!, `kvm:${k}`) !== 'freed' &&
      valueOf(run.model, run.states[i + 1]!, `kvm:${k}`) === 'freed'
    )
      return i + 1;
  return null;
}

/** BUG: KASAN: use-after-free in <fn> */
export function kasanReport(run: Run, v: Violation): string {
  const m = run.model;
  const frames = crashFrames(run, v);
  const lines = [
    '='.repeat(66),
    `BUG: KASAN: use-after-free in ${v.at}`,
    `${accessOf(v)} of struct kvm${v.vm ? ` ${v.vm}` : ''} by task ${v.thread}`,
    '',
    `Comm: ${v.thread} ${eraIdent(m)}`,
    ...workqueueLine(frames),
    ...callTrace(frames),
  ];
  const freed = v.vm ? freeStep(run, v.vm, v.step) : null;
  if (freed !== null) {
    const rec = run.records[freed - 1]!;
    lines.push('', `Freed by task ${rec.thread}:`, ...traceLines(innermostFirst(m, stackAt(run, freed - 1))));
  }
  lines.push('='.repeat(66));
  return lines.join('\n');
}

/** Oopses up to and including this one: the [#n] of "Oops:". */
function oopsNumber(run: Run, v: Violation): number {
  return (
    run.violations
      .filter((x) => (x.kind === 'null-deref' || x.kind === 'use-after-free') && x.step <= v.step)
      .indexOf(v) + 1 || 1
  );
}

/** BUG: kernel NULL pointer dereference, address: 0000000000000000 */
export function oopsReport(run: Run, v: Violation): string {
  const frames = crashFrames(run, v);
  const write = accessOf(v) === 'Write';
  const [rip, ...callers] = frames;
  return [
    'BUG: kernel NULL pointer dereference, address: 0000000000000000',
    `#PF: supervisor ${write ? 'write' : 'read'} access in kernel mode`,
    '#PF: error_code(0x0000) - not-present page'.replace('0x0000', write ? '0x0002' : '0x0000'),
    `Oops: ${write ? '0002' : '0000'} [#${oopsNumber(run, v)}]`,
    `Comm: ${v.thread} ${eraIdent(run.model)}`,
    ...workqueueLine(frames),
    `RIP: 0010:${rip ? frameText(rip) : v.at}`,
    ...callTrace(callers),
    '---[ end trace 0000000000000000 ]---',
  ].join('\n');
}

/** refcount_t: addition on 0 / underflow, as refcount_warn_saturate() warns. */
export function refcountReport(run: Run, v: Violation): string {
  const m = run.model;
  const add = v.kind === 'get-from-zero';
  const frames = crashFrames(run, v);
  const lines = [
    '------------[ cut here ]------------',
    add ? 'refcount_t: addition on 0; use-after-free.' : 'refcount_t: underflow; use-after-free.',
    `WARNING: at lib/refcount.c:${add ? 25 : 28} refcount_warn_saturate`,
    `Comm: ${v.thread} ${eraIdent(m)}`,
    ...workqueueLine(frames),
    'RIP: 0010:refcount_warn_saturate lib/refcount.c',
    ...callTrace(frames),
    '---[ end trace 0000000000000000 ]---',
  ];
  if (!add && v.vm) {
    const c = ctxOf<KvmCtx>(m, run.states[v.step - 1]!, `kvm:${v.vm}`);
    const put = run.records[v.step - 1]!.effects.find((e) => e.kind === 'put' && e.vm === v.vm);
    const who = put && put.kind === 'put' ? holderWords(put.holder) : v.thread;
    if (c.users > 0 && !c.saturated)
      lines.push(
        '',
        `Note: ${v.vm}'s users_count was ${c.users} before this put, so the kernel warns`,
        'only when a later put takes it below zero. Here the put comes from',
        `${who}, which never took a reference: ${c.users === 1 ? `it frees ${v.vm} early` : 'the count is now one too low'}.`,
      );
  }
  return lines.join('\n');
}

/** The frame that ran an instruction, for callers that only need its name. */
export function topOf(run: Run, step: number): FrameInfo {
  const s = stackAt(run, step - 1);
  return frameInfo(run.model, s[s.length - 1]!);
}
