/**
 * LockDiagram: the locks of the era (group_rwsem, dev_set->lock, the KVM-VFIO
 * device lock, kvm->lock, matrix_dev->lock, the notifier chain's rwsem) as a
 * wait-for graph (./lockLayout.ts): who holds which lock and in what mode,
 * who waits for which lock and where in its FIFO queue, who waits behind
 * whom. A cycle (a thread waiting on a lock it holds itself, or threads each
 * holding what the next wants) is named in a banner and drawn as the cycle it
 * is, in red. The free locks and those the era does not have are listed.
 */
import { useEffect, useRef } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import type { KernelView, StepView, ThreadView } from '../model/view.ts';
import { r } from './icons.tsx';
import { idMaker, useIdPrefix } from './ids.ts';
import { CHIP_H, NODE_H, PAD } from './lockLayout.ts';
import { lockGeometry } from './geometry.ts';
import { WaitGraph } from './lockParts.tsx';
import { PartsView } from './parts.tsx';
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
  /** Only draw locks that are held or waited for; list the free ones in one line (default false). */
  hideFree?: boolean;
  /** List the threads with their status under the locks (default true). */
  threads?: boolean;
  /** Draw the "Locks" heading and the step line (default true; a page that titles its panel leaves them out). */
  caption?: boolean;
  /** List the free locks and those the era does not have under the graph (default true). */
  footer?: boolean;
  /** Name a deadlock in a banner over the graph (default true; the cycle is drawn red either way). */
  banner?: boolean;
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
  const { spec, layout } = lockGeometry(view, {
    step,
    hideFree: props.hideFree,
    eraLabel: props.eraLabel,
    totalSteps: props.totalSteps,
    width: props.width,
    threads: props.threads,
    caption: props.caption,
    footer: props.footer,
    banner: props.banner,
  });
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
    const changed = lay.lockNodes.filter((g) => prev.sums.get(g.row.lock.key) !== sums.get(g.row.lock.key));
    if (!changed.length) return;
    const sel = select(fx)
      .selectAll('rect.flash')
      .data(changed)
      .join('rect')
      .attr('class', 'flash')
      .attr('x', (g) => g.x - 4)
      .attr('y', (g) => g.y - 4)
      .attr('width', (g) => g.w + 8)
      .attr('height', NODE_H + 8)
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
        {(['hold', 'wait', 'cycle'] as const).map((k) => (
          <marker
            key={k}
            id={id(`arrow-${k}`)}
            viewBox="0 0 10 10"
            refX={9}
            refY={5}
            markerWidth={9}
            markerHeight={9}
            markerUnits="userSpaceOnUse"
            orient="auto"
          >
            <path
              d="M0,0 L10,5 L0,10 z"
              fill={k === 'cycle' ? theme.danger : k === 'hold' ? theme.text : toneColor(theme, 'warn')}
            />
          </marker>
        ))}
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
      <PartsView parts={layout.idle} theme={theme} bg={theme.bg} />
      <WaitGraph layout={layout} theme={theme} threadColor={threadColor} markerId={(k) => id(`arrow-${k}`)} />
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
