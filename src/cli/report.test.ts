/** `vfio-kvm report`, `explore --report`, and the lockdep line of `run`. */
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { ERA_IDS, runScenario } from '../model/index.ts';
import { runReports } from '../report/index.ts';
import { expectInOrder, expectPasteable } from '../report/testing.ts';

async function cli(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readFile: async (p) => {
      if (Object.hasOwn(files, p)) return files[p]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    cwd: '/',
  });
  return { code, out, err };
}

describe('vfio-kvm report', () => {
  it('the last-reference deadlock: the lockdep warning, then the hung task, each with its diagram', async () => {
    const r = await cli(['report', 'last-ref-deadlock', '--era', 'after']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expectInOrder(r.out, [
      'last-ref-deadlock: Deadlock on the last KVM reference',
      'era after (421cfe6596f6)',
      'schedule: the default order',
      '2 reports: lockdep-recursive, hung-task',
      '[1/2] lockdep: possible recursive locking (Q)',
      'WARNING: possible recursive locking detected',
      'The interleaving (micro-steps',
      '[2/2] deadlock: Q blocked for good in vfio_file_set_kvm',
      'INFO: task Q blocked for more than 120 seconds.',
      'The interleaving (micro-steps',
    ]);
    expectPasteable(r.out);
  });

  it('a run with nothing to report says so', async () => {
    const r = await cli(['report', 'happy-path']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No violation and no lockdep warning in this run.');
  });

  it('--schedule replays an exact interleaving', async () => {
    const sched = 'Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,Q,X,X,Q';
    const r = await cli(['report', 'last-ref-deadlock', '--era', 'after', '--schedule', sched]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`schedule: ${sched}, then the default order`);
    expect(r.out).toContain('refcount_t: addition on 0; use-after-free.');
    expectPasteable(r.out);
    const bad = await cli(['report', 'last-ref-deadlock', '--schedule', 'Q,NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^vfio-kvm: --schedule: schedule\[1\]: unknown thread "NOPE"/);
  });

  it('--json gives the same as data', async () => {
    const r = await cli(['report', 'del-while-open', '--json']);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe('vfio-kvm-report/1');
    expect(doc.scenario).toBe('del-while-open');
    expect(doc.era).toBe('before');
    const items = runReports(runScenario(builtin('del-while-open')!, { era: 'before' }));
    expect(doc.reports.map((x: { kind: string }) => x.kind)).toEqual(items.map((x) => x.kind));
    expect(doc.reports[0].text).toBe(items[0]!.text);
    expect(doc.reports[0].diagram.text).toBe(items[0]!.diagram.text);
    expect(doc.reports[0].violation).toMatchObject({ kind: 'null-deref', thread: 'W' });
    expect(doc.reports[0].diagram.rows[0]).toMatchObject({ thread: 'KV', depth: 0, kind: 'op' });
  });

  it('every built-in scenario in every era: exit 0, every line within 75 columns', async () => {
    for (const s of BUILTINS)
      for (const era of ERA_IDS) {
        const r = await cli(['report', s.id, '--era', era]);
        expect(r.code).toBe(0);
        expectPasteable(r.out);
      }
  });

  it('bad input: exit 2 with a message', async () => {
    for (const args of [
      ['report'],
      ['report', 'nope'],
      ['report', 'happy-path', '--era', 'x'],
      ['report', 'a', 'b'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^vfio-kvm: /);
    }
  });
});

describe('vfio-kvm explore --report', () => {
  it('every counterexample with its report and diagram, summary included, in 75 columns', async () => {
    const r = await cli(['explore', 'last-ref-deadlock', '--era', 'after', '--report']);
    expect(r.code).toBe(0);
    expectPasteable(r.out);
    expectInOrder(r.out, [
      'every interleaving explored',
      '=== counterexample 1/3: use-after-free',
      'BUG: KASAN: use-after-free in intel_vgpu_close_device',
      '=== counterexample 2/3: get-from-zero',
      'refcount_t: addition on 0; use-after-free.',
      '=== counterexample 3/3: deadlock',
      'WARNING: possible recursive locking detected',
      'INFO: task Q blocked for more than 120 seconds.',
    ]);
    // The replay commands still paste: their line continuations join into one argument.
    const cmds = r.out
      .replace(/\\\n/g, '')
      .split('\n')
      .filter((l) => l.startsWith('vfio-kvm report '));
    expect(cmds).toHaveLength(3);
    for (const c of cmds) {
      const sched = c.split('--schedule ')[1]!;
      const replay = await cli(['report', 'last-ref-deadlock', '--era', 'after', '--schedule', sched.trim()]);
      expect(replay.code).toBe(0);
    }
  });

  it('--json --report: each counterexample carries its reports', async () => {
    const r = await cli(['explore', 'del-while-open', '--report', '--json']);
    const x = JSON.parse(r.out);
    expect(x.schema).toBe('vfio-kvm-exploration/1');
    const nd = x.violations.find((v: { kind: string }) => v.kind === 'null-deref');
    expect(nd.reports.map((y: { kind: string }) => y.kind)).toEqual(['oops']);
    expect(nd.reports[0].text).toMatch(/^BUG: kernel NULL pointer dereference/);
  });

  it('without --report, explore prints what it printed before', async () => {
    const r = await cli(['explore', 'del-while-open']);
    expect(r.out).not.toContain('=== counterexample');
  });
});

describe('vfio-kvm run', () => {
  it('prints the lockdep warning, even for a run that did not deadlock', async () => {
    const r = await cli(['run', 'recursive-rlock', '--era', 'after']);
    expect(r.out).toContain('violations: none');
    expect(r.out).toMatch(
      /lockdep: WARNING: possible recursive locking detected\n {2}&group->group_rwsem -> &group->group_rwsem\n {2}at micro-steps \d+, \d+/,
    );
    expect((await cli(['run', 'happy-path'])).out).toContain('lockdep: no warning');
  });
});
