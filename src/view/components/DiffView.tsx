/**
 * The pseudo-code diff between two eras (lazy chunk): `diffEras` of the
 * model, drawn as a unified diff — added and removed lines coloured and
 * marked + / − — each hunk with the commits or review comments that made it
 * (links to git.kernel.org or lore) and a link to the moment that shows why
 * it mattered (src/model/moments.ts), found from the built-in scenarios'
 * runs in small slices of work after the diff is shown.
 */
import { useEffect, useId, useMemo, useState, type MouseEvent } from 'react';
import {
  compiledFnOf,
  diffEras,
  type EraDiff,
  type FnDiff,
  type Hunk,
  type HunkLabel,
} from '../../model/diff.ts';
import { ERAS, variant, type EraId } from '../../model/era.ts';
import { changedLines, MomentFinder, type Moment } from '../../model/moments.ts';
import { runScenario } from '../../model/run.ts';
import { sourceOf } from '../../model/sources/index.ts';
import { BUILTINS } from '../../scenarios/index.ts';
import { Player } from '../context.ts';
import { getRun } from '../player/runs.ts';
import { serializeUrlState } from '../url.ts';
import '../styles/diff.css';
import { field } from '../player/field.ts';

/** Work per slice while finding moments (ms): the page stays responsive meanwhile. */
const SLICE_MS = 24;
/** How often the progress is redrawn (ms). */
const PROGRESS_MS = 400;

const short = (c: string) => c.slice(0, 12);

function eraLine(e: EraId) {
  const era = ERAS[e];
  return (
    <>
      <strong>{e}</strong>{' '}
      <a href={era.link} target="_blank" rel="noopener noreferrer">
        {era.commit ? short(era.commit) : `${era.title} (mail)`}
      </a>{' '}
      {era.subject}
    </>
  );
}

function Label({ l }: { l: HunkLabel }) {
  const who = l.commit ? short(l.commit) : ERAS[l.era].title;
  return (
    <li>
      <a href={l.link} target="_blank" rel="noopener noreferrer" className="hunk-commit">
        {who}
      </a>
      {l.via && <span className="muted"> (first in {ERAS[l.via].title})</span>}:{' '}
      {l.change ? (
        <>
          {l.change.text}
          {l.change.by && <span className="muted"> — {l.change.by}</span>}
        </>
      ) : (
        l.subject
      )}
    </li>
  );
}

/** The kernel line of each pseudo-code line of a function at an era, where the table has it. */
function kernelLines(era: EraId, key: string): ((number | null)[] & { url: (pc: number) => string }) | null {
  const fn = compiledFnOf(era, key);
  if (!fn) return null;
  const v = variant(era);
  const lines = fn.instrs.map((_, pc) => sourceOf(v, fn, pc).line) as (number | null)[] & {
    url: (pc: number) => string;
  };
  lines.url = (pc) => sourceOf(v, fn, pc).url;
  return lines;
}

function HunkCode({ d, f, h }: { d: EraDiff; f: FnDiff; h: Hunk }) {
  const la = useMemo(() => (f.a ? kernelLines(d.a, f.key) : null), [d.a, f]);
  const lb = useMemo(() => (f.b ? kernelLines(d.b, f.key) : null), [d.b, f]);
  const m = /^@@ -(\d+),\d+ \+(\d+),\d+ @@/.exec(h.header);
  let ai = m ? Number(m[1]) - 1 : 0;
  let bi = m ? Number(m[2]) - 1 : 0;
  return (
    <pre className="hunk-code">
      <code>
        <span className="dl hunk-head">{h.header}</span>
        {h.lines.map((l, k) => {
          // The line's position in the era it belongs to (a removed or unchanged line: A; an added one: B).
          const [tab, pc, era] = l.op === '+' ? [lb, bi, d.b] : [la, ai, d.a];
          if (l.op !== '+') ai++;
          if (l.op !== '-') bi++;
          const kl = tab?.[pc] ?? null;
          const cls = l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'ctx';
          return (
            <span key={k} className={`dl ${cls}`}>
              <span className="op" aria-hidden="true">
                {l.op === '-' ? '−' : l.op}
              </span>
              {l.op !== ' ' && <span className="vh">{l.op === '+' ? 'added: ' : 'removed: '}</span>}
              <span className="txt">{l.text}</span>
              {kl !== null && tab && (
                <a
                  className="kline"
                  href={tab.url(pc)}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label={`line ${kl} at ${era}`}
                  title={`line ${kl} of the file at ${era}`}
                >
                  {kl}
                </a>
              )}
            </span>
          );
        })}
      </code>
    </pre>
  );
}

