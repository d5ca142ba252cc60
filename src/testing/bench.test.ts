/**
 * The measuring code of `npm run bench` (scripts/bench/): source-map
 * attribution, per-frame script time from a trace, the initial scripts of a
 * page, and the long tasks of Lighthouse's reports, on inputs whose answers
 * are known.
 */
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { attribute, groupOf, indexMap, shares, sourceAt } from '../../scripts/bench/sourcemap.ts';
import { frameScript, percentile, type TraceEvent } from '../../scripts/bench/trace.ts';
import { htmlScripts } from '../../scripts/bench/bundle.ts';
import { longestTasks, longTasks, taskSource, type LighthouseRun } from '../../scripts/bench/lighthouse.ts';

describe('source-map attribution', () => {
  // Generated "AAAA;BBBB": line 0 cols 0–1 from a.ts, cols 2–3 from b.ts; line 1 unmapped, then b.ts from col 2.
  // Segments: "AAAA" = [0,0,0,0]; "ECAA" = col +2, source +1; line 1: "EAAA" = col 2, source +0 (still b).
  const code = 'AAAA\nBBBB';
  const map = {
    version: 3,
    sources: ['../../src/model/a.ts', '../../node_modules/react-dom/cjs/x.js'],
    mappings: 'AAAA,ECAA;EAAA',
  };

  test('each byte goes to the source its segment maps to; the rest is named', () => {
    const a = attribute(code, map);
    expect(a.get('../../src/model/a.ts')).toEqual(['AA']);
    expect(a.get('../../node_modules/react-dom/cjs/x.js')).toEqual(['AA', 'BB']);
    expect(a.get('(unmapped: import/export statements, glue)')).toEqual(['\n', 'BB']);
    expect([...a.values()].flat().join('').length).toBe(code.length); // nothing lost
  });

  test('groups: packages by name, the app by folder; gzip shares add up to the chunk', () => {
    expect(groupOf('../../node_modules/react-dom/cjs/x.js')).toBe('react-dom');
    expect(groupOf('../../node_modules/@xstate/react/dist/x.mjs')).toBe('@xstate/react');
    expect(groupOf('../../src/model/kernel/vfio.ts')).toBe('src/model/kernel');
    expect(groupOf('../../src/model/step.ts')).toBe('src/model');
    expect(groupOf('src/scenarios/builtin/*.json (inlined, no source map)')).toBe(
      'src/scenarios/builtin/*.json',
    );
    const s = shares(attribute(code, map), groupOf, 1000);
    expect([...s.values()].reduce((x, y) => x + y.gzip, 0)).toBeCloseTo(1000, 6);
    expect(s.get('react-dom')!.bytes).toBe(4);
    expect(s.get('(unmapped: import/export statements, glue)')!.bytes).toBe(3);
    expect(s.get('src/model')!.bytes).toBe(2);
  });

  test('sourceAt: the source of a generated position (for the CPU profile)', () => {
    const idx = indexMap(map);
    expect(sourceAt(map, idx, 0, 0)).toBe('../../src/model/a.ts');
    expect(sourceAt(map, idx, 0, 1)).toBe('../../src/model/a.ts');
    expect(sourceAt(map, idx, 0, 3)).toBe('../../node_modules/react-dom/cjs/x.js');
    expect(sourceAt(map, idx, 1, 0)).toBeNull();
    expect(sourceAt(map, idx, 1, 3)).toBe('../../node_modules/react-dom/cjs/x.js');
    expect(sourceAt(map, idx, 7, 0)).toBeNull();
  });

  test('on real minified code, the shares of a chunk add up to its gzip size', () => {
    const text = 'function f(a){return a*2}'.repeat(50);
    const gz = gzipSync(Buffer.from(text), { level: 9 }).length;
    const s = shares(
      new Map([
        ['../../src/x/a.ts', [text.slice(0, 600)]],
        ['../../node_modules/p/i.js', [text.slice(600)]],
      ]),
      groupOf,
      gz,
    );
    expect([...s.values()].reduce((x, y) => x + y.gzip, 0)).toBeCloseTo(gz, 6);
  });
});

