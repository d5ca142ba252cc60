/** The locks of the step shown: holders, mode and FIFO waiters (the diagrams' LockDiagram). */
import { memo, useDeferredValue, useId, useRef } from 'react';
import { useDerived, useMotion, useResolvedTheme, useStep, useWidth } from '../hooks.ts';
import { buildLocks, LockDiagram } from '../deps/lockDiagram.ts';

const Diagram = memo(LockDiagram);

export default function LocksPanel() {
  const d = useDerived();
  // Below the reference flow: during fast autoplay it may lag a frame behind.
  const step = useDeferredValue(useStep());
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 360);
  const headId = useId();
  const motion = useMotion();
  const view = d.view(step);
  return (
    <section className="panel locks" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>Locks</h2>
        <FreeLocks view={view} />
      </header>
      <div ref={box} className="locks-body">
        <Diagram
          view={view}
          step={step > 0 ? d.stepView(step) : null}
          totalSteps={d.total}
          theme={theme}
          width={width}
          {...motion}
          threads={false}
          caption={false}
          footer={false}
          banner={false}
          idPrefix="locks"
        />
      </div>
    </section>
  );
}

/** The locks nobody holds or waits for, and those the era does not have: one line each (full text on hover). */
function FreeLocks({ view }: { view: ReturnType<ReturnType<typeof useDerived>['view']> }) {
  const spec = buildLocks(view);
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
}
