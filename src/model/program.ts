/**
 * Kernel code paths as small programs.
 *
 * A function is a list of instructions, each carrying the pseudo-code line it
 * models (in the kernel's own primitives: `down_read(&group->group_rwsem)`,
 * `kvm_get_kvm(kvm)`, …). A thread runs one *micro-step* at a time: the local
 * instructions (pure control flow on its own frame) that lead to the next
 * visible instruction, that instruction, and the locals that follow it up to
 * the next visible one. Visible instructions are the atomic actions other
 * threads can observe: a lock acquire or release, a read or write of a shared
 * pointer, a get or put of the VM's reference count.
 *
 * Eras are expressed with `when`: one definition, compiled per era by
 * dropping the instructions that era does not have. Names, files and lines
 * may depend on the era too (a function was renamed, a file split).
 */
import type { EraId, Variant } from './era.ts';
import type { Value, ViolationKind } from './types.ts';
import type {
  DeviceEvent,
  DeviceKey,
  DeviceOut,
  DriverKey,
  GroupEvent,
  GroupKey,
  KvmEvent,
  KvmKey,
  KvmOut,
  KvmVfioEvent,
  KvmVfioKey,
  LockKey,
  SlotContexts,
  WorkqueueEvent,
  WorkqueueKey,
} from './slots.ts';
import type { LockCtx } from './slots.ts';

export type Locals = Readonly<Record<string, Value>>;

export interface Frame {
  readonly fn: number;
  readonly pc: number;
  readonly l: Locals;
  /** The caller's local that receives this frame's return value. */
  readonly into: string | null;
}

export type Flow =
  | void
  | undefined
  | { goto: string }
  | { call: string; args: Record<string, Value>; into?: string }
  | { ret: Value }
  | { block: LockKey };

/** A lock's mode as a thread holds or waits for it (`spin`: a spinlock; a waiter spins, modelled as waiting). */
export type LockMode = 'read' | 'write' | 'mutex' | 'spin';

/** An event of a driver's private machine (GVT's intel_vgpu, vfio-ap's matrix mdev, zdev). */
export type DriverEvent = { type: string; [k: string]: unknown };

/** What an instruction's `run` may do: implemented by the interpreter (step.ts). */
export interface Exec {
  readonly thread: string;
  readonly v: Variant;
  /** True for the first instruction a thread runs after being woken with a lock. */
  readonly waking: boolean;
  readonly l: Locals;
  set(name: string, value: Value): void;
  str(name: string): string;
  vmOrNull(name: string): string | null;
  /** Read an object's context by its slot key. */
  ctx(key: KvmKey): Readonly<SlotContexts['kvm']>;
  ctx(key: KvmVfioKey): Readonly<SlotContexts['kvm_vfio']>;
  ctx(key: GroupKey): Readonly<SlotContexts['group']>;
  ctx(key: DeviceKey): Readonly<SlotContexts['device']>;
  ctx(key: WorkqueueKey): Readonly<SlotContexts['workqueue']>;
  ctx(key: LockKey): Readonly<LockCtx>;
  ctx<C>(key: DriverKey): Readonly<C>;
  /** The object's lifecycle state (its XState state value). */
  state(key: KvmKey | KvmVfioKey | GroupKey | DeviceKey | DriverKey): string;
  /** Send an event to an object; returns what the machine reported. */
  send(key: KvmKey, event: KvmEvent): KvmOut | null;
  send(key: KvmVfioKey, event: KvmVfioEvent): null;
  send(key: GroupKey, event: GroupEvent): null;
  send(key: DeviceKey, event: DeviceEvent): DeviceOut | null;
  send(key: WorkqueueKey, event: WorkqueueEvent): { took?: string | null } | null;
  send(key: DriverKey, event: DriverEvent): null;
  /** Acquire a lock; false means the thread now waits. */
  acquire(lock: LockKey, mode: LockMode): boolean;
  release(lock: LockKey, mode: LockMode): void;
  /** A woken thread finds the lock handed to it: the acquisition completes now. */
  handed(lock: LockKey, mode: LockMode): void;
  holds(lock: LockKey, mode: LockMode): boolean;
  /** Report a violation; crashing kinds stop the thread. */
  fault(kind: ViolationKind, detail: string, vm?: string | null): void;
  readonly crashed: boolean;
  /** A change worth animating. */
  effect(e: Effect): void;
  readonly model: ModelInfo;
}

/** The static facts about the scenario that code paths need. */
export interface ModelInfo {
  readonly vms: readonly string[];
  readonly groups: readonly string[];
  readonly devices: readonly { id: string; driver: string; group: string }[];
  /** The function implementing a driver hook for a device, or null if the driver has none in this era. */
  driverFn(device: string, hook: DriverHook): string | null;
  /** The device's group. */
  groupOf(device: string): string;
}

export type DriverHook = 'open_device' | 'close_device' | 'group_notifier' | 'release_work';

/** Animation hints: where a KVM pointer or reference moved. */
export type Effect =
  | { kind: 'get'; vm: string; holder: string }
  | { kind: 'put'; vm: string; holder: string }
  | { kind: 'ptr'; from: string; to: string; vm: string | null };

/** A text that may depend on the era (a renamed function, a field of another struct). */
export type EraText = string | ((v: Variant) => string);

