/**
 * Each kind of kernel report: the kernel's opening line and sections in
 * order, every line within 75 columns, and a snapshot reviewed against a
 * real report of that kind (named beside each snapshot).
 */
import { describe, expect, it } from 'vitest';
import { validateLocks } from '../model/lockdep.ts';
import { runReports, violationReport, lockdepReport, interleavingSoFar, type ReportItem } from './index.ts';
import {
  OPEN_VS_DEL_AND_CLOSE,
  builtinRun,
  counterexampleRun,
  expectInOrder,
  expectPasteable,
  handMadeRun,
  lock,
  scenario,
  unlock,
} from './testing.ts';
import { builtin } from '../scenarios/index.ts';
import { runScenario, type Run } from '../model/index.ts';

function only(run: Run, kind: ReportItem['kind']): ReportItem {
  const items = runReports(run).filter((x) => x.kind === kind);
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

const AP = scenario({
  schema: 'vfio-kvm-scenario/1',
  id: 'ap-open-then-vm-close',
  title: 'vfio-ap open, then the VM closes',
  era: 'release-fix',
  vms: ['K'],
  devices: [{ id: 'A', driver: 'vfio-ap', group: 'G' }],
  steps: [
    { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
    { thread: 'Q', op: 'open_device', device: 'A' },
    { thread: 'X', op: 'close_vm', vm: 'K' },
  ],
});

describe('WARNING: possible circular locking dependency detected', () => {
  it('51cdc8bc120e: vfio-ap open, then the VM closes, one after the other; the warning though nothing deadlocked', async () => {
    const run = builtinRun('ap-open-vs-vm-close', 'release-fix');
    expect(run.violations.filter((v) => v.kind === 'deadlock')).toEqual([]);
    const it = only(run, 'lockdep-circular');
    expect(it.lockdep).toMatchObject({ kind: 'circular' });
    expect(it.lockdep!.chain.slice(0, 2)).toEqual(['&kvm->lock', '&group->group_lock']);
    expect(it.text.split('\n')[1]).toBe('WARNING: possible circular locking dependency detected');
    expectInOrder(it.text, [
      /^=+$/m,
      'WARNING: possible circular locking dependency detected',
      'era release-fix (51cdc8bc120e)',
      'X is trying to acquire lock:',
      '(&group->group_lock){+.+.}, at: vfio_file_set_kvm',
      'but task is already holding lock:',
      '(&kvm->lock){+.+.}, at: kvm_device_release',
      'which lock already depends on the new lock.',
      'the existing dependency chain (in reverse order) is:',
      /-> #\d \(&kvm->lock\)\{\+\.\+\.\}:/,
      '       mutex_lock kernel/locking/mutex.c',
      '       vfio_ap_mdev_set_kvm',
      '       vfio_ap_mdev_open_device',
      '-> #0 (&group->group_lock){+.+.}:',
      '       vfio_file_set_kvm',
      '       kvm_vfio_release',
      '       kvm_device_release',
      'other info that might help us debug this:',
      'Chain exists of:',
      '  &group->group_lock --> ',
      ' --> &kvm->lock',
      ' Possible unsafe locking scenario:',
      '       CPU0                    CPU1',
      '  lock(&kvm->lock);',
      '                               lock(',
      '                               lock(&kvm->lock);',
      '  lock(&group->group_lock);',
      ' *** DEADLOCK ***',
      '1 lock held by X:',
      ' #0: (&kvm->lock){+.+.}, at: kvm_device_release',
      'stack backtrace:',
      'Call Trace:',
      ' <TASK>',
      ' mutex_lock kernel/locking/mutex.c',
      ' vfio_file_set_kvm',
      ' </TASK>',
    ]);
    expectPasteable(it.text);
    expectPasteable(it.diagram.text);
    expect(it.diagram.threads).toEqual(['Q', 'X']);
    // Compared with syzbot's <00000000000009ff2e061ce633d7@google.com> (rtnl_mutex vs
    // &smc->clcsock_release_lock, v6.10-rc6): same sections, the chain with the stack of each
    // link, "Chain exists of", the scenario table; addresses, offsets, wait types and pids left out.
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot(
      '__snapshots__/lockdep-circular.txt',
    );
  });

  it('in fixed, the same run warns of nothing', () => {
    expect(runScenario(AP, { era: 'fixed' }).trace.lockdep).toBeNull();
    expect(runScenario(AP, { era: 'release-fix' }).trace.lockdep?.kind).toBe('circular');
  });

  it('a direct inversion of two classes: the table alone, no "Chain exists of" (hand-made lock sequence)', () => {
    const GL = 'lock:group_lock:G';
    const KL = 'lock:kvm:K';
    const open = ['vfio_device_group_open'];
    const setKvm = [...open, 'vfio_ap_mdev_set_kvm'];
    const release = ['kvm_device_release'];
    const run = handMadeRun(AP, 'release-fix', [
      { thread: 'Q', stack: open, locks: [lock(GL)] },
      { thread: 'Q', stack: setKvm, locks: [lock(KL)] },
      { thread: 'Q', stack: setKvm, locks: [unlock(KL)] },
      { thread: 'Q', stack: open, locks: [unlock(GL)] },
      { thread: 'X', stack: release, locks: [lock(KL)] },
      { thread: 'X', stack: [...release, 'vfio_file_set_kvm'], locks: [lock(GL)] },
    ]);
    const w = validateLocks(run.records)!;
    expect(w.chain).toEqual(['&kvm->lock', '&group->group_lock']);
    expect(w.steps).toEqual([2, 6]);
    const text = lockdepReport(run, w).text;
    expectInOrder(text, [
      '-> #1 (&kvm->lock){+.+.}:',
      '       vfio_ap_mdev_set_kvm',
      '-> #0 (&group->group_lock){+.+.}:',
      ' Possible unsafe locking scenario:',
      '  lock(&kvm->lock);',
      '                               lock(&group->group_lock);',
      '                               lock(&kvm->lock);',
      '  lock(&group->group_lock);',
    ]);
    expect(text).not.toContain('Chain exists of:');
    expectPasteable(text);
  });
});

describe('WARNING: possible recursive locking detected', () => {
  it('the last-reference deadlock in after: group_rwsem for write under its own read lock', async () => {
    const it = only(builtinRun('last-ref-deadlock', 'after'), 'lockdep-recursive');
    expect(it.text.split('\n')[1]).toBe('WARNING: possible recursive locking detected');
    expectInOrder(it.text, [
      'WARNING: possible recursive locking detected',
      'Q is trying to acquire lock:',
      '(&group->group_rwsem){++++}, at: vfio_file_set_kvm',
      'but task is already holding lock:',
      '(&group->group_rwsem){++++}, at: vfio_device_fops_release',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '       CPU0',
      '  lock(&group->group_rwsem);',
      '  lock(&group->group_rwsem);',
      ' *** DEADLOCK ***',
      ' May be due to missing lock nesting notation',
      '2 locks held by Q:',
      'stack backtrace:',
      'Call Trace:',
      ' down_write kernel/locking/rwsem.c',
      ' vfio_file_set_kvm',
    ]);
    expectPasteable(it.text);
    // Compared with syzbot's <00000000000080c88305d300e67f@google.com> (&wqe->lock, v5.16-rc4).
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot(
      '__snapshots__/lockdep-recursive.txt',
    );
  });
});

describe('INFO: task … blocked for more than 120 seconds.', () => {
  it("the last-reference deadlock in after: the call chain of Alex Williamson's report and 51cdc8bc120e, innermost first", async () => {
    const it = only(builtinRun('last-ref-deadlock', 'after'), 'hung-task');
    expect(it.text.split('\n')[0]).toBe('INFO: task Q blocked for more than 120 seconds.');
    expectInOrder(it.text, [
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      'task:Q               state:D',
      'Call Trace:',
      ' <TASK>',
      ' down_write kernel/locking/rwsem.c',
      ' vfio_file_set_kvm drivers/vfio/vfio.c',
      ' kvm_vfio_file_set_kvm virt/kvm/vfio.c',
      ' kvm_vfio_destroy virt/kvm/vfio.c',
      ' kvm_destroy_devices virt/kvm/kvm_main.c',
      ' kvm_destroy_vm virt/kvm/kvm_main.c',
      ' kvm_put_kvm virt/kvm/kvm_main.c',
      ' intel_vgpu_close_device drivers/gpu/drm/i915/gvt/kvmgt.c',
      ' vfio_device_fops_release drivers/vfio/vfio.c',
      ' </TASK>',
      'Showing all locks held in the system:',
      '3 locks held by Q:',
      ' #1: (&group->group_rwsem){++++}, at: vfio_device_fops_release',
      ' #2: (&group->group_rwsem){++++}, at: vfio_file_set_kvm',
    ]);
    expectPasteable(it.text);
    // Compared with the hung task in <20210809032809.1224002-1-acelan.kao@canonical.com>
    // (rtnl_lock taken twice, v5.12-rc3): the same lines, and mutex_lock on top of the caller.
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot('__snapshots__/hung-task.txt');
  });
});

describe('BUG: KASAN: use-after-free', () => {
  it("be8d3adae65c's race in v5.18: the stale VM dereferenced by GVT's open, freed by the VM's close", async () => {
    const run = counterexampleRun(OPEN_VS_DEL_AND_CLOSE, 'v5.18', 'use-after-free');
    const it = only(run, 'kasan');
    expectInOrder(it.text, [
      /^=+$/m,
      'BUG: KASAN: use-after-free in kvmgt_guest_init',
      'Read of struct kvm K by task CPU1',
      'Call Trace:',
      ' kvmgt_guest_init drivers/gpu/drm/i915/gvt/kvmgt.c',
      ' intel_vgpu_open_device drivers/gpu/drm/i915/gvt/kvmgt.c',
      ' vfio_group_get_device_fd drivers/vfio/vfio.c',
      'Freed by task CPU2:',
      ' kvm_destroy_vm virt/kvm/kvm_main.c',
      ' kvm_put_kvm virt/kvm/kvm_main.c',
      ' kvm_vm_release virt/kvm/kvm_main.c',
      /^=+$/m,
    ]);
    expectPasteable(it.text);
    // Compared with <0574dd3d-4272-fc93-50c0-ba2994e272ba@rbox.co> (use-after-free in kvm_xen_hypercall,
    // v6.1-rc1) for the opening lines and Call Trace, and syzbot's <0000000000007786a205bbe9a5d6@google.com>
    // for the "Freed by task" section.
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot('__snapshots__/kasan.txt');
  });
});

describe('BUG: kernel NULL pointer dereference', () => {
  it("del-while-open in before: GVT's release work dereferences the NULL vgpu->kvm", async () => {
    const it = only(builtinRun('del-while-open', 'before'), 'oops');
    expect(it.text.split('\n')[0]).toBe('BUG: kernel NULL pointer dereference, address: 0000000000000000');
    expectInOrder(it.text, [
      '#PF: supervisor read access in kernel mode',
      'Oops: 0000 [#1]',
      'Comm: W',
      'Workqueue: events intel_vgpu_release_work',
      'RIP: 0010:__intel_vgpu_release drivers/gpu/drm/i915/gvt/kvmgt.c',
      'Call Trace:',
      ' intel_vgpu_release_work',
      ' process_one_work kernel/workqueue.c',
      ' worker_thread kernel/workqueue.c',
      '---[ end trace 0000000000000000 ]---',
    ]);
    expectPasteable(it.text);
    // Compared with <20191003134958.8692-1-johan@kernel.org> (BUG line, RIP, Call Trace) and the
    // smc_llc_add_link_cont oops of v6.4-rc3 quoted on netdev (#PF lines, Oops, Workqueue line).
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot('__snapshots__/oops.txt');
  });
});

describe('refcount_t warnings', () => {
  it('addition on 0: kvm_get_kvm on a VM whose last reference is gone (after)', async () => {
    const run = counterexampleRun(builtin('last-ref-deadlock')!, 'after', 'get-from-zero');
    const it = only(run, 'refcount');
    expectInOrder(it.text, [
      '------------[ cut here ]------------',
      'refcount_t: addition on 0; use-after-free.',
      'WARNING: at lib/refcount.c:25 refcount_warn_saturate',
      'RIP: 0010:refcount_warn_saturate lib/refcount.c',
      'Call Trace:',
      ' kvm_get_kvm virt/kvm/kvm_main.c',
      ' intel_vgpu_open_device',
      '---[ end trace 0000000000000000 ]---',
    ]);
    expectPasteable(it.text);
    // Compared with the warning quoted in upstream commit 063bd3555954 ("net/mlx5: Fix cmd entry
    // refcount use after free" … "refcount_t: addition on 0; use-after-free." at lib/refcount.c:25).
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot(
      '__snapshots__/refcount-addition.txt',
    );
  });

  it('underflow: GVT puts a reference on K2 it never took (before)', async () => {
    const it = only(builtinRun('del-then-add-other-vm', 'before'), 'refcount');
    expectInOrder(it.text, [
      '------------[ cut here ]------------',
      'refcount_t: underflow; use-after-free.',
      'WARNING: at lib/refcount.c:28 refcount_warn_saturate',
      'Workqueue: events intel_vgpu_release_work',
      'Call Trace:',
      ' kvm_put_kvm virt/kvm/kvm_main.c',
      ' __intel_vgpu_release',
      '---[ end trace 0000000000000000 ]---',
      "Note: K2's users_count was 1 before this put",
    ]);
    expectPasteable(it.text);
    // Compared with the warning quoted in 17f46b803d4f ("nfs: fix UAF in direct writes"):
    // cut here, refcount_t line, WARNING at lib/refcount.c:28, Workqueue, RIP, Call Trace.
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot(
      '__snapshots__/refcount-underflow.txt',
    );
  });
});

describe('refcount-leak', () => {
  it('gvt-ref-leak in after: who still holds K, and where it was taken', async () => {
    const it = only(builtinRun('gvt-ref-leak', 'after'), 'leak');
    expect(it.text.split('\n')[0]).toBe('VM K is never destroyed: users_count 1');
    expectInOrder(it.text, [
      'References still held:',
      ' GVT, for vGPU V2: kvm_get_kvm by Q at micro-step',
      '   kvm_get_kvm virt/kvm/kvm_main.c',
      '   intel_vgpu_open_device drivers/gpu/drm/i915/gvt/kvmgt.c',
      '   vfio_device_open drivers/vfio/vfio.c',
    ]);
    expectPasteable(it.text);
    // The kernel prints nothing for a leaked VM; the layout follows a kmemleak report
    // ("unreferenced object … backtrace:"): who holds it, then the stack that took it.
    await expect(`${it.text}\n\n${it.diagram.text}\n`).toMatchFileSnapshot('__snapshots__/leak.txt');
  });
});

describe('the commit-message diagram', () => {
  it("v5.18's use-after-free drawn as be8d3adae65c's message draws it: same threads, calls and order", () => {
    const run = counterexampleRun(OPEN_VS_DEL_AND_CLOSE, 'v5.18', 'use-after-free');
    const d = violationReport(
      run,
      run.violations.find((v) => v.kind === 'use-after-free')!,
    ).diagram;
    expect(d.threads.slice().sort()).toEqual(['CPU1', 'CPU2']);
    const col = (t: string) => d.rows.filter((r) => r.thread === t).map((r) => r.text);
    const calls = (t: string) => d.rows.filter((r) => r.thread === t && r.kind !== 'do').map((r) => r.text);
    // be8d3adae65c, CPU1: ioctl(VFIO_GROUP_GET_DEVICE_FD) → vfio_group_get_device_fd → open_device()
    // → intel_vgpu_open_device() → vfio_register_notifier() → vfio_register_group_notifier() →
    // blocking_notifier_call_chain(…, group->kvm) … intel_vgpu_group_notifier() → vdev->kvm = data
    // … kvmgt_guest_init() → kvm_get_kvm(info->kvm) // UAF! (the first version of the series).
    expectInOrder(calls('CPU1').join('\n'), [
      'ioctl(VFIO_GROUP_GET_DEVICE_FD)',
      'vfio_group_get_device_fd()',
      'intel_vgpu_open_device()',
      'vfio_register_notifier()',
      'vfio_register_group_notifier()',
      'blocking_notifier_call_chain()',
      'intel_vgpu_group_notifier()',
      'kvmgt_guest_init()',
      '// use-after-free!',
    ]);
    expect(col('CPU1')).toContain('ret = device->ops->open_device(device)');
    // CPU2: ioctl(KVM_DEV_VFIO_GROUP_DEL) → set_kvm() → group->kvm = NULL; close() → kfree(kvm).
    expectInOrder(col('CPU2').join('\n'), [
      'ioctl(KVM_DEV_VFIO_GROUP_DEL)',
      'vfio_group_set_kvm()',
      'G->kvm = NULL',
      'close(VM, vCPU and KVM-VFIO fds)',
      'kvm_destroy_vm()',
      'kvm_arch_free_vm(kvm)',
    ]);
    // Across the columns, time going down: CPU1 reads group->kvm before CPU2 clears it; CPU2 frees
    // the VM before CPU1's callback stores it; the use comes last.
    const at = (t: string, text: string) => d.rows.findIndex((r) => r.thread === t && r.text.includes(text));
    expect(at('CPU2', 'ioctl(KVM_DEV_VFIO_GROUP_DEL)')).toBeLessThan(
      at('CPU1', 'ioctl(VFIO_GROUP_GET_DEVICE_FD)'),
    );
    expect(at('CPU1', 'group->kvm')).toBeGreaterThan(-1);
    expect(at('CPU1', 'group->kvm')).toBeLessThan(at('CPU2', 'G->kvm = NULL'));
    expect(at('CPU2', 'kvm_arch_free_vm(kvm)')).toBeLessThan(at('CPU1', 'vgpu(D)->kvm = K'));
    expect(at('CPU1', 'vgpu(D)->kvm = K')).toBeLessThan(at('CPU1', 'kvmgt_guest_init()'));
    expect(d.rows.at(-1)!.text).toBe('// use-after-free!');
    // One column per thread, headed by its name.
    const [head, rule] = d.text.split('\n');
    expect(head!.trim().split(/\s+/).slice().sort()).toEqual(['CPU1', 'CPU2']);
    expect(rule!.trim().split(/\s+/)).toEqual(['----', '----']);
    expectPasteable(d.text);
  });

  it('calls are indented under their callers; columns start where their header does', () => {
    const run = builtinRun('last-ref-deadlock', 'after');
    const d = only(run, 'hung-task').diagram;
    const lines = d.text.split('\n');
    const xCol = lines[0]!.indexOf('X');
    const qFrom = lines.findIndex((l) => l.startsWith('close(device fd)'));
    const row = (text: string) =>
      text.startsWith('close(VM') || text === 'task_work_run()'
        ? lines.find((l) => l.trimStart().startsWith(text))!
        : lines.slice(qFrom).find((l) => l.trimStart().startsWith(text))!;
    const indent = (text: string) => row(text).length - row(text).trimStart().length;
    const chain = [
      'close(device fd)',
      '__fput()',
      'vfio_device_fops_release()',
      'intel_vgpu_close_device()',
      'kvm_put_kvm()',
      'kvm_destroy_vm()',
      'kvm_destroy_devices()',
      'kvm_vfio_destroy()',
      'kvm_vfio_file_set_kvm()',
      'vfio_file_set_kvm()',
      'down_write(&G->group_rwsem) // sleeps',
    ];
    chain.forEach((text, depth) => expect(indent(text), text).toBe(depth));
    expect(indent('close(VM, vCPU and KVM-VFIO fds)')).toBe(xCol);
    expect(indent('task_work_run()')).toBe(xCol + 1);
  });

  it('leaves out the threads that do not touch what the finding involves', () => {
    const s = scenario({
      ...builtin('del-while-open')!,
      id: 'del-while-open-plus',
      vms: ['K', 'K9'],
      devices: [...builtin('del-while-open')!.devices, { id: 'E', driver: 'vfio-pci', group: 'H' }],
      steps: [
        ...builtin('del-while-open')!.steps.slice(0, 3),
        { thread: 'Z', op: 'kvm_add_group', vm: 'K9', group: 'H' },
        { thread: 'Z', op: 'open_device', device: 'E' },
        ...builtin('del-while-open')!.steps.slice(3),
      ],
    });
    const run = runReports(builtinRunOf(s));
    const oops = run.find((x) => x.kind === 'oops')!;
    expect(oops.diagram.threads).toEqual(['KV', 'W']);
    expect(oops.diagram.rows.some((r) => r.thread === 'Z')).toBe(false);
  });

  it('the interleaving so far: every thread from the first micro-step', () => {
    const run = builtinRun('del-while-open', 'before');
    const d = interleavingSoFar(run, 12);
    expect(d.from).toBe(1);
    expect(d.to).toBe(12);
    expect(new Set(d.rows.map((r) => r.step))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i + 1)));
    expectPasteable(d.text);
  });
});

function builtinRunOf(s: ReturnType<typeof scenario>): Run {
  return runScenario(s, { era: s.era });
}
