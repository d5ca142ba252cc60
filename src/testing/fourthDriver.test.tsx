/**
 * Adding a driver is one file: a fourth, test-only driver (an mdev that takes
 * its own VM reference in open_device under a lock of its own) registered by
 * ../model/drivers/testing/sampleDriver.ts appears in scenario validation, the
 * model's run, the view model, the reference flow, the lock diagram, lockdep
 * and the reports — and nothing else was changed for it.
 */
import { describe, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { SAMPLE } from '../model/drivers/testing/sampleDriver.ts';
import { runScenario } from '../model/run.ts';
import { describeState } from '../model/view.ts';
import { lockClass } from '../model/slots.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { ReferenceFlow } from '../diagrams/ReferenceFlow.tsx';
import { LockDiagram } from '../diagrams/LockDiagram.tsx';
import { runReports } from '../report/index.ts';
import type { Scenario } from '../model/scenario.ts';

function scenario(era: string): Scenario {
  const v = validateScenario({
    schema: 'vfio-kvm-scenario/1',
    id: 'sample-open-close',
    title: 'A fourth driver opens and closes',
    era,
    vms: ['K'],
    devices: [{ id: 'S', driver: SAMPLE, group: 'G' }],
    steps: [
      { thread: 'Q', op: 'kvm_add_group', vm: 'K', group: 'G' },
      { thread: 'Q', op: 'open_device', device: 'S' },
      { thread: 'Q', op: 'close_device', device: 'S' },
      { thread: 'Q', op: 'close_vm', vm: 'K' },
    ],
  });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.scenario;
}

describe('a fourth driver, added in one file', () => {
  test('scenario files may name it; an unknown driver is still refused, naming the registered ones', () => {
    expect(() => scenario('fixed')).not.toThrow();
    const bad = validateScenario({
      ...scenario('fixed'),
      devices: [{ id: 'S', driver: 'nope', group: 'G' }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toContain(`gvt, vfio-ap, vfio-pci, ${SAMPLE}`);
  });

  for (const era of ['after', 'fixed', 'v6.6'])
    test(`${era}: the model runs its code paths, the view, diagrams, lockdep and reports show it`, () => {
      const run = runScenario(scenario(era));
      expect(run.violations).toEqual([]);
      expect(run.trace.final.vms.K).toMatchObject({ users: 0, state: 'freed' });

      // The moment the driver holds its pointer: right after "sdev->kvm = vdev->kvm".
      const bound =
        run.records.findIndex((r) =>
          r.effects.some((e) => e.kind === 'ptr' && e.to === 'driver:S' && e.vm === 'K'),
        ) + 1;
      expect(bound).toBeGreaterThan(0);
      const view = describeState(run.model, run.states[bound]!);
      const drv = view.devices[0]!.driver;
      expect(drv).toMatchObject({ name: SAMPLE, title: 'sample mdev (test-only)', shortTitle: 'sample' });
      expect(drv.pointerName).toBe('sdev->kvm');
      expect(drv.kvm.vm).toBe('K');
      expect(drv.ref).toBe(true);
      expect(drv.fields).toEqual([{ name: 'bound', value: 'true' }]);
      expect(view.vms[0]!.holders.map((h) => h.holder)).toContain(`${SAMPLE}:S`);

      // Its own lock is a lock of the model, held by Q while it binds.
      const lock = view.locks.find((l) => l.key === 'lock:sample_lock:S')!;
      expect(lock).toMatchObject({ name: 'S.sdev->lock', kind: 'mutex', exists: true });
      expect(lock.owners).toEqual([{ thread: 'Q', mode: 'mutex' }]);
      expect(lockClass(lock.key)).toBe('&sdev->lock');
      expect(run.records.some((r) => JSON.stringify(r.locks).includes('lock:sample_lock:S'))).toBe(true);

      const flow = renderToStaticMarkup(<ReferenceFlow view={view} idPrefix="s" />);
      expect(flow).toContain('data-node="driver:S"');
      expect(flow).toContain('sdev-&gt;kvm');
      const locks = renderToStaticMarkup(<LockDiagram view={view} idPrefix="s" />);
      expect(locks).toContain('S.sdev-&gt;lock');

      expect(runReports(run)).toEqual([]);
    });
});
