import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIO } from '../cli/main.ts';
import type { Exploration } from './exploration.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fakeIO(files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readFile: async (p) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error('not found'), { code: 'ENOENT' });
    },
    cwd: '/',
  };
  return { io, out: () => out, err: () => err };
}

async function cli(argv: string[], files?: Record<string, string>) {
  const f = fakeIO(files);
  const code = await main(argv, f.io);
  return { code, out: f.out(), err: f.err() };
}

describe('vfio-kvm explore --json', () => {
  test('prints exactly the exploration format (README), with a replayable shortest counterexample', async () => {
    const r = await cli(['explore', 'del-while-open', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const x = JSON.parse(r.out) as Exploration;
    expect(x).toMatchObject({ schema: 'vfio-kvm-exploration/1', era: 'before', complete: true });
    for (const k of ['states', 'transitions', 'interleavings', 'ms'] as const)
      expect(typeof x[k]).toBe('number');
    expect(x.reason).toBeUndefined();
    const v = x.violations.find((w) => w.kind === 'null-deref')!;
    expect(v.schedule.every((t) => typeof t === 'string')).toBe(true);
    expect(v.trace.schema).toBe('vfio-kvm-trace/1');
    // `run --schedule` with that schedule gives that trace
    const run = await cli([
      'run',
      'del-while-open',
      '--era',
      'before',
      '--schedule',
      v.schedule.join(','),
      '--json',
    ]);
    expect(run.code).toBe(0);
    const trace = JSON.parse(run.out);
    expect(trace).toEqual(v.trace);
    expect(
      trace.violations.some(
        (w: { kind: string; step: number }) => w.kind === 'null-deref' && w.step <= v.schedule.length,
      ),
    ).toBe(true);
  });

  test('--era overrides the scenario default', async () => {
    const x = JSON.parse(
      (await cli(['explore', 'del-while-open', '--era', 'after', '--json'])).out,
    ) as Exploration;
    expect(x.era).toBe('after');
    expect(x.violations.map((v) => v.kind)).toEqual([]);
  });

  test('--max-states: complete false and the reason; exit 0', async () => {
    const r = await cli(['explore', 'second-opener', '--max-states', '50', '--json']);
    expect(r.code).toBe(0);
    const x = JSON.parse(r.out) as Exploration;
    expect(x.complete).toBe(false);
    expect(x.reason).toMatch(/state bound reached: more than 50/);
  });

  test('a scenario file', async () => {
    const file = JSON.stringify({
      schema: 'vfio-kvm-scenario/1',
      id: 'mine',
      title: 'mine',
      era: 'after',
      vms: ['K'],
      devices: [{ id: 'D', driver: 'gvt', group: 'G' }],
      steps: [
        { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
        { thread: 'X', op: 'close_vm', vm: 'K' },
      ],
    });
    const r = await cli(['explore', 'mine.json', '--json'], { 'mine.json': file });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      scenario: 'mine',
      complete: true,
      states: 37,
      interleavings: 12,
    });
  });
});

describe('vfio-kvm explore (summary)', () => {
  test('lists each kind with the step where it shows and a paste-ready schedule', async () => {
    const r = await cli(['explore', 'last-ref-deadlock']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/every interleaving explored in [\d.]+ ms/);
    const x = JSON.parse((await cli(['explore', 'last-ref-deadlock', '--json'])).out) as Exploration;
    const fmt = (n: number) => n.toLocaleString('en-US');
    expect(r.out).toContain(`${fmt(x.states)} distinct states, ${fmt(x.transitions)} transitions`);
    expect(r.out).toContain(`${fmt(x.interleavings!)} interleavings`);
    const m = r.out.match(
      / {2}deadlock: shows at step (\d+)[^\n]*\n(?: {4}[^\n]*\n)*? {4}schedule \((\d+) steps\): ([A-Z0-9,]+)\n/,
    );
    expect(m, r.out).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    const run = await cli(['run', 'last-ref-deadlock', '--schedule', m![3]!, '--json']);
    expect(JSON.parse(run.out).violations.map((v: { kind: string }) => v.kind)).toContain('deadlock');
    expect(r.out).toMatch(/vfio-kvm run last-ref-deadlock --era after --schedule [A-Z,]+/);
  });

  test('a clean exploration says so', async () => {
    const r = await cli(['explore', 'happy-path', '--era', 'fixed']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/violations: none\n/);
    expect(r.out).toMatch(/broken: none\n/);
    expect(r.out).toMatch(
      /not checked in fixed: group-kvm-changed-during-driver-call, by design: the VFIO core holds its own counted reference/,
    );
  });

  test('invariant kinds are listed apart from trace kinds', async () => {
    const r = await cli(['explore', 'del-while-open', '--era', 'before']);
    const [spec, inv] = r.out.split('guarantees of the patch');
    expect(spec).toMatch(/null-deref: shows at step/);
    expect(spec).not.toMatch(/driver-kvm-changed-while-open/);
    expect(inv).toMatch(/driver-kvm-changed-while-open: shows at step/);
  });
});

describe('bad input: exit 2 with a clear message', () => {
  test.each([
    [['explore'], /missing scenario/],
    [['explore', 'no-such-scenario'], /unknown scenario "no-such-scenario"/],
    [
      ['explore', 'happy-path', '--era', 'later'],
      /--era: expected one of v5\.18, gvt-rework, before, v1, v2, after, group-mutex, gvt-fix, group-c, release-fix, fixed, v6\.6 \(or an era's commit id, 12 hex digits or more\), got "later"/,
    ],
    [['explore', 'happy-path', '--max-states', '0'], /--max-states: expected a whole number from 1/],
    [['explore', 'happy-path', '--max-states', 'lots'], /--max-states: expected a whole number/],
    [['explore', 'happy-path', '--max-ms', '-3'], /--max-ms/],
    [['explore', 'happy-path', 'del-while-open'], /explore takes one scenario, got 2/],
    [['explore', 'happy-path', '--schedule', 'Q'], /unknown option --schedule/],
    [['explore', 'missing.json'], /cannot read missing.json: ENOENT/],
  ])('%j', async (argv, msg) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('an invalid scenario file names the field', async () => {
    const bad = JSON.stringify({
      schema: 'vfio-kvm-scenario/1',
      id: 'x',
      title: 'x',
      era: 'after',
      vms: ['K'],
      devices: [],
      steps: [{ thread: 'Q', op: 'open_device', device: 'E' }],
    });
    const r = await cli(['explore', 'bad.json'], { 'bad.json': bad });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/steps\[0\]\.device/);
  });
});

test('the installed command: node bin/vfio-kvm.mjs explore … --json', () => {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'vfio-kvm.mjs'), 'explore', 'gvt-ref-leak', '--json'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const x = JSON.parse(r.stdout) as Exploration;
  expect(x).toMatchObject({ schema: 'vfio-kvm-exploration/1', era: 'after', complete: true });
  expect(x.violations.map((v) => v.kind)).toContain('refcount-leak');
  const bad = spawnSync(
    process.execPath,
    [join(root, 'bin', 'vfio-kvm.mjs'), 'explore', 'gvt-ref-leak', '--era', 'nope'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--era: expected one of/);
}, 120_000);
