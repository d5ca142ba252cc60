/**
 * URL state (README, "Share and embed"), in one module: parsing never trusts its input, and
 * serialising is the exact inverse for every valid state.
 *
 *   ?scenario=<id>&era=<era>&step=<n>&schedule=<Q,Q,KV,…>&theme=light|dark|auto&v=1
 *   &compare=<era>              side by side with `era`
 *   &counterexample=<kind>      the schedule is an exploration's shortest schedule to a violation of that
 *                               kind (it shows after the schedule's last micro-step); without `step`, the
 *                               page replays it from step 0
 *   ?chapter=<id>               a chapter of the guided story (src/scenarios/story.ts): its scenario, era
 *                               and schedule, played from step 0 to its moment; it names the moment by
 *                               itself, so scenario, era, step, schedule and counterexample beside it are
 *                               ignored (with a notice); compare and theme still apply
 *   #scenario=<base64url of the scenario JSON>     (a user's own scenario)
 *
 * `compare`, `counterexample` and `chapter` are absent from the state (not
 * null) when the address has none, so a v=1 link made before them parses
 * exactly as it did. The page's own address with no parameters at all (or
 * only `theme`) opens the story's first chapter: `pageUrlState`, which only
 * the page uses (embed.html and the element start as they always did).
 *
 * `parseUrlState` only checks syntax and caps sizes; what needs the model
 * (does the scenario exist, is the step within the run, can the schedule
 * replay) is checked by the player when it loads the state, which adds its
 * own notices. Each problem becomes one notice; the state falls back to a
 * valid value for that field.
 */
import { ERA_IDS, resolveEra, type EraId } from '../model/index.ts';
import { CHAPTER_IDS, FIRST_CHAPTER, isChapterId } from '../scenarios/story.ts';

export const URL_VERSION = '1';
export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

/** Caps on untrusted input. */
export const URL_LIMITS = {
  /** Longest query string read at all (characters). */
  query: 16_384,
  /** Longest `#scenario=` value (base64url characters): about 96 kB of JSON. */
  hash: 131_072,
  /** Most schedule entries (the validator's LIMITS.schedule). */
  schedule: 2000,
  /** Largest step number accepted before clamping to the run. */
  step: 1_000_000,
  /** Longest scenario id. */
  id: 64,
} as const;

export const KNOWN_PARAMS = [
  'scenario',
  'era',
  'compare',
  'step',
  'schedule',
  'counterexample',
  'chapter',
  'theme',
  'v',
] as const;
const KNOWN = KNOWN_PARAMS;
const THREAD = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
const ID = /^[a-z0-9][a-z0-9._-]*$/i;
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;
/** A violation kind: a trace's, or an exploration's invariant kind. */
const KIND = /^[a-z][a-z0-9-]{0,47}$/;

export interface Notice {
  /** Stable key (used to dismiss it and in tests). */
  id: string;
  /** One sentence saying what was wrong and what the page did instead. */
  text: string;
}

export interface UrlState {
  /** A built-in scenario id (checked against the list by the player). */
  scenario: string | null;
  /** A user's scenario, as JSON text decoded from the hash (validated by the player). */
  scenarioJson: string | null;
  era: EraId | null;
  step: number | null;
  schedule: string[] | null;
  theme: Theme | null;
  /** The other era of the side-by-side view; absent when the address has none. */
  compare?: EraId;
  /** The violation kind the schedule is a counterexample for; absent when the address has none. */
  counterexample?: string;
  /** A chapter of the guided story (a valid id); absent when the address has none. */
  chapter?: string;
}

export interface ParsedUrl {
  state: UrlState;
  notices: Notice[];
}

/** The notice for a `step` that is not a step number, saying what is shown instead. */
export function badStepNotice(raw: string, instead: string): Notice {
  return { id: 'step', text: `step=${quote(raw, 16)} is not a step number (0, 1, 2, …); ${instead}.` };
}

/** The notice for a step number past the end of the run (`total` micro-steps): the last step is shown. */
export function pastEndNotice(step: number, total: number): Notice {
  return {
    id: 'step',
    text: `step=${step} is past the end of this run (${total} micro-steps); showing the last step.`,
  };
}

function quote(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}

