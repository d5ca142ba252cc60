/** The reference flow's device and driver cards, and the group → device → driver (and notifier) edges. */
import type { DeviceView, GroupView } from '../model/view.ts';
import { COUNT_SIZE } from './card.ts';
import type { FlowCtx, NodeSpec, RowSpec } from './flowModel.ts';
import { holderCount, pointerRow, arrowTag, pointerEdge, ptrWords } from './flowWords.ts';
import type { Tone } from './theme.ts';

/** The driver's pointer field as an arrow label: "vgpu->kvm", "matrix_mdev->kvm", "GVT-g kvm". */
function fieldName(pname: string, name: string): string {
  if (pname.includes('(')) return `${name} kvm`;
  return pname.replace(/ kvm$/, '->kvm');
}

/** Device `d`'s card and its driver's; pushes their edges onto `c.edges`. */
export function deviceNodes(d: DeviceView, g: GroupView, c: FlowCtx): { device: NodeSpec; driver: NodeSpec } {
  const id = `device:${d.id}`;
  const drvId = `driver:${d.id}`;
  const coreRef =
    d.kvm.vm !== null && c.vmById.has(d.kvm.vm) && holderCount(c.vmById.get(d.kvm.vm)!, `core:${d.id}`) > 0;
  const rows: RowSpec[] = [
    { label: 'open_count', text: String(d.openCount), bold: true, size: COUNT_SIZE, anim: `open:${d.id}` },
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
    notes: c.notesFor(id),
    touched: c.touched.nodes.has(id),
  };

  const drv = d.driver;
  const pname = drv.pointerName;
  const name = drv.shortTitle;
  const refMatches = drv.ref && drv.refVm !== null && drv.refVm === drv.kvm.vm;
  const drows: RowSpec[] = [pointerRow(pname, drv.kvm, `ptr:${drvId}`)];
  let refWords: string;
  const transitional = d.lifecycle === 'opening' || d.lifecycle === 'closing';
  if (drv.ref && drv.refVm && !refMatches && transitional) {
    drows.push({
      text: `counted reference on ${drv.refVm} (${drv.unsetWords} yet)`,
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
  // GVT's `attached` is its state badge already.
  const shown = drv.fields.filter((f) => f.name !== 'attached');
  if (shown.length)
    drows.push({
      text: shown.map((f) => `${f.name}: ${f.value}`).join(' · '),
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
    notes: c.notesFor(drvId),
    touched: c.touched.nodes.has(drvId),
  };

  // group → device: the first open copies G.kvm into device->kvm (after the patch); before, membership only.
  const gd = `group:${g.id}->${id}`;
  c.edges.push({
    id: gd,
    from: `group:${g.id}`,
    to: id,
    kind: d.kvm.exists ? 'copy' : 'structural',
    health: null,
    vm: null,
    counted: false,
    tag: null,
    description: d.kvm.exists
      ? `The first open of ${d.id} copies ${g.id}.kvm into ${d.id}.kvm (device->kvm), which ${ptrWords(d.kvm)}.`
      : `Device ${d.id} belongs to group ${g.id}; there is no device->kvm before the patch.`,
    touched: c.touched.edges.has(gd),
  });
  if (d.kvm.exists)
    pointerEdge(c, id, d.kvm, {
      counted: coreRef,
      tag: arrowTag(`${d.id}->kvm`, d.kvm, coreRef),
      description: `${d.id}.kvm (device->kvm, copied from ${g.id}.kvm on first open) ${ptrWords(d.kvm)}${d.kvm.vm ? (coreRef ? ' (the core holds a counted reference)' : ' (not a counted reference)') : ''}.`,
    });

  // device → driver: open_device hands device->kvm to the driver (after); before, the driver's pointer comes
  // from the SET_KVM notifier (group → driver) and the device is only driven by it.
  const dd = `${id}->${drvId}`;
  const viaNotifier = drv.viaNotifier;
  c.edges.push({
    id: dd,
    from: id,
    to: drvId,
    kind: viaNotifier ? 'structural' : 'copy',
    health: null,
    vm: null,
    counted: false,
    tag: null,
    description: viaNotifier
      ? `Device ${d.id} is driven by ${drv.title}.`
      : `Device ${d.id} is driven by ${drv.title}; its open_device sets ${name}'s ${pname}, which ${ptrWords(drv.kvm)}.`,
    touched: c.touched.edges.has(dd),
  });
  if (viaNotifier) {
    const gn = `group:${g.id}->${drvId}`;
    const registered = g.notifier.includes(d.id);
    c.edges.push({
      id: gn,
      from: `group:${g.id}`,
      to: drvId,
      kind: 'notifier',
      health: null,
      vm: null,
      counted: false,
      tag: null,
      description:
        `SET_KVM notifier from group ${g.id} to ${name} (${registered ? 'registered' : 'not registered'}): ` +
        `it sets ${name}'s ${pname} for ${d.id}, which ${ptrWords(drv.kvm)}.`,
      touched: c.touched.edges.has(gn),
    });
  }
  // The driver's pointer → the VM it names; and a reference it holds on a VM its pointer does not name.
  const field = fieldName(pname, name);
  pointerEdge(c, drvId, drv.kvm, {
    counted: refMatches,
    tag: arrowTag(field, drv.kvm, refMatches),
    description: `${name}'s ${pname} for ${d.id} ${ptrWords(drv.kvm)} (${refMatches ? 'a counted reference' : 'not a counted reference'}).`,
  });
  if (drv.ref && drv.refVm && !refMatches)
    pointerEdge(
      c,
      drvId,
      { vm: drv.refVm, health: c.vmById.get(drv.refVm)?.state === 'destroying' ? 'dying' : 'live' },
      {
        counted: true,
        refOnly: !transitional,
        tag: `${name} ref · ptr ${drv.kvm.vm ?? 'NULL'}`,
        description: `${name} for ${d.id} holds a counted reference on ${drv.refVm}, but its ${pname} ${drv.kvm.vm ? `names ${drv.kvm.vm}` : 'is NULL'}${transitional ? ` (device ${d.lifecycle})` : ''}.`,
      },
    );
  return { device, driver };
}
