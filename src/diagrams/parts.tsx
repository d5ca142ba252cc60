/** Drawing laid-out text parts and badges (card.ts) with theme colours. */
import type { BadgeGeom, Part } from './card.ts';
import { Icon, r } from './icons.tsx';
import { textWidth } from './text.ts';
import { toneBg, toneColor, type Theme } from './theme.ts';

export function PartsView({ parts, theme, bg }: { parts: readonly Part[]; theme: Theme; bg: string }) {
  return (
    <>
      {parts.map((p, i) => {
        switch (p.kind) {
          case 'text':
            return (
              <text
                key={i}
                x={r(p.x)}
                y={r(p.y)}
                fill={toneColor(theme, p.tone)}
                fontSize={p.size}
                fontWeight={p.bold ? 700 : undefined}
                fontStyle={p.italic ? 'italic' : undefined}
                data-anim={p.anim}
              >
                {p.text}
              </text>
            );
          case 'icon':
            return (
              <Icon
                key={i}
                kind={p.icon}
                x={p.x}
                y={p.y}
                size={p.size}
                color={toneColor(theme, p.tone)}
                bg={bg}
              />
            );
          case 'box':
            return (
              <rect
                key={i}
                x={r(p.x)}
                y={r(p.y)}
                width={r(p.w)}
                height={r(p.h)}
                rx={3}
                fill={p.dotted ? bg : toneBg(theme, p.tone)}
                stroke={toneColor(theme, p.tone)}
                strokeWidth={1}
                strokeDasharray={p.dotted ? '2 2' : undefined}
                data-anim={p.anim}
              />
            );
        }
      })}
    </>
  );
}

export function BadgeView({ b, theme }: { b: BadgeGeom; theme: Theme }) {
  const bg = toneBg(theme, b.tone);
  const fg = toneColor(theme, b.tone);
  const iconW = b.icon ? 14 : 0;
  return (
    <g>
      <rect x={r(b.x)} y={r(b.y)} width={r(b.w)} height={b.h} rx={8} fill={bg} stroke={fg} strokeWidth={1} />
      {b.icon && <Icon kind={b.icon} x={b.x + 6} y={b.y + 2.5} size={11} color={fg} bg={bg} />}
      <text x={r(b.x + 6 + iconW)} y={r(b.y + 12)} fill={fg} fontSize={11} fontWeight={700}>
        {b.text}
      </text>
    </g>
  );
}

/** A small pill with text, centred on (x, y). */
export function Tag({
  x,
  y,
  text,
  theme,
  tone,
}: {
  x: number;
  y: number;
  text: string;
  theme: Theme;
  tone: Parameters<typeof toneColor>[1];
}) {
  const w = textWidth(text, 11, true) + 8;
  const fg = toneColor(theme, tone);
  return (
    <g aria-hidden="true">
      <rect
        x={r(x - w / 2)}
        y={r(y - 8)}
        width={r(w)}
        height={16}
        rx={4}
        fill={theme.bg}
        stroke={fg}
        strokeWidth={1}
      />
      <text x={r(x)} y={r(y + 4)} fill={fg} fontSize={11} fontWeight={700} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}
