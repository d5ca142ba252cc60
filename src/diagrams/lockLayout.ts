/**
 * Geometry of the lock diagram: a wait-for graph. Threads on the left, the
 * locks that are held or waited for on the right. An arrow from a lock to a
 * thread: the thread holds it (labelled with the mode); from a thread to a
 * lock: the thread waits for it (its place in the FIFO queue and the mode it
 * wants); an arc between two threads on the left: one waits behind the other
 * in a lock's queue. The edges of a cycle of the wait-for analysis
 * (src/model/waitFor.ts) are marked, so a deadlock is drawn as the cycle it
 * is: a thread waiting on a lock it holds is a loop between the two. Pure.
 */
import type { StepView, ThreadView } from '../model/view.ts';
import { waitGraph } from '../model/waitFor.ts';
import { layoutRows, type Part, type RowInput } from './card.ts';
import type { IconKind } from './icons.tsx';
import type { LockRow, LockSpec } from './locks.ts';
import { textWidth, truncate } from './text.ts';
import type { Tone } from './theme.ts';

export const PAD = 12;
export const CHIP_H = 20;
export const NODE_H = 34;
const ROW_GAP = 10;

type Pt = [number, number];

export interface ThreadNode {
  t: ThreadView;
  x: number;
  y: number;
  w: number;
  status: { tone: Tone; icon?: IconKind; word: string };
  /** Holds or waits for a lock drawn here. */
  involved: boolean;
}

export interface LockNode {
  row: LockRow;
  x: number;
  y: number;
  w: number;
  name: string;
}

