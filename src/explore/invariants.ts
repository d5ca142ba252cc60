/**
 * The guarantees the patch (421cfe6596f6) introduced, as checks on every
 * transition (docs/kernel-reference.md, "The patch's guarantees").
 * They are not the trace format (README) violation kinds (nothing crashes or leaks when they
 * break); the exploration marks them `invariant: true`. The notifier eras
 * (`v5.18`, `before`) have no device->kvm, so there the checks read the
 * driver's own pointer (GVT `vgpu->kvm`, vfio-ap `matrix_mdev->kvm`, zdev's):
 * that is what shows the notifier design breaking the guarantees the patch
 * introduced.
 *
 * | kind | breaks when |
 * |---|---|
 * | `driver-kvm-changed-while-open` | a step changes the VM the open device is bound to (device->kvm; the driver's pointer before the patch) while the device stays open (lifecycle `open`, between the first open's end and the last close's start) |
 * | `group-kvm-changed-during-driver-call` | a step changes `G->kvm` while some thread is inside the driver's `open_device` or `close_device` of a device of G |
 * | `required-driver-open-without-vm` | a step leaves a device whose driver requires a VM (GVT, vfio-ap) open (lifecycle `open`) while the driver's pointer is NULL |
 *
 * Each is reported on the transition that breaks it (for the last one: the
 * transition into the bad state), so the search's shortest schedule ends
 * exactly where it first shows.
 */
import type { KState, Model, ThreadSnap, Variant } from '../model/index.ts';
import type { Snap } from './codec.ts';
import type { DeviceCtx } from '../model/machines/vfioDevice.ts';
import type { GroupCtx } from '../model/machines/vfioGroup.ts';
import type { Finding } from './system.ts';

export const INVARIANT_KINDS = [
  'driver-kvm-changed-while-open',
  'group-kvm-changed-during-driver-call',
  'required-driver-open-without-vm',
] as const;
export type InvariantKind = (typeof INVARIANT_KINDS)[number];

/** One sentence per kind, for the summary and the README. */
export const INVARIANT_DESCRIPTIONS: Record<InvariantKind, string> = {
  'driver-kvm-changed-while-open':
    "the VM an open device is bound to (device->kvm; before the patch the driver's own pointer) changes while the device stays open",
  'group-kvm-changed-during-driver-call':
    "G->kvm changes while a thread is inside the driver's open_device or close_device for a device of G",
  'required-driver-open-without-vm':
    'a device whose driver requires a VM (gvt, vfio-ap) is open while the driver has no VM',
};

/**
 * Guarantees a design deliberately gave up: not checked in the eras that gave
 * them up, and why (shown with the exploration).
 */
export const RELAXED: Partial<Record<InvariantKind, { when: (v: Variant) => boolean; why: string }>> = {
  'group-kvm-changed-during-driver-call': {
    when: (v) => v.capture === 'safe' || v.capture === 'core-get',
    why: 'the VFIO core holds its own counted reference in device->kvm (patch v1: kvm_get_kvm under group_rwsem; 2b48f52f2bff: kvm_get_kvm_safe under kvm_ref_lock, no longer under group_lock), so group->kvm may change while a driver runs: the driver uses device->kvm, which cannot go away under it',
  },
};

/** The guarantees not checked in an era, with the reason. */
export function relaxedIn(v: Variant): { kind: InvariantKind; why: string }[] {
  return INVARIANT_KINDS.flatMap((kind) => {
    const r = RELAXED[kind];
    return r && r.when(v) ? [{ kind, why: r.why }] : [];
  });
}

export function isInvariantKind(k: string): k is InvariantKind {
  return (INVARIANT_KINDS as readonly string[]).includes(k);
}

interface DeviceSlots {
  id: string;
  group: string;
  driver: string;
  requiresKvm: boolean;
  device: number;
  drv: number;
  driverKvm: (drvCtx: unknown, dev: DeviceCtx) => string | null;
}

/** How the checks read a state: the vector (search) or the KState (tests) give the same answers. */
export interface StateAccess<S> {
  /** A comparable identity of slot i's snapshot (equal ids, equal snapshots). */
  slotId(s: S, i: number): number;
  slot(s: S, i: number): Snap;
  thread(s: S, j: number): ThreadSnap;
}

export const kstateAccess: StateAccess<KState> = {
  slotId: (s, i) => s.o[i]!.id,
  slot: (s, i) => s.o[i]!,
  thread: (s, j) => s.t[j]!,
};

/** What a transition check needs: (state before, state after, thread that moved, where it ran). */
export type InvariantCheck<S> = (pre: S, post: S, ti: number, at: string) => readonly Finding[];

