/**
 * What the reference-flow diagram says, before any geometry: one node per VM,
 * KVM-VFIO device, group, device and driver; one edge per place a KVM
 * pointer is handed along; the words for screen readers. Pure data, shared by
 * the SVG (ReferenceFlow) and by `describeFlow` (a text alternative the page
 * can show next to the picture).
 */
import { ERAS } from '../model/era.ts';
import type { Violation } from '../model/types.ts';
import type {
  DeviceView,
  DriverView,
  GroupView,
  KernelView,
  PointerHealth,
  PointerView,
  StepView,
  VmView,
} from '../model/view.ts';
import type { IconKind } from './icons.tsx';
import type { Tone } from './theme.ts';

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
  /** Cross-hatched fill (a freed VM). */
  hatch: boolean;
  /** Sentence(s) for assistive technology and the tooltip. */
  description: string;
  /** 1-based numbers of the notes that concern this node. */
  notes: number[];
  /** Changed by the current step's effects. */
  touched: boolean;
}

export type EdgeKind = 'pointer' | 'listed' | 'structural' | 'notifier';

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
  /** Short tag drawn on the edge in the wide layout ("K", "NULL", "K freed!"). */
  tag: string | null;
  description: string;
  touched: boolean;
}

/** A fact the diagram should flag, e.g. INFERRED in domain.md. */
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

export function ptrText(p: PointerView): string {
  switch (p.health) {
    case 'null':
      return 'NULL';
    case 'live':
      return `→ ${p.vm}`;
    case 'dying':
      return `→ ${p.vm} (destroying)`;
    case 'dangling':
      return `→ ${p.vm} (freed!)`;
  }
}

export function ptrTone(h: PointerHealth): Tone {
  return h === 'dangling' ? 'danger' : h === 'dying' ? 'warn' : h === 'null' ? 'muted' : 'accent';
}

function ptrIcon(h: PointerHealth): IconKind | undefined {
  return h === 'dangling' ? 'warning' : h === 'dying' ? 'destroying' : h === 'null' ? 'null' : undefined;
}

/** "points to K", "is NULL", "points to K, which is being destroyed (users_count 0)", … */
export function ptrWords(p: PointerView): string {
  switch (p.health) {
    case 'null':
      return 'is NULL';
    case 'live':
      return `points to ${p.vm}`;
    case 'dying':
      return `points to ${p.vm}, which is being destroyed (users_count 0)`;
    case 'dangling':
      return `points to ${p.vm}, which has been freed: a dangling pointer`;
  }
}

function ptrTag(p: PointerView, counted: boolean): string {
  switch (p.health) {
    case 'null':
      return 'NULL';
    case 'live':
      return counted ? `${p.vm} · ref` : p.vm!;
    case 'dying':
      return `${p.vm} dying`;
    case 'dangling':
      return `${p.vm} freed!`;
  }
}

function pointerRow(label: string, p: PointerView, anim: string): RowSpec {
  return {
    label,
    text: ptrText(p),
    tone: ptrTone(p.health),
    bold: p.health !== 'null',
    icon: ptrIcon(p.health),
    boxed: p.health === 'null',
    anim,
  };
}

/** The name of the driver's own KVM pointer, as the kernel spells it in that era. */
export function driverPointerName(drv: DriverView, notifierEra: boolean): string {
  switch (drv.name) {
    case 'gvt':
      return notifierEra ? 'vgpu->kvm' : 'kvm (while attached)';
    case 'vfio-ap':
      return 'matrix_mdev->kvm';
    case 'vfio-pci':
      return 'zdev kvm';
    default:
      return 'kvm';
  }
}

function shortDriverName(drv: DriverView): string {
  return drv.name === 'gvt' ? 'GVT-g' : drv.name;
}

/** Which node holds a counted reference ("fds", "ioctl:Q", "core:D", "gvt:D") on `vm`. */
export function holderNode(holder: string, vm: string): string {
  if (holder === 'fds') return `vm:${vm}`;
  const [kind, who] = holder.split(':');
  if (kind === 'ioctl') return `kvm_vfio:${vm}`;
  if (kind === 'core') return `device:${who}`;
  return `driver:${who}`;
}

function holderCount(vm: VmView, holder: string): number {
  return vm.holders.find((h) => h.holder === holder)?.count ?? 0;
}

