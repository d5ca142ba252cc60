/**
 * fast-check arbitraries for everything the explorer takes from outside:
 * scenario files, URL parameters and hashes, explorer worker messages, and
 * (for the tests that come with the embed and the custom element) element
 * attributes and `postMessage` payloads.
 *
 * Each arbitrary of untrusted input produces both well-formed values and
 * near misses of them (wrong types, unknown fields, out-of-range sizes,
 * unicode, huge strings, keys such as "__proto__"), and, where a test needs
 * it, says what it made (`bad: true` and the notice expected). Used by the
 * `*.fuzz.test.ts` files under src/ and by e2e/fuzz.spec.ts.
 */
import { STORY } from '../scenarios/story.ts';
import fc from 'fast-check';
import { UNSAFE_INLINE } from '../report/text.ts';
import {
  ASSUMPTIONS,
  DRIVERS,
  ERA_IDS,
  SCENARIO_SCHEMA,
  type EraId,
  type Scenario,
  type ScenarioStep,
} from '../model/index.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { KNOWN_PARAMS, URL_LIMITS } from '../view/url.ts';

// ───────────────────────────── shared pieces ─────────────────────────────

/**
 * Valid names (the validator's NAME, at most 16 characters) that are also
 * members of Object.prototype or otherwise special in JavaScript: code that
 * keeps names in plain objects instead of Maps trips over them.
 */
export const TRICKY_NAMES = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'toLocaleString',
  'prototype',
  'length',
  'then',
  'null',
  'undefined',
  'NaN',
] as const;

/** Short names shared by VMs, groups, devices and threads, so the same name often means different things. */
const SHORT_NAMES = ['K', 'L', 'M', 'G', 'H', 'D', 'E', 'Q', 'KV', 'W', 'X', 'Y'] as const;

/** Keys that pollute prototypes when a parser or a merge treats them naively. */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'toJSON',
] as const;

/** A name the validator accepts. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SHORT_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_NAMES) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/) },
);

export const eraArb: fc.Arbitrary<EraId> = fc.constantFrom(...ERA_IDS);

/** Strings that are hard to display or to store: unicode, control characters, RTL, huge. */
export const nastyStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\n',
    '\u001b[2J',
    '\u009b31m',
    '\u2028',
    '\u202e',
    '\ud83d\ude00',
    'é',
    '<script>alert(1)</script>',
    '"',
    "'",
    '\\',
    '%',
    '%00',
    '..',
    '../x',
  ),
  fc.constantFrom(...POLLUTION_KEYS),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** A JSON value of any shape (never `undefined`, never a function). */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/**
 * Put `key` on `obj` as an own, enumerable property, even "__proto__" (which
 * an assignment or an object literal would turn into a prototype change).
 * JSON.stringify then writes it, and JSON.parse makes it an own key again.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}

/** A deep copy of a JSON-like value that keeps own "__proto__" keys as keys. */
export function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

// ───────────────────────────── scenario files ─────────────────────────────

export interface ScenarioShapeOptions {
  /** Most ops (default 10; the validator allows 64). */
  maxSteps?: number;
  /** Add a `schedule` now and then (it may not replay: that is a ScheduleError, reported as bad input). */
  withSchedule?: boolean;
}

/** Text a scenario's text fields may hold: control characters, separators and bidi overrides replaced. */
function printable(s: string): string {
  return s.replace(UNSAFE_INLINE, '?');
}

