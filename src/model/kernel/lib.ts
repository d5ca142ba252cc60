/**
 * Building blocks shared by the code paths: lock instructions in the kernel's
 * primitives (mutex_lock, down_read, spin_lock, …), the calls to
 * kvm_get_kvm / kvm_put_kvm, and dereferences of a `struct kvm *` with the
 * violation checks built in.
 */
import type { Exec, EraText, Instr, LockMode, Say } from '../program.ts';
import type { Variant } from '../era.ts';
import type { KvmCtx } from '../machines/kvm.ts';
import type { RwsemCtx } from '../machines/rwsem.ts';
import type { MutexCtx } from '../machines/mutex.ts';
import { lockKey, lockName, slot, type LockKey } from '../slots.ts';

export { lockKey, lockName };

export function lockHolders(ctx: Readonly<RwsemCtx> | Readonly<MutexCtx>): string {
  if (ctx.kind === 'mutex') return ctx.owner ? `${ctx.owner} holds it` : 'nobody holds it';
  if (ctx.writer) return `${ctx.writer} holds it for write`;
  if (ctx.readers.length)
    return `${[...new Set(ctx.readers)].join(', ')} ${ctx.readers.length > 1 ? 'hold' : 'holds'} it for read`;
  const ahead = ctx.waiters[0];
  return ahead ? `${ahead.t} is ahead in the queue` : 'nobody holds it';
}

function modeWord(mode: LockMode): string {
  return mode === 'read' || mode === 'write' ? ` for ${mode}` : '';
}

type KeyFn = (x: Pick<Exec, 'l' | 'str' | 'v' | 'model'>) => LockKey;
type ModeSpec = LockMode | ((v: Variant) => LockMode);
const modeOf = (m: ModeSpec, v: Variant): LockMode => (typeof m === 'function' ? m(v) : m);

interface LockOpts {
  when?: (v: Variant) => boolean;
  label?: string;
  src?: string;
  why?: Instr['why'];
  /** The lock lives inside this VM (`kvm->lock`): touching it after the VM is freed is a use-after-free. */
  vm?: (x: Pick<Exec, 'l' | 'str'>) => string;
}

/** A view of an Exec for narration: locals of the step and the era. */
function sayExec(n: Say): Pick<Exec, 'l' | 'str' | 'v' | 'model'> {
  return {
    l: n.l,
    v: n.v,
    str: (name) => String(n.l[name]),
    model: {
      vms: [],
      groups: [],
      devices: [],
      driverFn: () => null,
      groupOf: (d) => String(n.l.g ?? d),
    },
  };
}

/** `mutex_lock(…)`, `down_read(…)`, `down_write(…)`: one micro-step; blocks when the lock is not free. */
export function acquire(line: EraText, key: KeyFn, mode: ModeSpec, o: LockOpts = {}): Instr {
  return {
    line,
    label: o.label,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => {
      const k = key(x);
      if (x.waking) return x.handed(k, modeOf(mode, x.v));
      if (o.vm && !deref(x, o.vm(x), `mutex_lock(${lockName(k)})`)) return;
      return x.acquire(k, modeOf(mode, x.v)) ? undefined : { block: k };
    },
    say: (n: Say) => {
      const k = key(sayExec(n));
      const name = lockName(k);
      const m = modeOf(mode, n.v);
      if (n.blocked) {
        const c = n.ctx<RwsemCtx | MutexCtx>(k);
        return `${n.t}: ${n.fn} waits for ${name}${m === 'read' || m === 'write' ? ` (${m})` : ''}: ${lockHolders(c)}`;
      }
      if (n.woke) return `${n.t}: wakes up in ${n.fn} holding ${name}${modeWord(m)}`;
      return `${n.t}: ${n.fn} takes ${name}${modeWord(m)}`;
    },
  };
}

/** `mutex_unlock(…)`, `up_read(…)`, `up_write(…)`: one micro-step; hands the lock to waiters. */
export function release(
  line: EraText,
  key: KeyFn,
  mode: ModeSpec,
  o: LockOpts & { also?: (x: Exec) => void } = {},
): Instr {
  return {
    line,
    label: o.label,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => {
      o.also?.(x);
      if (o.vm && !deref(x, o.vm(x), `mutex_unlock(${lockName(key(x))})`)) return;
      x.release(key(x), modeOf(mode, x.v));
    },
    say: (n: Say) => {
      const k = key(sayExec(n));
      const c = n.ctx<RwsemCtx | MutexCtx>(k);
      const handed =
        c.kind === 'mutex'
          ? c.owner
            ? `; ${c.owner} gets it`
            : ''
          : c.writer
            ? `; ${c.writer} gets it for write`
            : '';
      return `${n.t}: ${n.fn} releases ${lockName(k)}${modeWord(modeOf(mode, n.v))}${handed}`;
    },
  };
}

/* ------------------------------------------------------- the group's lock */

/**
 * The lock that guards group->kvm and the open path: group_rwsem (May 2022 –
 * v6.0) or the mutex group_lock (v6.1 on). Instructions using it exist only
 * in eras that have a group lock.
 */