function list(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function touchedIds(step: StepView | null | undefined): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  if (!step) return { nodes, edges };
  for (const e of step.effects) {
    if (e.kind === 'ptr') {
      nodes.add(e.from);
      nodes.add(e.to);
      edges.add(`${e.from}->${e.to}`);
    } else {
      nodes.add(`vm:${e.vm}`);
      nodes.add(holderNode(e.holder, e.vm));
    }
  }
  for (const v of step.violations) if (v.vm) nodes.add(`vm:${v.vm}`);
  return { nodes, edges };
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
  const notes = (opts.notes ?? []).map((note, i) => {
    const raw =
      note.target === undefined ? [] : typeof note.target === 'string' ? [note.target] : [...note.target];
    const targets = raw.flatMap((t) =>
      t.endsWith(':*') ? allNodeIds.filter((id) => id.startsWith(t.slice(0, -1))) : [t],
    );
    return { n: i + 1, label: note.label ?? 'INFERRED', text: note.text, targets };
  });
  const notesFor = (id: string) => notes.filter((n) => n.targets.includes(id)).map((n) => n.n);

  // ---- VMs and their KVM-VFIO devices
  const vms = view.vms.map((vm) => {
    const id = `vm:${vm.id}`;
    const holders = vm.holders.map((h) => (h.count > 1 ? `${h.label} ×${h.count}` : h.label));
    const rows: RowSpec[] = [];
    const viol = violations.filter((v) => v.vm === vm.id);
    if (vm.state === 'freed') {
      rows.push({
        label: 'users_count',
        text: String(vm.users),
        bold: true,
        size: 16,
        anim: `users:${vm.id}`,
        tone: 'danger',
      });
      rows.push({ text: 'freed: any pointer to it dangles', tone: 'danger', icon: 'warning' });
    } else if (vm.state === 'destroying') {
      rows.push({
        label: 'users_count',
        text: String(vm.users),
        bold: true,
        size: 16,
        anim: `users:${vm.id}`,
        tone: 'warn',
      });
      rows.push({ text: 'kvm_destroy_vm under way', tone: 'warn', icon: 'destroying' });
    } else {
      rows.push({
        label: 'users_count',
        text: String(vm.users),
        bold: true,
        size: 16,
        anim: `users:${vm.id}`,
      });
    }
    if (vm.saturated) rows.push({ text: 'refcount saturated', tone: 'danger', icon: 'warning' });
    rows.push({ text: 'references held by:', tone: 'muted', size: 11 });
    if (holders.length === 0)
      rows.push({ text: 'nobody', tone: 'muted', italic: true, anim: `holders:${vm.id}` });
    for (const h of vm.holders)
      rows.push({
        text: `• ${h.count > 1 ? `${h.label} ×${h.count}` : h.label}`,
        anim: `holder:${vm.id}:${h.holder}`,
      });
    rows.push({ label: 'VM fds', text: vm.fdsOpen ? 'open' : 'closed', tone: 'muted' });
    for (const v of viol)
      rows.push({ text: `${v.kind} (step ${v.step})`, tone: 'danger', icon: 'warning', bold: true });

    const stateWords = vm.state === 'freed' ? 'FREED' : vm.state === 'destroying' ? 'DESTROYING' : 'alive';
    const description =
      `VM ${vm.id}: ${vm.state === 'alive' ? 'alive' : vm.state === 'destroying' ? 'being destroyed' : 'freed'}, users_count ${vm.users}` +
      (holders.length ? `; references held by ${list(holders)}` : '; nobody holds a reference') +
      `; its fds are ${vm.fdsOpen ? 'open' : 'closed'}.` +
      (viol.length ? ` Violations: ${viol.map((v) => `${v.kind} at step ${v.step}`).join('; ')}.` : '');
    const vmNode: NodeSpec = {
      id,
      kind: 'vm',
      title: `VM ${vm.id}`,
      badge:
        vm.state === 'freed'
          ? { text: stateWords, tone: 'danger', icon: 'freed' }
          : vm.state === 'destroying'
            ? { text: stateWords, tone: 'warn', icon: 'destroying' }
            : { text: 'alive', tone: 'ok' },
      rows,
      tone: vm.state === 'freed' || viol.length ? 'danger' : vm.state === 'destroying' ? 'warn' : 'normal',
      hatch: vm.state === 'freed',
      description,
      notes: notesFor(id),
      touched: touched.nodes.has(id),
    };

    const kvId = `kvm_vfio:${vm.id}`;
    const kv = vm.kvmVfio;
    const kvRows: RowSpec[] = [
      {
        label: 'groups',
        text: kv.groups.length ? kv.groups.join(', ') : 'none',
        tone: kv.groups.length ? 'normal' : 'muted',
      },
    ];
    if (kv.state !== 'live')
      kvRows.push({
        label: 'state',
        text: kv.state === 'released' ? 'fd released' : kv.state,
        tone: kv.state === 'destroyed' ? 'danger' : 'muted',
        icon: kv.state === 'destroyed' ? 'freed' : undefined,
      });
    if (kv.inflight > 0)
      kvRows.push({ label: 'in-flight ioctls', text: String(kv.inflight), tone: 'accent', bold: true });
    const kvNode: NodeSpec = {
      id: kvId,
      kind: 'kvm_vfio',
      title: 'KVM-VFIO device',
      rows: kvRows,
      tone: kv.state === 'destroyed' ? 'danger' : kv.state === 'released' ? 'muted' : 'normal',
      hatch: false,
      description:
        `${vm.id}'s KVM-VFIO device (${kv.state}): ` +
        (kv.groups.length ? `lists ${list(kv.groups.map((g) => `group ${g}`))}` : 'lists no group') +
        (kv.inflight ? `; ${kv.inflight} ioctl${kv.inflight > 1 ? 's' : ''} in flight` : '') +
        '.',
      notes: notesFor(kvId),
      touched: touched.nodes.has(kvId),
    };
    return { vm: vmNode, kvmVfio: kvNode };
  });

  // ---- groups, devices, drivers
  const listedBy = (g: string) => view.vms.filter((v) => v.kvmVfio.groups.includes(g)).map((v) => v.id);
  const primaryVm = (g: GroupView): string | null => g.kvm.vm ?? listedBy(g.id)[0] ?? null;
  const vmOrder = (k: string | null) =>
    k === null ? view.vms.length : view.vms.findIndex((v) => v.id === k);
  const groupsSorted = view.groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => vmOrder(primaryVm(a.g)) - vmOrder(primaryVm(b.g)) || a.i - b.i)
    .map((x) => x.g);

  const edges: EdgeSpec[] = [];

  const groups = groupsSorted.map((g) => {
    const id = `group:${g.id}`;
    const listers = listedBy(g.id);
    const rows: RowSpec[] = [pointerRow('kvm', g.kvm, `ptr:${id}`)];
    rows.push({ text: 'raw pointer, not counted', tone: 'muted', size: 11 });
    if (g.chain.exists)
      rows.push({
        label: 'SET_KVM notifier',
        text: g.notifier.length ? g.notifier.join(', ') : 'empty',
        tone: g.notifier.length ? 'normal' : 'muted',
      });
    if (g.kvm.vm && !listers.includes(g.kvm.vm))
      rows.push({ text: `not listed by ${g.kvm.vm}'s KVM-VFIO`, tone: 'warn', icon: 'warning' });
    const groupNode: NodeSpec = {
      id,
      kind: 'group',
      title: `group ${g.id}`,
      badge: { text: g.kvm.vm ? 'bound' : 'unbound', tone: 'muted' },
      rows,
      tone: g.kvm.health === 'dangling' ? 'danger' : g.kvm.health === 'dying' ? 'warn' : 'normal',
      hatch: false,
      description:
        `Group ${g.id}: kvm ${ptrWords(g.kvm)} (a raw pointer, not a counted reference)` +
        (listers.length
          ? `; listed by ${list(listers.map((k) => `${k}'s KVM-VFIO device`))}`
          : '; not listed by any KVM-VFIO device') +
        (g.chain.exists
          ? `; SET_KVM notifier chain: ${g.notifier.length ? g.notifier.join(', ') : 'empty'}`
          : '') +
        '.',
      notes: notesFor(id),
      touched: touched.nodes.has(id),
    };

    // KVM-VFIO → group edges: one per VM that lists G or that G.kvm names.
    const vmIds = [...new Set([...listers, ...(g.kvm.vm && vmById.has(g.kvm.vm) ? [g.kvm.vm] : [])])];
    for (const k of vmIds) {
      const listed = listers.includes(k);
      const pointsHere = g.kvm.vm === k;
      const eid = `kvm_vfio:${k}->${id}`;
      const description = pointsHere
        ? `${g.id}.kvm ${ptrWords(g.kvm)} (not a counted reference); ${listed ? `${k}'s KVM-VFIO device lists ${g.id}` : `${k}'s KVM-VFIO device no longer lists ${g.id}`}.`
        : `${k}'s KVM-VFIO device lists group ${g.id}; ${g.id}.kvm ${ptrWords(g.kvm)}.`;
      edges.push({
        id: eid,
        from: `kvm_vfio:${k}`,
        to: id,
        kind: pointsHere ? 'pointer' : 'listed',
        health: pointsHere ? g.kvm.health : null,
        vm: pointsHere ? k : null,
        counted: false,
        tag: pointsHere ? ptrTag(g.kvm, false) : 'listed',
        description,
        touched: touched.edges.has(eid),
      });
    }

    const devs = view.devices.filter((d) => d.group === g.id).map((d) => deviceNodes(d, g));
    return { group: groupNode, primaryVm: primaryVm(g), devices: devs };
  });

  function deviceNodes(d: DeviceView, g: GroupView): { device: NodeSpec; driver: NodeSpec } {
    const id = `device:${d.id}`;
    const drvId = `driver:${d.id}`;
    const coreRef =
      d.kvm.vm !== null && vmById.has(d.kvm.vm) && holderCount(vmById.get(d.kvm.vm)!, `core:${d.id}`) > 0;
    const rows: RowSpec[] = [
      { label: 'open_count', text: String(d.openCount), bold: true, size: 14, anim: `open:${d.id}` },
      { label: 'open fds', text: String(d.fds), tone: 'muted' },
    ];
    if (d.kvm.exists) {
      rows.push(pointerRow('device->kvm', d.kvm, `ptr:${id}`));
      if (d.kvm.vm)
        rows.push({
          text: coreRef ? 'core holds a counted reference' : 'core holds no reference',
          tone: coreRef ? 'ok' : 'muted',
          size: 11,
          icon: coreRef ? 'check' : undefined,
        });
    } else {
      rows.push({
        text: 'no device->kvm before the patch',
        tone: 'muted',
        italic: true,
        boxed: true,
        anim: `ptr:${id}`,
      });
    }
    const lifecycleTone: Tone = d.lifecycle === 'open' ? 'ok' : d.lifecycle === 'closed' ? 'muted' : 'accent';
    const device: NodeSpec = {
      id,
      kind: 'device',
      title: `device ${d.id}`,
      badge: {
        text: d.lifecycle === 'opening' || d.lifecycle === 'closing' ? `${d.lifecycle}…` : d.lifecycle,
        tone: lifecycleTone,
      },
      rows,
      tone:
        d.kvm.exists && d.kvm.health === 'dangling'
          ? 'danger'
          : d.kvm.exists && d.kvm.health === 'dying'
            ? 'warn'
            : 'normal',
      hatch: false,
      description:
        `Device ${d.id} (group ${d.group}, ${d.lifecycle}): open_count ${d.openCount}, ${d.fds} open fd${d.fds === 1 ? '' : 's'}; ` +
        (d.kvm.exists
          ? `device->kvm ${ptrWords(d.kvm)}${d.kvm.vm ? (coreRef ? '; the VFIO core holds a counted reference' : '; the VFIO core holds no reference') : ''}.`
          : 'there is no device->kvm before the patch.'),
      notes: notesFor(id),
      touched: touched.nodes.has(id),
    };

    const drv = d.driver;
    const pname = driverPointerName(drv, notifierEra);
    const name = shortDriverName(drv);
    const refMatches = drv.ref && drv.refVm !== null && drv.refVm === drv.kvm.vm;
    const drows: RowSpec[] = [pointerRow(pname, drv.kvm, `ptr:${drvId}`)];
    let refWords: string;
    const transitional = d.lifecycle === 'opening' || d.lifecycle === 'closing';
    if (drv.ref && drv.refVm && !refMatches && transitional) {
      drows.push({
        text: `counted reference on ${drv.refVm} (${drv.name === 'gvt' && !notifierEra ? 'not attached' : `${pname} not set`} yet)`,
        tone: 'normal',
        anim: `ref:${d.id}`,
      });
      refWords = `it holds a counted reference on ${drv.refVm}; its pointer ${drv.kvm.vm ? `names ${drv.kvm.vm}` : 'is not set'} yet (device ${d.lifecycle})`;
    } else if (drv.ref && drv.refVm && !refMatches) {
      drows.push({
        text: `holds a reference on ${drv.refVm}, pointer ${drv.kvm.vm ? `names ${drv.kvm.vm}` : 'is NULL'}`,
        tone: 'warn',
        icon: 'warning',
        anim: `ref:${d.id}`,
      });
      refWords = `it holds a counted reference on ${drv.refVm}, but its pointer ${drv.kvm.vm ? `names ${drv.kvm.vm}` : 'is NULL'}`;
    } else if (drv.ref && drv.refVm) {
      drows.push({
        text: `counted reference on ${drv.refVm}`,
        tone: 'ok',
        icon: 'check',
        anim: `ref:${d.id}`,
      });
      refWords = `it holds a counted reference on ${drv.refVm}`;
    } else if (drv.ref) {
      drows.push({
        text: 'believes it holds a reference',
        tone: 'warn',
        icon: 'warning',
        anim: `ref:${d.id}`,
      });
      refWords = 'it believes it holds a counted reference';
    } else {
      drows.push({
        text: drv.kvm.vm ? 'no counted reference!' : 'no counted reference',
        tone: drv.kvm.vm ? 'warn' : 'muted',
        icon: drv.kvm.vm ? 'warning' : undefined,
        anim: `ref:${d.id}`,
      });
      refWords = drv.kvm.vm ? 'it holds no counted reference on that VM' : 'it holds no counted reference';
    }
    if (drv.fields.length)
      drows.push({
        text: drv.fields.map((f) => `${f.name}: ${f.value}`).join(' · '),
        tone: 'muted',
        size: 11,
      });
    const driver: NodeSpec = {
      id: drvId,
      kind: 'driver',
      title: `${name} for ${d.id}`,
      badge: {
        text: drv.state,
        tone: drv.state === 'attached' || drv.state === 'configured' ? 'ok' : 'muted',
      },
      rows: drows,
      tone:
        drv.kvm.health === 'dangling'
          ? 'danger'
          : drv.kvm.health === 'dying' || (drv.ref && !refMatches && !transitional)
            ? 'warn'
            : 'normal',
      hatch: false,
      description:
        `Driver ${drv.title} for device ${d.id} (${drv.state}): its pointer ${pname} ${ptrWords(drv.kvm)}; ${refWords}.` +
        (drv.fields.length ? ` ${drv.fields.map((f) => `${f.name}: ${f.value}`).join(', ')}.` : ''),
      notes: notesFor(drvId),
      touched: touched.nodes.has(drvId),
    };

    // group → device: device->kvm (after the patch), or mere membership.
    const gd = `group:${g.id}->${id}`;
    edges.push(
      d.kvm.exists
        ? {
            id: gd,
            from: `group:${g.id}`,
            to: id,
            kind: 'pointer',
            health: d.kvm.health,
            vm: d.kvm.vm,
            counted: coreRef,
            tag: ptrTag(d.kvm, coreRef),
            description: `${d.id}.kvm (device->kvm, copied from ${g.id}.kvm on first open) ${ptrWords(d.kvm)}${d.kvm.vm ? (coreRef ? ' (the core holds a counted reference)' : ' (not a counted reference)') : ''}.`,
            touched: touched.edges.has(gd),
          }
        : {
            id: gd,
            from: `group:${g.id}`,
            to: id,
            kind: 'structural',
            health: null,
            vm: null,
            counted: false,
            tag: null,
            description: `Device ${d.id} belongs to group ${g.id}; there is no device->kvm before the patch.`,
            touched: touched.edges.has(gd),
          },
    );
    // device → driver: the driver's pointer after the patch; a plain binding before.
    const dd = `${id}->${drvId}`;
    const viaNotifier = notifierEra && drv.name !== 'vfio-pci';
    edges.push(
      viaNotifier
        ? {
            id: dd,
            from: id,
            to: drvId,
            kind: 'structural',
            health: null,
            vm: null,
            counted: false,
            tag: null,
            description: `Device ${d.id} is driven by ${drv.title}.`,
            touched: touched.edges.has(dd),
          }
        : {
            id: dd,
            from: id,
            to: drvId,
            kind: 'pointer',
            health: drv.kvm.health,
            vm: drv.kvm.vm,
            counted: refMatches,
            tag: ptrTag(drv.kvm, refMatches),
            description: `${name}'s ${pname} for ${d.id} ${ptrWords(drv.kvm)} (${refMatches ? 'a counted reference' : 'not a counted reference'}).`,
            touched: touched.edges.has(dd),
          },
    );
    if (viaNotifier) {
      const gn = `group:${g.id}->${drvId}`;
      const registered = g.notifier.includes(d.id);
      edges.push({
        id: gn,
        from: `group:${g.id}`,
        to: drvId,
        kind: 'notifier',
        health: drv.kvm.health,
        vm: drv.kvm.vm,
        counted: refMatches,
        tag: ptrTag(drv.kvm, refMatches),
        description:
          `SET_KVM notifier from group ${g.id} to ${name} (${registered ? 'registered' : 'not registered'}): ` +
          `${name}'s ${pname} for ${d.id} ${ptrWords(drv.kvm)} (${refMatches ? 'a counted reference' : 'not a counted reference'}).`,
        touched: touched.edges.has(gn),
      });
    }
    return { device, driver };
  }

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
