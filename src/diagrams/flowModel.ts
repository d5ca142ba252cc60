/**
 * What the reference-flow diagram says, before any geometry: one node per VM,
 * KVM-VFIO device, group, device and driver; one edge per place a KVM
 * pointer is handed along; the words for screen readers. Pure data, shared by
 * the SVG (ReferenceFlow) and by `describeFlow` (a text alternative the page
 * can show next to the picture).
 */
import { ERAS } from '../model/era.ts';
import type { Violation } from '../model/types.ts';
import type { KernelView, PointerHealth, StepView, VmView } from '../model/view.ts';
import { deviceNodes } from './flowDevice.ts';
import { Interner } from './intern.ts';
import { groupNode, groupsInOrder, primaryVm } from './flowGroup.ts';
import { vmNodes } from './flowVm.ts';
import { touchedIds } from './flowWords.ts';
import type { IconKind } from './icons.tsx';
import type { Tone } from './theme.ts';

export { holderNode, ptrText, ptrTone, ptrWords } from './flowWords.ts';

export type FlowNodeKind = 'vm' | 'kvm_vfio' | 'group' | 'device' | 'driver';

/** One line of a card: an optional muted label, then a value. */
export interface RowSpec {
  label?: string;
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** Font size in px (default 12). */
  size?: number;
  icon?: IconKind;
  /** Drawn as an outlined chip (NULL, "no device->kvm"). */
  boxed?: boolean;
  italic?: boolean;
  /** `data-anim` key of the value, for the step animation ("users:K", "ptr:device:D"). */
  anim?: string;
}

export interface NodeSpec {
  /** "vm:K", "kvm_vfio:K", "group:G", "device:D", "driver:D" (the ids step effects use). */
  id: string;
  kind: FlowNodeKind;
  title: string;
  badge?: { text: string; tone: Tone; icon?: IconKind };
  rows: RowSpec[];
  /** Border: danger and warn are also dashed, never colour alone. */
  tone: 'normal' | 'muted' | 'warn' | 'danger';
  /** In a wide card, the index of the row that starts a second column. */
  split?: number;
  /** Cross-hatched fill (a freed VM). */
  hatch: boolean;
  /** Sentence(s) for assistive technology and the tooltip. */
  description: string;
  /** 1-based numbers of the notes that concern this node. */
  notes: number[];
  /** Changed by the current step's effects. */
  touched: boolean;
}

/**
 * pointer: from a holder to the VM its pointer names (the arrow a kernel
 * reader expects: `G->kvm` points at K); listed: a KVM-VFIO device lists a
 * group; copy: the path the pointer is copied along (first open, open_device);
 * notifier: the SET_KVM notifier call that sets a driver's pointer;
 * structural: belongs to / is driven by.
 */
export type EdgeKind = 'pointer' | 'listed' | 'copy' | 'notifier' | 'structural';

export interface EdgeSpec {
  /** `${from}->${to}` with node ids. */
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** The pointer carried by the edge (null: none, e.g. a structural edge). */
  health: PointerHealth | null;
  vm: string | null;
  /** The holder of the pointer also holds a counted reference on that VM. */
  counted: boolean;
  /** A counted reference the holder keeps while its own pointer does not name that VM (a leak in the making). */
  refOnly?: boolean;
  /** Short tag drawn on the edge ("G->kvm", "D->kvm · ref", "listed"). */
  tag: string | null;
  description: string;
  touched: boolean;
}

/** A fact the diagram should flag, e.g. one the bug table marks as INFERRED. */
export interface DiagramNote {
  /**
   * Node ids ("driver:D", "vm:K", …), an edge id ("group:G->device:D"), or a
   * kind wildcard ("driver:*"). Absent: a note about the whole diagram.
   */
  target?: string | readonly string[];
  /** Badge text; default "INFERRED". */
  label?: string;
  /** One sentence, shown as a numbered footnote. */
  text: string;
}

export interface FlowSpec {
  era: KernelView['era'];
  eraTitle: string;
  /** VM cluster ids in order, with their KVM-VFIO node. */
  vms: { vm: NodeSpec; kvmVfio: NodeSpec }[];
  /** Groups in display order, each with its devices (and their drivers). */
  groups: { group: NodeSpec; primaryVm: string | null; devices: { device: NodeSpec; driver: NodeSpec }[] }[];
  edges: EdgeSpec[];
  violations: Violation[];
  notes: { n: number; label: string; text: string; targets: string[] }[];
  /** "KVM reference flow — after (421cfe6596f6, v3), step 32 of …" */
  title: string;
  /** The state in words (the `<desc>`). */
  summary: string;
  step: StepView | null;
}

/** What the per-object builders share while one flow is built. */
export interface FlowCtx {
  view: KernelView;
  notifierEra: boolean;
  touched: { nodes: Set<string>; edges: Set<string> };
  violations: Violation[];
  vmById: Map<string, VmView>;
  notesFor: (id: string) => number[];
  /** Edges, pushed by the builders in drawing order. */
  edges: EdgeSpec[];
}

export interface FlowOptions {
  step?: StepView | null;
  /** Violations seen so far (default: the step's own). */
  violations?: readonly Violation[];
  notes?: readonly DiagramNote[];
  /** Overrides the era's title in the heading. */
  eraLabel?: string;
  /** Number of micro-steps in the run, for "step n of N". */
  totalSteps?: number;
}

