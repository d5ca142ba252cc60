import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { SequenceChart, keyTarget, sequenceModel } from './SequenceChart.tsx';
import { moment, prettySvg } from './testing.ts';
import { opLabel } from '../model/model.ts';

function chart(
  id: string,
  era: Parameters<typeof moment>[1],
  n: number,
  extra: Partial<Parameters<typeof SequenceChart>[0]> = {},
) {
  const m = moment(id, era, n);
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
      n: 53,
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
    const { m, svg } = chart('del-while-open', 'before', 53);
    for (const t of m.threads) expect(svg).toContain(`data-lane="${t}"`);
    const options = [...svg.matchAll(/role="option"/g)];
    expect(options.length).toBe(m.steps.length + 1);
    expect([...svg.matchAll(/aria-selected="true"/g)].length).toBe(1);
    expect([...svg.matchAll(/tabindex="0"/g)].length).toBe(1);
    expect(svg).toMatch(/data-n="53"[^>]*aria-selected="true"[^>]*tabindex="0"/);
    expect(svg).toContain('role="listbox"');
    expect(svg).toMatch(/aria-label="Step 53 of 61, thread W: [^"]*violation: null-deref"/);
  });

  test('op boundaries carry the op and its result; violations and blocked spans are labelled', () => {
    const { svg } = chart('del-while-open', 'before', 53);
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
    const m = moment('del-while-open', 'before', 53);
    const st = m.steps;
    const th = m.threads; // Q, KV, W
    expect(keyTarget('ArrowRight', 10, st, th)).toBe(11);
    expect(keyTarget('ArrowLeft', 0, st, th)).toBe(0);
    expect(keyTarget('ArrowRight', st.length, st, th)).toBe(st.length);
    expect(keyTarget('Home', 30, st, th)).toBe(0);
    expect(keyTarget('End', 3, st, th)).toBe(st.length);
    expect(keyTarget('PageDown', 55, st, th)).toBe(st.length);
    expect(keyTarget('PageUp', 15, st, th)).toBe(5);
    expect(keyTarget('Enter', 7, st, th)).toBe(7);
    expect(keyTarget('x', 7, st, th)).toBeNull();
    // step 20 is Q's; down is KV's nearest step (34), then W's nearest (46)
    expect(st[19]!.thread).toBe('Q');
    expect(keyTarget('ArrowDown', 20, st, th)).toBe(34);
    expect(keyTarget('ArrowDown', 34, st, th)).toBe(46);
    expect(keyTarget('ArrowDown', 46, st, th)).toBe(46);
    expect(keyTarget('ArrowUp', 46, st, th)).toBe(45);
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
    const { svg } = chart('two-mdevs-same-vm', 'before', 10, { width: 360 });
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeGreaterThanOrEqual(131 * 8);
    expect(svg).toContain('data-scroll="true"');
    const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((x) => x[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((i) => i.startsWith('sq-'))).toBe(true);
    expect(svg).not.toMatch(/\sstyle=|<style/);
    expect(svg).not.toContain('NaN');
  });
});