/** A scenario the validator accepts (every reference resolves, sizes within LIMITS). */
export function validScenarioArb(opts: ScenarioShapeOptions = {}): fc.Arbitrary<Scenario> {
  const maxSteps = opts.maxSteps ?? 10;
  const devicesArb = fc.uniqueArray(
    fc.record({ id: nameArb, driver: fc.constantFrom(...DRIVERS), group: nameArb }),
    {
      minLength: 1,
      maxLength: 4,
      selector: (d) => d.id,
    },
  );
  const base = fc.record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
    title: fc.oneof(
      fc.constantFrom('Fuzzed scenario', 'ü ✓ 漢字', 'constructor'),
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
        .map(printable)
        .filter((s) => s.trim() !== ''),
    ),
    era: eraArb,
    vms: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 }),
    devices: devicesArb,
    threads: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 4 }),
    assume: fc.option(fc.constant(Object.keys(ASSUMPTIONS) as NonNullable<Scenario['assume']>), { freq: 4 }),
    description: fc.option(fc.string({ unit: 'grapheme', maxLength: 60 }).map(printable), { freq: 3 }),
  });
  return base.chain((b) => {
    const groups = [...new Set(b.devices.map((d) => d.group))];
    const devices = b.devices.map((d) => d.id);
    const thread = fc.constantFrom(...b.threads);
    const vm = fc.constantFrom(...b.vms);
    const group = fc.constantFrom(...groups);
    const device = fc.constantFrom(...devices);
    const step: fc.Arbitrary<ScenarioStep> = fc.oneof(
      fc.record({ thread, op: fc.constant('kvm_add_group' as const), vm, group }),
      fc.record({ thread, op: fc.constant('kvm_del_group' as const), vm, group }),
      fc.record({ thread, op: fc.constant('open_device' as const), device }),
      fc.record({
        thread,
        op: fc.constant('open_device' as const),
        device,
        fail: fc.constant('anon_inode_getfile' as const),
      }),
      fc.record({ thread, op: fc.constant('close_device' as const), device }),
      fc.record({ thread, op: fc.constant('close_vm' as const), vm }),
      fc.record({ thread, op: fc.constant('run_work' as const) }),
    );
    return fc.array(step, { minLength: 1, maxLength: maxSteps }).chain((steps) => {
      const used = [...new Set(steps.map((s) => s.thread))];
      const schedule = opts.withSchedule
        ? fc.option(fc.array(fc.constantFrom(...used), { maxLength: 8 }), { freq: 3 })
        : fc.constant(null);
      return schedule.map((sch) => {
        const sc: Scenario = {
          schema: SCENARIO_SCHEMA,
          id: b.id,
          title: b.title,
          era: b.era,
          vms: b.vms,
          devices: b.devices,
          steps,
        };
        if (sch) sc.schedule = sch;
        if (b.assume) sc.assume = b.assume;
        if (b.description !== null) sc.description = b.description;
        return sc;
      });
    });
  });
}

/** A built-in scenario, as a fresh JSON copy. */
export const builtinScenarioArb: fc.Arbitrary<Scenario> = fc
  .constantFrom(...BUILTINS)
  .map((s) => cloneJson(s));

type Path = (string | number)[];

