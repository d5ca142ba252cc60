/**
 * The lock validator's warning once the step shown has reached it: a warning
 * (role="status"), not an alert, since nothing crashed; the Report panel has
 * the full text.
 */
import type { Derived } from '../player/runs.ts';
import '../styles/report.css';

export function LockdepNote({ d, step }: { d: Derived; step: number }) {
  const w = d.run.trace.lockdep;
  const shown = w !== null && w.steps[w.steps.length - 1]! <= step;
  return (
    <p role="status" className={shown ? 'lockdep-note' : 'lockdep-note empty'} data-testid="lockdep-note">
      {shown
        ? `lockdep warning (step ${w.steps[w.steps.length - 1]}): possible ${w.kind === 'circular' ? 'circular locking dependency' : 'recursive locking'}, ${w.chain.join(' → ')}${w.kind === 'circular' ? ` → ${w.chain[0]}` : ''}. See the Report panel.`
        : ''}
    </p>
  );
}
