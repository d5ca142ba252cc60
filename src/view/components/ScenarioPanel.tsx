/**
 * What the scenario is: its title and description, what it shows in this
 * era, where it comes from, its INFERRED assumptions, and its ops with where
 * each one stands at the step shown.
 */
import { memo, useId, useRef, useState } from 'react';
import { ASSUMPTIONS, ERAS, explanationFor, opLabel, type EraId, type Scenario } from '../../model/index.ts';
import { Player } from '../context.ts';
import { useDerived, useOverflows, usePanelStep } from '../hooks.ts';
import { opStates, type OpState } from '../player/selectors.ts';
import { threadIndex } from './PlayerBar.tsx';
import { field } from '../player/field.ts';

function stateText(s: OpState): string {
  switch (s.state) {
    case 'pending':
      return 'not started';
    case 'running':
      return 'under way';
    case 'blocked':
      return 'blocked';
    case 'done':
      return `returned ${s.result}`;
    case 'crashed':
      return 'crashed (oops)';
  }
}

export function ScenarioIntro() {
  const scenario = Player.useSelector(field('scenario'));
  const origin = Player.useSelector(field('origin'));
  const era = Player.useSelector(field('era'));
  const explain = explanationFor(scenario, era);
  // Beside the diagram on a short screen the explanation keeps to two lines (styles/panels.css), so that the
  // diagram keeps its room; the rest is a click away. `cut`: the clamp hides some of it now.
  const text = useRef<HTMLParagraphElement>(null);
  const textId = useId();
  const [full, setFull] = useState(false);
  const cut = useOverflows(text, [full, explain, era]) && !full;
  return (
    <section className="intro" aria-label="About this scenario">
      <h2 className="intro-title">
        {origin === 'user' && <span className="badge">your scenario</span>} {scenario.title}
      </h2>
      <div className="intro-era-box">
        <p ref={text} id={textId} className={full ? 'intro-era' : 'intro-era clamped'}>
          <strong>In {ERAS[era].title}:</strong> {explain ?? ERAS[era].summary}
        </p>
        {(cut || full) && (
          <button
            type="button"
            className={full ? 'btn btn-link intro-more' : 'btn btn-link intro-more over'}
            aria-expanded={full}
            aria-controls={textId}
            onClick={() => setFull(!full)}
          >
            {full ? 'Less' : 'More'}
          </button>
        )}
      </div>
      {scenario.assume && scenario.assume.length > 0 && (
        <ul className="assumptions">
          {scenario.assume.map((a) => (
            <li key={a}>
              <span className="badge badge-inferred">INFERRED hypothetical</span>{' '}
              <strong>{ASSUMPTIONS[a].title}.</strong> {ASSUMPTIONS[a].detail}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Where the ops stand follows the step as a panel does (usePanelStep; the panel, memo, renders once per step shown). */
export function ScenarioPanel() {
  return <ScenarioAt step={usePanelStep('scenario')} />;
}

const ScenarioAt = memo(function ScenarioAt({ step }: { step: number }) {
  const scenario = Player.useSelector(field('scenario'));
  const era = Player.useSelector(field('era'));
  const d = useDerived();
  const states = opStates(d, step);
  const headId = useId();
  return (
    <section className="panel scenario" aria-labelledby={headId}>
      <ScenarioFacts headId={headId} scenario={scenario} era={era} />
      <table className="ops">
        <caption>Ops, at step {step}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Thread</th>
            <th scope="col">Op</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {scenario.steps.map((st, i) => (
            <OpRow
              key={i}
              i={i}
              op={st}
              chip={threadIndex(d, st.thread)}
              state={states[i]!.state}
              text={stateText(states[i]!)}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
});

/** What does not change with the step (memo). */
const ScenarioFacts = memo(function ScenarioFacts({
  headId,
  scenario,
  era,
}: {
  headId: string;
  scenario: Scenario;
  era: EraId;
}) {
  return (
    <>
      <header className="panel-head">
        <h2 id={headId}>Scenario details</h2>
        <span className="mono muted">{scenario.id}</span>
      </header>
      {scenario.description && <p className="intro-desc">{scenario.description}</p>}
      <dl className="facts">
        <dt>Source</dt>
        <dd>{scenario.source ?? 'not given'}</dd>
        <dt>Era</dt>
        <dd>
          {ERAS[era].title} — {ERAS[era].source}
        </dd>
        <dt>VMs</dt>
        <dd>{scenario.vms.join(', ')}</dd>
        <dt>Devices</dt>
        <dd>{scenario.devices.map((x) => `${x.id} (${x.driver}, group ${x.group})`).join('; ')}</dd>
      </dl>
    </>
  );
});

/** One op's row: re-rendered only when where it stands changes (memo). */
const OpRow = memo(function OpRow({
  i,
  op,
  chip,
  state,
  text,
}: {
  i: number;
  op: Scenario['steps'][number];
  chip: number;
  state: string;
  text: string;
}) {
  return (
    <tr className={`op-${state}`} data-op={i}>
      <td className="mono">{i + 1}</td>
      <td>
        <span className={`thread-chip t${chip}`}>{op.thread}</span>
      </td>
      <td>
        <code>{opLabel(op)}</code>
      </td>
      <td className="op-state">{text}</td>
    </tr>
  );
});
