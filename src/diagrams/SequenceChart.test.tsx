import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { SequenceChart, keyTarget, sequenceModel } from './SequenceChart.tsx';
import { moment, prettySvg, violationStep } from './testing.ts';
import type { ViolationKind } from '../model/types.ts';
import { opLabel } from '../model/model.ts';

function chart(
  id: string,
  era: Parameters<typeof moment>[1],
  n: number | { violation: ViolationKind },
  extra: Partial<Parameters<typeof SequenceChart>[0]> = {},
) {
  const m = moment(id, era, typeof n === 'number' ? n : violationStep(id, era, n.violation));
  return {
    m,
    svg: renderToStaticMarkup(
      <SequenceChart
        steps={m.steps}
        threads={m.threads}
        current={m.n}
        onSelect={() => {}}
        opLabels={m.run.model.scenario.steps.map(opLabel)}
        violations={m.run.violations}
        idPrefix="sq"
        {...extra}
      />,
    ),
  };
}

describe('SequenceChart snapshots', () => {
  const cases = [
    {
      name: 'seq-del-while-open-before-null-deref',
      id: 'del-while-open',
      era: 'before',
      n: { violation: 'null-deref' },
      width: 1200,
      theme: 'light',
    },
    {
      name: 'seq-last-ref-deadlock-after-end',
      id: 'last-ref-deadlock',
      era: 'after',
      n: -1,
      width: 900,
      theme: 'dark',
    },
    {
      name: 'seq-kvm-add-del-race-fixed-start-phone',
      id: 'kvm-add-del-race',
      era: 'fixed',
      n: 0,
      width: 360,
      theme: 'light',
    },
  ] as const;
  for (const c of cases)
    test(c.name, async () => {
      const { svg } = chart(c.id, c.era, c.n, { width: c.width, theme: c.theme });
      await expect(`<?xml version="1.0" encoding="UTF-8"?>\n${prettySvg(svg)}`).toMatchFileSnapshot(
        `./__snapshots__/${c.name}.svg`,
      );
    });
});

describe('SequenceChart structure', () => {
  test('one lane per thread, one option per micro-step plus the initial state, current selected and tabbable', () => {
    const at = violationStep('del-while-open', 'before', 'null-deref');
    const { m, svg } = chart('del-while-open', 'before', at);
    for (const t of m.threads) expect(svg).toContain(`data-lane="${t}"`);
    const options = [...svg.matchAll(/role="option"/g)];
    expect(options.length).toBe(m.steps.length + 1);
    expect([...svg.matchAll(/aria-selected="true"/g)].length).toBe(1);
    expect([...svg.matchAll(/tabindex="0"/g)].length).toBe(1);
    expect(svg).toMatch(new RegExp(`data-n="${at}"[^>]*aria-selected="true"[^>]*tabindex="0"`));
    expect(svg).toContain('role="listbox"');
    expect(svg).toMatch(
      new RegExp(`aria-label="Step ${at} of ${m.steps.length}, thread W: [^"]*violation: null-deref"`),
    );
  });

  test('op boundaries carry the op and its result; violations and blocked spans are labelled', () => {
    const { svg } = chart('del-while-open', 'before', { violation: 'null-deref' });
    expect(svg).toContain('>kvm_add_group(K, G)<');
    expect(svg).toContain('>run_work() → crashed<');
    expect(svg).toContain('>null-deref<');
    const dl = chart('last-ref-deadlock', 'after', -1).svg;
    expect(dl).toContain('>blocked, never resumes<');
    expect(dl).toContain('>deadlock<');
    const leak = chart('gvt-ref-leak', 'after', -1).svg;
    expect(leak).toContain('>refcount-leak<'); // an end-of-run violation, from the violations prop
  });

  test('without onSelect it is a static image with no focus stops', () => {
    const m = moment('happy-path', 'after', 5);
    const svg = renderToStaticMarkup(
      <SequenceChart steps={m.steps} threads={m.threads} current={5} idPrefix="s" />,
    );
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).not.toContain('tabindex');
    expect(svg).not.toContain('role="option"');
  });

  test('keyboard: arrows, Home/End, PageUp/PageDown, lanes up and down', () => {
    const m = moment('del-while-open', 'before');
    const st = m.steps;
    const th = m.threads; // Q, KV, W
    expect(th).toEqual(['Q', 'KV', 'W']);
    expect(keyTarget('ArrowRight', 10, st, th)).toBe(11);
    expect(keyTarget('ArrowLeft', 0, st, th)).toBe(0);
    expect(keyTarget('ArrowRight', st.length, st, th)).toBe(st.length);
    expect(keyTarget('Home', 30, st, th)).toBe(0);
    expect(keyTarget('End', 3, st, th)).toBe(st.length);
    expect(keyTarget('PageDown', 55, st, th)).toBe(st.length);
    expect(keyTarget('PageUp', 15, st, th)).toBe(5);
    expect(keyTarget('Enter', 7, st, th)).toBe(7);
    expect(keyTarget('x', 7, st, th)).toBeNull();
    // The default schedule runs Q, then KV, then W, then Q again: step 20 is Q's, before KV's first step, so
    // down is KV's nearest step (its first), then W's nearest (its first); up from there is KV's last.
    const first = (t: string) => st.find((s) => s.thread === t)!.n;
    const last = (t: string) => [...st].reverse().find((s) => s.thread === t)!.n;
    expect(st[19]!.thread).toBe('Q');
    expect(first('KV')).toBeGreaterThan(20);
    expect(first('W')).toBeGreaterThan(last('KV'));
    expect(keyTarget('ArrowDown', 20, st, th)).toBe(first('KV'));
    expect(keyTarget('ArrowDown', first('KV'), st, th)).toBe(first('W'));
    expect(keyTarget('ArrowDown', first('W'), st, th)).toBe(first('W'));
    expect(keyTarget('ArrowUp', first('W'), st, th)).toBe(last('KV'));
    expect(keyTarget('ArrowDown', 0, st, th)).toBe(1);
  });

  test('sequenceModel pairs op starts with their results', () => {
    const m = moment('gvt-ref-leak', 'after', -1);
    const model = sequenceModel(
      m.steps,
      m.threads,
      m.run.model.scenario.steps.map(opLabel),
      m.run.violations,
    );
    const results = model.ops.map((o) => `${o.thread} ${o.label} ${o.result}`);
    expect(results).toContain('Q open_device(V2) -EEXIST');
    expect(model.violations.get(58)!.map((v) => v.kind)).toEqual(['refcount-leak']);
  });

  test('wide enough for its steps; ids prefixed and unique; no style', () => {
    const { m, svg } = chart('two-mdevs-same-vm', 'before', 10, { width: 360 });
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeGreaterThanOrEqual((m.steps.length + 1) * 8);
    expect(svg).toContain('data-scroll="true"');
    const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((x) => x[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((i) => i.startsWith('sq-'))).toBe(true);
    expect(svg).not.toMatch(/\sstyle=|<style/);
    expect(svg).not.toContain('NaN');
  });
});