export const groupLock = {
  key: (x: Pick<Exec, 'v' | 'str'>, g = x.str('g')): LockKey =>
    x.v.groupLock === 'mutex' ? lockKey.groupLock(g) : lockKey.groupRwsem(g),
  mode:
    (rw: 'read' | 'write') =>
    (v: Variant): LockMode =>
      v.groupLock === 'mutex' ? 'mutex' : rw,
  /** `down_read(&group->group_rwsem)`; `of: 'device'` writes `&device->group->…` as the device code does. */
  lock:
    (rw: 'read' | 'write', of: 'group' | 'device' = 'group') =>
    (v: Variant): string =>
      v.groupLock === 'mutex'
        ? `mutex_lock(&${of === 'device' ? 'device->' : ''}group->group_lock)`
        : `down_${rw}(&${of === 'device' ? 'device->' : ''}group->group_rwsem)`,
  unlock:
    (rw: 'read' | 'write', of: 'group' | 'device' = 'group') =>
    (v: Variant): string =>
      v.groupLock === 'mutex'
        ? `mutex_unlock(&${of === 'device' ? 'device->' : ''}group->group_lock)`
        : `up_${rw}(&${of === 'device' ? 'device->' : ''}group->group_rwsem)`,
  name: (v: Variant): string => (v.groupLock === 'mutex' ? 'group_lock' : 'group_rwsem'),
};

type GroupLockOpts = LockOpts & { comment?: string; of?: 'group' | 'device' };

export function lockGroup(rw: 'read' | 'write', o: GroupLockOpts = {}): Instr {
  const has = (v: Variant) => v.groupLock !== 'none' && (!o.when || o.when(v));
  return acquire(
    (v) => groupLock.lock(rw, o.of)(v) + (o.comment ? `   /* ${o.comment} */` : ''),
    (x) => groupLock.key(x),
    groupLock.mode(rw),
    { ...o, when: has },
  );
}

export function unlockGroup(
  rw: 'read' | 'write',
  o: GroupLockOpts & { also?: (x: Exec) => void } = {},
): Instr {
  const has = (v: Variant) => v.groupLock !== 'none' && (!o.when || o.when(v));
  return release(
    (v) => groupLock.unlock(rw, o.of)(v) + (o.comment ? `   /* ${o.comment} */` : ''),
    (x) => groupLock.key(x),
    groupLock.mode(rw),
    { ...o, when: has },
  );
}

/* --------------------------------------------------- struct kvm pointers */

/** Dereference a `struct kvm *`: NULL is an oops, a freed VM is a use-after-free. */
export function deref(x: Exec, k: string | null, what: string): boolean {
  if (k === null) {
    x.fault('null-deref', `${what} dereferences a NULL struct kvm *`);
    return false;
  }
  const out = x.send(slot.kvm(k), { type: 'deref' });
  if (out?.fault === 'use-after-free') {
    x.fault('use-after-free', `${what} dereferences ${k}, which was already freed`, k);
    return false;
  }
  return true;
}

interface RefOpts {
  when?: (v: Variant) => boolean;
  src?: string;
  why?: Instr['why'];
  into?: string;
  /** Run in the caller just before the call (e.g. remember the VM in a local). */
  before?: (x: Exec) => void;
}

/** `kvm_get_kvm(kvm)` on behalf of a holder: the get itself is the callee's micro-step. */
export function getKvm(
  line: EraText,
  k: (x: Exec) => string | null,
  holder: (x: Exec) => string,
  o: RefOpts = {},
): Instr {
  return {
    line,
    step: false,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => {
      o.before?.(x);
      return { call: 'kvm_get_kvm', args: { k: k(x), h: holder(x) } };
    },
  };
}

/** `kvm_get_kvm_safe(kvm)`: the result (true/false) lands in the caller's local `into`. */
export function getKvmSafe(
  line: EraText,
  k: (x: Exec) => string,
  holder: (x: Exec) => string,
  o: RefOpts & { into: string },
): Instr {
  return {
    line,
    step: false,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => {
      o.before?.(x);
      return { call: 'kvm_get_kvm_safe', args: { k: k(x), h: holder(x) }, into: o.into };
    },
  };
}

/** `kvm_put_kvm(kvm)`: the put is the callee's micro-step; the last one runs kvm_destroy_vm in this thread. */
export function putKvm(
  line: EraText,
  k: (x: Exec) => string | null,
  holder: (x: Exec) => string,
  o: RefOpts = {},
): Instr {
  return {
    line,
    step: false,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => {
      o.before?.(x);
      return { call: 'kvm_put_kvm', args: { k: k(x), h: holder(x) } };
    },
  };
}

export function users(x: Pick<Exec, 'ctx'>, k: string): number {
  return x.ctx(slot.kvm(k)).users;
}

/** Narration helper: "K (users_count 2)". */
export function vmDesc(n: Say, k: string | null | undefined): string {
  if (!k) return 'NULL';
  const c = n.ctx<KvmCtx>(slot.kvm(k));
  return `${k} (users_count ${c.users}${c.saturated ? ', saturated' : ''})`;
}

/** Era predicates used by several files. */
export const era = {
  notifier: (v: Variant) => v.notifier,
  noNotifier: (v: Variant) => !v.notifier,
  hasGroupLock: (v: Variant) => v.groupLock !== 'none',
};
