/**
 * Primitives shared by the code paths: lock instructions, kvm_get_kvm /
 * kvm_put_kvm and pointer dereferences, with the violation checks of
 * spec §5 built in.
 */
import type { Exec, Flow, Instr, LockMode, Say } from '../program.ts';
import type { Variant } from '../era.ts';
import type { KvmCtx, KvmOut } from '../machines/kvm.ts';
import type { RwsemCtx } from '../machines/rwsem.ts';
import type { MutexCtx } from '../machines/mutex.ts';

/** Slot keys of the lock objects, and how the page names them. */
export const lockKey = {
  groupRwsem: (g: string) => `lock:group_rwsem:${g}`,
  notifier: (g: string) => `lock:notifier:${g}`,
  devSet: (d: string) => `lock:dev_set:${d}`,
  kvmVfio: (k: string) => `lock:kvm_vfio:${k}`,
  kvm: (k: string) => `lock:kvm:${k}`,
  matrixDev: () => 'lock:matrix_dev',
};

/** "G.group_rwsem", "D.dev_set->lock", ... from a slot key. */
export function lockName(key: string): string {
  const [, kind, obj] = key.split(':');
  switch (kind) {
    case 'group_rwsem':
      return `${obj}.group_rwsem`;
    case 'notifier':
      return `${obj}.notifier.rwsem`;
    case 'dev_set':
      return `${obj}.dev_set->lock`;
    case 'kvm_vfio':
      return `${obj}'s KVM-VFIO lock`;
    case 'kvm':
      return `${obj}->lock`;
    case 'matrix_dev':
      return 'matrix_dev->lock';
    default:
      return key;
  }
}

export function lockHolders(ctx: Readonly<RwsemCtx> | Readonly<MutexCtx>): string {
  if ('owner' in ctx) return ctx.owner ? `${ctx.owner} holds it` : 'nobody holds it';
  if (ctx.writer) return `${ctx.writer} holds it for write`;
  if (ctx.readers.length)
    return `${[...new Set(ctx.readers)].join(', ')} ${ctx.readers.length > 1 ? 'hold' : 'holds'} it for read`;
  const ahead = ctx.waiters[0];
  return ahead ? `${ahead.t} is ahead in the queue` : 'nobody holds it';
}

function modeWord(mode: LockMode): string {
  return mode === 'mutex' ? '' : ` for ${mode}`;
}

interface LockOpts {
  when?: (v: Variant) => boolean;
  label?: string;
  /** The lock lives inside this VM (`kvm->lock`): touching it after the VM is freed is a use-after-free. */
  vm?: (x: Pick<Exec, 'l' | 'str'>) => string;
}

/** `lock(M)`, `rlock(R)`, `wlock(R)`: one micro-step; blocks when the lock is not free. */
export function acquire(
  line: string,
  key: (x: Pick<Exec, 'l' | 'str'>) => string,
  mode: LockMode,
  o: LockOpts = {},
): Instr {
  return {
    line,
    label: o.label,
    when: o.when,
    run: (x) => {
      const k = key(x);
      if (x.waking) return;
      if (o.vm && !deref(x, o.vm(x), `lock(${lockName(k)})`)) return;
      return x.acquire(k, mode) ? undefined : { block: k };
    },
    say: (n: Say) => {
      const k = key({ l: n.l, str: (name) => String(n.l[name]) });
      const name = lockName(k);
      if (n.blocked) {
        const c = n.ctx<RwsemCtx | MutexCtx>(k);
        return `${n.t}: ${n.fn} waits for ${name}${mode === 'mutex' ? '' : ` (${mode})`}: ${lockHolders(c)}`;
      }
      if (n.woke) return `${n.t}: wakes up in ${n.fn} holding ${name}${modeWord(mode)}`;
      return `${n.t}: ${n.fn} takes ${name}${modeWord(mode)}`;
    },
  };
}

