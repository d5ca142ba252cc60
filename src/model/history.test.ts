/**
 * The change's history as eras: what each era is, the names as they were at
 * its commit, the source of every micro-step, the corrections over the first
 * version of this model, and `diff` between eras.
 */
import { describe, expect, it } from 'vitest';
import { ERA_IDS, ERA_LIST, ERAS, LEGACY_ERAS, resolveEra, type EraId } from './era.ts';
import { runScenario } from './run.ts';
import { microSteps } from './micro.ts';
import { CHECKED_FILES } from './sources/index.ts';
import table from './sources/lines.json';
import { diffEras, formatDiff } from './diff.ts';
import { compileModel } from './model.ts';
import { BUILTINS, builtin } from '../scenarios/index.ts';
import { PRIVATE_NOTES } from '../testing/privateNotes.ts';

describe('the eras', () => {
  it('are twelve, in history order, each a commit or a posted version, each answering to its commit id', () => {
    expect(ERA_IDS).toEqual([
      'v5.18',
      'gvt-rework',
      'before',
      'v1',
      'v2',
      'after',
      'group-mutex',
      'gvt-fix',
      'group-c',
      'release-fix',
      'fixed',
      'v6.6',
    ]);
    for (const e of ERA_LIST) {
      if (e.kind === 'patch') {
        expect(e.commit).toBeNull();
        expect(e.link).toMatch(/^https:\/\/lore\.kernel\.org\/r\//);
      } else {
        expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(resolveEra(e.commit!)).toBe(e.id);
        expect(resolveEra(e.commit!.slice(0, 12))).toBe(e.id);
        expect(resolveEra(e.commit!.slice(0, 12).toUpperCase())).toBe(e.id);
      }
      for (const id of e.ids) expect(resolveEra(id.slice(0, 12))).toBe(e.id);
    }
    expect(resolveEra('421cfe6596f6')).toBe('after');
    expect(resolveEra('9ed1fdee9ee3')).toBe('gvt-fix');
    expect(resolveEra('421cfe6')).toBeNull(); // fewer than 12 digits
    expect(resolveEra('nope')).toBeNull();
  });

  it('keep the four ids of the first version, and say where what they show was corrected', () => {
    for (const id of ['v5.18', 'before', 'after', 'fixed']) expect(resolveEra(id)).toBe(id);
    expect(LEGACY_ERAS['v5.18']).toMatch(/10ddb96295f3/);
    expect(LEGACY_ERAS.fixed).toMatch(/2b48f52f2bff/);
  });

  it('nothing a user sees cites the team-private references', () => {
    const found: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') {
        if (PRIVATE_NOTES.test(x)) found.push(x.slice(0, 80));
      } else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk([ERA_LIST, BUILTINS, table]);
    expect(found).toEqual([]);
  });
});

