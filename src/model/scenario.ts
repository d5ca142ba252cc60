/**
 * The scenario file, `vfio-kvm-scenario/1` (the scenario format (README)). This file holds the
 * types only; validation of untrusted input is in src/scenarios/validate.ts.
 */
import { ERA_IDS, ERAS, resolveEra, type AssumptionId, type EraId } from './era.ts';
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
  /**
   * Optional prose per era: what it shows there. Keys are an era ("after"),
   * a range of eras in history order ("v1..group-c") or a list ("v1,v2");
   * the most specific key that covers an era is its text.
   */
  explain?: Record<string, string>;
  /** Optional "what if" assumptions (INFERRED hazards), see era.ts. */
  assume?: AssumptionId[];
  /** Optional: where the scenario comes from (commits, mails). */
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

/** The eras an `explain` key covers, or null when it names no era. */
export function parseEraKey(key: string): EraId[] | null {
  if (key.includes('..')) {
    const [a, b, ...rest] = key.split('..');
    const ea = a ? resolveEra(a.trim()) : null;
    const eb = b ? resolveEra(b.trim()) : null;
    if (rest.length || !ea || !eb || ERAS[ea].order > ERAS[eb].order) return null;
    return ERA_IDS.slice(ERAS[ea].order, ERAS[eb].order + 1);
  }
  const ids = key.split(',').map((k) => resolveEra(k.trim()));
  return ids.every((e): e is EraId => e !== null) && ids.length ? ids : null;
}

/** The scenario's explanation for an era: the key covering it that covers the fewest eras. */
export function explanationFor(s: Pick<Scenario, 'explain'>, era: EraId): string | undefined {
  let best: { text: string; n: number } | undefined;
  for (const [k, text] of Object.entries(s.explain ?? {})) {
    const eras = parseEraKey(k);
    if (eras?.includes(era) && (!best || eras.length < best.n)) best = { text, n: eras.length };
  }
  return best?.text;
}
