/**
 * Vocabulary shared by the whole model. Names follow the kernel where the
 * thing modelled has a kernel name (see docs/kernel-reference.md).
 */

/** An errno as the ioctl returns it, or 0. */
export type Errno =
  0 | '-EINVAL' | '-ESRCH' | '-EEXIST' | '-EPERM' | '-EBADF' | '-ENOENT' | '-ENOMEM' | '-ENODEV';

/** A value a kernel frame can hold in a local: ids (VM, group, device), errnos, counters. */
export type Value = string | number | boolean | null;

/** The violation kinds of the trace format (README). */
export const VIOLATION_KINDS = [
  'null-deref',
  'use-after-free',
  'get-from-zero',
  'unbalanced-put',
  'refcount-leak',
  'deadlock',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** Violations that stop the thread that hits them (an oops, or a KASAN report). */
export const CRASHING: ReadonlySet<ViolationKind> = new Set(['null-deref', 'use-after-free']);

export interface Violation {
  kind: ViolationKind;
  /** Thread that hit it (for refcount-leak: the thread that dropped the VM's fds). */
  thread: string;
  /** The kernel function where it happened. */
  at: string;
  /** Micro-step number (1-based) after which it is visible; the page's `step=`. */
  step: number;
  /** The VM concerned, when there is one. */
  vm?: string;
  /** One sentence a reviewer can read. */
  detail?: string;
}

/** Scenario ops (the scenario format (README)). */
export const OPS = [
  'kvm_add_group',
  'kvm_del_group',
  'open_device',
  'close_device',
  'close_vm',
  'run_work',
] as const;
export type OpName = (typeof OPS)[number];

export const DRIVERS = ['gvt', 'vfio-ap', 'vfio-pci'] as const;
export type DriverName = (typeof DRIVERS)[number];

/** The driver names scenario files may use: the built-ins, and any driver registered since (registerDriver). */
const driverNames = new Set<string>(DRIVERS);
export function isDriverName(x: string): x is DriverName {
  return driverNames.has(x);
}
export function knownDrivers(): readonly string[] {
  return [...driverNames];
}
/** Used by drivers/index.ts's registerDriver only. */
export function addDriverName(name: string): void {
  driverNames.add(name);
}
