/**
 * How an edge is stroked. Each pointer state differs in dash pattern, width
 * and glyph as well as colour, so no state is told by colour alone:
 *
 * | state                     | stroke                 | arrow | glyph / tag       |
 * |---------------------------|------------------------|-------|-------------------|
 * | counted reference         | solid, 3.5 px          | yes   | "K · ref"         |
 * | raw pointer (not counted) | dashed 7-4, 2 px       | yes   | "K"               |
 * | NULL                      | dotted 1-4, 1.25 px    | no    | "NULL"            |
 * | → VM being destroyed      | dash-dot, 2.5 px       | yes   | hourglass, "dying"|
 * | → freed VM (dangling)     | short dash 3-3, 2.5 px | yes   | ⊗, "freed!"       |
 * | listed by KVM-VFIO        | dotted 2-4, 1.25 px    | no    | "listed"          |
 * | structural (belongs to)   | solid, 1.25 px         | no    | —                 |
 */
import type { EdgeSpec } from './flowModel.ts';
import type { IconKind } from './icons.tsx';
import type { Theme, Tone } from './theme.ts';

export type EdgeLook = 'counted' | 'pointer' | 'null' | 'dying' | 'dangling' | 'listed' | 'structural';

export function edgeLook(e: Pick<EdgeSpec, 'kind' | 'health' | 'counted'>): EdgeLook {
  if (e.kind === 'structural') return 'structural';
  if (e.kind === 'listed' || e.health === null) return 'listed';
  if (e.health === 'null') return 'null';
  if (e.health === 'dying') return 'dying';
  if (e.health === 'dangling') return 'dangling';
  return e.counted ? 'counted' : 'pointer';
}

export interface Stroke {
  stroke: string;
  width: number;
  dash?: string;
  arrow: boolean;
  glyph?: IconKind;
  tone: Tone;
}

export function strokeFor(look: EdgeLook, theme: Theme): Stroke {
  switch (look) {
    case 'counted':
      return { stroke: theme.edge.counted, width: 3.5, arrow: true, tone: 'ok' };
    case 'pointer':
      return { stroke: theme.edge.pointer, width: 2, dash: '7 4', arrow: true, tone: 'accent' };
    case 'null':
      return { stroke: theme.edge.null, width: 1.25, dash: '1 4', arrow: false, tone: 'muted' };
    case 'dying':
      return {
        stroke: theme.edge.dying,
        width: 2.5,
        dash: '10 3 2 3',
        arrow: true,
        glyph: 'destroying',
        tone: 'warn',
      };
    case 'dangling':
      return {
        stroke: theme.edge.dangling,
        width: 2.5,
        dash: '3 3',
        arrow: true,
        glyph: 'freed',
        tone: 'danger',
      };
    case 'listed':
      return { stroke: theme.edge.structural, width: 1.25, dash: '2 4', arrow: false, tone: 'muted' };
    case 'structural':
      return { stroke: theme.edge.structural, width: 1.25, arrow: false, tone: 'muted' };
  }
}

const ARROWS: EdgeLook[] = ['counted', 'pointer', 'dying', 'dangling'];

export function markerId(prefix: string, look: EdgeLook): string {
  return `${prefix}-arrow-${look}`;
}

/** Arrow markers, one per look (SVG 1.1 markers cannot take the path's colour), and the hatch pattern. */
export function FlowDefs({ prefix, theme }: { prefix: string; theme: Theme }) {
  return (
    <defs>
      {ARROWS.map((look) => (
        <marker
          key={look}
          id={markerId(prefix, look)}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={10}
          markerHeight={10}
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill={strokeFor(look, theme).stroke} />
        </marker>
      ))}
      <pattern
        id={`${prefix}-hatch`}
        width={8}
        height={8}
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width={8} height={8} fill={theme.dangerBg} />
        <rect width={3} height={8} fill={theme.hatch} />
      </pattern>
    </defs>
  );
}
