/**
 * drivers/vfio/vfio.c: the VFIO core (domain.md §2.1–2.3, §3.1–3.4, and the
 * `fixed` changes of §4.2-K). One body per function; era differences are
 * `when` lines.
 */
import type { Variant } from '../era.ts';
import { defineFn, label, type Exec, type Say } from '../program.ts';
import type { DeviceCtx } from '../machines/vfioDevice.ts';
import type { GroupCtx } from '../machines/vfioGroup.ts';
import { acquire, kgetSafe, kput, lockKey, release, vmDesc } from './lib.ts';

const gr = (v: Variant) => v.groupRwsem;
const after = (v: Variant) => v.capture !== 'none';
const v3 = (v: Variant) => v.capture === 'rlock';
const safe = (v: Variant) => v.capture === 'safe';
const notifierEra = (v: Variant) => v.notifier;

export function groupOf(x: Pick<Exec, 'model'>, d: string): string {
  const dev = x.model.devices.find((e) => e.id === d);
  if (!dev) throw new Error(`unknown device ${d}`);
  return dev.group;
}
const G = (x: Pick<Exec, 'model' | 'str'>) => groupOf(x, x.str('d'));
const groupRwsem = (x: Pick<Exec, 'str'>) => lockKey.groupRwsem(x.str('g'));
const devSet = (x: Pick<Exec, 'str'>) => lockKey.devSet(x.str('d'));
const dev = (x: Pick<Exec, 'ctx' | 'str'>) => x.ctx<DeviceCtx>(`device:${x.str('d')}`);

function setGroupKvm(x: Exec) {
  const g = x.str('g');
  const k = x.vmOrNull('k');
  x.send(`group:${g}`, { type: 'set_kvm', k });
  x.effect({ kind: 'ptr', from: `kvm_vfio:${x.str('via')}`, to: `group:${g}`, vm: k });
}
const sayGroupKvm = (n: Say) => `${n.t}: ${n.fn} sets ${n.l.g}->kvm := ${n.l.k ?? 'NULL'}`;

/* ---------------------------------------------------------------- set_kvm */

