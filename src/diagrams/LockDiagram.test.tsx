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
  test('the self-deadlock on G.group_rwsem is named, marked and drawn as a cycle', () => {
    const m = moment('last-ref-deadlock', 'after');
    const svg = renderToStaticMarkup(<LockDiagram view={m.view} step={m.step} idPrefix="lk" />);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    const title = /<title id="lk-title">([^<]*)<\/title>/.exec(svg)![1]!;
    expect(title.startsWith('Locks — after')).toBe(true);
    const t = texts(svg);
    expect(t).toContain('DEADLOCK: Q waits for G.group_rwsem for write, which Q holds itself for read');
    // Who holds (lock → thread, the mode) and who waits (thread → lock, place in the queue and mode).
    expect(t).toContain('read');
    expect(t).toContain('#1 write');
    // The two arrows between Q and the lock close the cycle: both marked, both red, arrowheads on.
    const hold = svg.slice(svg.indexOf('data-wait="hold:lock:group_rwsem:G:Q"'));
    const wait = svg.slice(svg.indexOf('data-wait="wait:Q:lock:group_rwsem:G"'));
    for (const e of [hold, wait]) {
      expect(e.slice(0, 120)).toContain('data-cycle="true"');
      expect(e.slice(0, 600)).toContain('marker-end="url(#lk-arrow-cycle)"');
    }
    expect(svg).toContain(
      'Q waits for G.group_rwsem for write, first in its queue, while holding it itself.',
    );
    expect(svg).toContain(
      'waiting, in order: 1. Q for write. Q waits for this lock while holding it: deadlock.',
    );
    // D.dev_set->lock is held but not on the cycle.
    expect(svg.slice(svg.indexOf('data-wait="hold:lock:dev_set:D:Q"')).slice(0, 80)).not.toContain(
      'data-cycle',
    );
  });

  test('owners and FIFO waiters keep their order and modes; a cycle through the queue is drawn', () => {
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
    expect(t.indexOf('#1 write')).toBeGreaterThan(-1);
    expect(t.indexOf('#2 read')).toBeGreaterThan(t.indexOf('#1 write'));
    expect(svg).toContain('KV waits for G.group_rwsem for write, first in its queue.');
    expect(svg).toContain(
      'Q waits for G.group_rwsem for read, second in its queue, while holding it itself.',
    );
    // scenario L: Q waits behind KV, KV waits for Q → a cycle, plus Q's own re-read
    const dl = findDeadlocks(view.locks);
    expect(dl.map((d) => d.threads.join('>'))).toEqual(['KV>Q', 'Q']);
    expect(t).toContain('DEADLOCK: KV waits for Q waits for KV: none of them can move.');
    expect(svg).toMatch(/data-wait="ahead:Q:KV:lock:group_rwsem:G" data-kind="ahead" data-cycle="true"/);
    expect(svg).toMatch(/data-wait="wait:KV:lock:group_rwsem:G" data-kind="wait" data-cycle="true"/);
  });

  test('only locks that exist in the era are rows; the others are listed as absent', () => {
    const names = (ls: readonly LockView[]) => ls.map((l) => l.name);
    // v5.18: the notifier's rwsem, no group lock yet
    const v518 = buildLocks(moment('happy-path', 'v5.18', 10).view);
    expect(names(v518.rows.map((r) => r.lock))).not.toContain('G.group_rwsem');
    expect(names(v518.absent)).toEqual(
      expect.arrayContaining(['G.group_rwsem', 'G.group_lock', 'G.kvm_ref_lock']),
    );
    expect(names(v518.rows.map((r) => r.lock))).toContain('G.notifier.rwsem');
    // after (421cfe6596f6): group_rwsem; the notifier is gone, group_lock and kvm_ref_lock are yet to come
    const after = buildLocks(moment('happy-path', 'after', 10).view);
    expect(names(after.rows.map((r) => r.lock))).toContain('G.group_rwsem');
    expect(names(after.absent).sort()).toEqual(['G.group_lock', 'G.kvm_ref_lock', 'G.notifier.rwsem']);
    // group-mutex: the group_lock mutex replaces group_rwsem
    const mutex = buildLocks(moment('happy-path', 'group-mutex', 10).view);
    const gl = mutex.rows.find((r) => r.lock.name === 'G.group_lock');
    expect(gl?.kindLabel).toBe('mutex');
    expect(names(mutex.absent)).toContain('G.group_rwsem');
    // fixed (2b48f52f2bff): group_lock and the kvm_ref_lock spinlock
    const fixed = buildLocks(moment('happy-path', 'fixed', 10).view);
    expect(fixed.rows.find((r) => r.lock.name === 'G.kvm_ref_lock')?.kindLabel).toBe('spinlock');
    expect(names(fixed.rows.map((r) => r.lock))).toContain('G.group_lock');
    // drawn: a step where the spinlock is held (found by running the scenario) shows it as a node, kind and all
    const run = moment('happy-path', 'fixed');
    const held = run.run.states.findIndex((_, n) =>
      moment('happy-path', 'fixed', n).view.locks.some((l) => l.name === 'G.kvm_ref_lock' && l.owners.length),
    );
    expect(held).toBeGreaterThan(0);
    const svg = renderToStaticMarkup(
      <LockDiagram view={moment('happy-path', 'fixed', held).view} idPrefix="f" />,
    );
    expect(svg).toContain('data-wait="hold:lock:kvm_ref_lock:G:');
    expect(texts(svg)).toMatch(/G\.kvm_ref_lock \| spinlock/);
    expect(texts(svg)).toMatch(/not in this era \| [^|]*G\.group_rwsem/);
    // matrix_dev->lock only with a vfio-ap device
    expect(names(after.rows.map((r) => r.lock))).not.toContain('matrix_dev->lock');
    const ap = buildLocks(moment('ap-del-while-open', 'after', 10).view);
    expect(names(ap.rows.map((r) => r.lock))).toContain('matrix_dev->lock');
    const all = new Set(
      buildLocks(moment('two-mdevs-same-vm', 'before', 60).view).rows.map((r) =>
        r.lock.name.replace(/^[A-Z0-9]+/, '*'),
      ),
    );
    for (const n of [
      '*.group_rwsem',
      '*.dev_set->lock',
      "*'s kv->lock",
      '*->lock',
      'matrix_dev->lock',
      '*.notifier.rwsem',
    ])
      expect(all).toContain(n);
  });

  test('hideFree keeps the busy locks and names the free ones', () => {
    const m = moment('last-ref-deadlock', 'after');
    const spec = buildLocks(m.view, { hideFree: true });
    expect(spec.rows.map((r) => r.lock.name)).toEqual(['G.group_rwsem', 'D.dev_set->lock']);
    expect(spec.hidden.map((l) => l.name)).toEqual(["K's kv->lock", 'K->lock']);
    const svg = renderToStaticMarkup(<LockDiagram view={m.view} hideFree idPrefix="h" />);
    expect(texts(svg)).toContain("K's kv->lock, K->lock");
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

  test('nodes, names and labels stay inside the diagram over every built-in scenario, at 360 and 720 px', () => {
    for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const run = runScenario(sc, { era });
        for (const n of [0, Math.floor(run.records.length / 2), run.records.length]) {
          const spec = buildLocks(describeState(run.model, run.states[n]!));
          for (const width of [360, 720]) {
            const lay = layoutLocks(spec, null, width);
            const where = `${sc.id}@${era} step ${n} width ${width}`;
            expect(JSON.stringify(lay), where).not.toContain('NaN');
            for (const node of [...lay.lockNodes, ...lay.threadNodes]) {
              expect(node.x, where).toBeGreaterThanOrEqual(0);
              expect(node.x + node.w, where).toBeLessThanOrEqual(width - 6);
            }
            for (const node of lay.lockNodes)
              expect(node.x + 24 + textWidth(node.name, 12, true), where).toBeLessThanOrEqual(
                node.x + node.w - 4,
              );
            for (const e of lay.edges)
              if (e.label) {
                const half = (textWidth(e.label, 11, true) + 8) / 2;
                expect(e.at[0] - half, `${where}: ${e.label}`).toBeGreaterThanOrEqual(0);
                expect(e.at[0] + half, `${where}: ${e.label}`).toBeLessThanOrEqual(width);
              }
            // Every hold and every wait of the model is an edge.
            const busy = spec.rows.filter((r) => r.lock.owners.length || r.lock.waiters.length);
            const holds = busy.reduce((k, r) => k + r.lock.owners.length, 0);
            const waits = busy.reduce((k, r) => k + r.lock.waiters.length, 0);
            expect(lay.edges.filter((e) => e.kind === 'hold').length, where).toBe(holds);
            expect(lay.edges.filter((e) => e.kind === 'wait').length, where).toBe(waits);
          }
        }
      }
  });
});