describe('names as they were at each commit', () => {
  const names = (era: EraId) => new Set(compileModel(builtin('happy-path')!, era).fns.map((f) => f.name));
  it('vfio_group_set_kvm in v5.18, vfio_file_set_kvm from May 2022', () => {
    expect(names('v5.18').has('vfio_group_set_kvm')).toBe(true);
    expect(names('v5.18').has('vfio_file_set_kvm')).toBe(false);
    for (const e of ['before', 'after', 'fixed'] as const)
      expect(names(e).has('vfio_file_set_kvm')).toBe(true);
  });
  it('vfio_device_group_open from v6.2 (group.c), vfio_df_group_open in v6.6', () => {
    expect(names('after').has('vfio_device_group_open')).toBe(false);
    expect(names('group-c').has('vfio_device_group_open')).toBe(true);
    expect(names('v6.6').has('vfio_df_group_open')).toBe(true);
  });
  it('files: vfio.c, then vfio_main.c, then group.c', () => {
    const file = (era: EraId, fn: string) =>
      compileModel(builtin('happy-path')!, era).fns.find((f) => f.name === fn)!.file;
    expect(file('after', 'vfio_file_set_kvm')).toBe('drivers/vfio/vfio.c');
    expect(file('group-mutex', 'vfio_file_set_kvm')).toBe('drivers/vfio/vfio_main.c');
    expect(file('fixed', 'vfio_file_set_kvm')).toBe('drivers/vfio/group.c');
  });
  it("GVT's pointer: vdev->kvm and info->kvm at v5.18, vgpu->kvm until the patch, the device's kvm after", () => {
    const lines = (era: EraId) =>
      compileModel(builtin('happy-path')!, era)
        .fns.flatMap((f) => f.instrs.map((i) => i.line))
        .join('\n');
    expect(lines('v5.18')).toMatch(/vdev->kvm = data/);
    expect(lines('v5.18')).toMatch(/kvm_put_kvm\(info->kvm\)/);
    expect(lines('before')).toMatch(/vgpu->kvm = data/);
    expect(lines('after')).toMatch(/kvm_get_kvm\(vgpu->vfio_device\.kvm\)/);
  });
  it('the pseudo-code uses the kernel primitives, never a made-up notation', () => {
    for (const e of ERA_IDS) {
      const text = compileModel(builtin('two-mdevs-same-vm')!, e)
        .fns.flatMap((f) => f.instrs.map((i) => i.line))
        .join('\n');
      expect(text).not.toMatch(/\b(wlock|rlock|wunlock|runlock|kget|kput)\(/);
      expect(text).not.toMatch(/:=/);
    }
  });
});

describe('every micro-step names its source', () => {
  const checked = new Map<string, Set<number>>();
  for (const f of (
    table as unknown as {
      files: {
        era: string;
        file: string;
        functions: Record<string, { line: number; statements: { line: number }[] }>;
      }[];
    }
  ).files) {
    const lines = new Set<number>();
    for (const fn of Object.values(f.functions)) {
      lines.add(fn.line);
      for (const s of fn.statements) lines.add(s.line);
    }
    checked.set(`${f.era}|${f.file}`, lines);
  }

  it('in every built-in and every era: fn, file and url; a line only where it was checked at that commit', () => {
    let withLine = 0;
    let total = 0;
    for (const sc of BUILTINS)
      for (const era of ERA_IDS) {
        const r = runScenario(sc, { era });
        for (const m of microSteps(r)) {
          total++;
          expect(m.fn).toMatch(/^[A-Za-z_][A-Za-z0-9_ ]*$/);
          expect(m.file).toMatch(/^[a-z0-9_/.-]+\.[ch]$/);
          const e = ERAS[era];
          if (e.commit) {
            expect(
              m.url.startsWith(
                `https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/${m.file}?id=${e.commit}`,
              ),
            ).toBe(true);
          } else expect(m.url).toBe(e.link);
          if (m.line !== null) {
            withLine++;
            expect(checked.get(`${era}|${m.file}`)?.has(m.line), `${era} ${m.file}:${m.line}`).toBe(true);
            expect(m.url.endsWith(`#n${m.line}`)).toBe(true);
          }
          expect(m.says).toMatch(new RegExp(`^${m.thread}: `));
        }
      }
    // The checked files cover the eras' VFIO core at five commits: many steps have a line.
    expect(withLine / total).toBeGreaterThan(0.2);
  });

  it('the table says how each file was checked, at the era commit it names', () => {
    for (const f of CHECKED_FILES) {
      expect(f.commit).toBe(ERAS[f.era as EraId].commit);
      expect(f.checked.length).toBeGreaterThan(40);
      if (f.lines === null) expect(f.checked).toMatch(/^Lines \d+-\d+ read/);
      else expect(f.lines).toBeGreaterThan(300);
    }
  });

  it('lines of the last-reference deadlock at 421cfe6596f6 point where the statements stand', () => {
    const r = runScenario(builtin('last-ref-deadlock')!, { era: 'after' });
    const ms = microSteps(r);
    const rwsem = ms.find(
      (m) => m.fn === 'vfio_device_fops_release' && /takes G\.group_rwsem for read/.test(m.says),
    )!;
    expect(rwsem.line).toBe(1338); // down_read(&device->group->group_rwsem) in vfio_device_fops_release
    const set = ms.at(-1)!;
    expect(set.fn).toBe('vfio_file_set_kvm');
    expect(set.line).toBe(1763); // down_write(&group->group_rwsem)
  });
});

describe('the corrections', () => {
  const kinds = (id: string, era: EraId) => [
    ...new Set(runScenario(builtin(id)!, { era }).violations.map((v) => v.kind)),
  ];
  it('GROUP_DEL while a vGPU is open is clean at v5.18 and oopses at gvt-rework', () => {
    expect(kinds('del-while-open', 'v5.18')).toEqual([]);
    expect(kinds('del-while-open', 'gvt-rework')).toEqual(['null-deref']);
  });
  it('the last put under the group lock deadlocks from v1 through group-c, not from release-fix on', () => {
    for (const e of ERA_IDS) {
      const deadlocks = kinds('last-ref-deadlock', e).includes('deadlock');
      expect(deadlocks, e).toBe(ERAS[e].order >= ERAS.v1.order && ERAS[e].order <= ERAS['group-c'].order);
    }
  });
});

describe('vfio-kvm diff', () => {
  const DIFFSTAT = [
    'drivers/gpu/drm/i915/gvt/gtt.c',
    'drivers/gpu/drm/i915/gvt/gvt.h',
    'drivers/gpu/drm/i915/gvt/kvmgt.c',
    'drivers/s390/crypto/vfio_ap_ops.c',
    'drivers/s390/crypto/vfio_ap_private.h',
    'drivers/vfio/vfio.c',
    'include/linux/vfio.h',
  ];

  it('before → after touches only the files of the cover letter’s diffstat (and the commit message)', () => {
    const d = diffEras('before', 'after');
    expect(d.functions.length).toBeGreaterThan(5);
    for (const f of d.functions) {
      for (const side of [f.a, f.b])
        if (side && side.file !== 'COMMIT_MSG') expect(DIFFSTAT).toContain(side.file);
    }
    expect(d.functions.map((f) => (f.b ?? f.a)!.name)).toContain('vfio_device_open');
  });

  it('v2 → after leaves GVT unchanged: v2 and v3 produced the same kvmgt.c', () => {
    const d = diffEras('v2', 'after');
    expect(d.functions.filter((f) => (f.b ?? f.a)!.file.includes('/gvt/'))).toEqual([]);
  });

  it('each hunk carries the commit or review comment behind it', () => {
    for (const [a, b] of [
      ['before', 'after'],
      ['after', 'fixed'],
      ['v5.18', 'v6.6'],
      ['fixed', 'v1'],
    ] as const) {
      const d = diffEras(a, b);
      for (const f of d.functions)
        for (const h of f.hunks) {
          expect(h.labels.length, `${a}..${b} ${f.key}`).toBeGreaterThan(0);
          for (const l of h.labels)
            expect(ERAS[l.era].order).toBeGreaterThan(Math.min(ERAS[a].order, ERAS[b].order));
        }
    }
    const text = formatDiff(diffEras('v2', 'after'));
    expect(text).toMatch(
      /^# 421cfe6596f6: merge branches under if \(device->open_count == 1\) \(Kevin Tian\)$/m,
    );
    expect(text).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@ vfio_device_open$/m);
  });

  it('a diff of an era with itself is empty; --fn restricts to one function', () => {
    expect(diffEras('after', 'after').functions).toEqual([]);
    const d = diffEras('before', 'after', { fn: 'vfio_device_fops_release' });
    expect(d.functions.map((f) => f.b!.name)).toEqual(['vfio_device_fops_release']);
  });
});