/** `unlock(M)`, `runlock(R)`, `wunlock(R)`: one micro-step; hands the lock to waiters. */
export function release(
  line: string,
  key: (x: Pick<Exec, 'l' | 'str'>) => string,
  mode: LockMode,
  o: LockOpts & { also?: (x: Exec) => void } = {},
): Instr {
  return {
    line,
    label: o.label,
    when: o.when,
    run: (x) => {
      o.also?.(x);
      if (o.vm && !deref(x, o.vm(x), `unlock(${lockName(key(x))})`)) return;
      x.release(key(x), mode);
    },
    say: (n: Say) => {
      const k = key({ l: n.l, str: (name) => String(n.l[name]) });
      const c = n.ctx<RwsemCtx | MutexCtx>(k);
      const handed =
        'owner' in c
          ? c.owner
            ? `; ${c.owner} gets it`
            : ''
          : c.writer
            ? `; ${c.writer} gets it for write`
            : '';
      return `${n.t}: ${n.fn} releases ${lockName(k)}${modeWord(mode)}${handed}`;
    },
  };
}

/** Dereference a `struct kvm *`: NULL is the GVT oops, a freed VM is a use-after-free. */
export function deref(x: Exec, k: string | null, what: string): boolean {
  if (k === null) {
    x.fault('null-deref', `${what} dereferences a NULL struct kvm *`);
    return false;
  }
  const out = x.send<KvmOut>(`kvm:${k}`, { type: 'deref' });
  if (out?.fault === 'use-after-free') {
    x.fault('use-after-free', `${what} dereferences ${k}, which was already freed`, k);
    return false;
  }
  return true;
}

/** kvm_get_kvm(k) on behalf of `holder`. False when the thread crashed. */
export function kget(x: Exec, k: string | null, holder: string): boolean {
  if (k === null) {
    x.fault('null-deref', 'kvm_get_kvm(NULL)');
    return false;
  }
  const out = x.send<KvmOut>(`kvm:${k}`, { type: 'get', h: holder });
  if (out?.fault === 'use-after-free') {
    x.fault('use-after-free', `kvm_get_kvm on ${k}, which was already freed`, k);
    return false;
  }
  if (out?.fault === 'get-from-zero')
    x.fault(
      'get-from-zero',
      `kvm_get_kvm on ${k} whose users_count is already 0 (kvm_destroy_vm is under way)`,
      k,
    );
  x.effect({ kind: 'get', vm: k, holder });
  return true;
}

/** kvm_get_kvm_safe(k): false (no reference) when users_count is 0. */
export function kgetSafe(x: Exec, k: string, holder: string): boolean {
  const out = x.send<KvmOut>(`kvm:${k}`, { type: 'get_safe', h: holder });
  if (out?.fault === 'use-after-free') {
    x.fault('use-after-free', `kvm_get_kvm_safe on ${k}, which was already freed`, k);
    return false;
  }
  if (out?.ok) x.effect({ kind: 'get', vm: k, holder });
  return out?.ok === true;
}

/**
 * kvm_put_kvm(k) on behalf of `holder`. When it drops the last reference the
 * thread calls kvm_destroy_vm right here, synchronously (domain.md §1.1).
 */
export function kput(x: Exec, k: string | null, holder: string): Flow {
  if (k === null) {
    x.fault('null-deref', 'kvm_put_kvm(NULL)');
    return;
  }
  const out = x.send<KvmOut>(`kvm:${k}`, { type: 'put', h: holder });
  if (out?.fault === 'use-after-free') {
    x.fault('use-after-free', `kvm_put_kvm on ${k}, which was already freed`, k);
    return;
  }
  if (out?.fault === 'unbalanced-put')
    x.fault('unbalanced-put', `${holder} puts a reference on ${k} it never got`, k);
  x.effect({ kind: 'put', vm: k, holder });
  if (out?.destroy) return { call: 'kvm_destroy_vm', args: { k } };
}

export function users(x: Pick<Exec, 'ctx'>, k: string): number {
  return x.ctx<KvmCtx>(`kvm:${k}`).users;
}

/** Narration helper: "K (users 2)". */
export function vmDesc(n: Say, k: string | null | undefined): string {
  if (!k) return 'NULL';
  const c = n.ctx<KvmCtx>(`kvm:${k}`);
  return `${k} (users_count ${c.users}${c.saturated ? ', saturated' : ''})`;
}
