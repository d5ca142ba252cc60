/**
 * The era control: a button labelled "Era" that names the era shown and
 * opens the history as a timeline, oldest first — each era's commit (or
 * posted patch), date and subject, and the review comment or report that led
 * to it. It is a select-only combobox (WAI-ARIA APG): the focus stays on the
 * button, ↑/↓/Home/End move through the timeline, Enter or Space chooses,
 * Escape closes; a click outside closes it too.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ERA_LIST, ERAS, type Era } from '../../model/index.ts';
import { Player, useSend } from '../context.ts';
import { field } from '../player/field.ts';

function shortId(e: Era): string {
  return e.commit ? e.commit.slice(0, 12) : 'posted patch';
}

/** The review comment or report, with who made it when the text does not already say. */
function whyText(e: Era): string {
  const by = e.why.by;
  return by && !e.why.text.includes(by) ? `${e.why.text} (${by})` : e.why.text;
}

export function EraPicker() {
  const send = useSend();
  const era = Player.useSelector(field('era'));
  const current = ERAS[era];
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(current.order);
  const ids = { label: useId(), list: useId(), hint: useId(), option: useId() };
  const button = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const optionId = (i: number) => `${ids.option}-${i}`;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const el = list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active]);

  const show = () => {
    setActive(current.order);
    setOpen(true);
  };
  const choose = (i: number) => {
    setOpen(false);
    const next = ERA_LIST[i];
    if (next && next.id !== era) send({ type: 'era.select', era: next.id });
    button.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const last = ERA_LIST.length - 1;
    if (!open) {
      if (['ArrowDown', 'ArrowUp', 'Enter', ' '].includes(e.key)) {
        e.preventDefault();
        show();
      }
      return;
    }
    const move: Record<string, number> = {
      ArrowDown: Math.min(last, active + 1),
      ArrowUp: Math.max(0, active - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, active + 4),
      PageUp: Math.max(0, active - 4),
    };
    if (e.key in move) {
      e.preventDefault();
      setActive(move[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    } else if (e.key === 'Tab') setOpen(false);
  };

  const focus = ERA_LIST[active] ?? current;
  return (
    <div className="field field-era era-picker" ref={box}>
      <span className="field-label" id={ids.label}>
        Era
      </span>
      <button
        ref={button}
        type="button"
        role="combobox"
        className="era-button"
        aria-labelledby={ids.label}
        aria-describedby={ids.hint}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={ids.list}
        aria-activedescendant={open ? optionId(active) : undefined}
        data-value={era}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={onKeyDown}
      >
        <span className="era-button-title">{current.title}</span>
        <span className="era-button-date">{current.date}</span>
        <svg className="era-caret" viewBox="0 0 10 6" width="10" height="6" aria-hidden="true">
          <path d="M0 0h10L5 6z" fill="currentColor" />
        </svg>
      </button>
      <p className="vh" id={ids.hint}>
        {current.summary}
      </p>
      {open && (
        <div className="era-pop">
          <p className="era-pop-head">The history of the change, oldest first</p>
          <ul
            ref={list}
            id={ids.list}
            role="listbox"
            aria-label="Timeline of the change"
            tabIndex={-1}
            className="era-timeline"
          >
            {ERA_LIST.map((e, i) => (
              <li
                key={e.id}
                id={optionId(i)}
                role="option"
                aria-selected={e.id === era}
                data-era={e.id}
                data-index={i}
                className={[
                  'tl-item',
                  `tl-${e.kind}`,
                  i === active ? 'tl-active' : '',
                  e.id === era ? 'tl-current' : '',
                ].join(' ')}
                onClick={() => choose(i)}
                onPointerMove={() => active !== i && setActive(i)}
              >
                <span className="tl-head">
                  <strong className="tl-title">{e.title}</strong>
                  <time dateTime={e.date}>{e.date}</time>
                </span>
                <span className="tl-subject">
                  <code>{shortId(e)}</code> {e.subject}
                </span>
                <span className="tl-why">{whyText(e)}</span>
              </li>
            ))}
          </ul>
          <p className="era-pop-links">
            {focus.title}:{' '}
            <a href={focus.link} target="_blank" rel="noopener noreferrer">
              {focus.commit ? `commit ${shortId(focus)}` : 'the patch on lore'}
            </a>
            {focus.why.link && focus.why.link !== focus.link && (
              <>
                {' · '}
                <a href={focus.why.link} target="_blank" rel="noopener noreferrer">
                  {focus.why.by ? `${focus.why.by}’s ` : 'the '}
                  {focus.why.link.includes('lore.kernel.org') ? 'mail' : 'commit'}
                </a>
              </>
            )}
          </p>
        </div>
      )}
    </div>
  );
}
