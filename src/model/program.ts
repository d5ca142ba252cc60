/**
 * Kernel code paths as small programs.
 *
 * A function is a list of instructions, each carrying the pseudo-code line of
 * domain.md it models. A thread runs one *micro-step* at a time: the local
 * instructions (pure control flow on its own frame) that lead to the next
 * visible instruction, that instruction, and the locals that follow it up to
 * the next visible one. Visible instructions are the atomic actions other
 * threads can observe: a lock acquire or release, a read or write of a shared
 * pointer, a driver call, a kvm get or put.
 *
 * Eras are expressed with `when`: one definition, compiled per era by
 * dropping the instructions that era does not have.
 */
import type { Variant } from './era.ts';
import type { Value } from './types.ts';

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
  | { block: string };

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
  /** Read an object's context by its slot key, e.g. "kvm:K", "group:G". */
  ctx<C>(key: string): Readonly<C>;
  /** The object's lifecycle state (its XState state value). */
  state(key: string): string;
  /** Send an event to an object; returns what the machine reported. */
  send<O = unknown>(key: string, event: { type: string; [k: string]: unknown }): O | null;
  /** Acquire a lock; false means the thread now waits. */
  acquire(lock: string, mode: LockMode): boolean;
  release(lock: string, mode: LockMode): void;
  holds(lock: string, mode: LockMode): boolean;
  /** Report a violation; crashing kinds stop the thread. */
  fault(kind: import('./types.ts').ViolationKind, detail: string, vm?: string | null): void;
  readonly crashed: boolean;
  /** A change worth animating. */
  effect(e: Effect): void;
  readonly model: ModelInfo;
}

export type LockMode = 'read' | 'write' | 'mutex';

/** The static facts about the scenario that code paths need. */
export interface ModelInfo {
  readonly vms: readonly string[];
  readonly groups: readonly string[];
  readonly devices: readonly { id: string; driver: string; group: string }[];
  /** The function name implementing a driver hook for a device, or null if the driver has none. */
  driverFn(device: string, hook: DriverHook): string | null;
}

export type DriverHook = 'open_device' | 'close_device' | 'group_notifier' | 'release_work';

/** Animation hints: where a KVM pointer or reference moved. */
export type Effect =
  | { kind: 'get'; vm: string; holder: string }
  | { kind: 'put'; vm: string; holder: string }
  | { kind: 'ptr'; from: string; to: string; vm: string | null };

export interface Instr {
  /** The pseudo-code line (domain.md §0.4 notation). */
  line: string;
  label?: string;
  /** Visible micro-step (default) or local. May depend on the era. */
  step?: boolean | ((v: Variant) => boolean);
  /** The eras that have this line (default: all). */
  when?: (v: Variant) => boolean;
  run?: (x: Exec) => Flow;
  /** Sentence for the narration; default is derived from the line. */
  say?: (n: Say) => string;
}

/** What narration gets: the thread, its frame's locals after the step, and how the step ended. */
export interface Say {
  readonly t: string;
  readonly fn: string;
  readonly l: Locals;
  readonly blocked: boolean;
  readonly woke: boolean;
  /** Resolve an object's context in the state after the step. */
  ctx<C>(key: string): Readonly<C>;
}

export interface FnDef {
  name: string;
  /** The eras that have this body; a name may have several bodies with disjoint `when`s. */
  when?: (v: Variant) => boolean;
  /** Kernel source file, for the call stack display. */
  file: string;
  params: readonly string[];
  body: readonly Instr[];
}

export interface CompiledInstr {
  readonly line: string;
  readonly label: string | null;
  readonly step: boolean;
  readonly run: ((x: Exec) => Flow) | null;
  readonly say: ((n: Say) => string) | null;
}

export interface CompiledFn {
  readonly id: number;
  readonly name: string;
  readonly file: string;
  readonly params: readonly string[];
  readonly instrs: readonly CompiledInstr[];
  readonly labels: ReadonlyMap<string, number>;
}

const registry = new Map<string, FnDef[]>();

/** Register a kernel function body. Names are kernel names. */
export function defineFn(def: FnDef): FnDef {
  const list = registry.get(def.name) ?? [];
  list.push(def);
  registry.set(def.name, list);
  return def;
}

export function allFns(): readonly FnDef[] {
  return [...registry.values()].flat();
}

/** Compile, for one era, every function that era has (exactly one body per name). */
export function compileFns(v: Variant): CompiledFn[] {
  const out: CompiledFn[] = [];
  for (const [name, defs] of registry) {
    const live = defs.filter((d) => !d.when || d.when(v));
    if (live.length > 1) throw new Error(`${name}: ${live.length} bodies apply to era ${v.id}`);
    const def = live[0];
    if (!def) continue;
    const instrs: CompiledInstr[] = [];
    const labels = new Map<string, number>();
    const pendingLabels: string[] = [];
    for (const ins of def.body) {
      if (ins.label) pendingLabels.push(ins.label);
      if (ins.when && !ins.when(v)) continue;
      for (const l of pendingLabels) labels.set(l, instrs.length);
      pendingLabels.length = 0;
      const step = typeof ins.step === 'function' ? ins.step(v) : (ins.step ?? true);
      instrs.push({
        line: ins.line,
        label: ins.label ?? null,
        step,
        run: ins.run ?? null,
        say: ins.say ?? null,
      });
    }
    for (const l of pendingLabels) labels.set(l, instrs.length);
    out.push({ id: out.length, name: def.name, file: def.file, params: def.params, instrs, labels });
  }
  return out;
}

/** A label line (`UNDO_COUNT:`), shown in the code and executed as a no-op. */
export function label(name: string, when?: (v: Variant) => boolean): Instr {
  return { line: `${name}:`, label: name, step: false, when };
}
