/**
 * kernel/workqueue.c: the `run_work` op. A kworker runs every queued work
 * item — GVT's release_work, scheduled by its SET_KVM(NULL) callback in the
 * notifier eras; with nothing queued it has nothing to do.
 */
import { defineFn, label } from '../program.ts';
import { slot } from '../slots.ts';

defineFn({
  name: 'worker_thread',
  key: 'run_work_op',
  file: 'kernel/workqueue.c',
  params: [],
  body: [
    label('recheck'),
    {
      line: 'if (list_empty(&pool->worklist)) goto sleep',
      run: (x) => {
        const out = x.send(slot.workqueue, { type: 'take' });
        x.set('d', out?.took ?? null);
        if (!out?.took) return { ret: 0 };
      },
      say: (n) =>
        n.l.d
          ? `${n.t}: the kworker picks up ${n.l.d}'s release_work`
          : `${n.t}: the kworker finds no queued work`,
    },
    {
      line: 'process_one_work(worker, work)',
      step: false,
      run: (x) => ({ call: 'process_one_work', args: { d: x.str('d') } }),
    },
    { line: 'goto recheck', step: false, run: () => ({ goto: 'recheck' }) },
  ],
});

defineFn({
  name: 'process_one_work',
  file: 'kernel/workqueue.c',
  params: ['d'],
  body: [
    {
      line: 'worker->current_func(work)',
      step: false,
      run: (x) => {
        const fn = x.model.driverFn(x.str('d'), 'release_work');
        return fn ? { call: fn, args: { d: x.str('d') } } : undefined;
      },
    },
    { line: 'return', step: false, run: () => ({ ret: 0 }) },
  ],
});