defineFn({
  name: 'vfio_file_set_kvm',
  file: 'drivers/vfio/vfio.c',
  params: ['g', 'k', 'via'],
  body: [
    { line: 'if file is not a vfio group fd: return', step: false },
    // v5.18: no lock at all (domain.md §0.3)
    {
      line: 'G.kvm := k   # no lock held (v5.18)',
      when: (v) => v.setKvmLock === 'none',
      run: setGroupKvm,
      say: sayGroupKvm,
    },
    acquire('wlock(G.group_rwsem)', groupRwsem, 'write', { when: (v) => v.setKvmLock === 'group_rwsem' }),
    { line: 'G.kvm := k', when: (v) => v.setKvmLock === 'group_rwsem', run: setGroupKvm, say: sayGroupKvm },
    {
      line: 'notify_all(G.notifier, SET_KVM, k)   # every driver callback runs here, synchronously; return codes ignored',
      step: false,
      when: notifierEra,
      run: (x) => ({ call: 'blocking_notifier_call_chain', args: { g: x.str('g'), k: x.vmOrNull('k') } }),
    },
    release('wunlock(G.group_rwsem)', groupRwsem, 'write', { when: (v) => v.setKvmLock === 'group_rwsem' }),
    {
      line: 'spin_lock(G.kvm_ref_lock); G.kvm := k; spin_unlock(G.kvm_ref_lock)   # 2b48f52f2bff',
      when: (v) => v.setKvmLock === 'kvm_ref_lock',
      run: setGroupKvm,
      say: (n) =>
        `${n.t}: vfio_file_set_kvm sets ${n.l.g}->kvm := ${n.l.k ?? 'NULL'} under ${n.l.g}.kvm_ref_lock (a spinlock, not group_rwsem)`,
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------------------------- open */

/** The `open_device` op: VFIO_GROUP_GET_DEVICE_FD. */
defineFn({
  name: 'vfio_group_get_device_fd',
  file: 'drivers/vfio/vfio.c',
  params: ['d', 'fail'],
  body: [
    { line: 'D := look up device by name (device reference); fdno := get_unused_fd()', step: false },
    {
      line: 'file := vfio_device_open(D)',
      step: false,
      run: (x) => ({
        call: 'vfio_device_open',
        args: { d: x.str('d'), g: G(x), fail: x.l.fail ?? null },
        into: 'r',
      }),
    },
    {
      line: 'if IS_ERR(file): put_unused_fd(fdno); put D; FAIL(r)',
      step: false,
      run: (x) => (x.l.r !== 0 ? { ret: x.l.r ?? null } : undefined),
    },
    {
      line: 'fd_install(fdno, file); return fdno',
      step: false,
      run: (x) => (x.send(`device:${x.str('d')}`, { type: 'fd_install' }), { ret: 0 }),
    },
  ],
});

function driverCall(hook: 'open_device' | 'close_device') {
  return (x: Exec) => {
    const fn = x.model.driverFn(x.str('d'), hook);
    if (hook === 'close_device') x.send(`device:${x.str('d')}`, { type: 'close_begin' });
    if (!fn) return hook === 'open_device' ? void x.set('r', 0) : undefined;
    return { call: fn, args: { d: x.str('d') }, into: hook === 'open_device' ? 'r' : undefined };
  };
}
const sayDriverCall = (hook: string) => (n: Say) => `${n.t}: ${n.fn} calls the driver's ${hook}(${n.l.d})`;

function incOpenCount(x: Exec) {
  x.send(`device:${x.str('d')}`, { type: 'open_count_inc' });
}
const sayOpenCount = (n: Say) =>
  `${n.t}: ${n.l.d}.open_count is now ${n.ctx<DeviceCtx>(`device:${n.l.d}`).openCount}`;
function decOpenCount(x: Exec) {
  x.send(`device:${x.str('d')}`, { type: 'open_count_dec' });
}

function captureKvm(x: Exec) {
  const k = x.ctx<GroupCtx>(`group:${x.str('g')}`).kvm;
  x.send(`device:${x.str('d')}`, { type: 'capture_kvm', k });
  x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${x.str('d')}`, vm: k });
}

function captureKvmSafe(x: Exec) {
  const k = x.ctx<GroupCtx>(`group:${x.str('g')}`).kvm;
  if (k !== null && kgetSafe(x, k, `core:${x.str('d')}`)) {
    x.send(`device:${x.str('d')}`, { type: 'capture_kvm', k });
    x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${x.str('d')}`, vm: k });
  } else if (x.crashed) {
    x.set('freed', k);
  } else {
    x.set('safeFailed', k !== null);
  }
}

function clearKvmIfClosed(x: Exec) {
  const c = dev(x);
  if (c.openCount === 0 && c.kvm !== null) {
    x.send(`device:${x.str('d')}`, { type: 'clear_kvm' });
    x.effect({ kind: 'ptr', from: `group:${x.str('g')}`, to: `device:${x.str('d')}`, vm: null });
  }
}

defineFn({
  name: 'vfio_device_open',
  file: 'drivers/vfio/vfio.c',
  params: ['d', 'g', 'fail'],
  body: [
    acquire('wlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    {
      line: 'r := assign_container(D)   # container_users += 1; takes a ref on G.opened_file',
      step: false,
      run: (x) => (x.send(`group:${x.str('g')}`, { type: 'assign_container' }), x.set('r', 0)),
    },
    release('wunlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    { line: 'if r: FAIL(r)', step: false },
    { line: "if !try_module_get(D's driver): r := -ENODEV; goto UNASSIGN", step: false },
    acquire('lock(D.dev_set.lock)', devSet, 'mutex'),
    { line: 'D.open_count += 1', run: incOpenCount, say: sayOpenCount },
    {
      line: 'if D.open_count == 1:   # v3: one branch (Kevin Tian)',
      step: false,
      run: (x) => (dev(x).openCount !== 1 ? { goto: 'OPENED' } : undefined),
    },
    acquire('  rlock(G.group_rwsem)   # READ lock (v2, Jason)', groupRwsem, 'read', { when: after }),
    {
      line: '  D.kvm := G.kvm   # may be NULL; no NULL check (v3, Christoph)',
      when: v3,
      run: captureKvm,
      say: (n) =>
        `${n.t}: vfio_device_open copies ${n.l.g}->kvm into ${n.l.d}->kvm = ${n.ctx<DeviceCtx>(`device:${n.l.d}`).kvm ?? 'NULL'}`,
    },
    {
      line: '  spin_lock(G.kvm_ref_lock); if G.kvm and kvm_get_kvm_safe(G.kvm): D.kvm := G.kvm; spin_unlock   # core reference (2b48f52f2bff)',
      when: safe,
      run: captureKvmSafe,
      say: (n) => {
        const k = n.ctx<DeviceCtx>(`device:${n.l.d}`).kvm;
        if (k)
          return `${n.t}: vfio_device_open takes the core's own reference with kvm_get_kvm_safe: ${n.l.d}->kvm = ${vmDesc(n, k)}`;
        if (n.l.freed)
          return `${n.t}: vfio_device_open calls kvm_get_kvm_safe on ${n.l.freed}, which was already freed`;
        if (n.l.safeFailed)
          return `${n.t}: kvm_get_kvm_safe fails (users_count is 0): ${n.l.d}->kvm stays NULL`;
        return `${n.t}: ${n.l.g}->kvm is NULL: ${n.l.d}->kvm stays NULL`;
      },
    },
    {
      line: '  if D.ops.open_device: r := D.ops.open_device(D)',
      run: driverCall('open_device'),
      say: sayDriverCall('open_device'),
    },
    {
      line: '  if r: goto UNDO_COUNT   # (after: with group_rwsem still held)',
      step: false,
      run: (x) => (x.l.r ? { goto: 'UNDO_COUNT' } : undefined),
    },
    release('  runlock(G.group_rwsem)', groupRwsem, 'read', { when: after }),
    release('unlock(D.dev_set.lock)', devSet, 'mutex', {
      label: 'OPENED',
      also: (x) => {
        if (x.state(`device:${x.str('d')}`) === 'opening')
          x.send(`device:${x.str('d')}`, { type: 'first_open_done' });
      },
    }),
    {
      line: 'file := anon_inode_getfile("[vfio-device]", D); if fails: r := err; goto CLOSE_DEV',
      step: false,
      run: (x) => {
        if (x.l.fail === 'anon_inode_getfile') {
          x.set('r', '-ENOMEM');
          return { goto: 'CLOSE_DEV' };
        }
      },
    },
    { line: 'return file', step: false, run: () => ({ ret: 0 }) },
    label('CLOSE_DEV'),
    acquire('lock(D.dev_set.lock)', devSet, 'mutex'),
    acquire('rlock(G.group_rwsem)', groupRwsem, 'read', { when: after }),
    {
      line: 'if D.open_count != 1: goto UNDO_COUNT',
      step: false,
      run: (x) => (dev(x).openCount !== 1 ? { goto: 'UNDO_COUNT' } : undefined),
    },
    {
      line: 'if D.open_count == 1 and D.ops.close_device: D.ops.close_device(D)',
      run: driverCall('close_device'),
      say: sayDriverCall('close_device'),
    },
    label('UNDO_COUNT'),
    { line: 'D.open_count -= 1', when: (v) => !safe(v), run: decOpenCount, say: sayOpenCount },
    {
      line: 'if D.open_count == 0 and D.kvm != NULL: D.kvm := NULL',
      step: false,
      when: v3,
      run: clearKvmIfClosed,
    },
    release('runlock(G.group_rwsem)', groupRwsem, 'read', { when: after }),
    {
      line: 'D.open_count -= 1   # after runlock (2b48f52f2bff)',
      when: safe,
      run: decOpenCount,
      say: sayOpenCount,
    },
    {
      line: 'if D.open_count == 0 and D.kvm: vfio_device_put_kvm(D)',
      step: false,
      when: safe,
      run: (x) =>
        dev(x).openCount === 0
          ? { call: 'vfio_device_put_kvm', args: { d: x.str('d'), g: x.str('g') } }
          : undefined,
    },
    release('unlock(D.dev_set.lock)', devSet, 'mutex'),
    { line: "module_put(D's driver)", step: false },
    label('UNASSIGN'),
    acquire('wlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    {
      line: 'unassign_container(D)   # container_users -= 1; drop the G.opened_file ref',
      step: false,
      run: (x) => void x.send(`group:${x.str('g')}`, { type: 'unassign_container' }),
    },
    release('wunlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    { line: 'FAIL(r)', step: false, run: (x) => ({ ret: x.l.r ?? null }) },
  ],
});

/** fixed: drop the core's reference at last close (2b48f52f2bff). */
defineFn({
  name: 'vfio_device_put_kvm',
  file: 'drivers/vfio/vfio.c',
  params: ['d', 'g'],
  when: safe,
  body: [
    {
      line: 'if !D.kvm: return',
      step: false,
      run: (x) => (dev(x).kvm === null ? { ret: 0 } : x.set('k', dev(x).kvm)),
    },
    {
      line: "kvm_put_kvm(D.kvm)   # the core's reference, after group_rwsem is released",
      run: (x) => kput(x, x.vmOrNull('k'), `core:${x.str('d')}`),
      say: (n) => `${n.t}: vfio_device_put_kvm drops the core's reference: ${vmDesc(n, n.l.k as string)}`,
    },
    { line: 'D.kvm := NULL', step: false, run: clearKvmIfClosed },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* ------------------------------------------------------------------ close */

/** The `close_device` op: the release of one device fd. */
defineFn({
  name: 'vfio_device_fops_release',
  file: 'drivers/vfio/vfio.c',
  params: ['d'],
  body: [
    {
      line: 'close(fd): if no fd of D is open: FAIL(-EBADF)',
      step: false,
      run: (x) => {
        x.set('g', G(x));
        if (dev(x).fds === 0) return { ret: '-EBADF' };
        x.send(`device:${x.str('d')}`, { type: 'fd_release' });
      },
    },
    acquire('lock(D.dev_set.lock)', devSet, 'mutex'),
    { line: 'assert D.open_count > 0', step: false },
    acquire('rlock(G.group_rwsem)   # taken on every close, not only the last', groupRwsem, 'read', {
      when: after,
    }),
    {
      line: 'if D.open_count != 1: goto SKIP',
      step: false,
      run: (x) => (dev(x).openCount !== 1 ? { goto: 'SKIP' } : undefined),
    },
    {
      line: 'if D.open_count == 1 and D.ops.close_device: D.ops.close_device(D)',
      run: driverCall('close_device'),
      say: sayDriverCall('close_device'),
    },
    label('SKIP'),
    release('runlock(G.group_rwsem)', groupRwsem, 'read', { when: after }),
    {
      line: 'D.open_count -= 1   # v3: outside group_rwsem (Kevin Tian)',
      when: after,
      run: decOpenCount,
      say: sayOpenCount,
    },
    { line: 'D.open_count -= 1', when: (v) => !after(v), run: decOpenCount, say: sayOpenCount },
    { line: 'if D.open_count == 0: D.kvm := NULL', step: false, when: v3, run: clearKvmIfClosed },
    {
      line: 'if D.open_count == 0: vfio_device_put_kvm(D)',
      step: false,
      when: safe,
      run: (x) =>
        dev(x).openCount === 0
          ? { call: 'vfio_device_put_kvm', args: { d: x.str('d'), g: x.str('g') } }
          : undefined,
    },
    release('unlock(D.dev_set.lock)', devSet, 'mutex'),
    { line: "module_put(D's driver)", step: false },
    acquire('unassign_container(D): wlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    {
      line: 'container_users -= 1; drop the G.opened_file ref',
      step: false,
      run: (x) => void x.send(`group:${x.str('g')}`, { type: 'unassign_container' }),
    },
    release('wunlock(G.group_rwsem)', groupRwsem, 'write', { when: gr }),
    { line: 'put D; return', step: false, run: () => ({ ret: 0 }) },
  ],
});

/* -------------------------------------------------------------- notifiers */

/** VFIO_IOMMU_NOTIFY registration, called by GVT and vfio-ap from open/close. */
for (const [name, what] of [
  ['vfio_register_iommu_notifier', 'register with G.container->iommu_driver'],
  ['vfio_unregister_iommu_notifier', 'unregister from G.container->iommu_driver'],
] as const) {
  defineFn({
    name,
    file: 'drivers/vfio/vfio.c',
    params: ['d'],
    body: [
      { line: 'G := D.group', step: false, run: (x) => x.set('g', G(x)) },
      {
        line: `${what}   # no group lock exists yet (v5.18)`,
        step: false,
        when: (v) => v.iommuNotifierLock === 'none',
      },
      acquire('rlock(G.group_rwsem)', groupRwsem, 'read', { when: (v) => v.iommuNotifierLock === 'rlock' }),
      { line: `${what}`, step: false, when: (v) => v.iommuNotifierLock === 'rlock' },
      release('runlock(G.group_rwsem)', groupRwsem, 'read', { when: (v) => v.iommuNotifierLock === 'rlock' }),
      {
        line: `lockdep_assert_held(G.group_rwsem); ${what}   # the caller holds it for read (v2/v3)`,
        step: false,
        when: (v) => v.iommuNotifierLock === 'assert',
      },
      { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
    ],
  });
}

/** VFIO_GROUP_NOTIFY / SET_KVM registration, with the replay (domain.md §2.2). */
defineFn({
  name: 'vfio_register_group_notifier',
  file: 'drivers/vfio/vfio.c',
  params: ['d'],
  when: notifierEra,
  body: [
    {
      line: 'G := D.group; events has SET_KVM: wants_kvm := true',
      step: false,
      run: (x) => x.set('g', G(x)),
    },
    acquire('chain_register: down_write(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'write'),
    {
      line: 'add nb to G.notifier',
      step: false,
      run: (x) => void x.send(`group:${x.str('g')}`, { type: 'nb_register', d: x.str('d') }),
    },
    release('up_write(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'write'),
    acquire('rlock(G.group_rwsem)', groupRwsem, 'read', { when: gr }),
    {
      line: 'k := G.kvm   # read with NO lock held (v5.18)',
      when: (v) => !v.groupRwsem,
      run: (x) => x.set('k', x.ctx<GroupCtx>(`group:${x.str('g')}`).kvm),
      say: (n) =>
        `${n.t}: vfio_register_group_notifier reads ${n.l.g}->kvm = ${n.l.k ?? 'NULL'} with no lock held`,
    },
    {
      line: 'k := G.kvm',
      step: false,
      when: gr,
      run: (x) => x.set('k', x.ctx<GroupCtx>(`group:${x.str('g')}`).kvm),
    },
    {
      line: 'if k != NULL: notify_all(G.notifier, SET_KVM, k)   # the replay fires EVERY listener',
      step: false,
      run: (x) =>
        x.l.k ? { call: 'blocking_notifier_call_chain', args: { g: x.str('g'), k: x.str('k') } } : undefined,
    },
    release('runlock(G.group_rwsem)', groupRwsem, 'read', { when: gr }),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'vfio_unregister_group_notifier',
  file: 'drivers/vfio/vfio.c',
  params: ['d'],
  when: notifierEra,
  body: [
    { line: 'G := D.group', step: false, run: (x) => x.set('g', G(x)) },
    acquire('chain_unregister: down_write(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'write'),
    {
      line: 'remove nb from G.notifier',
      step: false,
      run: (x) => void x.send(`group:${x.str('g')}`, { type: 'nb_unregister', d: x.str('d') }),
    },
    release('up_write(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'write'),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});
