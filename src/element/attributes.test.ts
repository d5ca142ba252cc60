import { describe, expect, it } from 'vitest';
import {
  attributeNotice,
  attributesToQuery,
  parseAttributes,
  parseExplorerAttribute,
  parseStepAttribute,
  parseThemeAttribute,
} from './attributes.ts';

const attrs = (o: Record<string, string>) => (n: string) => o[n] ?? null;

describe('element attributes', () => {
  it("read like the page's URL", () => {
    const get = attrs({
      scenario: 'last-ref-deadlock',
      era: 'after',
      step: ' 32 ',
      theme: 'dark',
      schedule: 'Q,Q,KV',
      other: 'x',
    });
    expect(attributesToQuery(get)).toBe(
      '?scenario=last-ref-deadlock&era=after&step=32&schedule=Q%2CQ%2CKV&theme=dark',
    );
    expect(parseAttributes(get)).toEqual({
      state: {
        scenario: 'last-ref-deadlock',
        scenarioJson: null,
        era: 'after',
        step: 32,
        schedule: ['Q', 'Q', 'KV'],
        theme: 'dark',
      },
      notices: [],
    });
    expect(attributesToQuery(attrs({}))).toBe('');
  });

  it('bad values fall back with a notice, as in the URL', () => {
    const p = parseAttributes(attrs({ scenario: 'no such!', era: 'v9', step: 'ten' }));
    expect(p.state).toMatchObject({ scenario: null, era: null, step: null });
    expect(p.notices.map((n) => n.id)).toEqual(['scenario', 'era', 'step']);
  });

  it('step and theme changes', () => {
    expect(parseStepAttribute('12')).toBe(12);
    expect(parseStepAttribute(null)).toBe(0);
    expect(parseStepAttribute('-1')).toBeNull();
    expect(parseStepAttribute('1e3')).toBeNull();
    expect(parseThemeAttribute('dark')).toBe('dark');
    expect(parseThemeAttribute('light')).toBe('light');
    expect(parseThemeAttribute('auto')).toBe('auto');
    expect(parseThemeAttribute('solarized')).toBe('auto');
    expect(parseThemeAttribute(null)).toBe('auto');
  });

  it('explorer: an http(s) address for "Open in vfio-kvm-explorer", else the default', () => {
    const base = 'https://docs.example.org/guide/page.html';
    const def = 'https://docs.example.org/assets/';
    expect(parseExplorerAttribute('https://example.org/vke/', base, def)).toBe('https://example.org/vke/');
    expect(parseExplorerAttribute('/tools/vke/', base, def)).toBe('https://docs.example.org/tools/vke/');
    expect(parseExplorerAttribute(null, base, def)).toBe(def);
    expect(parseExplorerAttribute('  ', base, def)).toBe(def);
    expect(parseExplorerAttribute('javascript:alert(1)', base, def)).toBe(def);
    expect(parseExplorerAttribute('data:text/html,x', base, def)).toBe(def);
    expect(parseExplorerAttribute('http://[bad', base, def)).toBe(def);
  });
});

describe('live step and theme attributes', () => {
  it('raise the notice the same value gives at load, worded for a change in place', () => {
    expect(attributeNotice('step', '12')).toBeNull();
    expect(attributeNotice('step', null)).toBeNull();
    // Past the end of the run shown: the last step, and the notice the same address gives at load.
    expect(attributeNotice('step', '12', 12)).toBeNull();
    expect(attributeNotice('step', '1000000', 58)).toEqual({
      id: 'step',
      text: 'step=1000000 is past the end of this run (58 micro-steps); showing the last step.',
    });
    expect(attributeNotice('step', 'ten')).toEqual({
      id: 'step',
      text: 'step="ten" is not a step number (0, 1, 2, …); the step shown stays.',
    });
    expect(attributeNotice('theme', ' dark ')).toBeNull();
    expect(attributeNotice('theme', 'auto')).toBeNull();
    expect(attributeNotice('theme', '')?.id).toBe('theme');
    expect(attributeNotice('theme', 'solarized')?.text).toMatch(
      /is not light, dark or auto; following the system setting\.$/,
    );
  });
});