/** Build the checks for one compiled model (slot indices and function ids resolved once). */
export function invariantChecks<S>(m: Model, access: StateAccess<S>): InvariantCheck<S> {
  const { slotId, slot, thread: threadOf } = access;
  const hasDeviceKvm = m.v.capture !== 'none';
  const devices: DeviceSlots[] = m.devices.map((d) => {
    const impl = m.drivers.get(d.id)!;
    return {
      id: d.id,
      group: d.group,
      driver: impl.name,
      requiresKvm: impl.requiresKvm,
      device: m.slotIndex.get(`device:${d.id}`)!,
      drv: m.slotIndex.get(`driver:${d.id}`)!,
      driverKvm: (c, dev) => impl.driverKvm(c as never, dev, m.v),
    };
  });
  /** Driver open/close function ids and names. */
  const driverCallFns = new Map<number, string>();
  for (const d of m.devices) {
    for (const hook of ['open_device', 'close_device'] as const) {
      const name = m.driverFn(d.id, hook);
      if (name !== null) driverCallFns.set(m.fnId.get(name)!, name);
    }
  }
  const groups = m.groups.map((g) => ({
    id: g,
    slot: m.slotIndex.get(`group:${g}`)!,
    devices: new Set(m.devices.filter((d) => d.group === g).map((d) => d.id)),
  }));
  const threadIds = m.threads.map((t) => t.id);
  const relaxed = new Set(relaxedIn(m.v).map((r) => r.kind));

  const boundVm = (s: S, d: DeviceSlots): string | null => {
    const dev = slot(s, d.device).ctx as DeviceCtx;
    return hasDeviceKvm ? dev.kvm : d.driverKvm(slot(s, d.drv).ctx, dev);
  };
  const openWithoutVm = (s: S, d: DeviceSlots): boolean => {
    const dev = slot(s, d.device);
    return dev.value === 'open' && d.driverKvm(slot(s, d.drv).ctx, dev.ctx as DeviceCtx) === null;
  };

  /** The driver function (and device) of a group that a thread snapshot is inside, if any. */
  const insideDriverCall = (ts: ThreadSnap, devs: ReadonlySet<string>): { fn: string; d: string } | null => {
    for (const f of ts.frames) {
      const name = driverCallFns.get(f.fn);
      if (name !== undefined && typeof f.l.d === 'string' && devs.has(f.l.d)) return { fn: name, d: f.l.d };
    }
    return null;
  };

  return (pre, post, ti, at) => {
    // Most transitions break nothing: the list is made on the first finding.
    let out: Finding[] | null = null;
    const thread = threadIds[ti]!;
    for (const d of devices) {
      if (slotId(pre, d.device) === slotId(post, d.device) && slotId(pre, d.drv) === slotId(post, d.drv))
        continue;
      if (slot(pre, d.device).value === 'open' && slot(post, d.device).value === 'open') {
        const a = boundVm(pre, d);
        const b = boundVm(post, d);
        if (a !== b) {
          const what = hasDeviceKvm ? `${d.id}->kvm` : `${d.driver}'s own KVM pointer for ${d.id}`;
          (out ??= []).push({
            kind: 'driver-kvm-changed-while-open',
            invariant: true,
            thread,
            at,
            ...((a ?? b) ? { vm: (a ?? b)! } : {}),
            detail: `${what} changes from ${a ?? 'NULL'} to ${b ?? 'NULL'} while ${d.id} is open`,
          });
        }
      }
      if (d.requiresKvm && openWithoutVm(post, d) && !openWithoutVm(pre, d)) {
        (out ??= []).push({
          kind: 'required-driver-open-without-vm',
          invariant: true,
          thread,
          at,
          detail: `${d.id} is open but its driver (${d.driver}, which requires a VM) has no VM: its KVM pointer is NULL`,
        });
      }
    }
    for (const g of groups) {
      if (relaxed.has('group-kvm-changed-during-driver-call')) break;
      if (slotId(pre, g.slot) === slotId(post, g.slot)) continue;
      const a = (slot(pre, g.slot).ctx as GroupCtx).kvm;
      const b = (slot(post, g.slot).ctx as GroupCtx).kvm;
      if (a === b) continue;
      for (let i = 0; i < threadIds.length; i++) {
        const inside =
          insideDriverCall(threadOf(pre, i), g.devices) ??
          (i === ti ? insideDriverCall(threadOf(post, i), g.devices) : null);
        if (!inside) continue;
        (out ??= []).push({
          kind: 'group-kvm-changed-during-driver-call',
          invariant: true,
          thread,
          at,
          ...((a ?? b) ? { vm: (a ?? b)! } : {}),
          detail: `${g.id}->kvm changes from ${a ?? 'NULL'} to ${b ?? 'NULL'} (by ${thread}) while ${threadIds[i]} is inside ${inside.fn}(${inside.d})`,
        });
        break;
      }
    }
    return out ?? NONE;
  };
}

const NONE: readonly Finding[] = Object.freeze([]);
