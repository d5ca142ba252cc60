/**
 * LockDiagram: every lock of the era (group_rwsem, dev_set->lock, the KVM-VFIO
 * device lock, kvm->lock, matrix_dev->lock, the notifier chain's rwsem) with
 * its owners and FIFO waiters by thread and mode, then the threads. A thread
 * that waits on a lock it holds itself, or a cycle of waiting threads, is
 * named in a banner, marked on the row and drawn with a loop arrow.
 */
import { useEffect, useMemo, useRef } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import type { KernelView, StepView, ThreadView } from '../model/view.ts';
import { Icon, r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { CHIP_H, layoutLocks, PAD, type RowGeom } from './lockLayout.ts';
import { buildLocks } from './locks.ts';
import { PartsView } from './parts.tsx';
import { truncate } from './text.ts';
import { resolveTheme, toneColor, type Theme, type ThemeName } from './theme.ts';

export { layoutLocks, type LockLayout } from './lockLayout.ts';

export interface LockDiagramProps {
  view: KernelView;
  step?: StepView | null;
  totalSteps?: number;
  theme?: ThemeName | Theme;
  /** Width in CSS px (default 640); under 560 each row stacks name, holders and waiters. */
  width?: number;
  idPrefix?: string;
  /** Show matrix_dev->lock even without a vfio-ap device (default false). */
  showAll?: boolean;
  /** Only draw locks that are held or waited for; list the free ones in one line (default false). */
  hideFree?: boolean;
  /** List the threads with their status under the locks (default true). */
  threads?: boolean;
  eraLabel?: string;
  reducedMotion?: boolean;
  /** Flash the rows that changed on a single forward step (default true). */
  animate?: boolean;
  animationMs?: number;
}

export function LockDiagram(props: LockDiagramProps) {
  const { view, step = null, reducedMotion = false, animate = true, animationMs = 650 } = props;
  const prefix = useIdPrefix(props.idPrefix, 'locks');
  const id = idMaker(prefix);
  const theme = resolveTheme(props.theme);
  const spec = useMemo(
    () =>
      buildLocks(view, {
        step,
        showAll: props.showAll,
        hideFree: props.hideFree,
        eraLabel: props.eraLabel,
        totalSteps: props.totalSteps,
      }),
    [view, step, props.showAll, props.hideFree, props.eraLabel, props.totalSteps],
  );
  const layout = useMemo(
    () => layoutLocks(spec, step, props.width, props.threads ?? true),
    [spec, step, props.width, props.threads],
  );
  const threadIndex = new Map(view.threads.map((t, i) => [t.id, i]));
  const threadColor = (t: string) => theme.threads[(threadIndex.get(t) ?? 0) % theme.threads.length]!;

  // Flash the rows whose owners/waiters changed, on a single forward step.
  const fxRef = useRef<SVGGElement>(null);
  const last = useRef<{ n: number; sums: Map<string, string> } | null>(null);
  const latest = useRef({ view, layout, theme });
  useEffect(() => {
    latest.current = { view, layout, theme };
  });
  const n = step?.n ?? 0;
  const flashKey = `${view.era}|${n}|${layout.width}|${theme.name}`;
  useEffect(() => {
    const { view: v, layout: lay, theme: th } = latest.current;
    const sums = new Map(v.locks.map((l) => [l.key, JSON.stringify([l.owners, l.waiters])]));
    const prev = last.current;
    last.current = { n, sums };
    const fx = fxRef.current;
    if (!fx || reducedMotion || !animate || animationMs <= 0 || !prev || n !== prev.n + 1) return;
    const changed = lay.rows.filter((g) => prev.sums.get(g.row.lock.key) !== sums.get(g.row.lock.key));
    if (!changed.length) return;
    const sel = select(fx)
      .selectAll('rect.flash')
      .data(changed)
      .join('rect')
      .attr('class', 'flash')
      .attr('x', PAD)
      .attr('y', (g) => g.y)
      .attr('width', lay.width - 2 * PAD)
      .attr('height', (g) => g.h)
      .attr('rx', 6)
      .attr('fill', th.accent)
      .attr('opacity', 0.25);
    sel.transition('vfio-lock-flash').duration(animationMs).attr('opacity', 0).remove();
    return () => {
      sel.interrupt('vfio-lock-flash').remove();
    };
  }, [flashKey, n, reducedMotion, animate, animationMs]);

  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby={id('title')}
      aria-describedby={id('desc')}
      fontFamily={theme.fontSans}
      data-diagram="locks"
      data-era={view.era}
      data-step={step?.n ?? 0}
      data-theme={theme.name}
    >
      <title id={id('title')}>{spec.title}</title>
      <desc id={id('desc')}>{spec.summary}</desc>
      <defs>
        <marker
          id={id('loop-arrow')}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={9}
          markerHeight={9}
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill={theme.danger} />
        </marker>
      </defs>
      <rect width={layout.width} height={layout.height} fill={theme.bg} />
      <PartsView parts={layout.header} theme={theme} bg={theme.bg} />
      {layout.banner && (
        <g data-layer="deadlock">
          <rect
            x={PAD}
            y={r(layout.banner.y)}
            width={layout.width - 2 * PAD}
            height={r(layout.banner.h)}
            rx={6}
            fill={theme.dangerBg}
            stroke={theme.danger}
            strokeWidth={2.5}
          />
          <PartsView parts={layout.banner.parts} theme={theme} bg={theme.dangerBg} />
        </g>
      )}
      {layout.rows.map((g) => (
        <LockRowView
          key={g.row.lock.key}
          g={g}
          theme={theme}
          width={layout.width}
          threadColor={threadColor}
          arrowId={id('loop-arrow')}
        />
      ))}
      {layout.threads.length > 0 && (
        <g data-layer="threads">
          <text x={PAD} y={r(layout.threadsTop + 13)} fill={theme.text} fontSize={13} fontWeight={700}>
            Threads
          </text>
          {layout.threads.map((tg) => (
            <g key={tg.t.id} data-thread={tg.t.id}>
              <title>{threadTitle(tg.t)}</title>
              <ThreadChip
                x={PAD}
                y={tg.y}
                w={tg.chipW}
                label={tg.t.id}
                theme={theme}
                color={threadColor(tg.t.id)}
              />
              <PartsView parts={tg.parts} theme={theme} bg={theme.bg} />
            </g>
          ))}
        </g>
      )}
      <PartsView parts={layout.footer} theme={theme} bg={theme.bg} />
      <g ref={fxRef} data-layer="fx" aria-hidden="true" pointerEvents="none" />
    </svg>
  );
}

