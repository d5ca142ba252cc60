import { describe, expect, test } from 'vitest';
import {
  DARK,
  LIGHT,
  contrastRatio,
  themeColorMap,
  toneBg,
  toneColor,
  type Theme,
  type Tone,
} from './theme.ts';
import { textWidth, truncate, wrap } from './text.ts';
import { sanitizeId } from './ids.ts';

const TONES: Tone[] = ['normal', 'muted', 'ok', 'warn', 'danger', 'accent'];

describe.each([LIGHT, DARK])('theme $name', (t: Theme) => {
  test('every text tone passes WCAG AA (4.5:1) on every surface text is drawn on', () => {
    const surfaces = { bg: t.bg, surface: t.surface, surface2: t.surface2, dangerBg: t.dangerBg };
    for (const tone of TONES)
      for (const [name, bg] of Object.entries(surfaces))
        expect(contrastRatio(toneColor(t, tone), bg), `${tone} on ${name}`).toBeGreaterThanOrEqual(4.5);
  });

  test('badges: a tone on its own tint passes AA', () => {
    for (const tone of TONES)
      expect(contrastRatio(toneColor(t, tone), toneBg(t, tone)), tone).toBeGreaterThanOrEqual(4.5);
  });

  test('inverse text (current-step pill, tokens) passes AA', () => {
    expect(contrastRatio(t.bg, t.accent)).toBeGreaterThanOrEqual(4.5);
    for (const fill of [t.token.ptr, t.token.get, t.token.put])
      expect(contrastRatio(t.token.text, fill), fill).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(t.token.text, t.edge.null)).toBeGreaterThanOrEqual(3); // "NULL" token: large bold text
  });

  test('lines and marks stand out from the background (3:1, WCAG 1.4.11)', () => {
    for (const [name, c] of Object.entries(t.edge)) {
      expect(contrastRatio(c, t.bg), `edge ${name}`).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(c, t.surface), `edge ${name} on surface`).toBeGreaterThanOrEqual(2.9);
    }
    for (const c of t.threads) {
      expect(contrastRatio(c, t.bg), c).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(c, t.surface), c).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio(t.border, t.bg)).toBeGreaterThanOrEqual(3);
  });

  test('fonts are system stacks, nothing to download', () => {
    expect(t.fontSans).toMatch(/^system-ui,.*sans-serif$/);
    expect(t.fontMono).toMatch(/monospace$/);
  });
});

describe('text measurement', () => {
  test('wrap keeps every line within the width (except a single character)', () => {
    const s = 'vfio_register_iommu_notifier takes G.group_rwsem for read while GVT attaches the vGPU to K2';
    for (const w of [40, 80, 120, 200])
      for (const line of wrap(s, w, 12)) expect(line.length === 1 || textWidth(line, 12) <= w).toBe(true);
    expect(wrap('', 100, 12)).toEqual(['']);
    expect(wrap('abc', 1, 12)).toEqual(['a', 'b', 'c']);
  });

  test('truncate ends with an ellipsis and fits', () => {
    const t = truncate('open_device(D) → -EEXIST', 60, 11);
    expect(t.endsWith('…')).toBe(true);
    expect(textWidth(t, 11)).toBeLessThanOrEqual(60);
    expect(truncate('short', 200, 11)).toBe('short');
  });

  test('bold is wider than regular; unknown characters count as 1 em', () => {
    expect(textWidth('users_count', 12, true)).toBeGreaterThan(textWidth('users_count', 12));
    expect(textWidth('☃', 10)).toBe(10);
  });

  test('ids are XML names', () => {
    expect(sanitizeId('«r1»')).toBe('d-r1-');
    expect(sanitizeId('flow:r0:')).toBe('flow-r0-');
    expect(sanitizeId('ok_id-1')).toBe('ok_id-1');
  });
});

describe('themeColorMap', () => {
  test('pairs each colour of one theme with the colour of the same token in the other', () => {
    const map = themeColorMap(LIGHT, DARK);
    expect(map.get(LIGHT.bg)).toBe(DARK.bg);
    expect(map.get(LIGHT.edge.dying)).toBe(DARK.edge.dying);
    expect(map.get(LIGHT.threads[5]!)).toBe(DARK.threads[5]);
    expect(map.has(LIGHT.fontSans)).toBe(false);
  });

  test('refuses a colour that stands for two (dark draws warn and dying in one colour, light in two)', () => {
    expect(() => themeColorMap(DARK, LIGHT)).toThrow(/#e3b341 .* stands for both/);
  });
});
