/**
 * The guided story (src/scenarios/story.ts) above the diagram: the Story
 * navigation (one link per chapter, each its permalink), and, in the story,
 * the chapter's sentences with Skip / Play again and the previous and next
 * chapters. A reader who explores (another step, era or scenario) leaves the
 * story; the navigation stays, with a way back to the chapter left.
 */
import { Fragment, memo, useId, useRef, type MouseEvent, type ReactNode } from 'react';
import { ERAS } from '../../model/index.ts';
import { STORY, chapterById, chapterIndex, type Chapter } from '../../scenarios/story.ts';
import { Player, useSend } from '../context.ts';
import { isReplaying, type PlayerSnapshot } from '../player/selectors.ts';
import { useOverflows } from '../hooks.ts';
import { serializeUrlState } from '../url.ts';
import { Icon } from './Icon.tsx';
import { kindWords } from './format.ts';
import { showWorkspace } from './Counterexample.tsx';
import { field } from '../player/field.ts';

/** A chapter's permalink (theme kept, as Share does). */
function chapterHref(id: string, theme: 'light' | 'dark' | 'auto'): string {
  const { search } = serializeUrlState({
    scenario: null,
    scenarioJson: null,
    era: 'after',
    step: 0,
    schedule: [],
    theme,
    chapter: id,
  });
  return search;
}

/** `code` in backquotes → <code>. */
function rich(text: string): ReactNode {
  return text
    .split('`')
    .map((part, i) => (i % 2 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>));
}

function outcomeWords(c: Chapter): string {
  return c.outcome === 'clean' ? 'no violation in this run' : kindWords(c.outcome);
}

function useOpen() {
  const send = useSend();
  return (id: string) => (e?: MouseEvent<HTMLElement>) => {
    // A modified click opens the permalink in a new tab or window, as links do.
    if (e && (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0)) return;
    e?.preventDefault();
    send({ type: 'chapter.open', id });
    showWorkspace();
  };
}

/** Memo: the permalinks are built when the chapter or the theme changes, not on every step played. */
const StoryNav = memo(function StoryNav({ current }: { current: string | null }) {
  const theme = Player.useSelector(field('theme'));
  const open = useOpen();
  return (
    <nav aria-label="Story" className="story-nav">
      <span className="story-nav-label" aria-hidden="true">
        Story
      </span>
      <ol>
        {STORY.map((c, i) => (
          <li key={c.id}>
            <a
              href={chapterHref(c.id, theme)}
              aria-current={c.id === current ? 'step' : undefined}
              aria-label={`${i + 1}. ${c.title}`}
              title={c.title}
              onClick={open(c.id)}
            >
              {i + 1}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
});

const atChapterMoment = (s: PlayerSnapshot) =>
  s.context.story !== null && s.context.step === s.context.story.moment;

export function Story() {
  const send = useSend();
  const story = Player.useSelector(field('story'));
  // Only whether the step shown is the chapter's moment: the story does not redraw on every step played.
  const atMoment = Player.useSelector(atChapterMoment);
  const replaying = Player.useSelector(isReplaying);
  const scenario = Player.useSelector(field('scenario'));
  const theme = Player.useSelector(field('theme'));
  const titleId = useId();
  const textRef = useRef<HTMLParagraphElement>(null);
  const scrolls = useOverflows(textRef, [story?.chapter, story?.on, atMoment]);
  const open = useOpen();
  const on = story?.on ?? false;
  const chapter = story ? chapterById(story.chapter) : undefined;

  if (!story || !chapter || !on)
    return (
      <section className="story story-off" aria-label="The story of the change">
        <StoryNav current={null} />
        <p className="story-left">
          {chapter ? (
            <>
              <a href={chapterHref(chapter.id, theme)} onClick={open(chapter.id)}>
                Back to chapter {chapterIndex(chapter.id) + 1}: {chapter.title}
              </a>{' '}
              — you are exploring on your own.
            </>
          ) : (
            <>
              <a href={chapterHref(STORY[0]!.id, theme)} onClick={open(STORY[0]!.id)}>
                Start the story
              </a>
              : the change’s history in ten chapters, each played to its moment.
            </>
          )}
        </p>
      </section>
    );

  const i = chapterIndex(chapter.id);
  const prev = STORY[i - 1];
  const next = STORY[i + 1];
  const era = ERAS[chapter.era];
  return (
    <section className="story story-on" aria-labelledby={titleId}>
      <div className="story-bar">
        <StoryNav current={chapter.id} />
        <h2 id={titleId} className="story-title">
          <span className="vh">
            Chapter {i + 1} of {STORY.length}:{' '}
          </span>
          {chapter.title}
        </h2>
        <div className="story-steps">
          <button
            type="button"
            className="btn btn-quiet btn-icon"
            disabled={!prev}
            onClick={prev ? open(prev.id) : undefined}
            aria-label="Previous chapter"
            title={prev ? `Previous chapter: ${prev.title}` : 'Previous chapter'}
          >
            <Icon name="back" />
          </button>
          <button
            type="button"
            className="btn btn-quiet btn-icon"
            disabled={!next}
            onClick={next ? open(next.id) : undefined}
            aria-label="Next chapter"
            title={next ? `Next chapter: ${next.title}` : 'Next chapter'}
          >
            <Icon name="forward" />
          </button>
        </div>
      </div>
      <div className="story-text" data-testid="story-moment">
        {/* The sentences take the whole width. Beside the diagram a text longer than its box scrolls (then it
            takes the focus, for the keyboard, and a shadow says there is more); the outcome and the actions
            below it stay in view. */}
        <p
          ref={textRef}
          className={scrolls ? 'story-prose scrolls' : 'story-prose'}
          tabIndex={scrolls ? 0 : undefined}
        >
          {rich(chapter.text)}{' '}
          <span className="vh">
            ({scenario.title}, in {era.title}.)
          </span>
        </p>
        <div className="story-foot">
          <p className="story-outcome">
            <strong>
              {atMoment ? 'Here, at step ' : 'The moment: step '}
              {story.moment}: {outcomeWords(chapter)}.
            </strong>
          </p>
          <div className="story-actions">
            {replaying ? (
              <button type="button" className="btn" onClick={() => send({ type: 'replay.skip' })}>
                <Icon name="forward" />
                <span>Skip to the moment</span>
              </button>
            ) : (
              <>
                {!atMoment && (
                  <button type="button" className="btn" onClick={() => send({ type: 'replay.skip' })}>
                    <Icon name="forward" />
                    <span>Go to the moment</span>
                  </button>
                )}
                <button type="button" className="btn btn-quiet" onClick={open(chapter.id)}>
                  <Icon name="replay" />
                  <span>Play again</span>
                </button>
              </>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
