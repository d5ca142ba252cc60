/**
 * How an edge is stroked. Pointer arrows run from the holder to the VM its
 * pointer names (`G->kvm` points at K); each pointer state differs in dash
 * pattern, width and glyph as well as colour, so no state is told by colour
 * alone. The thin grey connectors show where a pointer is copied from.
 *
 * | state                                  | stroke                 | arrow   | glyph / tag          |
 * |----------------------------------------|------------------------|---------|----------------------|
 * | counted reference → VM                 | solid, 3.5 px          | filled  | "D->kvm · ref"       |
 * | raw pointer (not counted) → VM         | dashed 7-4, 2 px       | filled  | "G->kvm"             |
 * | → VM being destroyed                   | dash-dot, 2.5 px       | filled  | hourglass, "dying"   |
 * | → freed VM (dangling)                  | short dash 3-3, 2.5 px | filled  | ⊗, "freed!"          |
 * | reference kept, pointer elsewhere/NULL | solid, 3 px            | filled  | warning sign         |
 * | copied along (first open, open_device) | solid, 1.25 px         | chevron | —                    |
 * | SET_KVM notifier call                  | dashed 5-3, 1.25 px    | chevron | —                    |
 * | listed by KVM-VFIO                     | dotted 2-4, 1.25 px    | chevron | —                    |
 * | structural (belongs to)                | solid, 1.25 px         | none    | —                    |
 *
 * A NULL pointer has no arrow: its card says NULL in a dotted box.
 */
import { memo } from 'react';
import type { EdgeSpec } from './flowModel.ts';
import type { IconKind } from './icons.tsx';
import type { Theme, Tone } from './theme.ts';

export type EdgeLook =
  | 'counted'
  | 'pointer'
  | 'null'
  | 'dying'
  | 'dangling'
  | 'refonly'
  | 'copy'
  | 'notifier'
  | 'listed'
  | 'structural';

export function edgeLook(e: Pick<EdgeSpec, 'kind' | 'health' | 'counted' | 'refOnly'>): EdgeLook {
  switch (e.kind) {
    case 'structural':
      return 'structural';
    case 'copy':
      return 'copy';
    case 'notifier':
      return 'notifier';
    case 'listed':
      return 'listed';
  }
  if (e.health === null || e.health === 'null') return 'null';
  if (e.health === 'dying') return 'dying';
  if (e.health === 'dangling') return 'dangling';
  if (e.refOnly) return 'refonly';
  return e.counted ? 'counted' : 'pointer';
}

export interface Stroke {
  stroke: string;
  width: number;
  dash?: string;
  /** A filled arrowhead (pointer into a VM), an open chevron (a connector), or none. */
  arrow: 'filled' | 'chevron' | null;
  glyph?: IconKind;
  tone: Tone;
}

export function strokeFor(look: EdgeLook, theme: Theme): Stroke {
  switch (look) {
    case 'counted':
      return { stroke: theme.edge.counted, width: 3.5, arrow: 'filled', tone: 'ok' };
    case 'pointer':
      return { stroke: theme.edge.pointer, width: 2, dash: '7 4', arrow: 'filled', tone: 'accent' };
    case 'null':
      return { stroke: theme.edge.null, width: 1.25, dash: '1 4', arrow: null, tone: 'muted' };
    case 'dying':
      return {
        stroke: theme.edge.dying,
        width: 2.5,
        dash: '10 3 2 3',
        arrow: 'filled',
        glyph: 'destroying',
        tone: 'warn',
      };
    case 'dangling':
      return {
        stroke: theme.edge.dangling,
        width: 2.5,
        dash: '3 3',
        arrow: 'filled',
        glyph: 'freed',
        tone: 'danger',
      };
    case 'refonly':
      return { stroke: theme.warn, width: 3, arrow: 'filled', glyph: 'warning', tone: 'warn' };
    case 'copy':
      return { stroke: theme.edge.structural, width: 1.25, arrow: 'chevron', tone: 'muted' };
    case 'notifier':
      return { stroke: theme.edge.structural, width: 1.25, dash: '5 3', arrow: 'chevron', tone: 'muted' };
    case 'listed':
      return { stroke: theme.edge.structural, width: 1.25, dash: '2 4', arrow: 'chevron', tone: 'muted' };
    case 'structural':
      return { stroke: theme.edge.structural, width: 1.25, arrow: null, tone: 'muted' };
  }
}

const FILLED: EdgeLook[] = ['counted', 'pointer', 'dying', 'dangling', 'refonly'];
const CHEVRON: EdgeLook[] = ['copy', 'notifier', 'listed'];

export function markerId(prefix: string, look: EdgeLook): string {
  return CHEVRON.includes(look) ? `${prefix}-chevron` : `${prefix}-arrow-${look}`;
}

/** Arrow markers, one per look (SVG 1.1 markers cannot take the path's colour), the chevron, the hatch. */
export const FlowDefs = memo(function FlowDefs({ prefix, theme }: { prefix: string; theme: Theme }) {
  return (
    <defs>
      {FILLED.map((look) => (
        <marker
          key={look}
          id={markerId(prefix, look)}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={11}
          markerHeight={11}
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill={strokeFor(look, theme).stroke} />
        </marker>
      ))}
      <marker
        id={`${prefix}-chevron`}
        viewBox="0 0 10 10"
        refX={9}
        refY={5}
        markerWidth={8}
        markerHeight={8}
        markerUnits="userSpaceOnUse"
        orient="auto"
      >
        <path d="M1,1 L9,5 L1,9" fill="none" stroke={theme.edge.structural} strokeWidth={1.5} />
      </marker>
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
});
