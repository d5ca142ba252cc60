/**
 * One card per thread: status, the op under way, the locks it holds, and,
 * when blocked, the reason in words. The active thread (the one a violation
 * at this step names, else the one that ran it) shows its call stack
 * (innermost first) with the pseudo-code listing of the innermost frame
 * around its current line; the others show theirs on request. Each frame
 * links to the kernel source at the era's commit (SourceLink). In scheduler
 * mode a runnable thread offers "Run <T>"; the others say why they cannot move.
 */
import { memo, useId, useLayoutEffect, useRef, useState } from 'react';
import { fnListing, type FrameView, type Model, type ThreadView } from '../../model/index.ts';
import { Player, useSend } from '../context.ts';
import { useDerived, usePanelStep } from '../hooks.ts';
import { activeThread, isPlaying, isScheduler } from '../player/selectors.ts';
import { threadIndex } from './PlayerBar.tsx';
import { SourceLink } from './SourceLink.tsx';
import { field } from '../player/field.ts';

const STATUS_WORDS: Record<ThreadView['status'], string> = {
  idle: 'idle',
  running: 'running',
  blocked: 'blocked',
  done: 'done',
  crashed: 'crashed',
};

/** Why a thread is not offered in scheduler mode. */
function cannotMove(t: ThreadView): string {
  switch (t.status) {
    case 'blocked':
      return t.reason ? `Cannot move: ${t.reason}.` : 'Cannot move: blocked.';
    case 'crashed':
      return 'Cannot move: it crashed (oops).';
    case 'done':
      return 'Cannot move: all its ops have returned.';
    default:
      return 'Cannot move.';
  }
}

function Listing({
  model,
  frame,
  inner,
  justRan,
  around,
}: {
  model: Model;
  frame: FrameView;
  inner: boolean;
  justRan: number | null;
  /** Lines shown before and after the current one. */
  around: [number, number];
}) {
  const listing = fnListing(model, frame.fnId);
  // FrameView.pc is already the line to show: the innermost frame's next line, a caller's call line.
  const cur = frame.pc;
  const from = Math.max(0, cur - around[0]);
  const to = Math.min(listing.lines.length, cur + around[1] + 1);
  const lines = listing.lines.slice(from, to);
  return (
    <ol className="listing" start={from + 1} aria-label={`${listing.name}, lines ${from + 1} to ${to}`}>
      {lines.map((l, i) => {
        const n = from + i;
        const isCur = n === cur;
        const ran = justRan === n;
        return (
          <li
            key={n}
            className={isCur ? 'cur' : ran ? 'ran' : undefined}
            aria-current={isCur ? 'step' : undefined}
          >
            <span className="ln" aria-hidden="true">
              {n + 1}
            </span>
            <code>
              {l.label ? `${l.label}: ` : ''}
              {l.text}
            </code>
            {isCur && <span className="vh">{inner ? ' (next line)' : ' (in this call)'}</span>}
            {ran && !isCur && <span className="vh"> (just ran)</span>}
          </li>
        );
      })}
    </ol>
  );
}

