/**
 * kernel/notifier.c: a blocking notifier chain — the group's SET_KVM chain
 * in the notifier eras. Registration takes the chain's rwsem for write;
 * calling the chain holds it for read while every callback runs, in order.
 */
import { defineFn, mark, type Exec } from '../program.ts';
import { slot } from '../slots.ts';
import { acquire, lockKey, release } from './lib.ts';

const chainLock = (x: Pick<Exec, 'str'>) => lockKey.notifier(x.str('g'));
const FILE = 'kernel/notifier.c';

defineFn({
  name: 'blocking_notifier_call_chain',
  file: FILE,
  params: ['g', 'k'],
  body: [
    acquire('down_read(&nh->rwsem)', chainLock, 'read'),
    { line: 'nb = rcu_dereference_raw(nh->head)', step: false, run: (x) => x.set('i', 0) },
    mark('next'),
    {
      line: 'while (nb) {',
      step: false,
      run: (x) => {
        const chain = x.ctx(slot.group(x.str('g'))).notifier;
        const i = Number(x.l.i);
        if (i >= chain.length) return { goto: 'done' };
        x.set('cb', chain[i]!);
      },
    },
    {
      line: '\tret = nb->notifier_call(nb, val, v)',
      run: (x) => {
        const d = x.str('cb');
        const fn = x.model.driverFn(d, 'group_notifier');
        x.set('i', Number(x.l.i) + 1);
        if (fn) return { call: fn, args: { d, k: x.vmOrNull('k') } };
      },
      say: (n) =>
        `${n.t}: the SET_KVM chain of ${n.l.g} calls ${n.l.cb}'s callback with ${n.l.k ?? 'NULL'} (the return value is ignored)`,
    },
    { line: '\tnb = next_nb; }', step: false, run: () => ({ goto: 'next' }) },
    mark('done'),
    release('up_read(&nh->rwsem)', chainLock, 'read'),
    { line: 'return ret', step: false, run: () => ({ ret: 0 }) },
  ],
});

for (const [name, event, what] of [
  ['blocking_notifier_chain_register', 'nb_register', 'notifier_chain_register(&nh->head, n)'],
  ['blocking_notifier_chain_unregister', 'nb_unregister', 'notifier_chain_unregister(&nh->head, n)'],
] as const) {
  defineFn({
    name,
    file: FILE,
    params: ['g', 'd'],
    body: [
      acquire('down_write(&nh->rwsem)', chainLock, 'write'),
      {
        line: `ret = ${what}`,
        step: false,
        run: (x) => void x.send(slot.group(x.str('g')), { type: event, d: x.str('d') }),
      },
      release('up_write(&nh->rwsem)', chainLock, 'write'),
      { line: 'return ret', step: false, run: () => ({ ret: 0 }) },
    ],
  });
}
