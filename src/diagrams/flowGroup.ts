/** The reference flow's group cards, in display order, and the KVM-VFIO → group edges. */
import type { GroupView } from '../model/view.ts';
import type { FlowCtx, NodeSpec, RowSpec } from './flowModel.ts';
import { arrowTag, list, pointerEdge, pointerRow, ptrWords } from './flowWords.ts';

/** The VMs whose KVM-VFIO device lists group `g`. */
export function listedBy(c: FlowCtx, g: string): string[] {
  return c.view.vms.filter((v) => v.kvmVfio.groups.includes(g)).map((v) => v.id);
}

/** The VM a group is drawn next to: the one its kvm names, else the first that lists it. */
export function primaryVm(c: FlowCtx, g: GroupView): string | null {
  return g.kvm.vm ?? listedBy(c, g.id)[0] ?? null;
}

/** Groups ordered by the VM they are drawn next to (unrelated last), then as declared. */
export function groupsInOrder(c: FlowCtx): GroupView[] {
  const vmOrder = (k: string | null) =>
    k === null ? c.view.vms.length : c.view.vms.findIndex((v) => v.id === k);
  return c.view.groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => vmOrder(primaryVm(c, a.g)) - vmOrder(primaryVm(c, b.g)) || a.i - b.i)
    .map((x) => x.g);
}

/** Group `g`'s card; pushes its KVM-VFIO → group edges onto `c.edges`. */
export function groupNode(g: GroupView, c: FlowCtx): NodeSpec {
  const id = `group:${g.id}`;
  const listers = listedBy(c, g.id);
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
    notes: c.notesFor(id),
    touched: c.touched.nodes.has(id),
  };

  // KVM-VFIO → group: the VMs whose KVM-VFIO device lists G (its ADD sets G.kvm, its DEL clears it).
  for (const k of listers) {
    const eid = `kvm_vfio:${k}->${id}`;
    c.edges.push({
      id: eid,
      from: `kvm_vfio:${k}`,
      to: id,
      kind: 'listed',
      health: null,
      vm: null,
      counted: false,
      tag: null,
      description: `${k}'s KVM-VFIO device lists group ${g.id}; ${g.id}.kvm ${ptrWords(g.kvm)}.`,
      touched: c.touched.edges.has(eid),
    });
  }
  // G.kvm → the VM it names: a raw pointer, never a counted reference.
  const k = g.kvm.vm;
  pointerEdge(c, id, g.kvm, {
    counted: false,
    tag: arrowTag(`${g.id}->kvm`, g.kvm, false),
    description: `${g.id}.kvm ${ptrWords(g.kvm)} (not a counted reference); ${k && listers.includes(k) ? `${k}'s KVM-VFIO device lists ${g.id}` : `${k}'s KVM-VFIO device no longer lists ${g.id}`}.`,
  });

  return groupNode;
}