function ThreadCard({
  t,
  model,
  scheduler,
  lastRan,
  active,
  shown,
  onShow,
  around,
  compact,
}: {
  t: ThreadView;
  model: Model;
  scheduler: boolean;
  lastRan: { fn: number; pc: number } | null;
  /** The thread the page follows: its stack is always open. */
  active: boolean;
  /** The reader opened this thread's stack. */
  shown: boolean;
  onShow: (open: boolean) => void;
  around: [number, number];
  /** In the workspace: the calling frames fold to one line, the whole stack on request. */
  compact: boolean;
}) {
  const send = useSend();
  const headId = useId();
  const d = useDerived();
  const stack = [...t.stack].reverse();
  const open = active || shown;
  const [allFrames, setAllFrames] = useState(false);
  const callers = stack.slice(1);
  const foldable = compact && callers.length > 1;
  const fold = foldable && !allFrames;
  return (
    <article
      className={`thread-card status-${t.status}${active ? ' active' : ''}`}
      aria-labelledby={headId}
      data-thread={t.id}
      data-active={active ? 'true' : undefined}
    >
      <header className="thread-head">
        <h3 id={headId}>
          <span className={`thread-chip t${threadIndex(d, t.id)}`} aria-hidden="true">
            {t.id}
          </span>
          <span className="vh">Thread {t.id}</span>
        </h3>
        <span className={`status status-${t.status}`} data-testid="thread-status">
          {STATUS_WORDS[t.status]}
        </span>
        <span className="ops-count">
          ops {t.opsDone}/{t.opsTotal}
        </span>
        <span className="thread-op" data-testid="thread-op">
          {t.op ? (
            <>
              {t.status === 'idle' ? 'next: ' : ''}
              <code>{t.op.label}</code>
            </>
          ) : (
            <span className="muted">no op left</span>
          )}
        </span>
      </header>
      {t.reason && (
        <p className="thread-reason" data-testid="thread-reason">
          {t.reason}
        </p>
      )}
      {t.holds.length > 0 && (
        <p className="thread-holds" data-testid="thread-holds">
          holds {t.holds.join(', ')}
        </p>
      )}
      {stack.length > 0 && !active && (
        <button
          type="button"
          className="btn btn-link stack-toggle"
          aria-expanded={open}
          onClick={() => onShow(!open)}
        >
          {open ? 'Hide' : 'Show'} the call stack ({stack.length} frame{stack.length === 1 ? '' : 's'})
        </button>
      )}
      {stack.length > 0 && open && (
        <section className="stack" aria-label={`Call stack of ${t.id}`}>
          <p className="stack-title" aria-hidden="true">
            Call stack
          </p>
          <ol className="frames">
            {(fold ? stack.slice(0, 1) : stack).map((f, i) => (
              <li key={`${i}-${f.fnId}`} className={i === 0 ? 'frame inner' : 'frame'}>
                <p className="frame-head">
                  <SourceLink model={model} frame={f} />
                </p>
                {i === 0 ? (
                  <Listing
                    model={model}
                    frame={f}
                    inner
                    justRan={lastRan && lastRan.fn === f.fnId ? lastRan.pc : null}
                    around={around}
                  />
                ) : (
                  <p className="frame-line" title={f.line.trim()}>
                    <code>{f.line.trim()}</code>
                  </p>
                )}
              </li>
            ))}
            {fold && (
              <li className="frame callers">
                <p className="frame-callers" title={callers.map((f) => f.fn).join(' ← ')}>
                  <span className="muted">called from </span>
                  <code>{callers.map((f) => f.fn).join(' ← ')}</code>
                </p>
              </li>
            )}
          </ol>
          {foldable && (
            <button
              type="button"
              className="btn btn-link frames-toggle"
              aria-expanded={allFrames}
              onClick={() => setAllFrames(!allFrames)}
            >
              {allFrames ? 'Fold the calling frames' : `Show all ${stack.length} frames`}
            </button>
          )}
        </section>
      )}
      {scheduler &&
        (t.runnable ? (
          <button
            type="button"
            className="btn btn-primary btn-run"
            onClick={() => send({ type: 'thread.run', thread: t.id })}
          >
            Run {t.id}
          </button>
        ) : (
          <p className="cannot" data-testid="cannot-move">
            {cannotMove(t)}
          </p>
        ))}
    </article>
  );
}

/** `compact`: the page's workspace, beside the diagram: one line above and below the current one. */
export function ThreadsPanel({ compact = false }: { compact?: boolean } = {}) {
  // While playing, the cards follow as a panel does (usePanelStep: after the diagram, taking turns during
  // fast autoplay); when paused, at once, so that the "Run <T>" buttons always match the step shown. The
  // panel (memo) renders once per step it shows.
  const playing = Player.useSelector(isPlaying);
  const step = usePanelStep('threads', { liveWhenPaused: true });
  return <ThreadsAt step={step} playing={playing} compact={compact} />;
}

