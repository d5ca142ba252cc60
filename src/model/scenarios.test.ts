/**
 * Every built-in scenario, in every era, gives the outcome domain.md §5
 * describes: errnos, users_count, open_count, pointers, thread states and
 * violation kinds. Race scenarios run in the default order here (clean);
 * their bad interleavings are the explorer's tests.
 */
import { describe, expect, it } from 'vitest';
import { ERA_IDS, type EraId } from './era.ts';
import { runScenario, type Run } from './run.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { describeState } from './view.ts';
import type { ViolationKind } from './types.ts';
import { narrate } from './narrate.ts';

type Expect = {
  results: (string | number)[];
  kinds?: ViolationKind[];
  vms?: Record<string, string>;
  check?: (r: Run) => void;
};

const ok = (n: number) => Array.from({ length: n }, () => 0);
const E: Record<string, Partial<Record<EraId, Expect>> & { all?: Expect }> = {
  'happy-path': { all: { results: ok(5), kinds: [], vms: { K: 'freed/0' } } },
  'open-before-add': {
    'v5.18': { results: ['-ESRCH', 0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
    before: { results: ['-ESRCH', 0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
    after: { results: ['-ESRCH', '-EINVAL', 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    fixed: { results: ['-ESRCH', '-EINVAL', 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
  },
  'del-while-open': {
    'v5.18': { results: [0, 0, 0, 'crashed', 0], kinds: ['null-deref'] },
    before: { results: [0, 0, 0, 'crashed', 0], kinds: ['null-deref'] },
    after: { results: ok(5), kinds: [], vms: { K: 'alive/1' } },
    fixed: { results: ok(5), kinds: [], vms: { K: 'alive/1' } },
  },
  'del-then-add-other-vm': {
    'v5.18': {
      results: [0, 0, 0, 0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free', 'refcount-leak'],
      vms: { K: 'alive/1', K2: 'freed/0' },
    },
    before: {
      results: [0, 0, 0, 0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free', 'refcount-leak'],
      vms: { K: 'alive/1', K2: 'freed/0' },
    },
    after: { results: ok(8), kinds: [], vms: { K: 'freed/0', K2: 'freed/0' } },
    fixed: { results: ok(8), kinds: [], vms: { K: 'freed/0', K2: 'freed/0' } },
  },
  'open-vs-teardown-race': { all: { results: ok(4), kinds: [] } },
  'two-mdevs-same-vm': {
    'v5.18': { results: [0, 0, 0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'alive/3' } },
    before: { results: [0, 0, 0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'alive/3' } },
    after: { results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'], kinds: [], vms: { K: 'alive/4' } },
    fixed: { results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'], kinds: [], vms: { K: 'alive/5' } },
  },
  'ap-del-while-open': { all: { results: ok(5), kinds: [], vms: { K: 'freed/0' } } },
  'second-opener': {
    'v5.18': { results: [0, 0, 0, 0, 0, 'crashed'], kinds: ['null-deref'] },
    before: { results: [0, 0, 0, 0, 0, 'crashed'], kinds: ['null-deref'] },
    after: { results: ok(6), kinds: [], vms: { K: 'alive/1' } },
    fixed: { results: ok(6), kinds: [], vms: { K: 'alive/1' } },
  },
  'open-error-unwind': {
    'v5.18': { results: [0, 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
    before: { results: [0, 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
    after: { results: ['-EINVAL', 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
    fixed: { results: ['-EINVAL', 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'gvt-ref-leak': {
    'v5.18': { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'freed/0' } },
    before: { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'freed/0' } },
    after: { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: ['refcount-leak'], vms: { K: 'alive/1' } },
    fixed: { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'last-ref-deadlock': {
    'v5.18': { results: ok(4), kinds: [], vms: { K: 'freed/0' } },
    before: { results: ok(4), kinds: [], vms: { K: 'freed/0' } },
    after: { results: [0, 0, 0, 'blocked'], kinds: ['deadlock'], vms: { K: 'destroying/0' } },
    fixed: { results: ok(4), kinds: [], vms: { K: 'freed/0' } },
  },
  'recursive-rlock': { all: { results: ok(3), kinds: [] } },
  'set-kvm-races-open': {
    'v5.18': {
      results: [0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free'],
      vms: { K: 'alive/2', K2: 'freed/0' },
    },
    before: {
      results: [0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free'],
      vms: { K: 'alive/2', K2: 'freed/0' },
    },
    after: { results: ok(5), kinds: [], vms: { K: 'alive/1', K2: 'freed/0' } },
    fixed: { results: ok(5), kinds: [], vms: { K: 'alive/1', K2: 'freed/0' } },
  },
  'kvm-add-del-race': { all: { results: [0, 0, 0, '-ESRCH'], kinds: [], vms: { K: 'freed/0' } } },
};

describe.each(BUILTINS.map((s) => s.id))('%s', (id) => {
  it.each([...ERA_IDS])('in %s gives the outcome of domain.md §5', (era) => {
    const exp = E[id]![era] ?? E[id]!.all;
    expect(exp, `no expectation for ${id} in ${era}`).toBeDefined();
    const r = runScenario(builtin(id)!, { era });
    expect(r.trace.steps.map((s) => (s.status === 'done' ? s.result : s.status))).toEqual(exp!.results);
    expect([...new Set(r.violations.map((v) => v.kind))].sort()).toEqual([...(exp!.kinds ?? [])].sort());
    for (const [k, want] of Object.entries(exp!.vms ?? {})) {
      const v = r.trace.final.vms[k]!;
      expect(`${v.state}/${v.users}`, `VM ${k}`).toBe(want);
    }
    // Invariants that hold in every run: users_count never negative; every op has a status.
    for (const s of r.states)
      for (const vm of describeState(r.model, s).vms) expect(vm.users).toBeGreaterThanOrEqual(0);
    expect(r.trace.steps).toHaveLength(builtin(id)!.steps.length);
    exp!.check?.(r);
  });
});

/** Find the first micro-step whose narration matches. */
function at(r: Run, re: RegExp): number {
  const i = r.records.findIndex((rec, n) => re.test(describeStepText(r, n, rec)));
  if (i < 0) throw new Error(`no step matches ${re}`);
  return i + 1;
}
function describeStepText(r: Run, n: number, rec: Run['records'][number]) {
  return narrate(r.model, rec, r.states[n + 1]!);
}

describe('step by step', () => {
  it('del-while-open, before: DEL clears vgpu->kvm under group_rwsem (write) and queues release_work; W oopses on it', () => {
    const r = runScenario(builtin('del-while-open')!, { era: 'before' });
    const cb = at(r, /^KV: GVT's SET_KVM callback sets D's vgpu->kvm := NULL/);
    const v = describeState(r.model, r.states[cb]!);
    expect(v.groups[0]!.rwsem.owners).toEqual([{ thread: 'KV', mode: 'write' }]);
    expect(v.devices[0]!.driver.kvm).toEqual({ vm: null, health: 'null' });
    expect(v.devices[0]!.driver.ref).toBe(true);
    expect(v.workqueue).toEqual(['D']);
    const oops = r.violations[0]!;
    expect(oops).toMatchObject({ kind: 'null-deref', thread: 'W', at: '__intel_vgpu_release' });
    const w = describeState(r.model, r.states[oops.step]!).threads.find((t) => t.id === 'W')!;
    expect(w.status).toBe('crashed');
    expect(w.stack.at(-1)!.line).toMatch(/kvm_page_track_unregister_notifier\(vgpu\.kvm/);
    // Q's later close finds released = 1 and returns early: GVT's reference is never put.
    expect(r.trace.final.vms.K).toEqual({ users: 2, state: 'alive' });
  });

  it('happy-path, after: device->kvm is captured under group_rwsem (read) on the first open and cleared at the last close', () => {
    const r = runScenario(builtin('happy-path')!, { era: 'after' });
    const cap = at(r, /copies G->kvm into D->kvm = K/);
    const v = describeState(r.model, r.states[cap]!);
    expect(v.devices[0]!).toMatchObject({
      openCount: 1,
      lifecycle: 'opening',
      kvm: { vm: 'K', health: 'live', exists: true },
    });
    expect(v.groups[0]!.rwsem.owners).toEqual([{ thread: 'Q', mode: 'read' }]);
    expect(v.devices[0]!.devSet.owners).toEqual([{ thread: 'Q', mode: 'mutex' }]);
    const get = at(r, /GVT takes its own reference/);
    expect(describeState(r.model, r.states[get]!).vms[0]!.users).toBe(2);
    const dec = at(r, /D\.open_count is now 0/);
    expect(describeState(r.model, r.states[dec]!).devices[0]!.kvm.vm).toBeNull();
  });

  it('last-ref-deadlock, after: Q waits for group_rwsem (write) while it holds it for read', () => {
    const r = runScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    const d = r.violations.find((v) => v.kind === 'deadlock')!;
    expect(d).toMatchObject({ thread: 'Q', at: 'vfio_file_set_kvm', step: r.records.length });
    const q = describeState(r.model, r.states[d.step]!).threads.find((t) => t.id === 'Q')!;
    expect(q.status).toBe('blocked');
    expect(q.reason).toBe('waits for G.group_rwsem (write): Q holds it for read');
    expect(q.stack.map((f) => f.fn)).toEqual([
      'vfio_device_fops_release',
      'intel_vgpu_close_device',
      'kvm_destroy_vm',
      'kvm_vfio_destroy',
      'vfio_file_set_kvm',
    ]);
    expect(r.trace.final.threads.Q).toEqual({ state: 'blocked', on: 'G.group_rwsem (write)' });
  });

  it('gvt-ref-leak, after: the leaked reference is held by V2, which is closed', () => {
    const r = runScenario(builtin('gvt-ref-leak')!, { era: 'after' });
    const leak = r.violations.find((v) => v.kind === 'refcount-leak')!;
    expect(leak).toMatchObject({ vm: 'K', thread: 'X' });
    expect(leak.detail).toMatch(/gvt:V2/);
    expect(r.trace.final.devices.V2).toEqual({ openCount: 0, kvm: null, driverKvm: null, driverRef: true });
  });

  it('second-opener, after: the second open neither re-reads group->kvm nor calls the driver', () => {
    const r = runScenario(builtin('second-opener')!, { era: 'after' });
    const second = r.records.findIndex((rec) => rec.opStart === 3);
    const done = r.records.findIndex((rec) => rec.opDone?.step === 3);
    const slice = r.records
      .slice(second, done + 1)
      .map((rec, i) => narrate(r.model, rec, r.states[second + i + 1]!));
    expect(slice.some((t) => /copies G->kvm/.test(t))).toBe(false);
    expect(slice.some((t) => /calls the driver's open_device/.test(t))).toBe(false);
    const v = describeState(r.model, r.states[done + 1]!);
    expect(v.devices[0]!).toMatchObject({ openCount: 2, kvm: { vm: 'K' } });
    expect(v.groups[0]!.kvm.vm).toBeNull();
  });

  it("open-before-add, before: vfio-ap is configured later, by KV's ADD, under group_rwsem (write)", () => {
    const r = runScenario(builtin('open-before-add')!, { era: 'before' });
    const set = at(r, /^KV: vfio-ap takes its reference/);
    const v = describeState(r.model, r.states[set]!);
    expect(v.groups.find((g) => g.id === 'G2')!.rwsem.owners).toEqual([{ thread: 'KV', mode: 'write' }]);
    expect(v.devices.find((d) => d.id === 'A')!.driver).toMatchObject({ ref: true, kvm: { vm: 'K' } });
  });

  it('ap-del-while-open resets the AP queues at DEL before the patch and at close after it', () => {
    for (const [era, who] of [
      ['before', 'KV'],
      ['after', 'Q'],
    ] as const) {
      const r = runScenario(builtin('ap-del-while-open')!, { era });
      const reset = at(r, /resets A's AP queues/);
      expect(r.records[reset - 1]!.thread).toBe(who);
    }
  });

  it('fixed: the core holds its own reference from first open to last close', () => {
    const r = runScenario(builtin('happy-path')!, { era: 'fixed' });
    const open = r.records.findIndex((rec) => rec.opDone?.step === 1);
    expect(describeState(r.model, r.states[open + 1]!).vms[0]!.holders.map((h) => h.holder)).toEqual([
      'core:D',
      'fds',
      'gvt:D',
    ]);
  });
});
