/**
 * The element's attributes (issue 6): thousands of generated attribute sets
 * (good and bad values of scenario, era, step and theme, plus unrelated
 * attributes with hostile values) through the element's own reader and the
 * player, as the element starts it. Never a throw; a notice for exactly the
 * bad attributes; a valid, runnable moment that still steps; and the step and
 * theme changes the element applies without a reload are judged the same way.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { elementAttributesArb, nastyStringArb } from '../testing/arbitraries.ts';
import { PlayerDriver } from '../view/player/driver.ts';
import { getRun } from '../view/player/runs.ts';
import { URL_LIMITS } from '../view/url.ts';
import {
  attributesToQuery,
  parseAttributes,
  parseStepAttribute,
  parseThemeAttribute,
  type AttributeName,
} from './attributes.ts';

describe('element attributes (fuzz)', () => {
  test('a notice for exactly the bad attributes; the player starts at a valid moment and still steps', () => {
    fc.assert(
      fc.property(elementAttributesArb, ({ attrs, bad }) => {
        const get = (n: AttributeName) => (Object.hasOwn(attrs, n) ? attrs[n]! : null);
        const parsed = parseAttributes(get);
        const ids = parsed.notices.map((n) => n.id);
        if (attributesToQuery(get).length > URL_LIMITS.query) {
          // Attributes longer than an address may be are refused as a whole, with that notice.
          expect(ids).toContain('url-too-long');
        } else {
          // The element trims its attributes (the address does not): a padded value is judged by what it pads.
          const padded = (k: string) => Object.hasOwn(attrs, k) && attrs[k]!.trim() !== attrs[k];
          for (const k of bad)
            if (!padded(k)) expect(ids, `${k}=${JSON.stringify(attrs[k]).slice(0, 80)}`).toContain(k);
          for (const k of ['scenario', 'era', 'step', 'theme'])
            if (!bad.includes(k)) expect(ids).not.toContain(k);
        }

        const p = new PlayerDriver({ search: attributesToQuery(get), hash: '' });
        try {
          const ctx = p.ctx;
          const d = getRun(ctx.scenario, ctx.era, ctx.schedule);
          expect(ctx.total).toBe(d.total);
          expect(ctx.step >= 0 && ctx.step <= ctx.total).toBe(true);
          const n = ctx.step;
          if (n < ctx.total) expect(p.send({ type: 'step.forward' }).ctx.step).toBe(n + 1);
          else expect(p.send({ type: 'step.back' }).ctx.step).toBe(n - 1);
        } finally {
          p.stop();
        }
      }),
      { numRuns: 1500 },
    );
  });

  test('step and theme attribute changes: a step number or null, a theme, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(nastyStringArb, fc.nat().map(String), fc.constant(null)), (v) => {
        const step = parseStepAttribute(v);
        expect(step === null || (Number.isSafeInteger(step) && step >= 0)).toBe(true);
        if (v !== null && /^\s*(0|[1-9]\d{0,5})\s*$/.test(v)) expect(step).toBe(Number(v.trim()));
        expect(['light', 'dark', 'auto']).toContain(parseThemeAttribute(v));
      }),
      { numRuns: 3000 },
    );
  });
});