describe('per-frame script time', () => {
  const ev = (
    name: string,
    ts: number,
    dur?: number,
    ph = dur === undefined ? 'I' : 'X',
    cat = 'devtools.timeline',
  ): TraceEvent => ({
    name,
    cat,
    ph,
    ts: ts * 1000,
    ...(dur !== undefined ? { dur: dur * 1000 } : {}),
    pid: 1,
    tid: 1,
  });
  const trace: TraceEvent[] = [
    ev('bench:play', 0, undefined, 'I', 'blink.user_timing'),
    ev('BeginMainThreadFrame', 1, undefined, 'I', 'disabled-by-default-devtools.timeline.frame'),
    // frame 1 (1–17): a timer with a nested call (counted once: 5 ms), and a style recalc inside it (forced: 1 ms)
    ev('TimerFire', 2, 5),
    ev('FunctionCall', 3, 3),
    ev('UpdateLayoutTree', 4, 1),
    ev('BeginMainThreadFrame', 17, undefined, 'I', 'disabled-by-default-devtools.timeline.frame'),
    // frame 2 (17–33): nothing; frame 3 (33–70): 30 ms of script crossing nothing
    ev('BeginMainThreadFrame', 33, undefined, 'I', 'disabled-by-default-devtools.timeline.frame'),
    ev('EventDispatch', 35, 30),
    ev('BeginMainThreadFrame', 70, undefined, 'I', 'disabled-by-default-devtools.timeline.frame'),
    ev('bench:end', 80, undefined, 'I', 'blink.user_timing'),
    // another thread's script is not ours
    { ...ev('FunctionCall', 40, 100), tid: 2 },
  ];

  test('script per frame is the union of script slices of the page main thread, frame by frame', () => {
    const f = frameScript(trace);
    expect(f.frames).toBe(3);
    expect(f.maxScriptMs).toBe(30);
    expect(f.p50ScriptMs).toBe(5);
    expect(f.p95ScriptMs).toBe(30);
    expect(f.p95ForcedMs).toBe(1);
    expect(f.scriptMs).toBe(35);
    expect(f.windowMs).toBe(80);
  });

  test('percentile is nearest-rank', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });

  test('a trace without the marks is an error, not a number', () => {
    expect(() => frameScript(trace.filter((e) => e.name !== 'bench:end'))).toThrow(/marks/);
  });
});

test('the initial scripts of a page: module scripts and modulepreloads, nothing else', () => {
  const html = `<link rel="icon" href="data:,"><script type="module" crossorigin src="./assets/index-1.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/react-2.js"><link rel="stylesheet" href="./assets/a.css">
    <script src="https://example.org/x.js" type="module"></script><script>inline()</script>`;
  expect(htmlScripts(html)).toEqual(['assets/index-1.js', 'assets/react-2.js']);
});

describe("Lighthouse's long tasks", () => {
  const page = 'http://127.0.0.1:4000/';

  test('each task is charged to the page, a script by its file name, Lighthouse, or no one', () => {
    expect(taskSource(page, page)).toBe('the page');
    expect(taskSource(`${page}assets/index-AbC123.js?v=1`, page)).toBe('index-AbC123.js');
    expect(taskSource('_lighthouse-eval.js', page)).toBe('Lighthouse');
    expect(taskSource('Unattributable', page)).toBe('unattributed');
    expect(taskSource(undefined, page)).toBe('unattributed');
  });

  test("a report's long tasks, longest first; malformed items and audits are left out, not guessed", () => {
    const audit = {
      details: {
        items: [
          { url: 'Unattributable', duration: 154.4, startTime: 612.2 },
          { url: `${page}assets/index-x.js`, duration: 203.6, startTime: 1245 },
          { url: page, duration: 'long', startTime: 800 },
          { url: '_lighthouse-eval.js', duration: 294, startTime: 1258 },
          { duration: Infinity },
        ],
      },
    };
    expect(longTasks(audit, page)).toEqual([
      { startMs: 1258, ms: 294, source: 'Lighthouse' },
      { startMs: 1245, ms: 204, source: 'index-x.js' },
      { startMs: 612, ms: 154, source: 'unattributed' },
    ]);
    expect(longTasks(undefined, page)).toEqual([]);
    expect(longTasks({ details: { items: 'none' } }, page)).toEqual([]);
  });

  test("the longest task per run, Lighthouse's own script left out; the longest of all and the median", () => {
    const run = (
      p: LighthouseRun['page'],
      tasks: [number, string][],
      preset: LighthouseRun['preset'] = 'mobile',
    ) =>
      ({
        preset,
        page: p,
        performance: 99,
        accessibility: 100,
        metrics: {},
        longTasks: tasks.map(([ms, source]) => ({ startMs: 0, ms, source })),
        ms: 1,
      }) satisfies LighthouseRun;
    const runs = [
      run('app', [
        [300, 'Lighthouse'],
        [150, 'unattributed'],
      ]),
      run('app', [[210, 'the page']]),
      run('app', []),
      run('empty', [[101, 'unattributed']]),
      run('app', [[500, 'the page']], 'desktop'),
    ];
    expect(longestTasks(runs, 'app')).toEqual({ runs: 3, maxMs: 210, source: 'the page', medianMs: 150 });
    expect(longestTasks(runs, 'empty')).toEqual({
      runs: 1,
      maxMs: 101,
      source: 'unattributed',
      medianMs: 101,
    });
    expect(longestTasks([], 'app')).toBeNull();
  });
});
