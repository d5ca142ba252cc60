import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { LockDiagram, layoutLocks } from './LockDiagram.tsx';
import { buildLocks, findDeadlocks } from './locks.ts';
import { moment, prettySvg } from './testing.ts';
import type { LockView } from '../model/view.ts';
import { BUILTINS } from '../scenarios/index.ts';
import { ERA_IDS } from '../model/era.ts';
import { runScenario } from '../model/run.ts';
import { describeState } from '../model/view.ts';
import { textWidth } from './text.ts';

function texts(markup: string): string {
  return [...markup.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)]
    .map((m) => m[1]!.replace(/&gt;/g, '>').replace(/&#x27;/g, "'"))
    .join(' | ');
}

describe('LockDiagram snapshots', () => {
  const cases = [
    {
      name: 'locks-last-ref-deadlock-after-self-wait',
      id: 'last-ref-deadlock',
      era: 'after',
      n: -1,
      width: 720,
      theme: 'light',
    },
    {
      name: 'locks-two-mdevs-same-vm-before-mid',
      id: 'two-mdevs-same-vm',
      era: 'before',
      n: 60,
      width: 640,
      theme: 'dark',
    },
    {
      name: 'locks-kvm-add-del-race-v5.18-phone',
      id: 'kvm-add-del-race',
      era: 'v5.18',
      n: 10,
      width: 360,
      theme: 'light',
    },
  ] as const;
  for (const c of cases)
    test(c.name, async () => {
      const m = moment(c.id, c.era, c.n);
      const svg = renderToStaticMarkup(
        <LockDiagram
          view={m.view}
          step={m.step}
          totalSteps={m.steps.length}
          width={c.width}
          theme={c.theme}
          idPrefix="lk"
        />,
      );
      await expect(`<?xml version="1.0" encoding="UTF-8"?>\n${prettySvg(svg)}`).toMatchFileSnapshot(
        `./__snapshots__/${c.name}.svg`,
      );
    });
});

describe('LockDiagram structure', () => {
  test('the self-deadlock on G.group_rwsem is named, marked and drawn', () => {
    const m = moment('last-ref-deadlock', 'after');
    const svg = renderToStaticMarkup(<LockDiagram view={m.view} step={m.step} idPrefix="lk" />);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    const title = /<title id="lk-title">([^<]*)<\/title>/.exec(svg)![1]!;
    expect(title.startsWith('Locks — after')).toBe(true);
    const t = texts(svg);
    expect(t).toContain('DEADLOCK: Q waits for G.group_rwsem for write, which Q holds itself for read');
    expect(t).toContain('Q · read');
    expect(t).toContain('1. Q · write (holds it!)');
    const row = svg.slice(svg.indexOf('data-lock="lock:group_rwsem:G"'));
    expect(row.slice(0, 2000)).toContain('marker-end="url(#lk-loop-arrow)"');
    expect(svg).toContain(
      'waiting, in order: 1. Q for write. Q waits for this lock while holding it: deadlock.',
    );
  });

  test('owners and FIFO waiters keep their order and modes', () => {
    const lock: LockView = {
      key: 'lock:group_rwsem:G',
      name: 'G.group_rwsem',
      kind: 'rwsem',
      exists: true,
      owners: [{ thread: 'Q', mode: 'read' }],
      waiters: [
        { thread: 'KV', mode: 'write' },
        { thread: 'Q', mode: 'read' },
      ],
      summary: 'Q holds it for read',
    };
    const view = { ...moment('recursive-rlock', 'after', 20).view };
    view.locks = view.locks.map((l) => (l.key === lock.key ? lock : l));
    const svg = renderToStaticMarkup(<LockDiagram view={view} idPrefix="lk" />);
    const t = texts(svg);
    expect(t.indexOf('1. KV · write')).toBeGreaterThan(-1);
    expect(t.indexOf('2. Q · read (holds it!)')).toBeGreaterThan(t.indexOf('1. KV · write'));
    // scenario L: Q waits behind KV, KV waits for Q → a cycle, plus Q's own re-read
    const dl = findDeadlocks(view.locks);
    expect(dl.map((d) => d.threads.join('>'))).toEqual(['KV>Q', 'Q']);
    expect(t).toContain('DEADLOCK: KV waits for Q waits for KV: none of them can move.');
  });

  test('only locks that exist in the era are rows; the others are listed as absent', () => {
    const v518 = buildLocks(moment('happy-path', 'v5.18', 10).view);
    expect(v518.rows.map((r) => r.lock.name)).not.toContain('G.group_rwsem');
    expect(v518.absent.map((l) => l.name)).toContain('G.group_rwsem');
    expect(v518.rows.map((r) => r.lock.name)).toContain('G.notifier.rwsem');
    const after = buildLocks(moment('happy-path', 'after', 10).view);
    expect(after.rows.map((r) => r.lock.name)).toContain('G.group_rwsem');
    expect(after.absent.map((l) => l.name)).toEqual(['G.notifier.rwsem']);
    // matrix_dev->lock only with a vfio-ap device
    expect(after.rows.map((r) => r.lock.name)).not.toContain('matrix_dev->lock');
    const ap = buildLocks(moment('ap-del-while-open', 'after', 10).view);
    expect(ap.rows.map((r) => r.lock.name)).toContain('matrix_dev->lock');
    const names = new Set(
      buildLocks(moment('two-mdevs-same-vm', 'before', 60).view).rows.map((r) =>
        r.lock.name.replace(/^[A-Z0-9]+/, '*'),
      ),
    );
    for (const n of [
      '*.group_rwsem',
      '*.dev_set->lock',
      "*'s KVM-VFIO lock",
      '*->lock',
      'matrix_dev->lock',
      '*.notifier.rwsem',
    ])
      expect(names).toContain(n);
  });

  test('hideFree keeps the busy locks and names the free ones', () => {
    const m = moment('last-ref-deadlock', 'after');
    const spec = buildLocks(m.view, { hideFree: true });
    expect(spec.rows.map((r) => r.lock.name)).toEqual(['G.group_rwsem', 'D.dev_set->lock']);
    expect(spec.hidden.map((l) => l.name)).toEqual(["K's KVM-VFIO lock", 'K->lock']);
    const svg = renderToStaticMarkup(<LockDiagram view={m.view} hideFree idPrefix="h" />);
    expect(texts(svg)).toContain("K's KVM-VFIO lock, K->lock");
  });

  test('ids carry the prefix and are unique; no style', () => {
    const m = moment('last-ref-deadlock', 'after');
    const svg = renderToStaticMarkup(
      <>
        <LockDiagram view={m.view} idPrefix="a" />
        <LockDiagram view={m.view} idPrefix="b" />
      </>,
    );
    const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((x) => x[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((i) => i.startsWith('a-') || i.startsWith('b-'))).toBe(true);
    expect(svg).not.toMatch(/\sstyle=|<style/);
  });

  test('chips and names fit their rows over every built-in scenario, at 360 and 720 px', () => {
    for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const run = runScenario(sc, { era });
        for (const n of [0, Math.floor(run.records.length / 2), run.records.length]) {
          const spec = buildLocks(describeState(run.model, run.states[n]!));
          for (const width of [360, 720]) {
            const lay = layoutLocks(spec, null, width);
            const where = `${sc.id}@${era} step ${n} width ${width}`;
            expect(JSON.stringify(lay), where).not.toContain('NaN');
            for (const row of lay.rows) {
              for (const c of row.chips) expect(c.x + c.w, where).toBeLessThanOrEqual(width - 6);
              for (const p of row.name)
                if (p.kind === 'text')
                  expect(p.x + textWidth(p.text, p.size, p.bold), where).toBeLessThanOrEqual(width - 12);
            }
          }
        }
      }
  });
});
