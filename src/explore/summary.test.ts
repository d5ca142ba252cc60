import { expect, test } from 'vitest';
import { ERAS, type Trace } from '../model/index.ts';
import { EXPLORATION_SCHEMA, type Exploration, type ExplorationViolation } from './exploration.ts';
import { INVARIANT_DESCRIPTIONS } from './invariants.ts';
import { formatSummary } from './summary.ts';

// The readable summary of `vfio-kvm explore` (without --json), line by line, from explorations built here:
// every branch of the format (complete or not, a cycle, a rounded count, a model error, trace kinds and the
// patch's guarantees, kinds not reachable, guarantees relaxed by an era, the replay command's quoting).

const TRACE = { steps: [], violations: [] } as unknown as Trace;

function violation(
  v: Partial<ExplorationViolation> & { kind: string; schedule: string[] },
): ExplorationViolation {
  return { trace: TRACE, step: v.schedule.length, ...v };
}

function exploration(x: Partial<Exploration>): Exploration {
  return {
    schema: EXPLORATION_SCHEMA,
    scenario: 'toy',
    era: 'after',
    complete: true,
    states: 1234,
    transitions: 5678,
    interleavings: 1234567,
    terminals: 9,
    depth: 4,
    longest: 12,
    ms: 42,
    violations: [],
    sites: [],
    relaxed: [],
    ...x,
  };
}

test('complete, with trace kinds and guarantees of the patch broken', () => {
  const x = exploration({
    era: 'before',
    interleavingsExact: false,
    violations: [
      violation({
        kind: 'null-deref',
        schedule: ['A', 'B', 'A'],
        thread: 'A',
        at: 'kvm_vfio_group_set_kvm',
        detail: 'group->kvm is NULL',
      }),
      violation({ kind: 'refcount-leak', schedule: ['B'], at: 'kvm_put_kvm' }),
      violation({
        kind: 'driver-kvm-changed-while-open',
        schedule: ['A', 'A'],
        thread: 'B',
        invariant: true,
      }),
    ],
    relaxed: [{ kind: 'group-kvm-changed-during-driver-call', why: 'because' }],
  });
  expect(formatSummary(x, { ref: 'my scenario.json', title: 'A toy' }).split('\n')).toEqual([
    'toy: A toy',
    `era before: ${ERAS.before.summary}`,
    '',
    'every interleaving explored in 42 ms:',
    '  1,234 distinct states, 5,678 transitions, 9 end states',
    '  1,234,567 interleavings (maximal schedules), rounded, the longest 12 micro-steps',
    '',
    'violations, each with a shortest schedule:',
    '  null-deref: shows at step 3 (thread A in kvm_vfio_group_set_kvm)',
    '    group->kvm is NULL',
    '    schedule (3 steps): A,B,A',
    '  refcount-leak: shows at step 1 (in kvm_put_kvm)',
    '    schedule (1 steps): B',
    '  not reachable: use-after-free, get-from-zero, unbalanced-put, deadlock',
    '',
    'guarantees of the patch broken, each with a shortest schedule:',
    '  driver-kvm-changed-while-open: shows at step 2 (thread B)',
    '    schedule (2 steps): A,A',
    '  not checked in before: group-kvm-changed-during-driver-call, by design: because',
    '  where:',
    `    driver-kvm-changed-while-open: ${INVARIANT_DESCRIPTIONS['driver-kvm-changed-while-open']}`,
    '',
    'replay any schedule step by step, e.g.:',
    "  vfio-kvm run 'my scenario.json' --era before --schedule A,B,A",
    '',
  ]);
});

test('incomplete, a cycle, a model error, nothing found', () => {
  const x = exploration({
    complete: false,
    reason: 'state limit 10 reached',
    interleavings: null,
    longest: null,
    error: { message: 'boom', schedule: [] },
  });
  expect(formatSummary(x).split('\n')).toEqual([
    'toy',
    `era after: ${ERAS.after.summary}`,
    '',
    'INCOMPLETE after 42 ms: state limit 10 reached',
    '(the figures below are lower bounds; a kind not listed may still be reachable)',
    '  1,234 distinct states, 5,678 transitions, 9 end states',
    '  infinitely many (the state graph has a cycle) interleavings (maximal schedules)',
    '',
    'MODEL ERROR: boom',
    '  schedule: (initial state)',
    '',
    'violations: none found so far',
    '',
    'guarantees of the patch broken: none found so far',
    '',
  ]);
});

test('complete and clean; a model error with its schedule; every trace kind found: no "not reachable" line', () => {
  const kinds = [
    'null-deref',
    'use-after-free',
    'get-from-zero',
    'unbalanced-put',
    'refcount-leak',
    'deadlock',
  ];
  const x = exploration({
    error: { message: 'bad', schedule: ['A', 'B'] },
    violations: kinds.map((kind) => violation({ kind, schedule: ['A'] })),
  });
  const lines = formatSummary(x, { ref: "it's" }).split('\n');
  expect(lines).toContain('  schedule: A,B');
  expect(lines.some((l) => l.includes('not reachable'))).toBe(false);
  expect(lines).toContain('guarantees of the patch broken: none');
  expect(lines).not.toContain('  where:');
  expect(lines.at(-2)).toBe(`  vfio-kvm run 'it'\\''s' --era after --schedule A`);
  // the replay command names the scenario by id when no ref is given, unquoted when it needs no quotes
  expect(
    formatSummary(exploration({ violations: [violation({ kind: 'deadlock', schedule: ['B'] })] }))
      .split('\n')
      .at(-2),
  ).toBe('  vfio-kvm run toy --era after --schedule B');
});

test('complete, nothing found: "none", not "none found so far"', () => {
  const lines = formatSummary(exploration({})).split('\n');
  expect(lines).toContain('violations: none');
  expect(lines).toContain('guarantees of the patch broken: none');
  expect(lines).toContain('  1,234,567 interleavings (maximal schedules), the longest 12 micro-steps');
  expect(lines.some((l) => l.startsWith('replay'))).toBe(false);
});

test('incomplete with a violation: the kinds not found are "not reachable (so far)"', () => {
  const x = exploration({
    complete: false,
    reason: 'stopped',
    violations: [
      violation({ kind: 'deadlock', schedule: ['A'] }),
      violation({ kind: 'required-driver-open-without-vm', schedule: ['B'], invariant: true }),
    ],
  });
  const lines = formatSummary(x).split('\n');
  expect(lines).toContain(
    '  not reachable (so far): null-deref, use-after-free, get-from-zero, unbalanced-put, refcount-leak',
  );
  expect(lines).toContain(
    `    required-driver-open-without-vm: ${INVARIANT_DESCRIPTIONS['required-driver-open-without-vm']}`,
  );
  expect(lines).not.toContain(
    `    driver-kvm-changed-while-open: ${INVARIANT_DESCRIPTIONS['driver-kvm-changed-while-open']}`,
  );
});