/** UTF-8 text → base64url without padding. */
export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) → UTF-8 text; null when it is not valid base64url or not UTF-8. */
export function decodeBase64Url(b64: string): string | null {
  if (!B64URL.test(b64)) return null;
  const body = b64.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  try {
    const bin = atob(body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function emptyState(): UrlState {
  return { scenario: null, scenarioJson: null, era: null, step: null, schedule: null, theme: null };
}

/**
 * Parse `location.search` and `location.hash`. Never throws; every field is
 * either a syntactically valid value or null (with a notice saying why).
 */
export function parseUrlState(search: string, hash: string): ParsedUrl {
  const state = emptyState();
  const notices: Notice[] = [];
  const note = (id: string, text: string) => {
    if (!notices.some((n) => n.id === id)) notices.push({ id, text });
  };

  let query = search.startsWith('?') ? search.slice(1) : search;
  if (query.length > URL_LIMITS.query) {
    note(
      'url-too-long',
      `The address's parameters are longer than ${URL_LIMITS.query} characters; they were ignored.`,
    );
    query = '';
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    params = new URLSearchParams();
  }
  const seen = new Set<string>();
  for (const [name] of params) {
    if ((KNOWN as readonly string[]).includes(name)) {
      if (seen.has(name))
        note(`dup-${name}`, `The parameter "${name}" appears more than once; the first one is used.`);
      seen.add(name);
    } else {
      note(
        `unknown-${name.slice(0, 20)}`,
        `Unknown parameter ${quote(name, 20)} was ignored; the page reads ${KNOWN.join(', ')}.`,
      );
    }
  }

  const v = params.get('v');
  if (v !== null && v !== URL_VERSION)
    note('v', `This link is for version ${quote(v, 8)} of the page; it was read as version ${URL_VERSION}.`);

  const id = params.get('scenario');
  if (id !== null) {
    if (id.length <= URL_LIMITS.id && ID.test(id)) state.scenario = id;
    else note('scenario', `scenario=${quote(id)} is not a scenario id; showing the default scenario.`);
  }

  const era = params.get('era');
  if (era !== null) {
    const resolved = era.length <= 40 ? resolveEra(era) : null;
    if (resolved) state.era = resolved;
    else
      note(
        'era',
        `era=${quote(era, 16)} is not an era (${ERA_IDS.join(', ')}) or an era's commit id; using the scenario's own era.`,
      );
  }

  const compare = params.get('compare');
  if (compare !== null) {
    const other = compare.length <= 40 ? resolveEra(compare) : null;
    if (other) state.compare = other;
    else
      note(
        'compare',
        `compare=${quote(compare, 16)} is not an era (${ERA_IDS.join(', ')}) or an era's commit id; showing one era.`,
      );
  }

  const cx = params.get('counterexample');
  if (cx !== null) {
    if (KIND.test(cx)) state.counterexample = cx;
    else
      note(
        'counterexample',
        `counterexample=${quote(cx, 24)} is not a violation kind (such as deadlock or null-deref); it was ignored.`,
      );
  }

  const step = params.get('step');
  if (step !== null) {
    if (/^\d{1,7}$/.test(step) && Number(step) <= URL_LIMITS.step) state.step = Number(step);
    else note('step', badStepNotice(step, 'starting at step 0').text);
  }

  const schedule = params.get('schedule');
  if (schedule !== null && schedule !== '') {
    const parts = schedule.split(',');
    if (parts.length > URL_LIMITS.schedule)
      note(
        'schedule',
        `schedule= has ${parts.length} entries, more than ${URL_LIMITS.schedule}; it was ignored.`,
      );
    else {
      const bad = parts.findIndex((p) => !THREAD.test(p));
      if (bad >= 0)
        note(
          'schedule',
          `schedule= entry ${bad + 1} (${quote(parts[bad]!, 16)}) is not a thread name; the schedule was ignored.`,
        );
      else state.schedule = parts;
    }
  }

  const theme = params.get('theme');
  if (theme !== null) {
    if ((THEMES as readonly string[]).includes(theme)) state.theme = theme as Theme;
    else note('theme', `theme=${quote(theme, 16)} is not light, dark or auto; following the system setting.`);
  }

  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h !== '') {
    if (!h.startsWith('scenario=')) {
      note(
        'hash',
        `The address ends in an unknown fragment (#${quote(h, 20).slice(1, -1)}); it was ignored.`,
      );
    } else {
      const b64 = h.slice('scenario='.length);
      if (b64.length > URL_LIMITS.hash)
        note(
          'hash',
          `The scenario in the address is larger than ${Math.round((URL_LIMITS.hash * 3) / 4 / 1024)} kB; it was ignored.`,
        );
      else {
        const json = decodeBase64Url(b64);
        if (json === null)
          note(
            'hash',
            'The scenario in the address (#scenario=…) is not valid base64url text; it was ignored.',
          );
        else {
          state.scenarioJson = json;
          if (state.scenario !== null) {
            note(
              'both',
              `The address names both a built-in scenario (${state.scenario}) and its own (#scenario=…); showing its own.`,
            );
            state.scenario = null;
          }
        }
      }
    }
  }
  const chapter = params.get('chapter');
  if (chapter !== null) readChapter(chapter, state, note);
  return { state, notices };
}

/** The parameters that name a moment of their own, which a chapter replaces. */
const MOMENT_PARAMS = ['scenario', 'era', 'step', 'schedule', 'counterexample'] as const;

function readChapter(raw: string, state: UrlState, note: (id: string, text: string) => void): void {
  const others: string[] = MOMENT_PARAMS.filter((k) => state[k] !== null && state[k] !== undefined);
  if (state.scenarioJson !== null) others.push('#scenario=');
  if (!isChapterId(raw)) {
    const what = `chapter=${quote(raw, 24)} is not a chapter of the story (${CHAPTER_IDS.join(', ')})`;
    if (others.length) note('chapter', `${what}; it was ignored.`);
    else {
      note('chapter', `${what}; showing its first chapter.`);
      state.chapter = FIRST_CHAPTER;
    }
    return;
  }
  state.chapter = raw;
  if (others.length) {
    note(
      'chapter-moment',
      `chapter=${raw} opens the story's chapter at its own scenario, era and moment; ${others.map((k) => (k.startsWith('#') ? k : `${k}=`)).join(', ')} beside it ${others.length === 1 ? 'was' : 'were'} ignored.`,
    );
    for (const k of MOMENT_PARAMS) {
      if (k === 'counterexample') delete state.counterexample;
      else state[k] = null;
    }
    state.scenarioJson = null;
  }
}

/** The page's address with nothing that names a moment: no parameter but `theme`, no hash. */
export function isFrontPage(search: string, hash: string): boolean {
  if (hash !== '' && hash !== '#') return false;
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return true;
  if (query.length > URL_LIMITS.query) return false;
  const names = [...new URLSearchParams(query).keys()];
  return names.every((n) => n === 'theme');
}

/**
 * The page's address (index.html): `parseUrlState`, and the front page (no
 * parameters, or only `theme`) opens the story's first chapter.
 */
export function pageUrlState(search: string, hash: string): ParsedUrl {
  const parsed = parseUrlState(search, hash);
  if (isFrontPage(search, hash)) parsed.state.chapter = FIRST_CHAPTER;
  return parsed;
}

/** What the page writes back: a complete, valid state. */
export interface UrlWrite {
  /** Built-in id, or null for a user scenario (then `scenarioJson` is set). */
  scenario: string | null;
  scenarioJson: string | null;
  era: EraId;
  step: number;
  schedule: readonly string[];
  theme: Theme;
  /** The other era, while comparing. */
  compare?: EraId | null;
  /** The kind the schedule is a counterexample for. */
  counterexample?: string | null;
  /** In the story, at (or on the way to) this chapter's moment: the address is the chapter's. */
  chapter?: string | null;
}

/**
 * The query string and hash for a state; `auto` theme, an empty schedule, no compare and no counterexample
 * are left out. In the story, the address is the chapter's permalink (with compare and theme).
 */
export function serializeUrlState(s: UrlWrite): { search: string; hash: string } {
  const parts: string[] = [];
  if (s.chapter) {
    // The chapter names its scenario, era, schedule and moment itself.
    parts.push(`chapter=${encodeURIComponent(s.chapter)}`);
    if (s.compare) parts.push(`compare=${encodeURIComponent(s.compare)}`);
    if (s.theme !== 'auto') parts.push(`theme=${s.theme}`);
    parts.push(`v=${URL_VERSION}`);
    return { search: `?${parts.join('&')}`, hash: '' };
  }
  if (s.scenario !== null) parts.push(`scenario=${encodeURIComponent(s.scenario)}`);
  parts.push(`era=${encodeURIComponent(s.era)}`);
  if (s.compare) parts.push(`compare=${encodeURIComponent(s.compare)}`);
  parts.push(`step=${Math.max(0, Math.floor(s.step))}`);
  if (s.schedule.length) parts.push(`schedule=${s.schedule.map(encodeURIComponent).join(',')}`);
  if (s.counterexample && s.schedule.length)
    parts.push(`counterexample=${encodeURIComponent(s.counterexample)}`);
  if (s.theme !== 'auto') parts.push(`theme=${s.theme}`);
  parts.push(`v=${URL_VERSION}`);
  const hash =
    s.scenario === null && s.scenarioJson !== null ? `#scenario=${encodeBase64Url(s.scenarioJson)}` : '';
  return { search: `?${parts.join('&')}`, hash };
}