export interface Instr {
  /** The pseudo-code line, in the kernel's primitives. */
  line: EraText;
  label?: string;
  /** Visible micro-step (default) or local. May depend on the era. */
  step?: boolean | ((v: Variant) => boolean);
  /** The eras that have this line (default: all). */
  when?: (v: Variant) => boolean;
  run?: (x: Exec) => Flow;
  /** Sentence for the narration; default is derived from the line. */
  say?: (n: Say) => string;
  /**
   * The statement in the kernel source this line stands for, as a key of the
   * function's entry in the line table (src/model/sources): its line number
   * at an era's commit, where it was checked.
   */
  src?: string;
  /**
   * Why this line changed, by the era where it appeared or disappeared: the
   * id of a changelog entry of that era (era.ts `changes`), shown on the
   * `diff` hunk.
   */
  why?: Partial<Record<EraId, string>>;
  /** A jump target of the model only (no such label in the kernel): not listed. */
  hidden?: boolean;
}

/** What narration gets: the thread, its frame's locals after the step, and how the step ended. */
export interface Say {
  readonly t: string;
  readonly fn: string;
  readonly v: Variant;
  readonly l: Locals;
  readonly blocked: boolean;
  readonly woke: boolean;
  /** Resolve an object's context in the state after the step. */
  ctx<C>(key: string): Readonly<C>;
}

export interface FnDef {
  /** The kernel name; where it changed between eras, a function of the era. */
  name: EraText;
  /** How code paths call it (default: `name`, when that is a string). */
  key?: string;
  /** The eras that have this body; a key may have several bodies with disjoint `when`s. */
  when?: (v: Variant) => boolean;
  /** Kernel source file at the era's commit. */
  file: EraText;
  params: readonly string[];
  body: readonly Instr[];
  /** Why the function appeared or disappeared, by era (a changelog id of that era), for `diff`. */
  why?: Partial<Record<EraId, string>>;
  /** A declaration (a struct, a commit message): listed and diffed, never called. */
  decl?: boolean;
}

export interface CompiledInstr {
  readonly line: string;
  readonly label: string | null;
  readonly step: boolean;
  readonly run: ((x: Exec) => Flow) | null;
  readonly say: ((n: Say) => string) | null;
  readonly src: string | null;
  readonly why: Partial<Record<EraId, string>> | null;
}

export interface CompiledFn {
  readonly id: number;
  /** How code paths call it. */
  readonly key: string;
  /** The kernel name at this era. */
  readonly name: string;
  readonly file: string;
  readonly params: readonly string[];
  readonly instrs: readonly CompiledInstr[];
  readonly labels: ReadonlyMap<string, number>;
  readonly why: Partial<Record<EraId, string>> | null;
  readonly decl: boolean;
}

const registry = new Map<string, FnDef[]>();

function keyOf(def: FnDef): string {
  if (def.key) return def.key;
  if (typeof def.name !== 'string') throw new Error('a function whose name depends on the era needs a key');
  return def.name;
}

export const text = (t: EraText, v: Variant): string => (typeof t === 'string' ? t : t(v));

/** Register a kernel function body. */
export function defineFn(def: FnDef): FnDef {
  const key = keyOf(def);
  const list = registry.get(key) ?? [];
  list.push(def);
  registry.set(key, list);
  return def;
}

export function allFns(): readonly FnDef[] {
  return [...registry.values()].flat();
}

/** Compile, for one era, every function that era has (exactly one body per key). */
export function compileFns(v: Variant): CompiledFn[] {
  const out: CompiledFn[] = [];
  for (const [key, defs] of registry) {
    const live = defs.filter((d) => !d.when || d.when(v));
    if (live.length > 1) throw new Error(`${key}: ${live.length} bodies apply to era ${v.id}`);
    const def = live[0];
    if (!def) continue;
    const instrs: CompiledInstr[] = [];
    const labels = new Map<string, number>();
    const pendingLabels: string[] = [];
    for (const ins of def.body) {
      if (ins.label) pendingLabels.push(ins.label);
      if (ins.hidden || (ins.when && !ins.when(v))) continue;
      for (const l of pendingLabels) labels.set(l, instrs.length);
      pendingLabels.length = 0;
      const step = typeof ins.step === 'function' ? ins.step(v) : (ins.step ?? true);
      instrs.push({
        line: text(ins.line, v),
        label: ins.label ?? null,
        step,
        run: ins.run ?? null,
        say: ins.say ?? null,
        src: ins.src ?? null,
        why: ins.why ?? null,
      });
    }
    for (const l of pendingLabels) labels.set(l, instrs.length);
    out.push({
      id: out.length,
      key,
      name: text(def.name, v),
      file: text(def.file, v),
      params: def.params,
      instrs,
      labels,
      why: def.why ?? null,
      decl: def.decl ?? false,
    });
  }
  return out;
}

/** A label line (`out_unlock:`), shown in the code and executed as a no-op. */
export function label(name: string, when?: (v: Variant) => boolean): Instr {
  return { line: `${name}:`, label: name, step: false, when };
}

/** A jump target the kernel writes as structured control flow (a loop, an else): not listed. */
export function mark(name: string): Instr {
  return { line: '', label: name, step: false, hidden: true };
}

/** A local call: `fn(args)` shown as the line, the callee's first visible line is the micro-step. */
export function call(
  line: EraText,
  fn: string,
  args: (x: Exec) => Record<string, Value>,
  o: { into?: string; when?: (v: Variant) => boolean; src?: string; why?: Instr['why'] } = {},
): Instr {
  return {
    line,
    step: false,
    when: o.when,
    src: o.src,
    why: o.why,
    run: (x) => ({ call: fn, args: args(x), into: o.into }),
  };
}
