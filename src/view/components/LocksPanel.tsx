/** The locks of the step shown: holders, mode and FIFO waiters (the diagrams' LockDiagram). */
import { memo, useId, useRef } from 'react';
import { useDerived, useMotion, usePanelStep, useResolvedTheme, useWarmSteps, useWidth } from '../hooks.ts';
import { LockDiagram, lockGeometry, type LockSpec } from '../deps/lockDiagram.ts';

const Diagram = memo(LockDiagram);

/**
 * Below the reference flow, it follows the step as a panel does (usePanelStep: deferred, taking turns
 * during fast autoplay). The step is read here; the panel itself (memo) renders once, at that step, not
 * again at the urgent one.
 */
export default function LocksPanel() {
  return <Locks step={usePanelStep('locks')} />;
}

const Locks = memo(function Locks({ step }: { step: number }) {
  const d = useDerived();
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 360);
  const headId = useId();
  const motion = useMotion();
  const view = d.view(step);
  const stepView = step > 0 ? d.stepView(step) : null;
  // The options the diagram is drawn with below, also for the steps worked out ahead of time.
  const drawn = { totalSteps: d.total, width, threads: false, caption: false, footer: false, banner: false };
  useWarmSteps(d, (s) => void lockGeometry(d.view(s), { ...drawn, step: s > 0 ? d.stepView(s) : null }), [
    width,
  ]);
  return (
    <section className="panel locks" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>Locks</h2>
        <FreeLocks spec={lockGeometry(view, { ...drawn, step: stepView }).spec} />
      </header>
      <div ref={box} className="locks-body">
        <Diagram view={view} step={stepView} theme={theme} {...drawn} {...motion} idPrefix="locks" />
      </div>
    </section>
  );
});

/** The locks nobody holds or waits for, and those the era does not have: one line each (full text on hover). */
const FreeLocks = memo(function FreeLocks({ spec }: { spec: LockSpec }) {
  const free = spec.rows
    .filter((r) => !r.lock.owners.length && !r.lock.waiters.length)
    .map((r) => r.lock.name);
  const absent = spec.absent.map((l) => l.name);
  const text = [
    free.length ? `free: ${free.join(', ')}` : '',
    absent.length ? `not in this era: ${absent.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return text ? (
    <p className="locks-free" title={text}>
      {text}
    </p>
  ) : null;
});
