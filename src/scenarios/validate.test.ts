import { describe, expect, it } from 'vitest';
import { parseScenarioText, validateScenario } from './validate.ts';
import { BUILTINS, BUILTIN_IDS, builtin } from './index.ts';
import { ERA_IDS } from '../model/era.ts';
import { explanationFor, parseEraKey } from '../model/scenario.ts';

const good = () => JSON.parse(JSON.stringify(builtin('del-while-open')!));

function errorsOf(x: unknown): string[] {
  const v = validateScenario(x);
  return v.ok ? [] : v.errors;
}

describe('built-in scenarios', () => {
  it('are all valid, keep their permanent ids, and explain every era', () => {
    expect(BUILTINS.map((s) => s.id)).toEqual([...BUILTIN_IDS]);
    for (const s of BUILTINS) {
      expect(validateScenario(s).ok).toBe(true);
      expect(s.description?.length, s.id).toBeGreaterThan(40);
      expect(s.source?.length, s.id).toBeGreaterThan(10);
      for (const era of ERA_IDS) expect(explanationFor(s, era), `${s.id} @ ${era}`).toBeTruthy();
    }
  });

  it('give each era exactly one explanation: no two keys of the same size cover an era', () => {
    for (const s of BUILTINS) {
      const keys = Object.keys(s.explain ?? {}).map((k) => ({ k, eras: parseEraKey(k)! }));
      for (const era of ERA_IDS) {
        const covering = keys.filter((x) => x.eras.includes(era));
        const fewest = Math.min(...covering.map((x) => x.eras.length));
        expect(
          covering.filter((x) => x.eras.length === fewest).map((x) => x.k),
          `${s.id} @ ${era}`,
        ).toHaveLength(1);
      }
    }
  });

  it('cite public sources only (commits, mails), never private notes', () => {
    for (const s of BUILTINS) {
      const text = [s.title, s.description, s.source, ...Object.values(s.explain ?? {})].join('\n');
      expect(text, s.id).not.toMatch(/domain\.md|history\.md|spec\.md|\bspec\b|§|\.\.\/shared/i);
    }
  });
});

describe('scenario validation: one clear, field-level message per kind of mistake', () => {
  it('not JSON', () => {
    const v = parseScenarioText('{ "schema": ');
    expect(v.ok).toBe(false);
    expect(!v.ok && v.errors[0]).toMatch(/^not JSON: /);
  });
  it('not an object', () => {
    expect(errorsOf([1, 2])).toEqual(['scenario: expected a JSON object, got an array']);
  });
  it('wrong schema', () => {
    expect(errorsOf({ ...good(), schema: 'vfio-kvm-scenario/2' })).toEqual([
      'schema: expected "vfio-kvm-scenario/1", got "vfio-kvm-scenario/2"',
    ]);
  });
  it('unknown op', () => {
    const s = good();
    s.steps[1].op = 'open_dev';
    expect(errorsOf(s)).toEqual([
      'steps[1].op: unknown op "open_dev"; ops are kvm_add_group, kvm_del_group, open_device, close_device, close_vm, run_work',
    ]);
  });
  it('unknown device (the example of the scenario format (README))', () => {
    const s = good();
    s.steps[2] = { thread: 'Q', op: 'close_device', device: 'E' };
    expect(errorsOf(s)).toEqual(['steps[2].device: unknown device "E"; devices are D']);
  });
  it('missing field', () => {
    const s = good();
    delete s.steps[0].group;
    expect(errorsOf(s)).toEqual(['steps[0].group: missing; kvm_add_group needs vm and group']);
    const t = good();
    delete t.vms;
    expect(errorsOf(t)[0]).toBe('vms: expected an array of names, got nothing');
  });
  it('unknown VM, unknown group, unknown era, unknown driver', () => {
    const s = good();
    s.steps[0].vm = 'K9';
    s.steps[0].group = 'H';
    s.era = 'v6.0';
    s.devices[0].driver = 'nouveau';
    expect(errorsOf(s)).toEqual([
      `era: expected one of ${ERA_IDS.join(', ')} (or an era's commit id), got "v6.0"`,
      'devices[0].driver: expected one of gvt, vfio-ap, vfio-pci, got "nouveau"',
      'steps[0].vm: unknown VM "K9"; VMs are K',
      'steps[0].group: unknown group "H"; groups (named by devices) are G',
    ]);
  });
  it('unknown fields, at the top and in an op', () => {
    const s = good();
    s.step = [];
    s.steps[3].device = 'D';
    expect(errorsOf(s)).toEqual([
      'step: unknown field; a scenario has schema, id, title, era, vms, devices, steps, schedule, description, explain, assume, source',
      'steps[3].device: run_work takes no "device"; it takes (none)',
    ]);
  });
  it('duplicates, bad names and a schedule naming an unknown thread', () => {
    const s = good();
    s.vms = ['K', 'K', 'bad name'];
    s.schedule = ['Q', 'Z'];
    expect(errorsOf(s)).toEqual([
      'vms[1]: "K" is listed twice',
      'vms[2]: expected a name (a letter, then letters, digits or _; at most 16), got "bad name"',
      'schedule[1]: unknown thread "Z"; threads are Q, KV, W',
    ]);
  });
  it('caps sizes instead of trusting them', () => {
    const s = good();
    s.steps = Array.from({ length: 65 }, () => ({ thread: 'Q', op: 'run_work' }));
    expect(errorsOf(s)).toContain('steps: at most 64 ops, got 65');
    expect(parseScenarioText('x'.repeat(1_000_001)).ok).toBe(false);
  });
  it('accepts a minimal file', () => {
    const v = parseScenarioText(
      JSON.stringify({
        schema: 'vfio-kvm-scenario/1',
        id: 'mine',
        title: 'Mine',
        era: 'after',
        vms: ['K'],
        devices: [{ id: 'D', driver: 'vfio-pci', group: 'G' }],
        steps: [{ thread: 'Q', op: 'open_device', device: 'D' }],
      }),
    );
    expect(v.ok).toBe(true);
  });
});