function outcome(kinds: readonly string[]): string {
  return kinds.length ? kinds.join(', ') : 'clean';
}

function MomentLink({ m, d }: { m: Moment; d: EraDiff }) {
  const actor = Player.useActorRef();
  const theme = Player.useSelector(field('theme'));
  const { search } = serializeUrlState({
    scenario: m.scenario,
    scenarioJson: null,
    era: m.era,
    step: m.step,
    schedule: [],
    theme,
  });
  const open = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const sc = BUILTINS.find((s) => s.id === m.scenario)!;
    if (actor.getSnapshot().matches({ compare: 'on' })) actor.send({ type: 'compare.close' });
    actor.send({ type: 'scenario.select', id: m.scenario });
    actor.send({ type: 'era.select', era: m.era });
    if (actor.getSnapshot().context.schedule.join() !== (sc.schedule ?? []).join())
      actor.send({ type: 'schedule.clear' });
    actor.send({ type: 'goto', step: m.step });
    // Back to the workspace, where the moment shows (as the counterexample bar's Replay does).
    if (typeof window.scrollTo === 'function') window.scrollTo({ top: 0 });
  };
  const because = m.because;
  return (
    <p className="hunk-moment">
      <a href={search} onClick={open} className="moment-link">
        See it run: {m.scenario} in {m.era}, step {m.step}
      </a>{' '}
      <span className="muted">
        ({m.thread} runs <code>{m.line.length > 60 ? `${m.line.slice(0, 59)}…` : m.line}</code> in{' '}
        <code>{m.fn}</code>). Outcome: {outcome(m.outcome.a)} in {d.a}, {outcome(m.outcome.b)} in {d.b}
        {because && (
          <>
            ; {ERAS[because.era].commit ? short(ERAS[because.era].commit!) : ERAS[because.era].title} changed
            it from {outcome(because.before)} ({because.prev}) to {outcome(because.after)}
          </>
        )}
        .
      </span>
    </p>
  );
}

interface Found {
  moments: (Moment | null)[][] | null;
  runs: number;
  planned: number;
  error: string | null;
}

/** Finds the moments of every hunk in slices of work (setTimeout between them), after the diff is drawn. */
function useMoments(d: EraDiff): Found {
  const [found, setFound] = useState<Found & { d: EraDiff | null }>({
    d: null,
    moments: null,
    runs: 0,
    planned: 0,
    error: null,
  });
  useEffect(() => {
    if (d.a === d.b || !d.functions.length) return;
    const finder = new MomentFinder(d, BUILTINS, (sc, era) =>
      // The two eras shown share the page's run cache, so that opening a moment is instant.
      era === d.a || era === d.b ? getRun(sc, era, sc.schedule ?? []).run : runScenario(sc, { era }),
    );
    const planned = finder.plannedRuns();
    const gen = finder.prepare();
    let runs = 0;
    let fi = 0;
    const moments: (Moment | null)[][] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let shown = 0;
    const slice = () => {
      timer = null;
      const t0 = performance.now();
      try {
        while (performance.now() - t0 < SLICE_MS) {
          if (runs < planned) {
            if (gen.next().done) runs = planned;
            else runs++;
          } else if (fi < d.functions.length) {
            const f = d.functions[fi]!;
            moments.push(f.hunks.map((h) => finder.find(f, h)));
            fi++;
          } else {
            setFound({ d, moments: [...moments], runs, planned, error: null });
            return;
          }
        }
        // Progress, a few times a second (every update redraws the diff).
        if (t0 - shown > PROGRESS_MS) {
          shown = t0;
          setFound({ d, moments: null, runs, planned, error: null });
        }
        timer = setTimeout(slice, 0);
      } catch (e) {
        setFound({ d, moments: null, runs, planned, error: e instanceof Error ? e.message : String(e) });
      }
    };
    timer = setTimeout(slice, 0);
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }, [d]);
  return found.d === d ? found : { moments: null, runs: 0, planned: 0, error: null };
}

