import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ReferenceFlow, type ReferenceFlowProps } from './ReferenceFlow.tsx';
import { buildFlow, describeFlow } from './flowModel.ts';
import { layoutFlow } from './flowLayout.ts';
import { inferredNotes } from './notes.ts';
import { moment, prettySvg, violationStep, type Moment } from './testing.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { ERA_IDS, type EraId } from '../model/era.ts';
import { runScenario } from '../model/run.ts';
import { describeState } from '../model/view.ts';
import { textWidth } from './text.ts';
import type { ViolationKind } from '../model/types.ts';

function flowSvg(m: Moment, extra: Partial<ReferenceFlowProps> = {}): string {
  return renderToStaticMarkup(
    <ReferenceFlow
      view={m.view}
      step={m.step}
      violations={m.violations}
      totalSteps={m.steps.length}
      idPrefix="rf"
      {...extra}
    />,
  );
}

/** The element `<g data-node="id" …>…</g>` (balanced), as markup. */
function element(svg: string, attr: string, value: string): string {
  const open = svg.indexOf(`${attr}="${value.replace(/>/g, '&gt;')}"`);
  if (open < 0) throw new Error(`no element with ${attr}="${value}"`);
  const start = svg.lastIndexOf('<', open);
  const tag = /^<([a-zA-Z]+)/.exec(svg.slice(start))![1]!;
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*?(/?)>`, 'g');
  re.lastIndex = start;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    if (m[2]) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return svg.slice(start, m.index + m[0].length);
  }
  throw new Error('unbalanced');
}

function texts(markup: string): string[] {
  return [...markup.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]!));
}
function decode(s: string): string {
  return s
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}
/** The value drawn for a `data-anim` key (wrapped lines joined). */
function animText(svg: string, key: string): string {
  const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...svg.matchAll(new RegExp(`<text\\b[^>]*data-anim="${k}"[^>]*>([^<]*)</text>`, 'g'))]
    .map((m) => decode(m[1]!))
    .join(' ');
}
function allText(markup: string): string {
  return texts(markup).join(' ');
}
function titleOf(markup: string): string {
  const m = /<title>([^<]*)<\/title>/.exec(markup);
  return m ? decode(m[1]!) : '';
}
function ids(svg: string): string[] {
  return [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
}

const SNAPSHOTS: {
  name: string;
  id: string;
  era: EraId;
  /** A step, -1 for the last, or the step where the run first finds a violation of this kind. */
  n: number | { violation: ViolationKind };
  width: number;
  theme: 'light' | 'dark';
}[] = [
  {
    name: 'flow-del-while-open-before-null-deref',
    id: 'del-while-open',
    era: 'before',
    n: { violation: 'null-deref' },
    width: 1200,
    theme: 'light',
  },
  {
    name: 'flow-last-ref-deadlock-after-deadlock',
    id: 'last-ref-deadlock',
    era: 'after',
    n: -1,
    width: 1100,
    theme: 'dark',
  },
  {
    name: 'flow-gvt-ref-leak-after-end',
    id: 'gvt-ref-leak',
    era: 'after',
    n: -1,
    width: 960,
    theme: 'light',
  },
  {
    name: 'flow-happy-path-fixed-midway-phone',
    id: 'happy-path',
    era: 'fixed',
    n: 16,
    width: 360,
    theme: 'light',
  },
  {
    name: 'flow-del-then-add-other-vm-before-end',
    id: 'del-then-add-other-vm',
    era: 'before',
    n: -1,
    width: 1400,
    theme: 'dark',
  },
  {
    name: 'flow-two-mdevs-same-vm-after-end',
    id: 'two-mdevs-same-vm',
    era: 'after',
    n: -1,
    width: 1400,
    theme: 'light',
  },
];

describe('ReferenceFlow snapshots (open the .svg files to review a change)', () => {
  for (const s of SNAPSHOTS) {
    test(s.name, async () => {
      const n = typeof s.n === 'number' ? s.n : violationStep(s.id, s.era, s.n.violation);
      const m = moment(s.id, s.era, n);
      const drivers = Object.fromEntries(m.run.model.scenario.devices.map((d) => [d.id, d.driver]));
      const svg = flowSvg(m, { width: s.width, theme: s.theme, notes: inferredNotes(s.id, s.era, drivers) });
      await expect(`<?xml version="1.0" encoding="UTF-8"?>\n${prettySvg(svg)}`).toMatchFileSnapshot(
        `./__snapshots__/${s.name}.svg`,
      );
    });
  }
});

describe('ReferenceFlow structure', () => {
  test('the accessible name starts with "KVM reference flow" and a description summarises the state', () => {
    const m = moment('last-ref-deadlock', 'after');
    const svg = flowSvg(m);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    const labelled = /aria-labelledby="([^"]+)"/.exec(svg)![1]!;
    const title = new RegExp(`<title id="${labelled}">([^<]*)</title>`).exec(svg)![1]!;
    expect(title.startsWith('KVM reference flow')).toBe(true);
    expect(title).toContain('step 32 of 32');
    const described = /aria-describedby="([^"]+)"/.exec(svg)![1]!;
    const desc = decode(new RegExp(`<desc id="${described}">([^<]*)</desc>`).exec(svg)![1]!);
    expect(desc).toContain('VIOLATION at step 32: deadlock');
    expect(desc).toContain('VM K: being destroyed, users_count 0');
  });

  test('node labels show users_count and open_count from the model', () => {
    for (const [id, era, n] of [
      ['happy-path', 'after', 20],
      ['two-mdevs-same-vm', 'after', -1],
      ['del-then-add-other-vm', 'before', 40],
      ['second-opener', 'after', 40],
    ] as const) {
      const m = moment(id, era, n);
      const svg = flowSvg(m);
      for (const vm of m.view.vms) expect(animText(svg, `users:${vm.id}`)).toBe(String(vm.users));
      for (const d of m.view.devices) expect(animText(svg, `open:${d.id}`)).toBe(String(d.openCount));
    }
    // a value that is not 0 or 1 somewhere
    const m = moment('two-mdevs-same-vm', 'after');
    expect(m.view.vms[0]!.users).toBe(4);
    expect(animText(flowSvg(m), 'users:K')).toBe('4');
  });

  test('a NULL pointer shows the text "NULL"', () => {
    const m = moment('del-while-open', 'before', violationStep('del-while-open', 'before', 'null-deref'));
    expect(m.view.groups[0]!.kvm.health).toBe('null');
    const svg = flowSvg(m);
    expect(animText(svg, 'ptr:group:G')).toBe('NULL');
    expect(animText(svg, 'ptr:driver:D')).toBe('NULL');
    expect(titleOf(element(svg, 'data-node', 'group:G'))).toContain('kvm is NULL');
  });

  test('device->kvm does not exist before the patch: said plainly, not drawn as NULL', () => {
    for (const era of ['v5.18', 'before'] as const) {
      const svg = flowSvg(moment('happy-path', era, 30));
      expect(animText(svg, 'ptr:device:D')).toBe('no device->kvm before the patch');
      expect(element(svg, 'data-edge', 'group:G->device:D')).toContain('no device-&gt;kvm before the patch');
    }
    const after = flowSvg(moment('happy-path', 'after', 0));
    expect(animText(after, 'ptr:device:D')).toBe('NULL');
  });

  test('a freed VM and a VM being destroyed carry non-colour markers', () => {
    // Before the patch the pointer swap leaves K2 freed while GVT still names it (the C-swap row of the bug
    // table); in v5.18 GVT's own counted copy frees it cleanly, drawn neutral (flowArrows.test.tsx).
    const freed = moment('del-then-add-other-vm', 'before');
    expect(freed.view.vms.find((v) => v.id === 'K2')!.state).toBe('freed');
    const svg = flowSvg(freed);
    const card = element(svg, 'data-node', 'vm:K2');
    expect(texts(card)).toContain('FREED');
    expect(card).toContain('fill="url(#rf-hatch)"'); // cross-hatched frame
    expect(card).toMatch(/stroke-dasharray="8 3"/); // dashed border
    expect(allText(card)).toContain('freed: any pointer to it dangles');

    const dying = flowSvg(moment('last-ref-deadlock', 'after'));
    const k = element(dying, 'data-node', 'vm:K');
    expect(texts(k)).toContain('DESTROYING');
    expect(allText(k)).toContain('kvm_destroy_vm under way');
    expect(animText(dying, 'ptr:group:G')).toBe('→ K (destroying)');
  });

  test('a dangling pointer reads "→ K (freed!)" and its edge is drawn differently', () => {
    // find a real state with a dangling driver pointer
    let found: { svg: string; vm: string; d: string } | null = null;
    outer: for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const run = runScenario(sc, { era });
        for (const s of run.states) {
          const v = describeState(run.model, s);
          const d = v.devices.find((x) => x.driver.kvm.health === 'dangling');
          if (d) {
            const svg = renderToStaticMarkup(<ReferenceFlow view={v} idPrefix="x" />);
            found = { svg, vm: d.driver.kvm.vm!, d: d.id };
            break outer;
          }
        }
      }
    expect(found).not.toBeNull();
    const { svg, vm, d } = found!;
    expect(animText(svg, `ptr:driver:${d}`)).toBe(`→ ${vm} (freed!)`);
    expect(svg).toMatch(/data-look="dangling"/);
    expect(svg).toContain(`freed!`);
  });

  test('violations are impossible to miss: a banner with text, not colour alone', () => {
    const n = violationStep('del-while-open', 'before', 'null-deref');
    const svg = flowSvg(moment('del-while-open', 'before', n));
    const banner = element(svg, 'data-layer', 'violations');
    expect(texts(banner).join(' ')).toContain(
      `VIOLATION · step ${n} · null-deref in __intel_vgpu_release (thread W)`,
    );
    expect(banner).toContain('stroke-width="2.5"');
    // and none when there is none
    expect(flowSvg(moment('happy-path', 'after'))).not.toContain('data-layer="violations"');
  });

  test('banner={false} (where the page names the violations beside the diagram): no banner, and the flow is that much shorter', () => {
    const n = violationStep('gvt-ref-leak', 'after', 'refcount-leak');
    const m = moment('gvt-ref-leak', 'after', n);
    const withBanner = flowSvg(m);
    const without = flowSvg(m, { banner: false });
    expect(withBanner).toContain('data-layer="violations"');
    expect(without).not.toContain('data-layer="violations"');
    expect(without).not.toContain('VIOLATION ·');
    // The object the violation concerns is still marked in the flow itself.
    expect(texts(without).join(' ')).toContain(`refcount-leak (step ${n})`);
    const height = (svg: string) => Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)![1]);
    const banner = layoutFlow(buildFlow(m.view, { step: m.step, violations: m.violations }), {}).banner!;
    expect(height(without)).toBe(height(withBanner) - banner.h - 10);
  });

  test('every node and every edge has an accessible description', () => {
    const m = moment('gvt-ref-leak', 'after');
    const svg = flowSvg(m);
    const nodes = [...svg.matchAll(/data-node="([^"]+)"/g)].map((x) => x[1]!);
    const edges = [...svg.matchAll(/data-edge="([^"]+)"/g)].map((x) => x[1]!);
    expect(nodes.length).toBe(2 + 2 * 2 + 2); // VM, KVM-VFIO, 2 groups, 2 devices, 2 drivers
    expect(edges.length).toBeGreaterThanOrEqual(6);
    for (const id of nodes) expect(titleOf(element(svg, 'data-node', id)).length).toBeGreaterThan(20);
    for (const id of edges) expect(titleOf(element(svg, 'data-edge', id)).length).toBeGreaterThan(20);
    expect(titleOf(element(svg, 'data-edge', 'group:G1->vm:K'))).toBe(
      "G1.kvm points to K (not a counted reference); K's KVM-VFIO device lists G1.",
    );
    expect(titleOf(element(svg, 'data-edge', 'device:V2->driver:V2'))).toContain('is NULL');
  });

  test('a counted reference and a raw pointer are told apart in words and strokes', () => {
    // Arrows run from the holder to the VM its pointer names.
    const svg = flowSvg(moment('happy-path', 'fixed', 22));
    const core = element(svg, 'data-edge', 'device:D->vm:K');
    expect(titleOf(core)).toContain('the core holds a counted reference');
    expect(core).toContain('data-look="counted"');
    const drv = element(svg, 'data-edge', 'driver:D->vm:K');
    expect(titleOf(drv)).toContain('(a counted reference)');
    const grp = element(svg, 'data-edge', 'group:G->vm:K');
    expect(grp).toContain('data-look="pointer"');
    expect(grp).toContain('stroke-dasharray="7 4"');
    // The path the pointer was copied along stays drawn, thin, as a connector.
    expect(element(svg, 'data-edge', 'group:G->device:D')).toContain('data-look="copy"');
    expect(element(svg, 'data-edge', 'kvm_vfio:K->group:G')).toContain('data-look="listed"');
  });

  test('ids are unique, carry the idPrefix, and every reference resolves', () => {
    const m = moment('del-then-add-other-vm', 'v5.18');
    const a = flowSvg(m, { idPrefix: 'left' });
    const b = flowSvg(m, { idPrefix: 'right' });
    for (const [svg, p] of [
      [a, 'left'],
      [b, 'right'],
    ] as const) {
      const all = ids(svg);
      expect(all.length).toBeGreaterThan(3);
      expect(new Set(all).size).toBe(all.length);
      for (const id of all) expect(id.startsWith(`${p}-`)).toBe(true);
      for (const ref of svg.matchAll(/url\(#([^)]+)\)/g)) expect(all).toContain(ref[1]);
      for (const ref of svg.matchAll(/aria-(?:labelledby|describedby)="([^"]+)"/g))
        expect(all).toContain(ref[1]);
    }
    const both = [...ids(a), ...ids(b)];
    expect(new Set(both).size).toBe(both.length);
  });

  test('without idPrefix, two instances still get different ids', () => {
    const m = moment('happy-path', 'after', 10);
    const svg = renderToStaticMarkup(
      <div>
        <ReferenceFlow view={m.view} />
        <ReferenceFlow view={m.view} />
      </div>,
    );
    const all = ids(svg);
    expect(all.length).toBeGreaterThan(6);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
  });

  test('no style attribute, no <style> element, no external resource', () => {
    for (const [id, era] of [
      ['two-mdevs-same-vm', 'before'],
      ['last-ref-deadlock', 'after'],
    ] as const)
      for (const width of [360, 1400])
        for (const theme of ['light', 'dark'] as const) {
          const svg = flowSvg(moment(id, era), { width, theme });
          expect(svg).not.toMatch(/\sstyle=/);
          expect(svg).not.toContain('<style');
          expect(svg).not.toMatch(/href=|@import|url\((?!#)/);
        }
  });

  test('INFERRED facts can be flagged on their node and in a footnote', () => {
    const m = moment('del-while-open', 'before', violationStep('del-while-open', 'before', 'null-deref'));
    const svg = flowSvg(m, { notes: inferredNotes('del-while-open', 'before', { D: 'gvt' }) });
    expect(texts(element(svg, 'data-node', 'driver:D'))).toContain('INFERRED [1]');
    expect(texts(element(svg, 'data-layer', 'notes')).join(' ')).toContain('GVT oops mechanism');
    expect(flowSvg(m)).not.toContain('INFERRED');
    expect(inferredNotes('del-while-open', 'after')).toEqual([]);
    expect(inferredNotes('recursive-rlock', 'after').length).toBe(1);
  });

  test('the markup is a pure function of the props', () => {
    const m = moment('open-vs-teardown-race', 'after', 12);
    expect(flowSvg(m)).toBe(flowSvg(m));
  });

  test('a narrow width gives a vertical layout that fits a 360 px phone', () => {
    const m = moment('two-mdevs-same-vm', 'after');
    const svg = flowSvg(m, { width: 360 });
    expect(svg).toContain('data-layout="narrow"');
    expect(svg).toMatch(/^<svg [^>]*width="360"/);
    expect(flowSvg(m, { width: 1400 })).toContain('data-layout="wide"');
  });

  test('describeFlow gives a text alternative with one entry per node and edge', () => {
    const m = moment('gvt-ref-leak', 'after');
    const d = describeFlow(m.view, { step: m.step });
    expect(d.title.startsWith('KVM reference flow')).toBe(true);
    expect(d.nodes.map((n) => n.id)).toContain('driver:V2');
    expect(d.edges.length).toBeGreaterThanOrEqual(6);
  });
});

describe('ReferenceFlow layout over every built-in scenario', () => {
  test('no text leaves its card, no cards overlap, no NaN, at 360, 720, 960 and 1600 px', () => {
    let checked = 0;
    for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const run = runScenario(sc, { era });
        const picks = [0, Math.floor(run.records.length / 2), run.records.length];
        for (const n of picks) {
          const view = describeState(run.model, run.states[n]!);
          const flow = buildFlow(view, { violations: run.violations.filter((v) => v.step <= n) });
          for (const width of [360, 720, 960, 1600]) {
            const lay = layoutFlow(flow, { width });
            const where = `${sc.id}@${era} step ${n} width ${width}`;
            expect(JSON.stringify(lay), where).not.toMatch(/NaN|null,null/);
            const cards = lay.cards.flatMap((c) => (c.inner ? [c, c.inner] : [c]));
            for (const c of cards) {
              expect(c.x, where).toBeGreaterThanOrEqual(0);
              expect(c.x + c.w, where).toBeLessThanOrEqual(width + 0.5);
              for (const p of c.parts)
                if (p.kind === 'text') {
                  const right = p.x + textWidth(p.text, p.size, p.bold);
                  expect(right, `${where}: "${p.text}" in ${c.spec.id}`).toBeLessThanOrEqual(c.w - 6);
                }
              if (c.badge)
                expect(c.badge.x + c.badge.w, `${where}: badge of ${c.spec.id}`).toBeLessThanOrEqual(c.w - 6);
            }
            const top = lay.cards;
            for (let i = 0; i < top.length; i++)
              for (let j = i + 1; j < top.length; j++) {
                const a = top[i]!;
                const b = top[j]!;
                const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
                expect(overlap, `${where}: ${a.spec.id} overlaps ${b.spec.id}`).toBe(false);
              }
            expect(Math.max(...top.map((c) => c.y + c.h)), where).toBeLessThanOrEqual(lay.height);
            checked++;
          }
        }
      }
    expect(checked).toBe(BUILTINS.length * ERA_IDS.length * 3 * 4);
  });
});
