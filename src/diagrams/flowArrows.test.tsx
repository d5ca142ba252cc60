/** The reference flow's arrows point at the VM; a normal end of a VM's life is not an alarm. */
import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ReferenceFlow } from './ReferenceFlow.tsx';
import { buildFlow } from './flowModel.ts';
import { layoutFlow } from './flowLayout.ts';
import { moment } from './testing.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { runScenario } from '../model/run.ts';
import { describeState } from '../model/view.ts';
import { LIGHT } from './theme.ts';

/** The element `<g data-node="id" …>…</g>` (balanced), as markup. */
function element(svg: string, attr: string, value: string): string {
  const open = svg.indexOf(`${attr}="${value}"`);
  if (open < 0) throw new Error(`no element with ${attr}="${value}"`);
  const start = svg.lastIndexOf('<', open);
  let depth = 0;
  const re = /<(\/?)g\b[^>]*?(\/?)>/g;
  re.lastIndex = start;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    if (m[2]) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return svg.slice(start, m.index + m[0].length);
  }
  throw new Error('unbalanced');
}
function texts(markup: string): string[] {
  return [...markup.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('pointer arrows and lifecycle ends', () => {
  test('every pointer arrow starts at its holder and ends on the VM it names', () => {
    for (const [id, era, n] of [
      ['two-mdevs-same-vm', 'after', -1],
      ['del-then-add-other-vm', 'v5.18', 40],
      ['happy-path', 'fixed', 22],
      ['kvm-add-del-race', 'after', 6],
    ] as const) {
      const m = moment(id, era, n);
      const flow = buildFlow(m.view, { violations: m.violations });
      for (const width of [360, 820, 1400]) {
        const lay = layoutFlow(flow, { width });
        const card = (nid: string) => lay.cards.find((c) => c.spec.id === nid)!;
        const arrows = lay.edges.filter((e) => e.spec.kind === 'pointer');
        expect(arrows.length, `${id} ${width}`).toBeGreaterThan(0);
        for (const e of arrows) {
          expect(e.spec.to).toBe(`vm:${e.spec.vm}`);
          const nums = e.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
          const [sx, sy] = [nums[0]!, nums[1]!];
          const [tx, ty] = [nums[nums.length - 2]!, nums[nums.length - 1]!];
          const on = (c: ReturnType<typeof card>, x: number, y: number) =>
            x >= c.x - 0.5 && x <= c.x + c.w + 0.5 && y >= c.y - 0.5 && y <= c.y + c.h + 0.5;
          const where = `${id} ${width}px ${e.spec.id}: ${e.d}`;
          expect(on(card(e.spec.from), sx, sy), `starts on its holder: ${where}`).toBe(true);
          const vm = card(e.spec.to);
          expect(on(vm, tx, ty), `ends on the VM: ${where}`).toBe(true);
          // …on its edge, not inside: the arrowhead touches the card.
          expect(Math.min(Math.abs(ty - (vm.y + vm.h)), Math.abs(tx - (vm.x + vm.w))), where).toBeLessThan(
            0.6,
          );
        }
      }
    }
  });

  test('a VM freed after its last put, with nothing pointing at it, is drawn neutral; with a pointer left, as an alarm', () => {
    let neutral: string | null = null;
    for (const sc of BUILTINS) {
      const run = runScenario(sc, { era: 'fixed' });
      const v = describeState(run.model, run.states[run.records.length]!);
      const vm = v.vms.find((x) => x.state === 'freed');
      if (vm && run.violations.length === 0) {
        neutral = element(
          renderToStaticMarkup(<ReferenceFlow view={v} idPrefix="n" />),
          'data-node',
          `vm:${vm.id}`,
        );
        break;
      }
    }
    expect(neutral).not.toBeNull();
    expect(texts(neutral!)).toContain('FREED');
    expect(texts(neutral!).join(' ')).toContain('freed after its last put; nothing points at it');
    expect(neutral!).not.toContain('hatch');
    expect(neutral!).not.toMatch(/stroke-dasharray="8 3"/);
    expect(neutral!).not.toContain(LIGHT.danger);
  });
});