function paths(x: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(x)) x.forEach((v, i) => paths(v, [...at, i], out));
  else if (typeof x === 'object' && x !== null)
    for (const k of Object.keys(x)) paths((x as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

function getAt(x: unknown, p: Path): unknown {
  let v = x;
  for (const k of p) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/** The kinds of near miss a mutation makes at one place in a valid scenario. */
export const MUTATIONS = [
  'replace-json', // any JSON value instead
  'wrong-type', // a scalar of another type
  'delete', // drop the field / the element
  'unknown-key', // an extra field (sometimes "__proto__")
  'nasty-string', // unicode, control characters, a huge string
  'grow', // an array beyond the validator's limits
  'duplicate', // an array element twice
  'number-edge', // -1, 1.5, 1e308, -0, huge
  'unknown-name', // a reference to a name that is not declared
] as const;
export type MutationKind = (typeof MUTATIONS)[number];

export interface Mutation {
  kind: MutationKind;
  /** Which place (an index into the value's paths, modulo their count). */
  where: number;
  json: unknown;
  key: string;
  text: string;
  n: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATIONS),
  where: fc.nat(),
  json: jsonValueArb,
  key: fc.oneof(
    fc.constantFrom(...POLLUTION_KEYS),
    fc.constantFrom('extra', 'Vms', 'step', 'devices ', ''),
    nastyStringArb,
  ),
  text: nastyStringArb,
  n: fc.oneof(fc.constantFrom(-1, 0, 1.5, -0, 1e308, 2 ** 53, 65, 9, 13, 2001), fc.integer()),
});

/** Apply mutations to a copy of `value` (deterministic, for replay). */
export function mutate(value: unknown, ms: readonly Mutation[]): unknown {
  let root: unknown = cloneJson(value);
  for (const m of ms) {
    const all = paths(root);
    const p = all[m.where % all.length]!;
    const parent = p.length ? getAt(root, p.slice(0, -1)) : null;
    const last = p[p.length - 1];
    const cur = getAt(root, p);
    const put = (v: unknown) => {
      if (!p.length) root = v;
      else if (Array.isArray(parent)) parent[last as number] = v;
      else setOwn(parent as Record<string, unknown>, String(last), v);
    };
    switch (m.kind) {
      case 'replace-json':
        put(cloneJson(m.json));
        break;
      case 'wrong-type':
        put(
          typeof cur === 'string'
            ? m.n
            : typeof cur === 'number'
              ? String(cur)
              : Array.isArray(cur)
                ? {}
                : cur === null
                  ? []
                  : typeof cur === 'object'
                    ? [cur]
                    : null,
        );
        break;
      case 'delete':
        if (!p.length) root = undefined;
        else if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete (parent as Record<string, unknown>)[String(last)];
        break;
      case 'unknown-key': {
        const target = typeof cur === 'object' && cur !== null && !Array.isArray(cur) ? cur : parent;
        if (typeof target === 'object' && target !== null && !Array.isArray(target))
          setOwn(target as Record<string, unknown>, m.key, cloneJson(m.json));
        else put({ [m.key]: cloneJson(m.json) });
        break;
      }
      case 'nasty-string':
        put(m.text);
        break;
      case 'grow': {
        const arr = Array.isArray(cur) ? cur : Array.isArray(parent) ? parent : null;
        if (arr && arr.length) {
          // Past the validator's limits (64 ops, 2000 schedule entries…), but never more than ~2 MB of copies.
          const each = JSON.stringify(arr[0])?.length ?? 1;
          const want = Math.min(
            Math.max(arr.length + 1, Math.min(2100, Math.abs(Math.trunc(m.n)) % 2200)),
            arr.length + Math.ceil(2_000_000 / each),
          );
          for (let i = arr.length; i < want; i++) arr.push(cloneJson(arr[i % arr.length]));
        } else put(Array.from({ length: 70 }, (_, i) => `N${i}`));
        break;
      }
      case 'duplicate': {
        const arr = Array.isArray(cur) ? cur : Array.isArray(parent) ? parent : null;
        if (arr && arr.length) arr.push(cloneJson(arr[m.where % arr.length]));
        break;
      }
      case 'number-edge':
        put(m.n);
        break;
      case 'unknown-name':
        put(typeof cur === 'string' ? `${cur}x` : 'Nobody');
        break;
    }
  }
  return root;
}

/** A near miss of a valid scenario: one to three mutations of a built-in or a generated one. */
export const mutatedScenarioArb: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(builtinScenarioArb, validScenarioArb()),
    fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  )
  .map(([sc, ms]) => mutate(sc, ms));

/**
 * The text of a scenario file: valid ones, near misses, random JSON, and text
 * that is not JSON at all (truncated, deeply nested, binary, huge).
 */
export const scenarioTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validScenarioArb({ withSchedule: true }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: builtinScenarioArb.map((s) => JSON.stringify(s, null, 2)) },
  { weight: 6, arbitrary: mutatedScenarioArb.map((s) => (s === undefined ? '' : JSON.stringify(s))) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      builtinScenarioArb.chain((s) => {
        const t = JSON.stringify(s);
        return fc.nat({ max: t.length - 1 }).map((n) => t.slice(0, n));
      }),
      fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.integer({ min: 1, max: 5000 }).map((n) => `{"a":`.repeat(n) + '1' + '}'.repeat(n)),
      fc.constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '{}',
        '\ufeff{}',
        '"vfio-kvm-scenario/1"',
        '1e999',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
      ),
      fc.integer({ min: 1_000_001, max: 1_100_000 }).map((n) => `"${'x'.repeat(n)}"`),
    ),
  },
);

