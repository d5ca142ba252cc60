/** The reference flow's drawn parts: edges, their tags, cards and the legend (memoised by value). */
import { memo } from 'react';
import { edgeLook, markerId, strokeFor } from './edgeStyle.tsx';
import type { CardGeom, EdgeGeom, LegendItem } from './flowLayout.ts';
import { Icon, r } from './icons.tsx';
import { BadgeView, PartsView, Tag } from './parts.tsx';
import type { Theme } from './theme.ts';

export const EdgeView = memo(function EdgeView({
  e,
  prefix,
  theme,
}: {
  e: EdgeGeom;
  prefix: string;
  theme: Theme;
}) {
  const look = edgeLook(e.spec);
  const s = strokeFor(look, theme);
  return (
    <g data-edge={e.spec.id} data-look={look}>
      <title>{e.spec.description}</title>
      {e.spec.touched && (
        <path
          d={e.d}
          fill="none"
          stroke={theme.accent}
          strokeOpacity={0.3}
          strokeWidth={s.width + 7}
          strokeLinecap="round"
        />
      )}
      <path d={e.d} fill="none" stroke="transparent" strokeWidth={12} />
      <path
        d={e.d}
        fill="none"
        stroke={s.stroke}
        strokeWidth={s.width}
        strokeDasharray={s.dash}
        markerEnd={s.arrow ? `url(#${markerId(prefix, look)})` : undefined}
      />
    </g>
  );
}, sameProps);

export const EdgeTag = memo(function EdgeTag({ e, theme }: { e: EdgeGeom; theme: Theme }) {
  const s = strokeFor(edgeLook(e.spec), theme);
  if (!s.glyph && !e.tag) return null;
  return (
    <g aria-hidden="true">
      {s.glyph && (
        <g>
          <circle
            cx={r(e.mid[0])}
            cy={r(e.mid[1])}
            r={9}
            fill={theme.bg}
            stroke={s.stroke}
            strokeWidth={1.5}
          />
          <Icon kind={s.glyph} x={e.mid[0] - 6} y={e.mid[1] - 6} size={12} color={s.stroke} bg={theme.bg} />
        </g>
      )}
      {e.tag && <Tag x={e.tag.x} y={e.tag.y} text={e.tag.text} theme={theme} tone={s.tone} />}
    </g>
  );
}, sameProps);

function cardStroke(c: CardGeom, theme: Theme): { stroke: string; width: number; dash?: string } {
  switch (c.spec.tone) {
    case 'danger':
      return { stroke: theme.danger, width: 2.5, dash: '8 3' };
    case 'warn':
      return { stroke: theme.warn, width: 2, dash: '8 3' };
    case 'muted':
      return { stroke: theme.border, width: 1, dash: '4 3' };
    default:
      return { stroke: theme.border, width: 1 };
  }
}

export const CardView = memo(function CardView({
  c,
  theme,
  prefix,
  parentX = 0,
  parentY = 0,
}: {
  c: CardGeom;
  theme: Theme;
  prefix: string;
  parentX?: number;
  parentY?: number;
}) {
  const s = cardStroke(c, theme);
  const inner = c.spec.kind === 'kvm_vfio';
  const fill = c.spec.hatch ? theme.dangerBg : inner ? theme.surface2 : theme.surface;
  return (
    <g
      data-node={c.spec.id}
      data-kind={c.spec.kind}
      transform={`translate(${r(c.x - parentX)},${r(c.y - parentY)})`}
    >
      <title>{c.spec.description}</title>
      {c.spec.touched && (
        <rect
          x={-4}
          y={-4}
          width={r(c.w + 8)}
          height={r(c.h + 8)}
          rx={9}
          fill="none"
          stroke={theme.accent}
          strokeWidth={2}
          strokeDasharray="5 3"
        />
      )}
      {c.spec.hatch ? (
        <>
          <rect width={r(c.w)} height={r(c.h)} rx={6} fill={`url(#${prefix}-hatch)`} />
          <rect x={6} y={6} width={r(c.w - 12)} height={r(c.h - 12)} rx={4} fill={fill} />
          <rect
            width={r(c.w)}
            height={r(c.h)}
            rx={6}
            fill="none"
            stroke={s.stroke}
            strokeWidth={s.width}
            strokeDasharray={s.dash}
          />
        </>
      ) : (
        <rect
          width={r(c.w)}
          height={r(c.h)}
          rx={6}
          fill={fill}
          stroke={s.stroke}
          strokeWidth={s.width}
          strokeDasharray={s.dash}
        />
      )}
      <text x={r(c.title.x)} y={r(c.title.y)} fill={theme.text} fontSize={c.title.size} fontWeight={700}>
        {c.title.text}
      </text>
      {c.badge && <BadgeView b={c.badge} theme={theme} />}
      <PartsView parts={c.parts} theme={theme} bg={fill} />
      {c.inner && <CardView c={c.inner} theme={theme} prefix={prefix} parentX={c.x} parentY={c.y} />}
    </g>
  );
}, sameProps);

export const Legend = memo(function Legend({
  items,
  theme,
  prefix,
}: {
  items: LegendItem[];
  theme: Theme;
  prefix: string;
}) {
  return (
    <g data-layer="legend" aria-hidden="true">
      {items.map((it) => {
        const s = strokeFor(it.sample, theme);
        const y = it.y + 9;
        return (
          <g key={it.sample}>
            <path
              d={`M${r(it.x)},${r(y)} H${r(it.x + 26)}`}
              fill="none"
              stroke={s.stroke}
              strokeWidth={s.width}
              strokeDasharray={s.dash}
              markerEnd={s.arrow ? `url(#${markerId(prefix, it.sample)})` : undefined}
            />
            <text x={r(it.x + 32)} y={r(y + 4)} fill={theme.textMuted} fontSize={11}>
              {it.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}, sameProps);

/**
 * Props equal in value: a step builds a new layout, but most cards, edges and
 * tags come out the same, and React then skips them (a forward step during
 * autoplay re-renders the few parts that changed). The geometry objects are
 * plain data, so comparing their JSON is exact; it costs far less than
 * reconciling the SVG of a card. Each object is serialised once (it is
 * compared as the new props, then as the old ones).
 */
const jsonOf = new WeakMap<object, string>();
function json(o: object): string {
  let j = jsonOf.get(o);
  if (j === undefined) jsonOf.set(o, (j = JSON.stringify(o)));
  return j;
}

function sameProps<P extends object>(a: P, b: P): boolean {
  const ka = Object.keys(a) as (keyof P)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (json(x) !== json(y)) return false;
  }
  return true;
}
