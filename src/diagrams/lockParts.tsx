/** The lock diagram's wait-for graph, drawn: thread nodes, lock nodes, hold / wait / behind edges. */
import { Icon, r } from './icons.tsx';
import { NODE_H, type GraphEdge, type LockLayout } from './lockLayout.ts';
import { textWidth } from './text.ts';
import { toneColor, type Theme } from './theme.ts';

function edgeStroke(e: GraphEdge, theme: Theme): { stroke: string; width: number; dash?: string } {
  if (e.cycle) return { stroke: theme.danger, width: 2.5, dash: e.kind === 'hold' ? undefined : '6 3' };
  if (e.kind === 'hold') return { stroke: theme.text, width: 1.75 };
  if (e.kind === 'wait') return { stroke: toneColor(theme, 'warn'), width: 1.75, dash: '6 3' };
  return { stroke: theme.textMuted, width: 1.25, dash: '2 3' };
}

export function WaitGraph({
  layout,
  theme,
  threadColor,
  markerId,
}: {
  layout: LockLayout;
  theme: Theme;
  threadColor: (t: string) => string;
  markerId: (kind: 'hold' | 'wait' | 'cycle') => string;
}) {
  if (!layout.lockNodes.length) return null;
  const deadlocked = new Set(layout.edges.filter((e) => e.cycle && e.kind !== 'hold').map((e) => e.from));
  return (
    <g data-layer="wait-for">
      <g data-layer="edges">
        {layout.edges.map((e) => {
          const s = edgeStroke(e, theme);
          return (
            <g key={e.id} data-wait={e.id} data-kind={e.kind} data-cycle={e.cycle ? 'true' : undefined}>
              <title>{e.description}</title>
              <path
                d={e.d}
                fill="none"
                stroke={s.stroke}
                strokeWidth={s.width}
                strokeDasharray={s.dash}
                markerEnd={
                  e.kind === 'ahead'
                    ? undefined
                    : `url(#${markerId(e.cycle ? 'cycle' : e.kind === 'hold' ? 'hold' : 'wait')})`
                }
              />
            </g>
          );
        })}
      </g>
      {layout.lockNodes.map((n) => {
        const l = n.row.lock;
        const danger = n.row.deadlocked;
        const fill = danger ? theme.dangerBg : theme.surface;
        return (
          <g key={l.key} data-lock={l.key}>
            <title>{n.row.description}</title>
            <rect
              x={r(n.x)}
              y={r(n.y)}
              width={r(n.w)}
              height={NODE_H}
              rx={6}
              fill={fill}
              stroke={danger ? theme.danger : theme.border}
              strokeWidth={danger ? 2.5 : 1}
              strokeDasharray={danger ? '8 3' : undefined}
            />
            <Icon
              kind="lock"
              x={n.x + 8}
              y={n.y + 6}
              size={12}
              color={danger ? theme.danger : theme.textMuted}
              bg={fill}
            />
            <text
              x={r(n.x + 24)}
              y={r(n.y + 16)}
              fill={danger ? theme.danger : theme.text}
              fontSize={12}
              fontWeight={700}
            >
              {n.name}
            </text>
            <text x={r(n.x + 24)} y={r(n.y + 28)} fill={theme.textMuted} fontSize={11}>
              {n.row.kindLabel}
            </text>
          </g>
        );
      })}
      {layout.threadNodes.map((n) => {
        const danger = deadlocked.has(n.t.id);
        const fill = n.involved ? theme.surface2 : theme.bg;
        const tone = toneColor(theme, n.status.tone);
        return (
          <g key={n.t.id} data-thread-node={n.t.id} opacity={n.involved ? undefined : 0.75}>
            <title>{`Thread ${n.t.id}: ${n.t.status}${n.t.reason ? `; ${n.t.reason}` : ''}`}</title>
            <rect
              x={r(n.x)}
              y={r(n.y)}
              width={r(n.w)}
              height={NODE_H}
              rx={6}
              fill={fill}
              stroke={danger ? theme.danger : theme.border}
              strokeWidth={danger ? 2.5 : 1}
            />
            <rect x={r(n.x)} y={r(n.y)} width={5} height={NODE_H} rx={2} fill={threadColor(n.t.id)} />
            <text x={r(n.x + 12)} y={r(n.y + 15)} fill={theme.text} fontSize={12} fontWeight={700}>
              {n.t.id}
            </text>
            {n.status.icon && (
              <Icon kind={n.status.icon} x={n.x + 12} y={n.y + 19} size={11} color={tone} bg={fill} />
            )}
            <text x={r(n.x + (n.status.icon ? 26 : 12))} y={r(n.y + 28)} fill={tone} fontSize={11}>
              {n.status.word}
            </text>
          </g>
        );
      })}
      <g data-layer="edge-labels" aria-hidden="true">
        {layout.edges
          .filter((e) => e.label)
          .map((e) => {
            const s = edgeStroke(e, theme);
            const w = textWidth(e.label, 11, true) + 8;
            const bg = e.cycle ? theme.dangerBg : theme.bg;
            return (
              <g key={e.id}>
                <rect
                  x={r(e.at[0] - w / 2)}
                  y={r(e.at[1] - 8)}
                  width={r(w)}
                  height={16}
                  rx={4}
                  fill={bg}
                  stroke={s.stroke}
                  strokeWidth={1}
                />
                <text
                  x={r(e.at[0])}
                  y={r(e.at[1] + 4)}
                  fill={e.cycle ? theme.danger : e.kind === 'wait' ? toneColor(theme, 'warn') : theme.text}
                  fontSize={11}
                  fontWeight={700}
                  textAnchor="middle"
                >
                  {e.label}
                </text>
              </g>
            );
          })}
      </g>
    </g>
  );
}
