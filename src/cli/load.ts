/** Resolve `<id|file.json>` to a validated scenario, and the common options. */
import { ERA_IDS, resolveEra, type EraId } from '../model/era.ts';
import type { Scenario } from '../model/scenario.ts';
import { BUILTIN_IDS, builtin } from '../scenarios/index.ts';
import { parseScenarioText } from '../scenarios/validate.ts';
import { UsageError, type CliIO } from './io.ts';
import { str, type Parsed } from './args.ts';

export async function loadScenario(ref: string | undefined, io: CliIO): Promise<Scenario> {
  if (!ref)
    throw new UsageError(
      `missing scenario: give a built-in id (${BUILTIN_IDS.join(', ')}) or a path to a .json file`,
    );
  const b = builtin(ref);
  if (b) return b;
  if (!/\.json$/i.test(ref) && !ref.includes('/'))
    throw new UsageError(
      `unknown scenario "${ref}"; built-ins are ${BUILTIN_IDS.join(', ')} (or give a path to a .json file)`,
    );
  let text: string;
  try {
    text = await io.readFile(ref);
  } catch (e) {
    throw new UsageError(`cannot read ${ref}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const base = ref.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  const v = parseScenarioText(text, {
    defaultId: /^[a-z0-9][a-z0-9._-]{0,63}$/i.test(base) ? base : 'scenario',
  });
  if (!v.ok) throw new UsageError(`${ref}: invalid scenario\n  ${v.errors.join('\n  ')}`);
  return v.scenario;
}

export function eraOption(p: Parsed, scenario: Scenario): EraId {
  const e = str(p, 'era');
  if (e === undefined) return scenario.era;
  return eraArg(e, '--era');
}

/** An era id or a commit id (12 hex digits or more) the era answers to. */
export function eraArg(e: string, what: string): EraId {
  const era = resolveEra(e);
  if (!era)
    throw new UsageError(
      `${what}: expected one of ${ERA_IDS.join(', ')} (or an era's commit id, 12 hex digits or more), got "${e}"`,
    );
  return era;
}

export function scheduleOption(p: Parsed): string[] | undefined {
  const s = str(p, 'schedule');
  if (s === undefined) return undefined;
  const ids = s.split(',').map((x) => x.trim());
  if (ids.some((x) => x === ''))
    throw new UsageError('--schedule: expected thread ids separated by commas, like Q,Q,KV');
  return ids;
}
