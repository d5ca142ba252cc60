/**
 * The reference flow's VM card and the card of its KVM-VFIO device. A VM
 * freed after its last put with nothing left pointing at it is the normal end
 * of its life and is drawn neutral; only a freed VM that something still
 * points at, or that a violation names, is drawn as an alarm.
 */
import type { KernelView, VmView } from '../model/view.ts';
import { COUNT_SIZE } from './card.ts';
import type { FlowCtx, NodeSpec, RowSpec } from './flowModel.ts';
import { list, pointerEdge } from './flowWords.ts';

/** Does any pointer or driver reference still name VM `vm`? */
export function pointedAt(view: KernelView, vm: string): boolean {
  return (
    view.groups.some((g) => g.kvm.vm === vm) ||
    view.devices.some(
      (d) => d.kvm.vm === vm || d.driver.kvm.vm === vm || (d.driver.ref && d.driver.refVm === vm),
    )
  );
}

export function vmNodes(vm: VmView, c: FlowCtx): { vm: NodeSpec; kvmVfio: NodeSpec } {
  const id = `vm:${vm.id}`;
  const holders = vm.holders.map((h) => (h.count > 1 ? `${h.label} ×${h.count}` : h.label));
  const rows: RowSpec[] = [];
  const viol = c.violations.filter((v) => v.vm === vm.id);
  const freed = vm.state === 'freed';
  /** Freed while something still points at it, or named by a violation: the alarm. */
  const alarm = (freed && pointedAt(c.view, vm.id)) || viol.length > 0;
  const users: RowSpec = {
    label: 'users_count',
    text: String(vm.users),
    bold: true,
    size: COUNT_SIZE,
    anim: `users:${vm.id}`,
  };
  if (freed && alarm) {
    rows.push({ ...users, tone: 'danger' });
    rows.push({ text: 'freed: any pointer to it dangles', tone: 'danger', icon: 'warning' });
  } else if (freed) {
    rows.push({ ...users, tone: 'muted' });
    rows.push({ text: 'freed after its last put; nothing points at it', tone: 'muted', icon: 'freed' });
  } else if (vm.state === 'destroying') {
    rows.push({ ...users, tone: 'warn' });
    rows.push({ text: 'kvm_destroy_vm under way', tone: 'warn', icon: 'destroying' });
  } else {
    rows.push(users);
  }
  if (vm.saturated) rows.push({ text: 'refcount saturated', tone: 'danger', icon: 'warning' });
  const split = rows.length;
  rows.push(
    holders.length
      ? { label: 'references held by', text: holders.join(', '), anim: `holders:${vm.id}` }
      : {
          label: 'references held by',
          text: 'nobody',
          tone: 'muted',
          italic: true,
          anim: `holders:${vm.id}`,
        },
  );
  rows.push({ label: 'VM fds', text: vm.fdsOpen ? 'open' : 'closed', tone: 'muted' });
  for (const v of viol)
    rows.push({ text: `${v.kind} (step ${v.step})`, tone: 'danger', icon: 'warning', bold: true });

  const description =
    `VM ${vm.id}: ${vm.state === 'alive' ? 'alive' : vm.state === 'destroying' ? 'being destroyed' : 'freed'}, users_count ${vm.users}` +
    (holders.length ? `; references held by ${list(holders)}` : '; nobody holds a reference') +
    `; its fds are ${vm.fdsOpen ? 'open' : 'closed'}.` +
    (freed && !alarm ? ' It was freed after its last reference was put, and nothing points at it.' : '') +
    (viol.length ? ` Violations: ${viol.map((v) => `${v.kind} at step ${v.step}`).join('; ')}.` : '');
  const vmNode: NodeSpec = {
    id,
    kind: 'vm',
    title: `VM ${vm.id}`,
    badge: freed
      ? { text: 'FREED', tone: alarm ? 'danger' : 'muted', icon: 'freed' }
      : vm.state === 'destroying'
        ? { text: 'DESTROYING', tone: 'warn', icon: 'destroying' }
        : { text: 'alive', tone: 'ok' },
    rows,
    split,
    tone: alarm ? 'danger' : freed ? 'muted' : vm.state === 'destroying' ? 'warn' : 'normal',
    hatch: freed && alarm,
    description,
    notes: c.notesFor(id),
    touched: c.touched.nodes.has(id),
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
      tone: 'muted',
      icon: kv.state === 'destroyed' ? 'freed' : undefined,
    });
  if (kv.inflight > 0)
    kvRows.push({ label: 'in-flight ioctls', text: String(kv.inflight), tone: 'accent', bold: true });
  const kvNode: NodeSpec = {
    id: kvId,
    kind: 'kvm_vfio',
    title: `KVM-VFIO of ${vm.id}`,
    rows: kvRows,
    tone: kv.state === 'live' ? 'normal' : 'muted',
    hatch: false,
    description:
      `${vm.id}'s KVM-VFIO device (${kv.state}): ` +
      (kv.groups.length ? `lists ${list(kv.groups.map((g) => `group ${g}`))}` : 'lists no group') +
      (kv.inflight ? `; ${kv.inflight} ioctl${kv.inflight > 1 ? 's' : ''} in flight` : '') +
      '.',
    notes: c.notesFor(kvId),
    touched: c.touched.nodes.has(kvId),
  };
  // An ADD or DEL under way holds the KVM-VFIO device's file, and so a counted reference on its VM.
  const ioctls = vm.holders.filter((h) => h.holder.startsWith('ioctl:'));
  if (ioctls.length)
    pointerEdge(
      c,
      kvId,
      { vm: vm.id, health: vm.state === 'alive' ? 'live' : 'dying' },
      {
        counted: true,
        tag: 'ioctl ref',
        description: `${list(ioctls.map((h) => h.label))} ${ioctls.length > 1 ? 'hold' : 'holds'} a counted reference on ${vm.id} while the ADD or DEL runs.`,
      },
    );
  return { vm: vmNode, kvmVfio: kvNode };
}
