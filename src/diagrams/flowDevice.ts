/** The reference flow's device and driver cards, and the group → device → driver (and notifier) edges. */
import type { DeviceView, GroupView } from '../model/view.ts';
import type { FlowCtx, NodeSpec, RowSpec } from './flowModel.ts';
import {
  driverPointerName,
  holderCount,
  pointerRow,
  ptrTag,
  ptrWords,
  shortDriverName,
} from './flowWords.ts';
import type { Tone } from './theme.ts';

/** Device `d`'s card and its driver's; pushes their edges onto `c.edges`. */
export function deviceNodes(d: DeviceView, g: GroupView, c: FlowCtx): { device: NodeSpec; driver: NodeSpec } {
  const id = `device:${d.id}`;
  const drvId = `driver:${d.id}`;
  const coreRef =
    d.kvm.vm !== null && c.vmById.has(d.kvm.vm) && holderCount(c.vmById.get(d.kvm.vm)!, `core:${d.id}`) > 0;
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
    notes: c.notesFor(id),
    touched: c.touched.nodes.has(id),
  };

  const drv = d.driver;
  const pname = driverPointerName(drv, c.notifierEra);
  const name = shortDriverName(drv);
  const refMatches = drv.ref && drv.refVm !== null && drv.refVm === drv.kvm.vm;
  const drows: RowSpec[] = [pointerRow(pname, drv.kvm, `ptr:${drvId}`)];
  let refWords: string;
  const transitional = d.lifecycle === 'opening' || d.lifecycle === 'closing';
  if (drv.ref && drv.refVm && !refMatches && transitional) {
    drows.push({
      text: `counted reference on ${drv.refVm} (${drv.name === 'gvt' && !c.notifierEra ? 'not attached' : `${pname} not set`} yet)`,
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
    notes: c.notesFor(drvId),
    touched: c.touched.nodes.has(drvId),
  };

  // group → device: device->kvm (after the patch), or mere membership.
  const gd = `group:${g.id}->${id}`;
  c.edges.push(
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
          touched: c.touched.edges.has(gd),
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
          touched: c.touched.edges.has(gd),
        },
  );
  // device → driver: the driver's pointer after the patch; a plain binding before.
  const dd = `${id}->${drvId}`;
  const viaNotifier = c.notifierEra && drv.name !== 'vfio-pci';
  c.edges.push(
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
          touched: c.touched.edges.has(dd),
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
          touched: c.touched.edges.has(dd),
        },
  );
  if (viaNotifier) {
    const gn = `group:${g.id}->${drvId}`;
    const registered = g.notifier.includes(d.id);
    c.edges.push({
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
      touched: c.touched.edges.has(gn),
    });
  }
  return { device, driver };
}
