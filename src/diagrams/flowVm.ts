/** The reference flow's VM card and the card of its KVM-VFIO device. */
import type { VmView } from '../model/view.ts';
import type { FlowCtx, NodeSpec, RowSpec } from './flowModel.ts';
import { list } from './flowWords.ts';

export function vmNodes(vm: VmView, c: FlowCtx): { vm: NodeSpec; kvmVfio: NodeSpec } {
  const id = `vm:${vm.id}`;
  const holders = vm.holders.map((h) => (h.count > 1 ? `${h.label} ×${h.count}` : h.label));
  const rows: RowSpec[] = [];
  const viol = c.violations.filter((v) => v.vm === vm.id);
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
    notes: c.notesFor(kvId),
    touched: c.touched.nodes.has(kvId),
  };
  return { vm: vmNode, kvmVfio: kvNode };
}
