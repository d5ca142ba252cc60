/**
 * kernel/workqueue.c: the `run_work` op. The worker runs every queued work
 * item (GVT's release_work, v5.18 and before); with nothing queued it has
 * nothing to do.
 */
import { defineFn, label } from '../program.ts';

defineFn({
  name: 'worker_thread',
  file: 'kernel/workqueue.c',
  params: [],
  body: [
    label('LOOP'),
    {
      line: 'work := the next queued work item; if none: return',
      run: (x) => {
        const out = x.send<{ took?: string | null }>('workqueue', { type: 'take' });
        x.set('d', out?.took ?? null);
        if (!out?.took) return { ret: 0 };
      },
      say: (n) =>
        n.l.d
          ? `${n.t}: the kernel worker runs ${n.l.d}'s release_work`
          : `${n.t}: the kernel worker finds no queued work`,
    },
    {
      line: 'work->func(work)',
      step: false,
      run: (x) => {
        const fn = x.model.driverFn(x.str('d'), 'release_work');
        return fn ? { call: fn, args: { d: x.str('d') } } : undefined;
      },
    },
    { line: 'goto LOOP', step: false, run: () => ({ goto: 'LOOP' }) },
  ],
});
