/**
 * Geometry of the lock diagram: a pure function of the lock spec
 * (./locks.ts) and the width. Rows of locks with their owners and FIFO
 * waiters as chips, the loop of a self-wait, the threads, the footer.
 */
import type { StepView, ThreadView } from '../model/view.ts';
import { layoutRows, type Part, type RowInput, type TextPart } from './card.ts';
import type { IconKind } from './icons.tsx';
import type { LockRow, LockSpec } from './locks.ts';
import { textWidth } from './text.ts';
import type { Tone } from './theme.ts';

export interface Chip {
  x: number;
  y: number;
  w: number;
  text: string;
  thread: string;
  kind: 'owner' | 'waiter';
  self: boolean;
  order?: number;
}

export interface RowGeom {
  row: LockRow;
  y: number;
  h: number;
  name: Part[];
  chips: Chip[];
  labels: Part[];
  loops: { from: Chip; to: Chip }[];
}

export interface ThreadGeom {
  t: ThreadView;
  y: number;
  h: number;
  parts: Part[];
  chipW: number;
}

export interface LockLayout {
  width: number;
  height: number;
  narrow: boolean;
  header: Part[];
  banner: { y: number; h: number; parts: Part[] } | null;
  rows: RowGeom[];
  threadsTop: number;
  threads: ThreadGeom[];
  footer: Part[];
}

export const PAD = 12;
export const CHIP_H = 20;
const CHIP_GAP = 6;

function chipText(thread: string, mode: string, order?: number): string {
  const m = mode === 'mutex' ? '' : ` · ${mode}`;
  return `${order !== undefined ? `${order}. ` : ''}${thread}${m}`;
}

function chipWidth(text: string, icon: boolean): number {
  return textWidth(text, 12, true) + 16 + (icon ? 14 : 0);
}

/** Place chips left to right from x0, wrapping at x1; returns the chips and the height used. */
function flowChips(
  items: Omit<Chip, 'x' | 'y'>[],
  x0: number,
  x1: number,
  y0: number,
): { chips: Chip[]; h: number } {
  const chips: Chip[] = [];
  let x = x0;
  let y = y0;
  for (const it of items) {
    if (x > x0 && x + it.w > x1) {
      x = x0;
      y += CHIP_H + 6;
    }
    chips.push({ ...it, x, y, w: Math.min(it.w, x1 - x0) });
    x += it.w + CHIP_GAP;
  }
  return { chips, h: items.length ? y - y0 + CHIP_H : 0 };
}

export function statusLook(t: ThreadView): { tone: Tone; icon?: IconKind; word: string } {
  switch (t.status) {
    case 'blocked':
      return { tone: 'warn', icon: 'blocked', word: 'blocked' };
    case 'crashed':
      return { tone: 'danger', icon: 'warning', word: 'crashed' };
    case 'done':
      return { tone: 'ok', icon: 'check', word: 'done' };
    case 'running':
      return { tone: 'accent', word: 'running' };
    default:
      return { tone: 'muted', word: 'idle' };
  }
}

