/**
 * "What changed in the code" (lazy-loaded below the timeline): two eras and,
 * on request, the model's pseudo-code diff between them (the CLI's
 * `vfio-kvm diff`), function by function, each hunk with the commit or
 * review comment that made it and the moment of a built-in scenario that
 * shows why it mattered. The diff, its moments and the source-line table
 * load in their own chunk when the reader opens it.
 *
 * The eras default to the era shown and the compare era (while comparing),
 * else the era before the one shown; the reader may pick any two.
 */
import { lazy, Suspense, useId, useState } from 'react';
import { ERA_IDS, ERAS, isEraId, type EraId } from '../../model/index.ts';
import { Player } from '../context.ts';
import { isComparing } from '../player/selectors.ts';
import { ChunkBoundary } from './ChunkBoundary.tsx';
import { field } from '../player/field.ts';

const DiffView = lazy(() => import('./DiffView.tsx'));

/** The two eras a diff opens on, older first. */
export function defaultDiffEras(era: EraId, compare: EraId | null): [EraId, EraId] {
  const i = ERA_IDS.indexOf(era);
  if (compare && compare !== era) {
    const j = ERA_IDS.indexOf(compare);
    return i < j ? [era, compare] : [compare, era];
  }
  return i > 0 ? [ERA_IDS[i - 1]!, era] : [era, ERA_IDS[i + 1]!];
}

function EraSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: EraId;
  onChange: (e: EraId) => void;
}) {
  const id = useId();
  return (
    <span className="diff-pick">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          if (isEraId(e.target.value)) onChange(e.target.value);
        }}
      >
        {ERA_IDS.map((e) => (
          <option key={e} value={e}>
            {e} — {ERAS[e].commit ? ERAS[e].commit!.slice(0, 12) : 'patch'}
          </option>
        ))}
      </select>
    </span>
  );
}

export default function DiffPanel() {
  const headId = useId();
  const era = Player.useSelector(field('era'));
  const comparing = Player.useSelector(isComparing);
  const compareEra = Player.useSelector(field('compareEra'));
  const defaults = defaultDiffEras(era, comparing ? compareEra : null);
  // The reader's own pick holds until the eras shown change.
  const key = defaults.join('..');
  const [pick, setPick] = useState<{ key: string; a: EraId; b: EraId } | null>(null);
  const [a, b] = pick && pick.key === key ? [pick.a, pick.b] : defaults;
  const [open, setOpen] = useState(false);
  return (
    <section className="panel diff-panel" aria-labelledby={headId}>
      <header className="panel-head">
        <h2 id={headId}>What changed in the code</h2>
      </header>
      <div className="diff-controls">
        <EraSelect label="Diff from" value={a} onChange={(x) => setPick({ key, a: x, b })} />
        <span aria-hidden="true">→</span>
        <EraSelect label="Diff to" value={b} onChange={(x) => setPick({ key, a, b: x })} />
        <button
          type="button"
          className="btn"
          aria-expanded={open}
          aria-controls={open ? `${headId}-diff` : undefined}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Hide the diff' : 'Show the diff'}
        </button>
      </div>
      {!open && (
        <p className="hint">
          The model's pseudo-code that differs between two eras, function by function, as{' '}
          <code>
            vfio-kvm diff {a} {b}
          </code>{' '}
          prints it; each change names its commit or review comment and a moment of a scenario where it runs.
        </p>
      )}
      {open && (
        <div id={`${headId}-diff`}>
          <Suspense fallback={<p className="loading">Loading the diff…</p>}>
            <ChunkBoundary what="the code diff">
              <DiffView a={a} b={b} />
            </ChunkBoundary>
          </Suspense>
        </div>
      )}
    </section>
  );
}
