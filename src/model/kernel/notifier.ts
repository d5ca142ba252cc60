/**
 * kernel/notifier.c: a blocking notifier chain calls its callbacks in
 * order, holding the chain's rwsem for read (domain.md §1.7; details
 * INFERRED). Used for SET_KVM in the notifier eras.
 */
import { defineFn, label } from '../program.ts';
import type { GroupCtx } from '../machines/vfioGroup.ts';
import { acquire, lockKey, release } from './lib.ts';

defineFn({
  name: 'blocking_notifier_call_chain',
  file: 'kernel/notifier.c',
  params: ['g', 'k'],
  when: (v) => v.notifier,
  body: [
    acquire('down_read(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'read'),
    { line: 'i := 0', step: false, run: (x) => x.set('i', 0) },
    label('LOOP'),
    {
      line: 'if i == number of callbacks: goto DONE',
      step: false,
      run: (x) => {
        const chain = x.ctx<GroupCtx>(`group:${x.str('g')}`).notifier;
        const i = Number(x.l.i);
        if (i >= chain.length) return { goto: 'DONE' };
        x.set('cb', chain[i]!);
      },
    },
    {
      line: 'callback[i](SET_KVM, k)',
      run: (x) => {
        const d = x.str('cb');
        const fn = x.model.driverFn(d, 'group_notifier');
        x.set('i', Number(x.l.i) + 1);
        if (fn) return { call: fn, args: { d, k: x.vmOrNull('k') } };
      },
      say: (n) => `${n.t}: the SET_KVM chain of ${n.l.g} calls ${n.l.cb}'s callback with ${n.l.k ?? 'NULL'}`,
    },
    { line: 'i := i + 1; goto LOOP', step: false, run: () => ({ goto: 'LOOP' }) },
    label('DONE'),
    release('up_read(G.notifier.rwsem)', (x) => lockKey.notifier(x.str('g')), 'read'),
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});
