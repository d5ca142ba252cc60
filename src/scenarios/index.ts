/** The built-in scenarios (the built-ins (README)). Ids are permanent: they appear in permalinks. */
import type { Scenario } from '../model/scenario.ts';
import { validateScenario } from './validate.ts';
import happyPath from './builtin/happy-path.json' with { type: 'json' };
import openBeforeAdd from './builtin/open-before-add.json' with { type: 'json' };
import delWhileOpen from './builtin/del-while-open.json' with { type: 'json' };
import delThenAddOtherVm from './builtin/del-then-add-other-vm.json' with { type: 'json' };
import openVsTeardownRace from './builtin/open-vs-teardown-race.json' with { type: 'json' };
import twoMdevsSameVm from './builtin/two-mdevs-same-vm.json' with { type: 'json' };
import apDelWhileOpen from './builtin/ap-del-while-open.json' with { type: 'json' };
import secondOpener from './builtin/second-opener.json' with { type: 'json' };
import openErrorUnwind from './builtin/open-error-unwind.json' with { type: 'json' };
import gvtRefLeak from './builtin/gvt-ref-leak.json' with { type: 'json' };
import lastRefDeadlock from './builtin/last-ref-deadlock.json' with { type: 'json' };
import recursiveRlock from './builtin/recursive-rlock.json' with { type: 'json' };
import setKvmRacesOpen from './builtin/set-kvm-races-open.json' with { type: 'json' };
import kvmAddDelRace from './builtin/kvm-add-del-race.json' with { type: 'json' };
import delAfterOpen from './builtin/del-after-open.json' with { type: 'json' };
import apLastPut from './builtin/ap-last-put.json' with { type: 'json' };
import apOpenVsVmClose from './builtin/ap-open-vs-vm-close.json' with { type: 'json' };
import apDelThenLastPut from './builtin/ap-del-then-last-put.json' with { type: 'json' };

const files: unknown[] = [
  happyPath,
  openBeforeAdd,
  delWhileOpen,
  delThenAddOtherVm,
  openVsTeardownRace,
  twoMdevsSameVm,
  apDelWhileOpen,
  secondOpener,
  openErrorUnwind,
  gvtRefLeak,
  lastRefDeadlock,
  recursiveRlock,
  setKvmRacesOpen,
  kvmAddDelRace,
  delAfterOpen,
  apLastPut,
  apOpenVsVmClose,
  apDelThenLastPut,
];

export const BUILTIN_IDS = [
  'happy-path',
  'open-before-add',
  'del-while-open',
  'del-then-add-other-vm',
  'open-vs-teardown-race',
  'two-mdevs-same-vm',
  'ap-del-while-open',
  'second-opener',
  'open-error-unwind',
  'gvt-ref-leak',
  'last-ref-deadlock',
  'recursive-rlock',
  'set-kvm-races-open',
  'kvm-add-del-race',
  'del-after-open',
  'ap-last-put',
  'ap-open-vs-vm-close',
  'ap-del-then-last-put',
] as const;
export type BuiltinId = (typeof BUILTIN_IDS)[number];

export const BUILTINS: readonly Scenario[] = files.map((f) => {
  const v = validateScenario(f);
  if (!v.ok) throw new Error(`built-in scenario is invalid: ${v.errors.join('; ')}`);
  return v.scenario;
});

const byId = new Map(BUILTINS.map((s) => [s.id, s]));

export function builtin(id: string): Scenario | undefined {
  return byId.get(id);
}
