/**
 * The scenario file, `vfio-kvm-scenario/1` (spec §3). This file holds the
 * types only; validation of untrusted input is in src/scenarios/validate.ts.
 */
import type { AssumptionId, EraId } from './era.ts';
import type { DriverName } from './types.ts';

export const SCENARIO_SCHEMA = 'vfio-kvm-scenario/1';

export interface DeviceDecl {
  id: string;
  driver: DriverName;
  group: string;
}

export type ScenarioStep =
  | { thread: string; op: 'kvm_add_group'; vm: string; group: string }
  | { thread: string; op: 'kvm_del_group'; vm: string; group: string }
  | { thread: string; op: 'open_device'; device: string; fail?: 'anon_inode_getfile' }
  | { thread: string; op: 'close_device'; device: string }
  | { thread: string; op: 'close_vm'; vm: string }
  | { thread: string; op: 'run_work' };

export interface Scenario {
  schema: typeof SCENARIO_SCHEMA;
  id: string;
  title: string;
  /** Default era; the CLI, the URL and the element can override it. */
  era: EraId;
  vms: string[];
  devices: DeviceDecl[];
  steps: ScenarioStep[];
  /** Exact interleaving: one thread id per micro-step (then the default order). */
  schedule?: string[];
  /** Optional prose: what the scenario is about. */
  description?: string;
  /** Optional prose per era: what it shows there. */
  explain?: Partial<Record<EraId, string>>;
  /** Optional "what if" assumptions (INFERRED hazards), see era.ts. */
  assume?: AssumptionId[];
  /** Optional: where the scenario comes from (domain.md §5 letter). */
  source?: string;
}

/** Groups are those named by devices, in order of first mention. */
export function scenarioGroups(s: Pick<Scenario, 'devices'>): string[] {
  const out: string[] = [];
  for (const d of s.devices) if (!out.includes(d.group)) out.push(d.group);
  return out;
}

/** Threads in order of first appearance in `steps`. */
export function scenarioThreads(s: Pick<Scenario, 'steps'>): string[] {
  const out: string[] = [];
  for (const st of s.steps) if (!out.includes(st.thread)) out.push(st.thread);
  return out;
}