export interface GraphEdge {
  /** "hold:<lock>:<thread>", "wait:<thread>:<lock>", "ahead:<thread>:<thread>:<lock>". */
  id: string;
  kind: 'hold' | 'wait' | 'ahead';
  from: string;
  to: string;
  d: string;
  /** Centre of its label, and the label ('' for none). */
  at: Pt;
  label: string;
  /** On a cycle of the wait-for graph: part of a deadlock. */
  cycle: boolean;
  /** A wait for a lock the thread holds itself. */
  self: boolean;
  description: string;
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
  /** The graph: nodes and edges (empty when no lock is held or waited for). */
  threadNodes: ThreadNode[];
  lockNodes: LockNode[];
  edges: GraphEdge[];
  /** "No lock is held…" when the graph is empty. */
  idle: Part[];
  threadsTop: number;
  threads: ThreadGeom[];
  footer: Part[];
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

function modeWord(mode: string): string {
  return mode === 'mutex' || mode === 'spin' ? '' : mode;
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `#${n}`;
}

function bezier(s: Pt, t: Pt, bend: number): { d: string; at: (u: number) => Pt } {
  const dx = (t[0] - s[0]) / 2;
  const c1: Pt = [s[0] + dx, s[1] + bend];
  const c2: Pt = [t[0] - dx, t[1] + bend];
  const f = (u: number): Pt => {
    const v = 1 - u;
    return [
      v * v * v * s[0] + 3 * v * v * u * c1[0] + 3 * v * u * u * c2[0] + u * u * u * t[0],
      v * v * v * s[1] + 3 * v * v * u * c1[1] + 3 * v * u * u * c2[1] + u * u * u * t[1],
    ];
  };
  const n = (x: number) => Math.round(x * 10) / 10;
  return {
    d: `M${n(s[0])},${n(s[1])} C${n(c1[0])},${n(c1[1])} ${n(c2[0])},${n(c2[1])} ${n(t[0])},${n(t[1])}`,
    at: f,
  };
}

export function layoutLocks(
  spec: LockSpec,
  step: StepView | null,
  width = 640,
  showThreads = true,
  opts: { caption?: boolean; footer?: boolean; banner?: boolean } = {},
): LockLayout {
  const caption = opts.caption ?? true;
  const w = Math.max(280, Math.round(width));
  const narrow = w < 560;
  const inner = w - 2 * PAD;
  let y = PAD;
  const head = caption
    ? layoutRows(
        [
          { text: 'Locks', bold: true, size: 13 },
          ...(step
            ? [{ text: `step ${step.n} · ${step.thread}: ${step.fn}`, tone: 'muted' as Tone, size: 11 }]
            : []),
        ],
        PAD,
        y,
        inner,
      )
    : { parts: [], height: -6 };
  y += head.height + 6;
  let banner: LockLayout['banner'] = null;
  if (spec.deadlocks.length && (opts.banner ?? true)) {
    const b = layoutRows(
      spec.deadlocks.map((d) => ({ text: `DEADLOCK: ${d.text}`, tone: 'danger', bold: true, icon: 'loop' })),
      PAD + 10,
      y + 8,
      inner - 20,
    );
    banner = { y, h: b.height + 16, parts: b.parts };
    y += b.height + 16 + 10;
  }

  // ---- the graph
  const busy = spec.rows.filter((r) => r.lock.owners.length > 0 || r.lock.waiters.length > 0);
  const graph = waitGraph(busy.map((r) => r.lock));
  const involvedIds = new Set(
    busy.flatMap((r) => [...r.lock.owners, ...r.lock.waiters].map((e) => e.thread)),
  );
  // Only the threads that hold or wait for a lock are nodes; the others are named in the footer.
  const threads = spec.threads.filter((t) => involvedIds.has(t.id));
  const hasAhead = graph.edges.some((e) => e.why === 'ahead');
  const aheadRoom = hasAhead ? 22 : 0;
  const threadW = Math.min(
    narrow ? 96 : 130,
    Math.max(
      64,
      ...threads.map((t) => textWidth(t.id, 12, true) + 30),
      ...threads.map((t) => textWidth(statusLook(t).word, 11) + 30),
    ),
  );
  const lockW = Math.min(
    narrow ? inner * 0.5 : 240,
    Math.max(120, ...busy.map((r) => textWidth(r.lock.name, 12, true) + 34)),
  );
  const tx = PAD + aheadRoom;
  const lx = w - PAD - lockW;
  const threadNodes: ThreadNode[] = [];
  const lockNodes: LockNode[] = [];
  const edges: GraphEdge[] = [];
  let idle: Part[] = [];
  if (busy.length === 0) {
    const l = layoutRows(
      [{ text: 'No lock is held or waited for.', tone: 'muted', italic: true }],
      PAD,
      y,
      inner,
    );
    idle = l.parts;
    y += l.height + 8;
  } else {
    const rows = Math.max(threads.length, busy.length);
    const rowH = NODE_H + ROW_GAP;
    const graphH = rows * rowH - ROW_GAP;
    const tTop = y + (graphH - (threads.length * rowH - ROW_GAP)) / 2;
    const lTop = y + (graphH - (busy.length * rowH - ROW_GAP)) / 2;
    threads.forEach((t, i) =>
      threadNodes.push({
        t,
        x: tx,
        y: tTop + i * rowH,
        w: threadW,
        status: statusLook(t),
        involved: involvedIds.has(t.id),
      }),
    );
    busy.forEach((row, i) =>
      lockNodes.push({
        row,
        x: lx,
        y: lTop + i * rowH,
        w: lockW,
        name: truncate(row.lock.name, lockW - 30, 12, true),
      }),
    );
    const tn = new Map(threadNodes.map((n) => [n.t.id, n]));
    const ln = new Map(lockNodes.map((n) => [n.row.lock.key, n]));
    // Which relations lie on a cycle: t waits for u through lock l (u holds it, or is queued ahead).
    const onCycle = new Set<string>();
    for (const c of graph.cycles)
      c.forEach((a, i) => {
        const b = c[(i + 1) % c.length]!;
        for (const e of graph.edges.filter((x) => x.from === a && x.to === b)) {
          onCycle.add(`wait:${a}:${e.lock}`);
          onCycle.add(e.why === 'holds' ? `hold:${e.lock}:${b}` : `ahead:${a}:${b}:${e.lock}`);
        }
      });
    // Ports: spread the edges met at each node's side.
    const ports = new Map<string, number>();
    const portCount = new Map<string, number>();
    const want = (key: string) => portCount.set(key, (portCount.get(key) ?? 0) + 1);
    for (const l of busy) {
      for (const o of l.lock.owners) {
        want(`T:${o.thread}`);
        want(`L:${l.lock.key}`);
      }
      for (const q of l.lock.waiters) {
        want(`T:${q.thread}`);
        want(`L:${l.lock.key}`);
      }
    }
    const port = (key: string, top: number): number => {
      const i = ports.get(key) ?? 0;
      ports.set(key, i + 1);
      const n = portCount.get(key) ?? 1;
      return top + (NODE_H * (i + 1)) / (n + 1);
    };
    for (const l of busy) {
      const L = ln.get(l.lock.key)!;
      const selfWaiters = new Set(l.selfWaiters);
      for (const o of l.lock.owners) {
        const T = tn.get(o.thread);
        if (!T) continue;
        const s: Pt = [L.x, port(`L:${l.lock.key}`, L.y)];
        const t: Pt = [T.x + T.w, port(`T:${o.thread}`, T.y)];
        const twin = l.lock.waiters.some((q) => q.thread === o.thread);
        const c = bezier(s, t, twin ? -22 : 0);
        const id = `hold:${l.lock.key}:${o.thread}`;
        edges.push({
          id,
          kind: 'hold',
          from: l.lock.key,
          to: o.thread,
          d: c.d,
          at: c.at(0.5),
          label: modeWord(o.mode),
          cycle: onCycle.has(id),
          self: false,
          description: `${o.thread} holds ${l.lock.name}${o.mode === 'read' || o.mode === 'write' ? ` for ${o.mode}` : ''}.`,
        });
      }
      l.lock.waiters.forEach((q, i) => {
        const T = tn.get(q.thread);
        if (!T) return;
        const s: Pt = [T.x + T.w, port(`T:${q.thread}`, T.y)];
        const t: Pt = [L.x, port(`L:${l.lock.key}`, L.y)];
        const self = selfWaiters.has(q.thread);
        const c = bezier(s, t, self ? 22 : 0);
        const id = `wait:${q.thread}:${l.lock.key}`;
        edges.push({
          id,
          kind: 'wait',
          from: q.thread,
          to: l.lock.key,
          d: c.d,
          at: c.at(0.5),
          label: `#${i + 1}${modeWord(q.mode) ? ` ${q.mode}` : ''}`,
          cycle: onCycle.has(id),
          self,
          description: `${q.thread} waits for ${l.lock.name}${q.mode === 'read' || q.mode === 'write' ? ` for ${q.mode}` : ''}, ${ordinal(i + 1)} in its queue${self ? `, while holding it itself` : ''}.`,
        });
      });
    }
    // Waiting behind another waiter of the same queue: an arc on the left.
    for (const e of graph.edges.filter((x) => x.why === 'ahead')) {
      const A = tn.get(e.from);
      const B = tn.get(e.to);
      if (!A || !B) continue;
      const ya = A.y + NODE_H / 2;
      const yb = B.y + NODE_H / 2;
      const bulge = PAD + 2;
      const n = (x: number) => Math.round(x * 10) / 10;
      const id = `ahead:${e.from}:${e.to}:${e.lock}`;
      const name = busy.find((r) => r.lock.key === e.lock)?.lock.name ?? e.lock;
      edges.push({
        id,
        kind: 'ahead',
        from: e.from,
        to: e.to,
        d: `M${n(A.x)},${n(ya)} C${n(bulge)},${n(ya)} ${n(bulge)},${n(yb)} ${n(B.x)},${n(yb)}`,
        at: [bulge, (ya + yb) / 2],
        label: '',
        cycle: onCycle.has(id),
        self: false,
        description: `${e.from} waits behind ${e.to} in the queue of ${name}.`,
      });
    }
    y += graphH + 10;
  }

  // ---- the thread list (optional)
  const list: ThreadGeom[] = [];
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
      list.push({ t, y, h: Math.max(laid.height, CHIP_H), parts: laid.parts, chipW });
      y += Math.max(laid.height, CHIP_H) + 8;
    }
  }
  const foot: RowInput[] = [];
  const footer = opts.footer ?? true;
  if (busy.length) {
    foot.push({
      text: 'lock → thread: holds it · thread → lock: waits (#place in queue)',
      tone: 'muted',
      size: 11,
    });
    const others = spec.threads.filter((t) => !involvedIds.has(t.id));
    if (others.length && !showThreads && footer)
      foot.push({
        label: 'no lock',
        text: others.map((t) => `${t.id} ${statusLook(t).word}`).join(' · '),
        tone: 'muted',
        size: 11,
      });
  }
  const free = [...spec.rows.filter((r) => !busy.includes(r)).map((r) => r.lock), ...spec.hidden];
  if (free.length && footer)
    foot.push({ label: 'free', text: free.map((l) => l.name).join(', '), tone: 'muted', size: 11 });
  if (spec.absent.length && footer)
    foot.push({
      label: 'not in this era',
      text: spec.absent.map((l) => l.name).join(', '),
      tone: 'muted',
      size: 11,
    });
  const f = layoutRows(foot, PAD, y, inner);
  y += f.height + (foot.length ? 4 : 0);
  return {
    width: w,
    height: Math.ceil(y + PAD),
    narrow,
    header: head.parts,
    banner,
    threadNodes,
    lockNodes,
    edges,
    idle,
    threadsTop,
    threads: list,
    footer: f.parts,
  };
}