function threadTitle(t: ThreadView): string {
  return `Thread ${t.id}: ${t.status}${t.op ? ` in ${t.op.label}` : ''}${t.holds.length ? `; holds ${t.holds.join(', ')}` : ''}${t.reason ? `; ${t.reason}` : ''}`;
}

function ThreadChip({
  x,
  y,
  w,
  label,
  theme,
  color,
}: {
  x: number;
  y: number;
  w: number;
  label: string;
  theme: Theme;
  color: string;
}) {
  return (
    <g aria-hidden="true">
      <rect
        x={r(x)}
        y={r(y)}
        width={r(w)}
        height={CHIP_H}
        rx={4}
        fill={theme.surface2}
        stroke={theme.border}
        strokeWidth={1}
      />
      <rect x={r(x)} y={r(y)} width={4} height={CHIP_H} rx={1} fill={color} />
      <text x={r(x + 9)} y={r(y + 14)} fill={theme.text} fontSize={12} fontWeight={700}>
        {label}
      </text>
    </g>
  );
}

function LockRowView({
  g,
  theme,
  width,
  threadColor,
  arrowId,
}: {
  g: RowGeom;
  theme: Theme;
  width: number;
  threadColor: (t: string) => string;
  arrowId: string;
}) {
  const l = g.row.lock;
  const active = l.owners.length > 0 || l.waiters.length > 0;
  const danger = g.row.deadlocked;
  const rowBg = danger ? theme.dangerBg : active ? theme.surface : theme.bg;
  return (
    <g data-lock={l.key}>
      <title>{g.row.description}</title>
      <rect
        x={PAD}
        y={r(g.y)}
        width={width - 2 * PAD}
        height={r(g.h)}
        rx={6}
        fill={rowBg}
        stroke={danger ? theme.danger : active ? theme.border : theme.surface2}
        strokeWidth={danger ? 2.5 : 1}
        strokeDasharray={danger ? '8 3' : undefined}
      />
      <PartsView parts={g.name} theme={theme} bg={rowBg} />
      <PartsView parts={g.labels} theme={theme} bg={rowBg} />
      {g.chips.map((c, i) => {
        const fg = c.self ? theme.danger : theme.text;
        const fill = c.self ? theme.dangerBg : c.kind === 'owner' ? theme.surface2 : rowBg;
        const iconW = c.kind === 'waiter' ? 14 : 0;
        return (
          <g key={i} data-chip={c.kind}>
            <rect
              x={r(c.x)}
              y={r(c.y)}
              width={r(c.w)}
              height={CHIP_H}
              rx={4}
              fill={fill}
              stroke={c.self ? theme.danger : c.kind === 'owner' ? theme.border : theme.textMuted}
              strokeWidth={c.self ? 2 : 1}
              strokeDasharray={c.kind === 'waiter' ? '4 2' : undefined}
            />
            <rect x={r(c.x)} y={r(c.y)} width={4} height={CHIP_H} rx={1} fill={threadColor(c.thread)} />
            {c.kind === 'waiter' && (
              <Icon
                kind={c.self ? 'loop' : 'blocked'}
                x={c.x + 8}
                y={c.y + 4}
                size={12}
                color={c.self ? theme.danger : toneColor(theme, 'warn')}
                bg={fill}
              />
            )}
            <text x={r(c.x + 8 + iconW)} y={r(c.y + 14)} fill={fg} fontSize={12} fontWeight={700}>
              {truncate(c.text, c.w - 12 - iconW, 12, true)}
            </text>
          </g>
        );
      })}
      {g.loops.map((lp, i) => {
        let d: string;
        if (lp.from.y === lp.to.y) {
          // same line: an arc over the chips, from the waiter back to its own hold
          const x1 = lp.from.x + lp.from.w / 2;
          const x2 = lp.to.x + lp.to.w / 2;
          const top = lp.from.y - 12;
          d = `M${r(x1)},${r(lp.from.y)} C${r(x1)},${r(top)} ${r(x2)},${r(top)} ${r(x2)},${r(lp.to.y - 1)}`;
        } else {
          // waiter on a later line: an arc on the right, up to the hold
          const xa = lp.from.x + lp.from.w;
          const xb = lp.to.x + lp.to.w + 1;
          const xr = Math.max(xa, xb) + 18;
          const ya = lp.from.y + CHIP_H / 2;
          const yb = lp.to.y + CHIP_H / 2;
          d = `M${r(xa)},${r(ya)} C${r(xr)},${r(ya)} ${r(xr)},${r(yb)} ${r(xb)},${r(yb)}`;
        }
        return (
          <path
            key={i}
            d={d}
            fill="none"
            stroke={theme.danger}
            strokeWidth={2}
            markerEnd={`url(#${arrowId})`}
            aria-hidden="true"
          />
        );
      })}
    </g>
  );
}
