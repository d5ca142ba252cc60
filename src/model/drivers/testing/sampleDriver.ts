/**
 * A fourth driver that exists only for tests: an mdev that needs the VM,
 * takes its own reference in open_device under a lock of its own, and puts
 * it in close_device — the shape the patch asks of every driver. Everything
 * the project knows about it is in this file; the test next to it checks that
 * the model, the view, the diagrams and the reports pick it up from here.
 */
import { assign, assertEvent, setup } from 'xstate';
import type { WithOut } from '../../machines/table.ts';
import { defineFn, type Exec } from '../../program.ts';
import { registeredLockKey, registerLockKind, slot, type LockKey } from '../../slots.ts';
import { acquire, getKvm, putKvm, release } from '../../kernel/lib.ts';
import type { DriverDescriptor } from '../descriptor.ts';
import { registerDriver } from '../index.ts';

interface SampleCtx extends WithOut<Record<string, never>> {
  kvm: string | null;
}
type SampleEvent = { type: 'set'; k: string | null };

const sampleMachine = setup({ types: {} as { context: SampleCtx; events: SampleEvent } }).createMachine({
  id: 'sample_mdev',
  initial: 'unbound',
  context: { kvm: null, out: null },
  on: {
    set: {
      actions: assign(({ event }) => {
        assertEvent(event, 'set');
        return { kvm: event.k };
      }),
    },
  },
  states: {
    unbound: { always: { guard: ({ context }) => context.kvm !== null, target: 'bound' } },
    bound: { always: { guard: ({ context }) => context.kvm === null, target: 'unbound' } },
  },
});

export const SAMPLE = 'sample-mdev';
registerLockKind('sample_lock', { kind: 'mutex', cls: '&sdev->lock', field: 'sdev->lock' });
const sampleLock = (x: Pick<Exec, 'str'>): LockKey => registeredLockKey('sample_lock', x.str('d'));
const holder = (x: Pick<Exec, 'str'>) => `${SAMPLE}:${x.str('d')}`;
const K = (x: Pick<Exec, 'str'>) => x.str('k');
const FILE = 'samples/vfio-mdev/sample.c';

defineFn({
  name: 'sample_open_device',
  file: FILE,
  params: ['d'],
  body: [
    {
      line: 'if (!vdev->kvm) return -EINVAL',
      step: false,
      run: (x) => {
        const k = x.ctx(slot.device(x.str('d'))).kvm;
        if (k === null) return { ret: '-EINVAL' };
        x.set('k', k);
      },
    },
    acquire('mutex_lock(&sdev->lock)', sampleLock, 'mutex'),
    getKvm('kvm_get_kvm(vdev->kvm)', K, holder),
    {
      line: 'sdev->kvm = vdev->kvm',
      run: (x) => {
        x.send(slot.driver(x.str('d')), { type: 'set', k: K(x) });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: K(x) });
      },
      say: (n) => `${n.t}: the sample driver binds ${n.l.d} to ${n.l.k}`,
    },
    release('mutex_unlock(&sdev->lock)', sampleLock, 'mutex'),
    { line: 'return 0', step: false, run: () => ({ ret: 0 }) },
  ],
});

defineFn({
  name: 'sample_close_device',
  file: FILE,
  params: ['d'],
  body: [
    acquire('mutex_lock(&sdev->lock)', sampleLock, 'mutex'),
    {
      line: 'kvm = sdev->kvm; sdev->kvm = NULL',
      run: (x) => {
        x.set('k', x.ctx<SampleCtx>(slot.driver(x.str('d'))).kvm ?? '');
        x.send(slot.driver(x.str('d')), { type: 'set', k: null });
        x.effect({ kind: 'ptr', from: `device:${x.str('d')}`, to: `driver:${x.str('d')}`, vm: null });
      },
      say: (n) => `${n.t}: the sample driver unbinds ${n.l.d}`,
    },
    release('mutex_unlock(&sdev->lock)', sampleLock, 'mutex'),
    putKvm('kvm_put_kvm(kvm)', (x) => x.str('k') || null, holder),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});

export const sample: DriverDescriptor<SampleCtx> = {
  name: SAMPLE,
  title: 'sample mdev (test-only)',
  shortTitle: 'sample',
  holderWords: (d) => `the sample driver, for ${d}`,
  objectName: (d) => `sdev(${d})`,
  machine: sampleMachine,
  hooks: () => ({
    open_device: 'sample_open_device',
    close_device: 'sample_close_device',
    group_notifier: null,
    release_work: null,
  }),
  driverKvm: (c) => c.kvm,
  requiresKvm: true,
  pointerName: () => 'sdev->kvm',
  fields: (c) => [{ name: 'bound', value: String(c.kvm !== null) }],
  locks: (_v, d) => [registeredLockKey('sample_lock', d)],
};

registerDriver(sample);