const ThreadsAt = memo(function ThreadsAt({
  step,
  playing,
  compact,
}: {
  step: number;
  playing: boolean;
  compact: boolean;
}) {
  const send = useSend();
  const d = useDerived();
  const view = d.view(step);
  const scheduler = Player.useSelector(isScheduler);
  const schedule = Player.useSelector(field('schedule'));
  const headId = useId();
  const rec = step > 0 ? d.run.records[step - 1]! : null;
  const explicit = schedule.length > 0;
  const active = activeThread(d, step);
  // Stacks the reader opened, for this run (a new scenario, era or schedule starts closed).
  const [opened, setOpened] = useState<{ d: typeof d; ids: ReadonlySet<string> }>({ d, ids: new Set() });
  const shown = opened.d === d ? opened.ids : new Set<string>();
  const show = (id: string, open: boolean) => {
    const ids = new Set(shown);
    if (open) ids.add(id);
    else ids.delete(id);
    setOpened({ d, ids });
  };
  // In the workspace the panel scrolls inside itself: keep the active thread's card (and its call stack) in
  // view by scrolling the panel alone, never the page (the card's height changes from step to step).
  const panel = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    // While playing the cards follow a frame behind: settle once it pauses.
    if (!compact || playing) return;
    const follow = () => {
      const box = panel.current;
      if (!box || box.scrollHeight <= box.clientHeight) return;
      const card = box.querySelector<HTMLElement>('.thread-card[data-active="true"]');
      if (!card) return;
      const top = card.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      const bottom = top + card.offsetHeight;
      if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight)
        box.scrollTop = Math.max(0, top - 8);
    };
    // A ResizeObserver calls back once as soon as it observes (and again whenever the cards or the panel
    // change size: the locks beside it, a card's deferred content), after the frame's layout: reading the
    // boxes then costs nothing, where reading them here would force a layout of the page in the middle of
    // the step's script.
    if (typeof ResizeObserver !== 'function' || !panel.current) return follow();
    const ro = new ResizeObserver(follow);
    ro.observe(panel.current);
    const list = panel.current.querySelector('.thread-list');
    if (list) ro.observe(list);
    return () => ro.disconnect();
  }, [compact, playing, active, d, step]);
  return (
    <section ref={panel} className="panel threads" aria-labelledby={headId}>
      <ThreadsHead headId={headId} scheduler={scheduler} />
      {scheduler && (
        <p className="hint">
          You pick which thread moves next; only threads that can move are offered. Each pick is recorded in
          the schedule (and the address).
          {explicit && (
            <>
              {' '}
              <button type="button" className="btn btn-link" onClick={() => send({ type: 'schedule.clear' })}>
                Back to the default order
              </button>
            </>
          )}
        </p>
      )}
      <div className="thread-list">
        {view.threads.map((t) => (
          <ThreadCard
            key={t.id}
            t={t}
            model={d.run.model}
            scheduler={scheduler}
            lastRan={rec && rec.thread === t.id ? { fn: rec.fn, pc: rec.pc } : null}
            active={t.id === active}
            shown={shown.has(t.id)}
            onShow={(open) => show(t.id, open)}
            around={compact ? [1, 1] : [2, 2]}
            compact={compact}
          />
        ))}
      </div>
      {scheduler && view.threads.every((t) => !t.runnable) && (
        <p className="hint" data-testid="nothing-runnable">
          No thread can move any more: this run is over.
        </p>
      )}
    </section>
  );
});

/** The panel's title and the scheduler switch: memo, so that a step does not redraw the switch. */
const ThreadsHead = memo(function ThreadsHead({ headId, scheduler }: { headId: string; scheduler: boolean }) {
  const send = useSend();
  return (
    <header className="panel-head">
      <h2 id={headId}>Threads</h2>
      <label className="switch">
        <input
          type="checkbox"
          checked={scheduler}
          onChange={(e) => send({ type: e.target.checked ? 'scheduler.on' : 'scheduler.off' })}
        />
        <span>Scheduler mode</span>
      </label>
    </header>
  );
});
