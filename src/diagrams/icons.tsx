/**
 * Small vector glyphs, drawn as paths so that no font has to supply them
 * (emoji and symbol coverage differs between the page, a shadow root and an
 * SVG file opened in an image viewer). Every icon is decorative: the text
 * next to it says the same thing.
 */
export type IconKind =
  'warning' | 'freed' | 'destroying' | 'check' | 'lock' | 'null' | 'blocked' | 'loop' | 'inferred';

export function Icon({
  kind,
  x,
  y,
  size = 12,
  color,
  bg,
}: {
  kind: IconKind;
  /** Top-left corner. */
  x: number;
  y: number;
  size?: number;
  color: string;
  /** Fill behind strokes (the card's surface). */
  bg: string;
}) {
  const s = size / 12;
  const t = `translate(${r(x)},${r(y)}) scale(${r(s)})`;
  switch (kind) {
    case 'warning':
      return (
        <g transform={t} aria-hidden="true">
          <path
            d="M6 0.8 L11.6 11 L0.4 11 Z"
            fill={color}
            stroke={color}
            strokeWidth={1}
            strokeLinejoin="round"
          />
          <rect x={5.25} y={3.8} width={1.5} height={4} fill={bg} />
          <rect x={5.25} y={8.6} width={1.5} height={1.5} fill={bg} />
        </g>
      );
    case 'freed':
      return (
        <g transform={t} aria-hidden="true">
          <circle cx={6} cy={6} r={5.4} fill={color} />
          <path d="M3.6 3.6 L8.4 8.4 M8.4 3.6 L3.6 8.4" stroke={bg} strokeWidth={1.8} strokeLinecap="round" />
        </g>
      );
    case 'destroying':
      return (
        <g transform={t} aria-hidden="true">
          <path d="M2 0.8 H10 M2 11.2 H10" stroke={color} strokeWidth={1.4} strokeLinecap="round" />
          <path
            d="M2.8 1.4 L9.2 1.4 L6 6 Z M6 6 L9.2 10.6 L2.8 10.6 Z"
            fill="none"
            stroke={color}
            strokeWidth={1.2}
            strokeLinejoin="round"
          />
          <path d="M4.4 10 L7.6 10 L6 7.8 Z" fill={color} />
        </g>
      );
    case 'check':
      return (
        <g transform={t} aria-hidden="true">
          <path
            d="M1.5 6.5 L4.6 9.6 L10.5 2.6"
            fill="none"
            stroke={color}
            strokeWidth={2}
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </g>
      );
    case 'lock':
      return (
        <g transform={t} aria-hidden="true">
          <path d="M3.4 5.4 V3.8 A2.6 2.6 0 0 1 8.6 3.8 V5.4" fill="none" stroke={color} strokeWidth={1.4} />
          <rect x={1.8} y={5.2} width={8.4} height={6.2} rx={1} fill={color} />
        </g>
      );
    case 'null':
      return (
        <g transform={t} aria-hidden="true">
          <circle cx={6} cy={6} r={4.4} fill="none" stroke={color} strokeWidth={1.4} />
          <path d="M1.4 10.6 L10.6 1.4" stroke={color} strokeWidth={1.4} strokeLinecap="round" />
        </g>
      );
    case 'blocked':
      return (
        <g transform={t} aria-hidden="true">
          <rect x={2} y={1.5} width={3} height={9} rx={0.6} fill={color} />
          <rect x={7} y={1.5} width={3} height={9} rx={0.6} fill={color} />
        </g>
      );
    case 'loop':
      return (
        <g transform={t} aria-hidden="true">
          <path
            d="M9.8 4.2 A4.4 4.4 0 1 0 10.4 7.4"
            fill="none"
            stroke={color}
            strokeWidth={1.6}
            strokeLinecap="round"
          />
          <path
            d="M7.4 4.4 L10.2 4.6 L10.4 1.6"
            fill="none"
            stroke={color}
            strokeWidth={1.6}
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </g>
      );
    case 'inferred':
      return (
        <g transform={t} aria-hidden="true">
          <circle
            cx={6}
            cy={6}
            r={5.2}
            fill="none"
            stroke={color}
            strokeWidth={1.2}
            strokeDasharray="1.6 1.4"
          />
          <rect x={5.3} y={5} width={1.4} height={4.2} fill={color} />
          <rect x={5.3} y={2.6} width={1.4} height={1.4} fill={color} />
        </g>
      );
  }
}

/** Round to 0.1 px: shorter markup, stable snapshots. */
export function r(n: number): number {
  return Math.round(n * 10) / 10;
}