// ───────────────────────────── URL parameters and hashes ─────────────────────────────

/** One `name=value` of a query string, raw (as it appears in the address), and whether the page must complain. */
export interface UrlPart {
  raw: string;
  /** The notice id the parser must raise for this part (null: none). */
  notice: string | null;
}

/** UTF-8 → base64url without padding (the page's encoding; Node and browsers have btoa). */
export function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const enc = encodeURIComponent;

const goodScenarioIdArb = fc.constantFrom(...BUILTINS.map((s) => s.id));

/** A value for `name` that the parser accepts (it may still not exist: the player checks that). */
const goodValue: Record<string, fc.Arbitrary<string>> = {
  scenario: fc.oneof(
    { weight: 4, arbitrary: goodScenarioIdArb },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/) },
  ),
  era: eraArb,
  step: fc.oneof(fc.nat({ max: 200 }).map(String), fc.constantFrom('0', '007', '1000000')),
  schedule: fc
    .array(fc.constantFrom('Q', 'KV', 'W', 'X', 'Nobody', 'constructor'), { minLength: 1, maxLength: 12 })
    .map((a) => a.join(',')),
  theme: fc.constantFrom('light', 'dark', 'auto'),
  v: fc.constant('1'),
  compare: eraArb,
  counterexample: fc.constantFrom('deadlock', 'null-deref', 'refcount-leak', 'driver-kvm-changed-while-open'),
  chapter: fc.constantFrom(...STORY.map((c) => c.id)),
};

/** A value for `name` that the parser must reject (with a notice). */
const badValue: Record<string, fc.Arbitrary<string>> = {
  scenario: fc.oneof(
    fc.constantFrom('', '-x', '.hidden', 'a b', 'x/y', '%', '__proto__', 'Ω', 'a'.repeat(65)),
    nastyStringArb.filter((s) => !(s.length <= 64 && /^[a-z0-9][a-z0-9._-]*$/i.test(s))),
  ),
  era: fc.oneof(
    fc.constantFrom('', 'Before', 'AFTER', 'v5.19', '2019', 'after ', 'constructor', '__proto__'),
    nastyStringArb.filter((s) => !(ERA_IDS as readonly string[]).includes(s)),
  ),
  step: fc.oneof(
    fc.constantFrom('', '-1', '1.5', '1e3', ' 1', '0x10', 'Infinity', 'NaN', '1000001', '99999999', '１'),
    nastyStringArb.filter((s) => !/^\d{1,7}$/.test(s) || Number(s) > 1_000_000),
  ),
  schedule: fc.oneof(
    fc.constantFrom(
      'Q,,KV',
      ',',
      'Q, KV',
      '1Q',
      'Q;KV',
      'Q,' + 'a'.repeat(17),
      Array.from({ length: 2001 }, () => 'Q').join(','),
    ),
    fc
      .array(nastyStringArb, { minLength: 1, maxLength: 3 })
      .map((a) => a.join(','))
      .filter((s) => s !== '' && s.split(',').some((p) => !/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(p))),
  ),
  theme: fc.oneof(
    fc.constantFrom('', 'Dark', 'neon', 'system', 'light '),
    nastyStringArb.filter((s) => !['light', 'dark', 'auto'].includes(s)),
  ),
  v: fc.constantFrom('0', '2', '', 'latest', '1.0'),
  compare: fc.oneof(
    fc.constantFrom('', 'Before', 'v5.19', 'both', '__proto__'),
    nastyStringArb.filter((s) => !(ERA_IDS as readonly string[]).includes(s)),
  ),
  counterexample: fc.oneof(
    fc.constantFrom('', 'Deadlock', 'null deref', '-x', 'a'.repeat(49), '<b>'),
    nastyStringArb.filter((s) => !/^[a-z][a-z0-9-]{0,47}$/.test(s)),
  ),
  chapter: fc.oneof(
    fc.constantFrom('', 'Notifier', 'story', '__proto__', 'v6.7', 'oops '),
    nastyStringArb.filter((s) => !STORY.some((c) => c.id === s)),
  ),
};

