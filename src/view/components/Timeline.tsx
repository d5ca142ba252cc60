/** The micro-steps of the run, one lane per thread (the diagrams' SequenceChart); click to jump. */
import { memo, useCallback, useEffect, useId, useMemo, useRef } from 'react';
import { useSend } from '../context.ts';
import { useDerived, usePanelStep, useResolvedTheme, useWidth } from '../hooks.ts';
import { SequenceChart } from '../deps/sequenceChart.ts';
import { opLabel, type StepView } from '../../model/index.ts';
import { kindWords } from './format.ts';
import { showWorkspace } from './Counterexample.tsx';

const Chart = memo(SequenceChart);

/**
 * The chart follows the step as a panel does (usePanelStep: deferred, and taking turns during fast
 * autoplay). The step is read here; the panel (memo) renders once per step it shows.
 */
export default function Timeline() {
  return <TimelineAt step={usePanelStep('timeline')} />;
}

const TimelineAt = memo(function TimelineAt({ step }: { step: number }) {
  const send = useSend();
  const d = useDerived();
  const onSelect = useCallback((n: number) => send({ type: 'goto', step: n }), [send]);
  const theme = useResolvedTheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 640);
  const headId = useId();
  const steps = useMemo(() => {
    const out: StepView[] = [];
    for (let n = 1; n <= d.total; n++) out.push(d.stepView(n));
    return out;
  }, [d]);
  const threads = useMemo(() => d.run.model.threads.map((t) => t.id), [d]);
  const opLabels = useMemo(() => d.run.model.scenario.steps.map(opLabel), [d]);
  // Keep the current step in view when the chart is wider than its box (phones); no smooth scrolling.
  // No layout is read here: the box's width comes from its ResizeObserver, its scroll position from its
  // scroll events, the chart's width and cursor from its attributes. (Reading scrollLeft/clientWidth forced
  // a layout on every step: 15-20 % of the page's script time during autoplay, by the bench's CPU profile.)
  const scrollLeft = useRef(0);
  useEffect(() => {
    const el = box.current;
    const svg = el?.querySelector('svg[data-current-x]');
    if (!el || !svg || !(Number(svg.getAttribute('width')) > width)) return;
    const x = Number(svg.getAttribute('data-current-x'));
    if (!Number.isFinite(x)) return;
    if (x < scrollLeft.current + 40 || x > scrollLeft.current + width - 40)
      el.scrollLeft = scrollLeft.current = Math.max(0, x - width / 2);
  }, [step, width, d]);
  const all = d.run.violations;
  return (
    <section className="panel timeline" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>Timeline</h2>
        <span className="muted">
          {d.total} micro-steps · {threads.length} thread{threads.length === 1 ? '' : 's'}
        </span>
      </header>
      <div
        ref={box}
        className="timeline-body"
        onScroll={(e) => (scrollLeft.current = e.currentTarget.scrollLeft)}
      >
        <Chart
          steps={steps}
          threads={threads}
          current={step}
          onSelect={onSelect}
          opLabels={opLabels}
          violations={all}
          theme={theme}
          width={width}
          idPrefix="seq"
        />
      </div>
      <div className="run-outcome" data-testid="run-outcome">
        {all.length === 0 ? (
          <p>This run ends with no violation.</p>
        ) : (
          <>
            <p>This run ends with {all.length === 1 ? 'a violation' : `${all.length} violations`}:</p>
            <ul>
              {all.map((v, i) => (
                <li key={i}>
                  <span className="kind">{kindWords(v.kind)}</span> in <code>{v.at}</code> ({v.thread}), step{' '}
                  {v.step}{' '}
                  {v.step !== step && (
                    <button
                      type="button"
                      className="btn btn-link"
                      onClick={() => {
                        send({ type: 'goto', step: v.step });
                        showWorkspace();
                      }}
                    >
                      Go to step {v.step}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
});
