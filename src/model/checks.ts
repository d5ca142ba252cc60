/**
 * Violations that show only when nothing can move any more (the trace format (README)):
 * threads left waiting forever (deadlock) and VMs that outlive everything
 * that should hold them (refcount-leak).
 */
import type { Model } from './model.ts';
import type { KState } from './state.ts';
import { ctxOf, valueOf } from './state.ts';
import { canRun, deadlockChain, type StepViolation } from './step.ts';
import type { KvmCtx } from './machines/kvm.ts';
import type { KvmVfioCtx } from './machines/kvmVfio.ts';
import type { DeviceCtx } from './machines/vfioDevice.ts';
import { lockName } from './kernel/lib.ts';

/** At a terminal state: blocked threads (each can never move again), and leaked VMs. */
export function terminalViolations(
  m: Model,
  s: KState,
  alreadyDeadlocked: ReadonlySet<string> = new Set(),
): StepViolation[] {
  const out: StepViolation[] = [];
  for (let i = 0; i < s.t.length; i++) {
    const th = s.t[i]!;
    const id = m.threads[i]!.id;
    if (th.status !== 'blocked' || canRun(m, s, i) || alreadyDeadlocked.has(id)) continue;
    const chain = deadlockChain(m, s, i);
    const top = th.frames[th.frames.length - 1];
    out.push({
      kind: 'deadlock',
      thread: id,
      at: top ? m.fns[top.fn]!.name : 'unknown',
      detail: chain
        ? `${chain.join(' waits for ')}: none of them can move again`
        : `${id} waits for ${lockName(th.on!)} forever: nothing is left to release it`,
    });
  }
  out.push(...leaks(m, s));
  return out;
}

/**
 * refcount-leak: a VM whose fds were closed (close_vm) and whose devices are
 * all closed is still alive, i.e. someone kept a reference it never puts.
 * A VM stuck half-destroyed is a deadlock or a crash, not a leak.
 */
export function leaks(m: Model, s: KState): StepViolation[] {
  const out: StepViolation[] = [];
  for (const k of m.vms) {
    if (ctxOf<KvmVfioCtx>(m, s, `kvm_vfio:${k}`).fdOpen) continue;
    if (valueOf(m, s, `kvm:${k}`) !== 'alive') continue;
    const devices = m.vmDevices.get(k) ?? [];
    if (devices.some((d) => ctxOf<DeviceCtx>(m, s, `device:${d}`).openCount > 0)) continue;
    const c = ctxOf<KvmCtx>(m, s, `kvm:${k}`);
    const closer = m.scenario.steps.find((st) => st.op === 'close_vm' && st.vm === k);
    out.push({
      kind: 'refcount-leak',
      thread: closer?.thread ?? '',
      at: 'kvm_put_kvm',
      vm: k,
      detail: `${k} is never freed: users_count stays ${c.users} after its fds and devices are closed (held by ${c.holders.map(([h, n]) => (n > 1 ? `${h} ×${n}` : h)).join(', ') || 'nobody'})`,
    });
  }
  return out;
}