const KNOWN = KNOWN_PARAMS;

/**
 * Encode a decoded value for the query: percent-encode everything
 * URLSearchParams would not give back as is (so the parser sees exactly it).
 */
function q(s: string): string {
  return enc(s);
}

/** One query-string part: good, bad, unknown, or raw garbage (whose notices the test cannot predict). */
export const urlPartArb: fc.Arbitrary<UrlPart> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...KNOWN)
      .chain((k) => goodValue[k]!.map((v) => ({ raw: `${k}=${q(v)}`, notice: null }))),
  },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...KNOWN)
      .chain((k) => badValue[k]!.map((v) => ({ raw: `${k}=${q(v)}`, notice: k === 'v' ? 'v' : k }))),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'zzz',
          'Scenario',
          'ERA',
          'step[]',
          'utm_source',
          '__proto__',
          'constructor',
          'a'.repeat(300),
        ),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
      )
      .filter((k) => !(KNOWN as readonly string[]).includes(k))
      .chain((k) =>
        jsonValueArb.map((v) => ({
          raw: `${q(k)}=${q(JSON.stringify(v) ?? '')}`,
          notice: `unknown-${k.slice(0, 20)}`,
        })),
      ),
  },
);

/** `#…` of the address: nothing, a user scenario (valid or not), or garbage. */
export interface UrlHash {
  raw: string;
  /** 'hash' (the parser rejects it), 'hash-invalid' (the player rejects the scenario), or null. */
  notice: 'hash' | 'hash-invalid' | null;
  /** True when the scenario decodes and validates, so the page shows it (unless it cannot run). */
  userScenario: boolean;
}

export const urlHashArb: fc.Arbitrary<UrlHash> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ raw: '', notice: null, userScenario: false }) },
  {
    weight: 2,
    arbitrary: validScenarioArb().map((s) => ({
      raw: `#scenario=${base64url(JSON.stringify(s))}`,
      notice: null,
      userScenario: true,
    })),
  },
  {
    weight: 2,
    arbitrary: mutatedScenarioArb.map((s) => {
      const b64 = base64url(JSON.stringify(s) ?? '');
      // A huge near miss is refused by its size, before it is decoded.
      return {
        raw: `#scenario=${b64}`,
        notice: b64.length > URL_LIMITS.hash ? ('hash' as const) : null,
        userScenario: false,
      };
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          '#scenario=!!!',
          '#scenario=a',
          '#scenario=====',
          '#scenario=%%',
          '#scenario=/w==',
          '#scenario=' + base64url('\u00ff').slice(0, 1),
        ),
        // Valid base64url that is not UTF-8.
        fc
          .uint8Array({ minLength: 1, maxLength: 30 })
          .filter((b) => {
            try {
              new TextDecoder('utf-8', { fatal: true }).decode(b);
              return false;
            } catch {
              return true;
            }
          })
          .map(
            (b) =>
              '#scenario=' +
              btoa(String.fromCharCode(...b))
                .replace(/\+/g, '-')
                .replace(/\//g, '_')
                .replace(/=+$/, ''),
          ),
      )
      .map((raw) => ({ raw, notice: 'hash' as const, userScenario: false })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('#x', '#step=3', '#Scenario=e30', '#__proto__'),
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).map((s) => `#${s}`),
      )
      .filter((h) => h.length > 1 && !h.startsWith('#scenario='))
      .map((raw) => ({
        raw: raw.replace(/#/g, (m, i: number) => (i === 0 ? m : '%23')),
        notice: 'hash' as const,
        userScenario: false,
      })),
  },
);

/** A whole address: `?…#…` with the notices the parser must raise (repeated names raise `dup-<name>`). */
export interface UrlCase {
  search: string;
  hash: string;
  parts: UrlPart[];
  hashPart: UrlHash;
  /** Notice ids the parser (parseUrlState) must raise, at least. */
  expectNotices: string[];
  /** A valid chapter= is read: the page opens that chapter, whatever else the address names. */
  opensChapter: boolean;
}

