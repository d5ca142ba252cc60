/**
 * The reference-flow diagram as text: one sentence per node and per edge (the
 * SVG is one image to assistive technology; this list is its long description).
 * A closed <details> shows its summary only, so the lists are written when the
 * reader opens it, and from then on follow the step: while closed they cost
 * nothing per step (during autoplay they were a tenth of a frame's script).
 */
import { useId, useState } from 'react';
import type { KernelView, StepView, Violation } from '../../model/index.ts';
import { describeFlow, type DiagramNote } from '../deps/diagrams.tsx';

export function FlowAsText({
  view,
  step,
  totalSteps,
  violations,
  notes,
}: {
  view: KernelView;
  step: StepView | null;
  totalSteps: number;
  violations: readonly Violation[];
  notes: readonly DiagramNote[];
}) {
  const [open, setOpen] = useState(false);
  const ids = { nodes: useId(), edges: useId() };
  return (
    <details className="as-text" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>The diagram as text</summary>
      {open && <Lists ids={ids} f={describeFlow(view, { step, totalSteps, violations, notes })} />}
    </details>
  );
}

function Lists({ ids, f }: { ids: { nodes: string; edges: string }; f: ReturnType<typeof describeFlow> }) {
  return (
    <div className="as-text-body" tabIndex={0} role="group" aria-label="The diagram as text">
      <h3 id={ids.nodes}>Objects</h3>
      <ul aria-labelledby={ids.nodes} data-testid="flow-nodes">
        {f.nodes.map((n) => (
          <li key={n.id}>{n.text}</li>
        ))}
      </ul>
      <h3 id={ids.edges}>Pointers and references</h3>
      <ul aria-labelledby={ids.edges} data-testid="flow-edges">
        {f.edges.map((e) => (
          <li key={e.id}>{e.text}</li>
        ))}
      </ul>
    </div>
  );
}
