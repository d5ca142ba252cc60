/** The locks of the step shown: holders, mode and FIFO waiters (the diagrams' LockDiagram). */
import { memo, useDeferredValue, useId, useRef } from 'react';
import { useDerived, useMotion, useResolvedTheme, useStep, useWidth } from '../hooks.ts';
import { LockDiagram } from '../deps/lockDiagram.ts';

const Diagram = memo(LockDiagram);

export default function LocksPanel() {
  const d = useDerived();
  // Below the reference flow: during fast autoplay it may lag a frame behind.
  const step = useDeferredValue(useStep());
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 480);
  const headId = useId();
  const motion = useMotion();
  return (
    <section className="panel locks" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>Locks</h2>
      </header>
      <div ref={box} className="locks-body">
        <Diagram
          view={d.view(step)}
          step={step > 0 ? d.stepView(step) : null}
          totalSteps={d.total}
          theme={theme}
          width={width}
          {...motion}
          threads={false}
          idPrefix="locks"
        />
      </div>
    </section>
  );
}