/** The parameters naming a moment, which a chapter= beside them replaces. */
const MOMENT_NAMES = ['scenario', 'era', 'step', 'schedule', 'counterexample'];

export const urlCaseArb: fc.Arbitrary<UrlCase> = fc
  .record({
    parts: fc.array(urlPartArb, { maxLength: 7 }),
    hashPart: urlHashArb,
    sep: fc.constantFrom('&', '&', '&&'),
  })
  .map(({ parts, hashPart, sep }) => {
    const search = parts.length ? `?${parts.map((p) => p.raw).join(sep)}` : '';
    const expect = new Set<string>();
    const seen = new Set<string>();
    /** Names whose first value the parser accepts (only the first of a repeated name is read). */
    const read = new Set<string>();
    for (const p of parts) {
      const name = decodeURIComponent(p.raw.slice(0, p.raw.indexOf('=')));
      if ((KNOWN as readonly string[]).includes(name)) {
        if (seen.has(name)) expect.add(`dup-${name}`);
        else if (p.notice) expect.add(p.notice);
        else read.add(name);
        seen.add(name);
      } else if (p.notice) expect.add(p.notice);
    }
    const ownScenario = hashPart.raw.startsWith('#scenario=') && hashPart.notice === null;
    // A built-in id and a scenario of its own in the hash: the hash wins, with a notice.
    if (read.has('scenario') && ownScenario) expect.add('both');
    // A chapter names its own moment: any other moment beside it is ignored, with a notice.
    const chapter = read.has('chapter');
    if (chapter && (MOMENT_NAMES.some((n) => read.has(n)) || ownScenario)) expect.add('chapter-moment');
    // An over-long query is ignored as a whole, with one notice.
    if (search.length - 1 > URL_LIMITS.query) {
      expect.clear();
      expect.add('url-too-long');
    }
    if (hashPart.notice === 'hash') expect.add('hash');
    const opensChapter = chapter && !expect.has('url-too-long');
    return { search, hash: hashPart.raw, parts, hashPart, expectNotices: [...expect], opensChapter };
  });

// ───────────────────────────── explorer worker messages ─────────────────────────────

/** A message the worker must accept. */
export const goodWorkerRequestArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(
    {
      type: fc.constant('explore'),
      id: fc.nat(),
      scenario: fc.oneof(builtinScenarioArb, validScenarioArb()),
      era: eraArb,
      maxStates: fc.integer({ min: 1, max: 5_000_000 }),
      maxMs: fc.integer({ min: 1, max: 600_000 }),
    },
    { requiredKeys: ['type', 'id', 'scenario'] },
  ),
  fc.record({ type: fc.constant('cancel'), id: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
);

/**
 * Worker messages of any shape, and near misses of good ones (one field
 * replaced, added or removed). Some are still valid: tests judge them with
 * their own oracle.
 */
export const workerRequestNearMissArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc
    .tuple(
      goodWorkerRequestArb,
      fc.constantFrom('type', 'id', 'era', 'maxStates', 'maxMs', 'extra', '__proto__'),
      fc.oneof(
        jsonValueArb,
        fc.constantFrom(-1, 1.5, NaN, Infinity, 2 ** 53, 0, 5_000_001, 600_001, 'explore', 'Before', null),
      ),
    )
    .map(([m, key, v]) => {
      const x = { ...m };
      setOwn(x, key, v);
      return x;
    }),
  fc.tuple(goodWorkerRequestArb, fc.constantFrom('type', 'id', 'scenario')).map(([m, key]) => {
    const x = { ...m };
    delete x[key];
    return x;
  }),
);

// ───────────────────────────── embed and element (issue 5) ─────────────────────────────

/** What the `<vfio-kvm-explorer>` element reads (the page's interface (README)), raw attribute values, and whether each is bad. */
export interface ElementAttributes {
  attrs: Record<string, string>;
  /** Attribute names whose value the element must reject with a message (and fall back). */
  bad: string[];
}

