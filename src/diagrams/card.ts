/**
 * Laying text out inside a card: rows of "label value" that wrap to the card's
 * width, with estimated widths (text.ts). Pure geometry; the components draw it.
 */
import type { IconKind } from './icons.tsx';
import type { Tone } from './theme.ts';
import { textWidth, truncate, wrap } from './text.ts';

export interface TextPart {
  kind: 'text';
  x: number;
  /** Baseline. */
  y: number;
  text: string;
  tone: Tone;
  size: number;
  bold: boolean;
  italic: boolean;
  anim?: string;
}
export interface IconPart {
  kind: 'icon';
  x: number;
  y: number;
  size: number;
  icon: IconKind;
  tone: Tone;
}
export interface BoxPart {
  kind: 'box';
  x: number;
  y: number;
  w: number;
  h: number;
  tone: Tone;
  dotted: boolean;
  anim?: string;
}
export type Part = TextPart | IconPart | BoxPart;

export interface RowInput {
  label?: string;
  text: string;
  tone?: Tone;
  bold?: boolean;
  size?: number;
  icon?: IconKind;
  boxed?: boolean | 'dotted';
  italic?: boolean;
  anim?: string;
}

export function lineHeight(size: number): number {
  return Math.round(size * 1.4);
}

const ICON_GAP = 4;
const BOX_PAD = 4;

/**
 * Lay out rows from (x, y) (top-left) within `width`. Returns parts and the
 * total height. A row whose label and value do not fit on one line puts the
 * value on the next line(s), indented by 8 px.
 */
export function layoutRows(
  rows: readonly RowInput[],
  x: number,
  y: number,
  width: number,
): { parts: Part[]; height: number } {
  const parts: Part[] = [];
  let cy = y;
  for (const row of rows) {
    const size = row.size ?? 12;
    const lh = lineHeight(size);
    const bold = !!row.bold;
    const italic = !!row.italic;
    const tone = row.tone ?? 'normal';
    const boxed = row.boxed ?? false;
    const iconW = row.icon ? size + ICON_GAP : 0;
    const boxPad = boxed ? BOX_PAD : 0;
    const labelText = row.label ? `${row.label} ` : '';
    const labelW = row.label ? textWidth(labelText, 11) : 0;
    const valueW = textWidth(row.text, size, bold);
    const extra = boxed ? 2 : 0;
    let vx = x;
    let lines: string[];
    if (labelW + iconW + valueW + 2 * boxPad <= width) {
      if (row.label)
        parts.push(
          text(
            x,
            cy + lh - Math.round((lh - size) / 2) - 1 + extra,
            labelText.trimEnd(),
            'muted',
            11,
            false,
            false,
          ),
        );
      vx = x + labelW;
      lines = [row.text];
    } else {
      if (row.label) {
        parts.push(text(x, cy + lineHeight(11) - 1, row.label, 'muted', 11, false, false));
        cy += lineHeight(11);
      }
      vx = row.label ? x + 8 : x;
      lines = wrap(row.text, Math.max(20, width - (vx - x) - iconW - 2 * boxPad), size, bold);
    }
    const firstBox = parts.length;
    let boxTop = 0;
    let boxW = 0;
    let lastBaseline = 0;
    lines.forEach((line, i) => {
      const baseline = cy + lh - Math.round((lh - size) / 2) - 1 + extra;
      let tx = vx;
      if (row.icon && i === 0) {
        parts.push({ kind: 'icon', x: tx, y: baseline - size + 1, size, icon: row.icon, tone });
      }
      tx += iconW;
      const fitted = truncate(line, Math.max(8, width - (tx - x) - 2 * boxPad), size, bold);
      if (i === 0) boxTop = baseline - size - 1;
      lastBaseline = baseline;
      boxW = Math.max(boxW, textWidth(fitted, size, bold) + 2 * boxPad);
      parts.push(text(tx + boxPad, baseline, fitted, tone, size, bold, italic, row.anim));
      cy += lh + (i === lines.length - 1 ? 2 * extra : 0);
    });
    if (boxed) {
      const bx = vx + iconW;
      // The box goes under the text: insert it before this row's text parts.
      parts.splice(firstBox, 0, {
        kind: 'box',
        x: bx,
        y: boxTop,
        w: boxW,
        h: lastBaseline + 4 - boxTop,
        tone,
        dotted: boxed === 'dotted',
        anim: row.anim,
      });
    }
  }
  return { parts, height: cy - y };
}

function text(
  x: number,
  y: number,
  t: string,
  tone: Tone,
  size: number,
  bold: boolean,
  italic: boolean,
  anim?: string,
): TextPart {
  return { kind: 'text', x, y, text: t, tone, size, bold, italic, anim };
}

/** A titled card: title (bold 13) with an optional badge on its right, or below when it does not fit. */
export interface CardTitleInput {
  title: string;
  badge?: { text: string; tone: Tone; icon?: IconKind };
}

export interface BadgeGeom {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  tone: Tone;
  icon?: IconKind;
}

export const CARD_PAD_X = 10;
export const CARD_PAD_Y = 8;
const TITLE_SIZE = 13;
/** The counters a reader follows (a VM's users_count, a device's open_count): one size, so that they read alike. */
export const COUNT_SIZE = 14;
const BADGE_SIZE = 11;

export function badgeWidth(b: { text: string; icon?: IconKind }): number {
  return textWidth(b.text, BADGE_SIZE, true) + 12 + (b.icon ? BADGE_SIZE + 3 : 0);
}

export function layoutTitle(
  t: CardTitleInput,
  x: number,
  y: number,
  width: number,
): { title: TextPart; badge: BadgeGeom | null; height: number } {
  const bw = t.badge ? badgeWidth(t.badge) : 0;
  const titleW = textWidth(t.title, TITLE_SIZE, true);
  const lh = 18;
  if (!t.badge) {
    return {
      title: text(x, y + 14, truncate(t.title, width, TITLE_SIZE, true), 'normal', TITLE_SIZE, true, false),
      badge: null,
      height: lh,
    };
  }
  if (titleW + 8 + bw <= width) {
    return {
      title: text(x, y + 14, t.title, 'normal', TITLE_SIZE, true, false),
      badge: {
        x: x + width - bw,
        y: y + 1,
        w: bw,
        h: 16,
        text: t.badge.text,
        tone: t.badge.tone,
        icon: t.badge.icon,
      },
      height: lh,
    };
  }
  return {
    title: text(x, y + 14, truncate(t.title, width, TITLE_SIZE, true), 'normal', TITLE_SIZE, true, false),
    badge: {
      x,
      y: y + lh + 1,
      w: Math.min(bw, width),
      h: 16,
      text: t.badge.text,
      tone: t.badge.tone,
      icon: t.badge.icon,
    },
    height: lh + 20,
  };
}