function FnBlock({ d, f, moments, fi }: { d: EraDiff; f: FnDiff; moments: Found; fi: number }) {
  const headId = useId();
  const name = (f.b ?? f.a)!.name;
  const file = (f.b ?? f.a)!.file;
  const renamed = f.a && f.b && (f.a.name !== f.b.name || f.a.file !== f.b.file);
  return (
    <article className="diff-fn" aria-labelledby={headId} data-fn={name}>
      <h3 id={headId}>
        <code>{name}</code> <span className="file">{file}</span>
        {!f.a && <span className="tag add"> new in {d.b}</span>}
        {!f.b && <span className="tag del"> gone in {d.b}</span>}
      </h3>
      {renamed && (
        <p className="muted">
          In {d.a}: <code>{f.a!.name}</code> in {f.a!.file}.
        </p>
      )}
      {!f.hunks.length && <p className="muted">Renamed or moved; the same pseudo-code.</p>}
      {f.hunks.map((h, hi) => {
        const m = moments.moments?.[fi]?.[hi];
        return (
          <div className="hunk" key={hi} data-hunk={h.header}>
            <ul className="hunk-labels" aria-label="Made by">
              {h.labels.map((l, k) => (
                <Label key={k} l={l} />
              ))}
            </ul>
            <HunkCode d={d} f={f} h={h} />
            {f.decl ? null : m ? (
              <MomentLink m={m} d={d} />
            ) : moments.moments ? (
              <p className="hunk-moment muted">
                {changedLines(h).length
                  ? `No built-in scenario runs a changed line of this hunk in ${d.a} or ${d.b}.`
                  : ''}
              </p>
            ) : null}
          </div>
        );
      })}
    </article>
  );
}

export default function DiffView({ a, b }: { a: EraId; b: EraId }) {
  const d = useMemo(() => diffEras(a, b), [a, b]);
  const moments = useMoments(d);
  const hunks = d.functions.reduce((n, f) => n + f.hunks.length, 0);
  return (
    <section className="diff" role="region" aria-label={`Diff ${a} → ${b}`} data-testid="diff">
      <ul className="diff-eras">
        <li>
          <span className="op del" aria-hidden="true">
            −
          </span>{' '}
          {eraLine(a)}
        </li>
        <li>
          <span className="op add" aria-hidden="true">
            +
          </span>{' '}
          {eraLine(b)}
        </li>
      </ul>
      <p className="diff-summary">
        {a === b
          ? 'The same era: nothing differs.'
          : d.functions.length
            ? `${d.functions.length} function${d.functions.length === 1 ? '' : 's'} or declarations differ, in ${hunks} hunk${hunks === 1 ? '' : 's'}.`
            : 'No differences in the modelled code.'}{' '}
        <span role="status" className="diff-status">
          {a === b || !d.functions.length
            ? ''
            : moments.error
              ? `The moments could not be found: ${moments.error}`
              : moments.moments
                ? `Moments found for ${moments.moments.flat().filter(Boolean).length} of ${hunks} hunks.`
                : 'Finding the moment of each hunk in the built-in scenarios…'}
        </span>
        {!moments.moments && !moments.error && moments.planned > 0 && (
          <span className="muted" aria-hidden="true">
            {' '}
            ({moments.runs} of {moments.planned} runs)
          </span>
        )}
      </p>
      {d.functions.map((f, fi) => (
        <FnBlock key={f.key} d={d} f={f} fi={fi} moments={moments} />
      ))}
    </section>
  );
}
