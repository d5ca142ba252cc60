/**
 * Every built-in scenario, in every era, run in the default order: the
 * errnos, the VMs' users_count and state, and the violation kinds. Keys are
 * eras or ranges of eras in history order (as in scenario files). Race
 * scenarios run clean in the default order here; their bad interleavings are
 * the explorer's tests (src/explore/bugs.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ERA_IDS, type EraId } from './era.ts';
import { runScenario, type Run } from './run.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { describeState } from './view.ts';
import type { ViolationKind } from './types.ts';
import { narrate } from './narrate.ts';
import { explanationFor, parseEraKey } from './scenario.ts';

type Expect = { results: (string | number)[]; kinds: ViolationKind[]; vms: Record<string, string> };

const E: Record<string, Record<string, Expect>> = {
  'happy-path': {
    'v5.18..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'open-before-add': {
    'v5.18..before': { results: ['-ESRCH', 0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
    'v1..v2': { results: ['-ESRCH', '-EPERM', 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'after..v6.6': { results: ['-ESRCH', '-EINVAL', 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
  },
  'del-while-open': {
    'v5.18': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'gvt-rework..before': { results: [0, 0, 0, 'crashed', 0], kinds: ['null-deref'], vms: { K: 'alive/2' } },
    'v1..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
  },
  'del-then-add-other-vm': {
    'v5.18': { results: [0, 0, 0, 0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0', K2: 'freed/0' } },
    'gvt-rework..before': {
      results: [0, 0, 0, 0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free', 'refcount-leak'],
      vms: { K: 'alive/1', K2: 'freed/0' },
    },
    'v1..v6.6': { results: [0, 0, 0, 0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0', K2: 'freed/0' } },
  },
  'open-vs-teardown-race': {
    'v5.18..release-fix': { results: [0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'fixed..v6.6': { results: [0, 0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
  },
  'two-mdevs-same-vm': {
    'v5.18..before': { results: [0, 0, 0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'alive/3' } },
    v1: { results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'], kinds: [], vms: { K: 'alive/4' } },
    v2: { results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'], kinds: [], vms: { K: 'alive/6' } },
    'after..group-mutex': {
      results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'],
      kinds: [],
      vms: { K: 'alive/4' },
    },
    'gvt-fix..release-fix': {
      results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'],
      kinds: [],
      vms: { K: 'alive/3' },
    },
    'fixed..v6.6': { results: [0, 0, 0, 0, 0, '-EEXIST', 0, '-EPERM'], kinds: [], vms: { K: 'alive/5' } },
  },
  'ap-del-while-open': {
    'v5.18..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'second-opener': {
    'v5.18': { results: [0, 0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'gvt-rework..before': {
      results: [0, 0, 0, 0, 0, 'crashed'],
      kinds: ['null-deref'],
      vms: { K: 'alive/2' },
    },
    'v1..v6.6': { results: [0, 0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
  },
  'open-error-unwind': {
    'v5.18..before': { results: [0, 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
    'v1..v2': { results: ['-EPERM', 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
    'after..v6.6': { results: ['-EINVAL', 0, '-ENOMEM', 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'gvt-ref-leak': {
    'v5.18..v1': { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'freed/0' } },
    'v2..group-mutex': {
      results: [0, 0, 0, '-EEXIST', 0, 0],
      kinds: ['refcount-leak'],
      vms: { K: 'alive/1' },
    },
    'gvt-fix..v6.6': { results: [0, 0, 0, '-EEXIST', 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'last-ref-deadlock': {
    'v5.18..before': { results: [0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
    'v1..group-c': { results: [0, 0, 0, 'blocked'], kinds: ['deadlock'], vms: { K: 'destroying/0' } },
    'release-fix..v6.6': { results: [0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'recursive-rlock': {
    'v5.18..release-fix': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
    'fixed..v6.6': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/3' } },
  },
  'set-kvm-races-open': {
    'v5.18': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1', K2: 'freed/0' } },
    'gvt-rework..before': {
      results: [0, 0, 0, 0, 'crashed'],
      kinds: ['unbalanced-put', 'use-after-free'],
      vms: { K: 'alive/2', K2: 'freed/0' },
    },
    'v1..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1', K2: 'freed/0' } },
  },
  'kvm-add-del-race': {
    'v5.18..v6.6': { results: [0, 0, 0, '-ESRCH'], kinds: [], vms: { K: 'freed/0' } },
  },
  'del-after-open': {
    'v5.18': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'gvt-rework..before': { results: [0, 0, 0, 'crashed', 0], kinds: ['null-deref'], vms: { K: 'alive/2' } },
    'v1..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
  },
  'ap-last-put': {
    'v5.18..before': { results: [0, 0, 0, 'crashed'], kinds: ['use-after-free'], vms: { K: 'freed/0' } },
    'v1..group-c': { results: [0, 0, 0, 'blocked'], kinds: ['deadlock'], vms: { K: 'destroying/0' } },
    'release-fix': { results: [0, 0, 0, 'crashed'], kinds: ['use-after-free'], vms: { K: 'freed/0' } },
    'fixed..v6.6': { results: [0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
  'ap-open-vs-vm-close': {
    'v5.18..before': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'v1..v2': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
    'after..release-fix': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/1' } },
    'fixed..v6.6': { results: [0, 0, 0], kinds: [], vms: { K: 'alive/2' } },
  },
  'ap-del-then-last-put': {
    'v5.18..v2': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
    'after..release-fix': {
      results: [0, 0, 0, 0, 'crashed'],
      kinds: ['use-after-free'],
      vms: { K: 'freed/0' },
    },
    'fixed..v6.6': { results: [0, 0, 0, 0, 0], kinds: [], vms: { K: 'freed/0' } },
  },
};

function expectation(id: string, era: EraId): Expect | undefined {
  for (const [k, e] of Object.entries(E[id] ?? {})) if (parseEraKey(k)?.includes(era)) return e;
  return undefined;
}

describe.each(BUILTINS.map((s) => s.id))('%s', (id) => {
  it.each([...ERA_IDS])('in %s gives its outcome', (era) => {
    const exp = expectation(id, era);
    expect(exp, `no expectation for ${id} in ${era}`).toBeDefined();
    const r = runScenario(builtin(id)!, { era });
    expect(r.trace.steps.map((s) => (s.status === 'done' ? s.result : s.status))).toEqual(exp!.results);
    expect([...new Set(r.violations.map((v) => v.kind))].sort()).toEqual([...exp!.kinds].sort());
    for (const [k, want] of Object.entries(exp!.vms)) {
      const v = r.trace.final.vms[k]!;
      expect(`${v.state}/${v.users}`, `VM ${k}`).toBe(want);
    }
    // Invariants that hold in every run: users_count never negative; every op has a status.
    for (const s of r.states)
      for (const vm of describeState(r.model, s).vms) expect(vm.users).toBeGreaterThanOrEqual(0);
    expect(r.trace.steps).toHaveLength(builtin(id)!.steps.length);
  });
  it('explains what it shows in every era', () => {
    for (const era of ERA_IDS) expect(explanationFor(builtin(id)!, era), era).toBeTruthy();
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
    const cb = at(r, /^KV: GVT's SET_KVM callback sets D's vgpu->kvm = NULL/);
    const v = describeState(r.model, r.states[cb]!);
    expect(v.groups[0]!.rwsem.owners).toEqual([{ thread: 'KV', mode: 'write' }]);
    expect(v.devices[0]!.driver.kvm).toEqual({ vm: null, health: 'null' });
    expect(v.devices[0]!.driver.ref).toBe(true);
    expect(v.workqueue).toEqual(['D']);
    const oops = r.violations[0]!;
    expect(oops).toMatchObject({ kind: 'null-deref', thread: 'W', at: '__intel_vgpu_release' });
    const w = describeState(r.model, r.states[oops.step]!).threads.find((t) => t.id === 'W')!;
    expect(w.status).toBe('crashed');
    expect(w.stack.at(-1)!.line).toMatch(/kvm_page_track_unregister_notifier\(vgpu->kvm/);
    expect(w.stack.map((f) => f.fn)).toEqual([
      'worker_thread',
      'process_one_work',
      'intel_vgpu_release_work',
      '__intel_vgpu_release',
    ]);
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
    const get = at(r, /kvm_get_kvm\(K\) for gvt:D/);
    expect(describeState(r.model, r.states[get]!).vms[0]!.users).toBe(2);
    const dec = at(r, /D's open_count is now 0/);
    expect(describeState(r.model, r.states[dec]!).devices[0]!.kvm.vm).toBeNull();
  });

  it('last-ref-deadlock, after: Q waits for group_rwsem (write) while it holds it for read', () => {
    const r = runScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    const d = r.violations.find((v) => v.kind === 'deadlock')!;
    expect(d).toMatchObject({ thread: 'Q', at: 'vfio_file_set_kvm', step: r.records.length });
    const q = describeState(r.model, r.states[d.step]!).threads.find((t) => t.id === 'Q')!;
    expect(q.status).toBe('blocked');
    expect(q.reason).toBe('waits for G.group_rwsem (write): Q holds it for read');
    // The chain of Alex Williamson's report (5 Jan 2023), outermost first.
    expect(q.stack.map((f) => f.fn)).toEqual([
      '__fput',
      'vfio_device_fops_release',
      'intel_vgpu_close_device',
      'kvm_put_kvm',
      'kvm_destroy_vm',
      'kvm_destroy_devices',
      'kvm_vfio_destroy',
      'kvm_vfio_file_set_kvm',
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
    const set = at(r, /^KV: A's matrix_mdev->kvm = K/);
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
