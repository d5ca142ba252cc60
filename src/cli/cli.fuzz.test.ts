/**
 * Fuzzing the CLI in-process (issue 6): generated scenario files through
 * `vfio-kvm run x.json` (and `explore`, bounded), and generated argument
 * lists. Bad input exits 2 with a message on stderr; good input exits 0 with
 * output on stdout; nothing exits 1 (an internal error) or throws.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { main } from './main.ts';
import { parseScenarioText } from '../scenarios/validate.ts';
import { scenarioTextArb, validScenarioArb, nastyStringArb } from '../testing/arbitraries.ts';

async function cli(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readFile: async (p) => {
      if (Object.prototype.hasOwnProperty.call(files, p)) return files[p]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    writeFile: async () => {},
    cwd: '/',
  });
  return { code, out, err };
}

/**
 * Names every object inherits (`constructor`, `toString`, `__proto__`, …).
 * This fuzzing found that `vfio-kvm __proto__` was an internal error and
 * `--constructor x` was silently accepted, because commands and options were
 * looked up with `obj[name]`; the tests below keep them out.
 */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);

function expectBad(r: { code: number; out: string; err: string }) {
  expect(r.code, r.err.slice(0, 500)).toBe(2);
  expect(r.err).toMatch(/^vfio-kvm: \S/);
  expect(r.err).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
}

describe('vfio-kvm on generated input (fuzz)', () => {
  test('run x.json: 0 for a valid scenario (2 when its schedule cannot replay), 2 with a message for a bad one, never 1', async () => {
    let good = 0;
    let bad = 0;
    await fc.assert(
      fc.asyncProperty(scenarioTextArb, fc.boolean(), async (text, json) => {
        const r = await cli(['run', 'x.json', ...(json ? ['--json'] : [])], { 'x.json': text });
        const v = parseScenarioText(text, { defaultId: 'x' }); // the CLI names a file without an id after the file
        if (v.ok && r.code === 0) {
          good++;
          expect(r.err).toBe('');
          if (json) expect(JSON.parse(r.out).schema).toBe('vfio-kvm-trace/1');
          else expect(r.out.startsWith(`${v.scenario.id}: `)).toBe(true);
          return;
        }
        bad++;
        expectBad(r);
        expect(r.out).toBe('');
        if (v.ok)
          expect(r.err, 'a valid file is refused only for its schedule').toMatch(
            /^vfio-kvm: --schedule: schedule\[\d+\]: /,
          );
        else expect(r.err).toContain('x.json: invalid scenario\n  ');
      }),
      { numRuns: 1500 },
    );
    expect(good).toBeGreaterThan(150);
    expect(bad).toBeGreaterThan(500);
  });

  test('explore x.json (bounded): 0 or 2, never a model error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validScenarioArb({ maxSteps: 6 }).map((s) => JSON.stringify(s)),
          scenarioTextArb,
        ),
        async (text) => {
          const r = await cli(['explore', 'x.json', '--max-states', '2000', '--max-ms', '200', '--json'], {
            'x.json': text,
          });
          if (parseScenarioText(text).ok) {
            expect(r.code, r.err).toBe(0);
            expect(JSON.parse(r.out).schema).toBe('vfio-kvm-exploration/1');
          } else expectBad(r);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('generated argument lists: exit 0 or 2, never 1, never a throw', async () => {
    const token = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'run',
          'explore',
          'list',
          'help',
          'render',
          'happy-path',
          'second-opener',
          'x.json',
          'nope',
          'nope.json',
          'dir/',
        ),
      },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          '--era',
          '--era=after',
          '--schedule',
          '--json',
          '--max-states',
          '--max-ms',
          '--step',
          '--all-steps',
          '--theme',
          '--out',
          '--',
          '-',
          '--json=1',
          '--era=',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '__proto__',
          'constructor',
          'toString',
          '--__proto__',
          '--constructor',
          '--toString',
          '--hasOwnProperty',
          '--valueOf=1',
        ),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'before',
          'v5.18',
          'Q',
          'Q,Q',
          'Q,,W',
          'W,W,W',
          '0',
          '1',
          '-1',
          '1e3',
          '99999999999',
          'dark',
          'neon',
          'out.svg',
          '',
        ),
      },
      { weight: 1, arbitrary: nastyStringArb.map((s) => s.slice(0, 100)) },
    );
    const files = {
      'x.json': JSON.stringify(fc.sample(validScenarioArb({ maxSteps: 4 }), { numRuns: 1, seed: 42 })[0]),
    };
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (argv) => {
        // A bound on every exploration, so that no generated command runs long.
        const args = argv[0] === 'explore' ? [...argv, '--max-ms', '100'] : argv;
        const r = await cli(args, files);
        expect([0, 2], `${JSON.stringify(args)} → ${r.code}: ${r.err.slice(0, 300)}`).toContain(r.code);
        if (r.code === 2 && args.length > 0) expectBad(r);
      }),
      { numRuns: 1500 },
    );
  });

  test('an option the command does not have is always refused (exit 2, "unknown option")', async () => {
    const name = fc.oneof(
      fc.constantFrom('fast', 'Era', 'json2', 'max_states', 'verbose', ...INHERITED),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('run', 'explore'), name, fc.boolean(), async (cmd, opt, withValue) => {
        const known = cmd === 'run' ? ['era', 'schedule', 'json'] : ['era', 'max-states', 'max-ms', 'json'];
        fc.pre(!known.includes(opt));
        const r = await cli(
          [cmd, 'happy-path', withValue ? `--${opt}=1` : `--${opt}`, '--max-ms', '50'].slice(
            0,
            cmd === 'run' ? 3 : 5,
          ),
        );
        expectBad(r);
        expect(r.err).toContain(`unknown option --${opt};`);
      }),
      { numRuns: 500 },
    );
  });

  test('`vfio-kvm __proto__` / `constructor` exit 2 like any unknown command', async () => {
    for (const cmd of INHERITED) {
      const r = await cli([cmd]);
      expect(r.code, `vfio-kvm ${cmd}`).toBe(2);
      expect(r.err).toContain(`unknown command "${cmd}"`);
    }
  });

  test('`--constructor`, `--toString`, `--__proto__` are unknown options', async () => {
    for (const opt of ['--constructor', '--toString=1', '--__proto__', '--valueOf']) {
      const r = await cli(['run', 'happy-path', opt, 'x']);
      expect(r.code, `run happy-path ${opt} x`).toBe(2);
      expect(r.err).toContain('unknown option');
    }
  });
});