/**
 * The last flow built for each view (views are memoized per step by the
 * page): the diagram and its text alternative ask for the same flow with the
 * same options on every step, and get one computation. The result is never
 * mutated by its users.
 */
const lastFlow = new WeakMap<KernelView, { opts: FlowOptions; flow: FlowSpec }>();
const OPTION_KEYS = ['step', 'violations', 'notes', 'eraLabel', 'totalSteps'] as const;

export function buildFlow(view: KernelView, opts: FlowOptions = {}): FlowSpec {
  const hit = lastFlow.get(view);
  if (hit && OPTION_KEYS.every((k) => hit.opts[k] === opts[k])) return hit.flow;
  const flow = computeFlow(view, opts);
  lastFlow.set(view, { opts: { ...opts }, flow });
  return flow;
}

const nodeSpecs = new Interner<NodeSpec>();
const edgeSpecs = new Interner<EdgeSpec>();
const noteLists = new Interner<FlowSpec['notes']>(200);

function computeFlow(view: KernelView, opts: FlowOptions): FlowSpec {
  const era = ERAS[view.era];
  const notifierEra = era.notifier;
  const step = opts.step ?? null;
  const touched = touchedIds(step);
  const violations = [...(opts.violations ?? step?.violations ?? [])];
  const vmById = new Map(view.vms.map((v) => [v.id, v]));

  // ---- notes: resolve targets (wildcards) and number them
  const allNodeIds: string[] = [
    ...view.vms.flatMap((v) => [`vm:${v.id}`, `kvm_vfio:${v.id}`]),
    ...view.groups.map((g) => `group:${g.id}`),
    ...view.devices.flatMap((d) => [`device:${d.id}`, `driver:${d.id}`]),
  ];
  let notes = (opts.notes ?? []).map((note, i) => {
    const raw =
      note.target === undefined ? [] : typeof note.target === 'string' ? [note.target] : [...note.target];
    const targets = raw.flatMap((t) =>
      t.endsWith(':*') ? allNodeIds.filter((id) => id.startsWith(t.slice(0, -1))) : [t],
    );
    return { n: i + 1, label: note.label ?? 'INFERRED', text: note.text, targets };
  });
  notes = noteLists.get(notes);

  const c: FlowCtx = {
    view,
    notifierEra,
    touched,
    violations,
    vmById,
    notesFor: (id) => notes.filter((n) => n.targets.includes(id)).map((n) => n.n),
    edges: [],
  };
  // Interned (./intern.ts): a node or edge that this step left as it was is the object the last step drew.
  const node = (n: NodeSpec) => nodeSpecs.get(n);
  const vms = view.vms.map((vm) => {
    const p = vmNodes(vm, c);
    return { vm: node(p.vm), kvmVfio: node(p.kvmVfio) };
  });
  const groups = groupsInOrder(c).map((g) => ({
    group: node(groupNode(g, c)),
    primaryVm: primaryVm(c, g),
    devices: view.devices
      .filter((d) => d.group === g.id)
      .map((d) => {
        const p = deviceNodes(d, g, c);
        return { device: node(p.device), driver: node(p.driver) };
      }),
  }));
  const edges = c.edges.map((e) => edgeSpecs.get(e));

  // ---- title and summary
  const eraTitle = opts.eraLabel ?? era.title;
  const stepPart = step
    ? `, step ${step.n}${opts.totalSteps ? ` of ${opts.totalSteps}` : ''}`
    : opts.totalSteps !== undefined
      ? ', initial state'
      : '';
  const title = `KVM reference flow — ${eraTitle}${stepPart}`;
  const sentences: string[] = [];
  if (step) sentences.push(`Step ${step.n}: ${step.text}${/[.!?]$/.test(step.text) ? '' : '.'}`);
  for (const v of violations)
    sentences.push(
      `VIOLATION at step ${v.step}: ${v.kind} in ${v.at} (thread ${v.thread})${v.detail ? `: ${v.detail}` : ''}.`,
    );
  for (const c of vms) sentences.push(c.vm.description, c.kvmVfio.description);
  for (const gr of groups) {
    sentences.push(gr.group.description);
    for (const dv of gr.devices) sentences.push(dv.device.description, dv.driver.description);
  }
  for (const n of notes) sentences.push(`Note ${n.n} (${n.label}): ${n.text}`);
  if (!notifierEra) sentences.push('The SET_KVM notifier no longer exists in this era.');

  return {
    era: view.era,
    eraTitle,
    vms,
    groups,
    edges,
    violations,
    notes,
    title,
    summary: sentences.join(' '),
    step,
  };
}

/**
 * A text alternative of the diagram, for a "diagram as text" list on the page:
 * the heading, then one entry per node and per edge.
 */
export function describeFlow(
  view: KernelView,
  opts: FlowOptions = {},
): {
  title: string;
  summary: string;
  nodes: { id: string; text: string }[];
  edges: { id: string; text: string }[];
} {
  const f = buildFlow(view, opts);
  const nodes = [
    ...f.vms.flatMap((c) => [c.vm, c.kvmVfio]),
    ...f.groups.flatMap((g) => [g.group, ...g.devices.flatMap((d) => [d.device, d.driver])]),
  ].map((n) => ({ id: n.id, text: n.description }));
  return {
    title: f.title,
    summary: f.summary,
    nodes,
    edges: f.edges.map((e) => ({ id: e.id, text: e.description })),
  };
}