export function layoutLocks(
  spec: LockSpec,
  step: StepView | null,
  width = 640,
  showThreads = true,
): LockLayout {
  const w = Math.max(280, Math.round(width));
  const narrow = w < 560;
  const inner = w - 2 * PAD;
  let y = PAD;
  const head = layoutRows(
    [
      { text: 'Locks', bold: true, size: 13 },
      ...(step
        ? [{ text: `step ${step.n} · ${step.thread}: ${step.fn}`, tone: 'muted' as Tone, size: 11 }]
        : []),
    ],
    PAD,
    y,
    inner,
  );
  y += head.height + 6;
  let banner: LockLayout['banner'] = null;
  if (spec.deadlocks.length) {
    const b = layoutRows(
      spec.deadlocks.map((d) => ({ text: `DEADLOCK: ${d.text}`, tone: 'danger', bold: true, icon: 'loop' })),
      PAD + 10,
      y + 8,
      inner - 20,
    );
    banner = { y, h: b.height + 16, parts: b.parts };
    y += b.height + 16 + 10;
  }

  const nameW = narrow
    ? inner
    : Math.min(250, Math.max(150, ...spec.rows.map((rw) => textWidth(rw.lock.name, 12, true) + 48)));
  const restX = PAD + (narrow ? 0 : nameW);
  const restW = w - PAD - restX;
  const holdW = narrow ? inner : Math.max(120, restW * 0.42);
  const rows: RowGeom[] = [];
  for (const row of spec.rows) {
    const l = row.lock;
    const top = y;
    const name = layoutRows(
      [
        { text: l.name, bold: true, size: 12, icon: 'lock', tone: row.deadlocked ? 'danger' : 'normal' },
        { text: row.kindLabel, tone: 'muted', size: 11 },
      ],
      PAD + 8,
      top + 6,
      (narrow ? inner : nameW) - 16,
    );
    const owners = l.owners.map((o) => {
      const self = row.selfWaiters.includes(o.thread);
      const text = chipText(o.thread, o.mode);
      return { w: chipWidth(text, false), text, thread: o.thread, kind: 'owner' as const, self };
    });
    const waiters = l.waiters.map((wt, i) => {
      const self = row.selfWaiters.includes(wt.thread);
      const text = chipText(wt.thread, wt.mode, i + 1) + (self ? ' (holds it!)' : '');
      return {
        w: chipWidth(text, true),
        text,
        thread: wt.thread,
        kind: 'waiter' as const,
        self,
        order: i + 1,
      };
    });
    const labels: TextPart[] = [];
    let chips: Chip[] = [];
    let h: number;
    const labelPart = (x: number, yy: number, t: string): TextPart => ({
      kind: 'text',
      x,
      y: yy,
      text: t,
      tone: 'muted',
      size: 11,
      bold: false,
      italic: false,
    });
    if (narrow) {
      let cy = top + 6 + name.height + 4;
      labels.push(labelPart(PAD + 8, cy + 14, 'holds'));
      const ho = owners.length ? flowChips(owners, PAD + 58, w - PAD - 6, cy) : { chips: [], h: CHIP_H };
      if (!owners.length) labels.push({ ...labelPart(PAD + 58, cy + 14, 'free'), italic: true });
      chips = chips.concat(ho.chips);
      cy += ho.h + 6;
      if (waiters.length) {
        labels.push(labelPart(PAD + 8, cy + 14, 'waiting'));
        const wa = flowChips(waiters, PAD + 58, w - PAD - 6, cy);
        chips = chips.concat(wa.chips);
        cy += wa.h + 6;
      }
      h = cy - top + 2;
    } else {
      const cy = top + 8;
      const hx = restX;
      const ho = owners.length ? flowChips(owners, hx + 40, hx + holdW - 8, cy) : { chips: [], h: CHIP_H };
      labels.push(labelPart(hx, cy + 14, 'holds'));
      if (!owners.length) labels.push({ ...labelPart(hx + 40, cy + 14, 'free'), italic: true });
      const wx = hx + holdW;
      let wh = 0;
      if (waiters.length) {
        labels.push(labelPart(wx, cy + 14, 'waiting'));
        const wa = flowChips(waiters, wx + 52, w - PAD - 6, cy);
        chips = chips.concat(wa.chips);
        wh = wa.h;
      }
      chips = ho.chips.concat(chips);
      h = Math.max(name.height + 12, ho.h + 16, wh + 16);
    }
    const loops: RowGeom['loops'] = [];
    for (const c of chips)
      if (c.kind === 'waiter' && c.self) {
        const to = chips.find((o) => o.kind === 'owner' && o.thread === c.thread);
        if (to) loops.push({ from: c, to });
      }
    if (loops.some((lp) => lp.from.y === lp.to.y)) {
      // room for the loop arrow above the chips
      for (const c of chips) c.y += 14;
      for (const p of labels) p.y += 14;
      h += 14;
    }
    rows.push({ row, y: top, h, name: name.parts, chips, labels, loops });
    y += h + 4;
  }

  y += 8;
  const threads: ThreadGeom[] = [];
  const threadsTop = y;
  if (showThreads && spec.threads.length) {
    y += 20;
    for (const t of spec.threads) {
      const look = statusLook(t);
      const chipW = Math.max(34, textWidth(t.id, 12, true) + 16);
      const rowsIn: RowInput[] = [
        {
          label: t.op ? t.op.label : undefined,
          text: look.word,
          tone: look.tone,
          bold: true,
          icon: look.icon,
        },
      ];
      if (t.holds.length) rowsIn.push({ label: 'holds', text: t.holds.join(', '), size: 11 });
      if (t.reason)
        rowsIn.push({ text: t.reason, size: 11, tone: t.status === 'blocked' ? 'warn' : 'muted' });
      const laid = layoutRows(rowsIn, PAD + chipW + 10, y, inner - chipW - 10);
      threads.push({ t, y, h: Math.max(laid.height, CHIP_H), parts: laid.parts, chipW });
      y += Math.max(laid.height, CHIP_H) + 8;
    }
  }
  const foot: RowInput[] = [];
  if (spec.hidden.length)
    foot.push({ label: 'free', text: spec.hidden.map((l) => l.name).join(', '), tone: 'muted', size: 11 });
  if (spec.absent.length)
    foot.push({
      label: 'not in this era',
      text: spec.absent.map((l) => l.name).join(', '),
      tone: 'muted',
      size: 11,
    });
  const f = layoutRows(foot, PAD, y, inner);
  const footer: Part[] = f.parts;
  y += f.height + (foot.length ? 4 : 0);
  return {
    width: w,
    height: Math.ceil(y + PAD),
    narrow,
    header: head.parts,
    banner,
    rows,
    threadsTop,
    threads,
    footer,
  };
}
