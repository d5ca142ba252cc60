/**
 * The words and small marks of the reference flow: how a pointer reads
 * ("→ K", "NULL", "points to K, which has been freed"), its tone and icon,
 * who holds a counted reference, and which nodes a step touched.
 */
import type { PointerHealth, PointerView, StepView, VmView } from '../model/view.ts';
import type { EdgeSpec, FlowCtx, RowSpec } from './flowModel.ts';
import type { IconKind } from './icons.tsx';
import type { Tone } from './theme.ts';

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

export function ptrIcon(h: PointerHealth): IconKind | undefined {
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

export function pointerRow(label: string, p: PointerView, anim: string): RowSpec {
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

/** Which node holds a counted reference ("fds", "ioctl:Q", "core:D", "gvt:D") on `vm`. */
export function holderNode(holder: string, vm: string): string {
  if (holder === 'fds') return `vm:${vm}`;
  const [kind, who] = holder.split(':');
  if (kind === 'ioctl') return `kvm_vfio:${vm}`;
  if (kind === 'core') return `device:${who}`;
  return `driver:${who}`;
}

export function holderCount(vm: VmView, holder: string): number {
  return vm.holders.find((h) => h.holder === holder)?.count ?? 0;
}

export function list(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

export function touchedIds(step: StepView | null | undefined): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  if (!step) return { nodes, edges };
  for (const e of step.effects) {
    if (e.kind === 'ptr') {
      nodes.add(e.from);
      nodes.add(e.to);
      edges.add(`${e.from}->${e.to}`);
      if (e.vm) edges.add(`${e.to}->vm:${e.vm}`);
    } else {
      nodes.add(`vm:${e.vm}`);
      nodes.add(holderNode(e.holder, e.vm));
      edges.add(`${holderNode(e.holder, e.vm)}->vm:${e.vm}`);
    }
  }
  for (const v of step.violations) if (v.vm) nodes.add(`vm:${v.vm}`);
  return { nodes, edges };
}

/** What a pointer arrow is labelled with: the field, and what kind of pointer it is. */
export function arrowTag(field: string, p: PointerView, counted: boolean): string {
  const what =
    p.health === 'dangling' ? ' · freed!' : p.health === 'dying' ? ' · dying' : counted ? ' · ref' : '';
  return `${field}${what}`;
}

/**
 * The arrow from a holder to the VM its pointer names (`holder->vm:K`), pushed
 * onto `c.edges`; none for a NULL pointer or a VM the scenario does not have.
 */
export function pointerEdge(
  c: FlowCtx,
  holder: string,
  p: PointerView,
  o: { counted: boolean; tag: string; description: string; refOnly?: boolean },
): EdgeSpec | null {
  if (p.vm === null || !c.vmById.has(p.vm)) return null;
  const id = `${holder}->vm:${p.vm}`;
  if (c.edges.some((e) => e.id === id)) return null;
  const e: EdgeSpec = {
    id,
    from: holder,
    to: `vm:${p.vm}`,
    kind: 'pointer',
    health: p.health,
    vm: p.vm,
    counted: o.counted,
    refOnly: o.refOnly ?? false,
    tag: o.tag,
    description: o.description,
    touched: c.touched.edges.has(id),
  };
  c.edges.push(e);
  return e;
}