export const elementAttributesArb: fc.Arbitrary<ElementAttributes> = fc
  .record(
    {
      scenario: fc.oneof(
        goodValue.scenario!.map((v) => [v, false] as const),
        badValue.scenario!.map((v) => [v, true] as const),
      ),
      era: fc.oneof(
        goodValue.era!.map((v) => [v, false] as const),
        badValue.era!.map((v) => [v, true] as const),
      ),
      step: fc.oneof(
        goodValue.step!.map((v) => [v, false] as const),
        badValue.step!.map((v) => [v, true] as const),
      ),
      theme: fc.oneof(
        goodValue.theme!.map((v) => [v, false] as const),
        badValue.theme!.map((v) => [v, true] as const),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((r) =>
    fc
      .option(fc.tuple(fc.constantFrom('data-x', 'style', 'onclick', 'class', 'hidden'), nastyStringArb), {
        freq: 4,
      })
      .map((extra) => {
        const attrs: Record<string, string> = {};
        const bad: string[] = [];
        for (const [k, v] of Object.entries(r)) {
          if (!v) continue;
          attrs[k] = v[0];
          if (v[1]) bad.push(k);
        }
        if (extra) attrs[extra[0]] = extra[1];
        return { attrs, bad };
      }),
  );

export const EMBED_COMMAND = 'vfio-kvm-explorer:command';
export const EMBED_RESIZE = 'vfio-kvm-explorer:resize';
export const EMBED_THEME = 'vfio-kvm-explorer:theme';

/** A `postMessage` payload sent to embed.html, and whether the embed must act on it (the page's interface (README)). */
export interface EmbedMessage {
  data: unknown;
  /** True for a well-formed command (it still only counts from the parent window). */
  valid: boolean;
}

/**
 * The page's interface as the README's protocol table states it, written apart from
 * src/view/embed/messages.ts so that it can judge it: a plain object with
 * exactly `type` and `command` (and `step` with `goto` only, a whole number
 * from 0 to 1 000 000), or `type` and `theme`.
 */
export function isEmbedCommand(d: unknown): boolean {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
  const proto = Object.getPrototypeOf(d);
  if (proto !== Object.prototype && proto !== null) return false;
  const m = d as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  if (m.type === EMBED_THEME)
    return keys === 'theme,type' && ['light', 'dark', 'auto'].includes(m.theme as string);
  if (m.type !== EMBED_COMMAND) return false;
  if (m.command === 'goto')
    return (
      keys === 'command,step,type' &&
      Number.isInteger(m.step) &&
      (m.step as number) >= 0 &&
      (m.step as number) <= 1_000_000
    );
  return keys === 'command,type' && ['step', 'back', 'reset'].includes(m.command as string);
}

export const embedMessageArb: fc.Arbitrary<EmbedMessage> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc
        .constantFrom('step', 'back', 'reset')
        .map((command) => ({ data: { type: EMBED_COMMAND, command }, valid: true })),
      fc
        .nat({ max: 500 })
        .map((step) => ({ data: { type: EMBED_COMMAND, command: 'goto', step }, valid: true })),
      fc
        .constantFrom('light', 'dark', 'auto')
        .map((theme) => ({ data: { type: EMBED_THEME, theme }, valid: true })),
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom('type', 'command', 'step', 'theme', 'extra', '__proto__'),
        fc.oneof(
          fc.constantFrom(
            EMBED_RESIZE,
            EMBED_THEME,
            'vfio-kvm-explorer:Command',
            'Step',
            'goto ',
            'step',
            'back',
            'reset',
            '',
            -1,
            1.5,
            NaN,
            Infinity,
            1e308,
            1_000_000,
            1_000_001,
            '3',
            null,
            true,
          ),
          jsonValueArb,
        ),
      )
      .map(([key, v]) => {
        const data: Record<string, unknown> = { type: EMBED_COMMAND, command: 'goto', step: 1 };
        setOwn(data, key, v);
        // Most are broken; a few are still commands (say step: 7): judged, not assumed.
        return { data, valid: isEmbedCommand(data) };
      }),
  },
  {
    weight: 3,
    arbitrary: fc
      .anything({
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withTypedArray: true,
      })
      .map((data) => ({ data, valid: isEmbedCommand(data) })),
  },
);
