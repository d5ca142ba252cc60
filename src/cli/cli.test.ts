import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';
import { BUILTIN_IDS, builtin } from '../scenarios/index.ts';
import { PRIVATE_NOTES } from '../testing/privateNotes.ts';

async function cli(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: async (p) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    cwd: '/',
  });
  return { code, out, err };
}

describe('vfio-kvm list', () => {
  it('prints the built-ins, one a line', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual([...BUILTIN_IDS]);
  });
});

describe('vfio-kvm run', () => {
  it('narrates a run step by step and ends with the violations', async () => {
    const r = await cli(['run', 'last-ref-deadlock', '--era', 'after']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^last-ref-deadlock: Deadlock on the last KVM reference\nera after:/);
    expect(r.out).toContain('Q: vfio_file_set_kvm waits for G.group_rwsem (write): Q holds it for read');
    expect(r.out).toContain('thread Q: blocked on G.group_rwsem (write)');
    expect(r.out).toMatch(/violations: 1\n {2}step \d+: deadlock in vfio_file_set_kvm \(thread Q\)/);
  });

  it('prints a vfio-kvm-trace/1 with --json (the trace format (README))', async () => {
    const r = await cli(['run', 'del-while-open', '--json']);
    const t = JSON.parse(r.out);
    expect(t.schema).toBe('vfio-kvm-trace/1');
    expect(t.era).toBe('before');
    expect(t.steps[3]).toEqual({ index: 3, thread: 'W', op: 'run_work', status: 'crashed' });
    expect(t.final.threads.W).toEqual({ state: 'crashed' });
    expect(t.final.devices.D).toEqual({ openCount: 0, kvm: null, driverKvm: null, driverRef: true });
    expect(t.violations.map((v: { kind: string }) => v.kind)).toEqual(['null-deref']);
    expect(Object.keys(t)).toEqual(['schema', 'era', 'steps', 'final', 'lockdep', 'violations', 'micro']);
    expect(t.lockdep).toBeNull();
  });

  it('--era overrides the scenario default', async () => {
    const t = JSON.parse((await cli(['run', 'del-while-open', '--era', 'after', '--json'])).out);
    expect(t.era).toBe('after');
    expect(t.violations).toEqual([]);
  });

  it('--schedule replays an exact interleaving, then continues in the default order', async () => {
    // The worker runs before anything is queued; in `before` the oops then moves to Q's close.
    const r = await cli(['run', 'del-while-open', '--era', 'before', '--schedule', 'W', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out);
    expect(
      t.steps.map((s: { status: string; result?: unknown }) => (s.status === 'done' ? s.result : s.status)),
    ).toEqual([0, 0, 0, 0, 'crashed']);
    expect(t.violations).toMatchObject([
      { kind: 'null-deref', thread: 'Q', at: '__intel_vgpu_release', step: expect.any(Number) },
    ]);
    const narrative = (await cli(['run', 'del-while-open', '--era', 'before', '--schedule', 'W'])).out;
    expect(narrative).toMatch(/^\s*1 {2}W: the kworker finds no queued work — run_work\(\) returns 0$/m);
  });

  it('runs a scenario file', async () => {
    const s = { ...builtin('gvt-ref-leak')!, id: 'mine' };
    const r = await cli(['run', 'mine.json', '--json'], { 'mine.json': JSON.stringify(s) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).violations.map((v: { kind: string }) => v.kind)).toEqual(['refcount-leak']);
  });
});

describe('bad input: a clear message on stderr and exit code 2', () => {
  const base = JSON.stringify(builtin('del-while-open'));
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['unknown scenario id', ['run', 'nope'], {}, /unknown scenario "nope"; built-ins are happy-path/],
    ['missing file', ['run', 'missing.json'], {}, /cannot read missing\.json: ENOENT/],
    ['not JSON', ['run', 'x.json'], { 'x.json': '{oops' }, /x\.json: invalid scenario\n {2}not JSON: /],
    [
      'wrong schema',
      ['run', 'x.json'],
      { 'x.json': base.replace('vfio-kvm-scenario/1', 'v2') },
      /schema: expected "vfio-kvm-scenario\/1", got "v2"/,
    ],
    [
      'unknown op',
      ['run', 'x.json'],
      { 'x.json': base.replace('"run_work"', '"run_works"') },
      /steps\[3\]\.op: unknown op "run_works"/,
    ],
    [
      'unknown device',
      ['run', 'x.json'],
      { 'x.json': base.replace(/"device":"D"/g, '"device":"E"') },
      /steps\[1\]\.device: unknown device "E"; devices are D/,
    ],
    [
      'missing field',
      ['run', 'x.json'],
      { 'x.json': base.replace('"vm":"K","group":"G"', '"vm":"K"') },
      /steps\[0\]\.group: missing/,
    ],
    [
      'bad era',
      ['run', 'happy-path', '--era', 'v9'],
      {},
      /--era: expected one of v5\.18, gvt-rework, before, v1, v2, after, group-mutex, gvt-fix, group-c, release-fix, fixed, v6\.6 \(or an era's commit id, 12 hex digits or more\), got "v9"/,
    ],
    ['unknown option', ['run', 'happy-path', '--fast'], {}, /unknown option --fast/],
    [
      'schedule naming a thread that cannot move',
      ['run', 'happy-path', '--schedule', 'Q,Z'],
      {},
      /--schedule: schedule\[1\]: unknown thread "Z"; threads are Q/,
    ],
    [
      'schedule moving a finished thread',
      ['run', 'del-while-open', '--schedule', 'W,W'],
      {},
      /schedule\[1\]: thread "W" cannot move at micro-step 2: it has finished; runnable: Q, KV/,
    ],
    ['unknown command', ['frobnicate'], {}, /unknown command "frobnicate"/],
  ];
  it.each(cases)('%s', async (_name, args, files, re) => {
    const r = await cli(args, files);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(re);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('the vfio-kvm binary', () => {
  it('runs with npx-style invocation, and exits 2 on a bad file', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'vfio-kvm.mjs');
    const out = execFileSync(process.execPath, [bin, 'run', 'gvt-ref-leak', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).final.vms.K).toEqual({ users: 1, state: 'alive' });
    const dir = mkdtempSync(join(tmpdir(), 'vfio-kvm-'));
    writeFileSync(join(dir, 'bad.json'), '{"schema": "vfio-kvm-scenario/1"}');
    const r = spawnSync(process.execPath, [bin, 'run', join(dir, 'bad.json')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    // id and era may be left out of a user's file; title, vms, devices and steps may not.
    expect(r.stderr).toMatch(/invalid scenario\n {2}title: expected a non-empty string/);
  });
});

describe('what the CLI prints', () => {
  it("never cites the team's private notes (list, eras, run, explore, diff, every built-in)", async () => {
    const outputs: string[] = [];
    const run = async (a: string[]) => {
      const r = await cli(a);
      outputs.push(r.out, r.err);
    };
    await run(['list']);
    await run(['eras']);
    await run(['eras', '--json']);
    await run(['diff', 'v5.18', 'v6.6']);
    for (const id of BUILTIN_IDS) {
      await run(['run', id]);
      await run(['run', id, '--era', 'v5.18', '--json']);
      await run(['explore', id, '--era', 'fixed']);
    }
    const bad = outputs.filter((o) => PRIVATE_NOTES.test(o));
    expect(bad.map((o) => o.slice(0, 200))).toEqual([]);
  }, 120_000);
});
