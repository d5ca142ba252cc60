/**
 * Validation of untrusted scenario files (the scenario format (README)). Every message names the
 * field and what was expected, e.g.
 *   steps[2].device: unknown device "E"; devices are D
 * Nothing here throws on bad input.
 */
import { ASSUMPTIONS, ERA_IDS, isAssumptionId, resolveEra, type EraId } from '../model/era.ts';
import { parseEraKey } from '../model/scenario.ts';
import { SCENARIO_SCHEMA, type Scenario } from '../model/scenario.ts';
import { isDriverName, knownDrivers, OPS } from '../model/types.ts';
import { firstUnsafe } from '../report/text.ts';

export type Validation = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

export const LIMITS = {
  vms: 8,
  devices: 12,
  steps: 64,
  threads: 8,
  schedule: 2000,
  name: 16,
  text: 4000,
} as const;

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ID = /^[a-z0-9][a-z0-9._-]*$/i;
const TOP = [
  'schema',
  'id',
  'title',
  'era',
  'vms',
  'devices',
  'steps',
  'schedule',
  'description',
  'explain',
  'assume',
  'source',
];
const OP_FIELDS: Record<string, string[]> = {
  kvm_add_group: ['vm', 'group'],
  kvm_del_group: ['vm', 'group'],
  open_device: ['device'],
  close_device: ['device'],
  close_vm: ['vm'],
  run_work: [],
};
const OPTIONAL_OP_FIELDS: Record<string, string[]> = { open_device: ['fail'] };

/**
 * Untrusted text, made safe to print: at most 40 characters, quoted, control,
 * separator and bidirectional formatting characters escaped.
 */
function quote(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The first character of `s` that no text field may hold (C0 and C1 controls,
 * DEL, line separators, bidirectional overrides: what a terminal or an editor
 * would act on instead of showing), as "U+001B at offset 4"; null if none.
 */
export function unsafeCharIn(s: string): string | null {
  const m = firstUnsafe(s);
  if (!m) return null;
  return `U+${m.char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${m.index}`;
}

function controlMessage(field: string, where: string): string {
  return `${field}: contains a control character (${where}); text fields may not hold control characters, line separators or bidirectional overrides`;
}

/** A field name from the file as messages print it: raw when it looks like a name, otherwise quoted. */
export function fieldName(k: string): string {
  return /^[A-Za-z_$][\w$.-]{0,39}$/.test(k) ? k : quote(k);
}

/**
 * A value from outside, in a few words for a message. Nothing of its own is called: String() of an object or
 * a function runs its toString (or Symbol.toPrimitive), which a message can set to anything, even to
 * something that throws.
 */
export function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return quote(x);
  if (Array.isArray(x)) return 'an array';
  if (x === null) return 'null';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'function') return 'a function';
  return String(x);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

export interface ValidateOptions {
  /** The id of a user's file that leaves it out (the file's name); default "scenario". */
  defaultId?: string;
}

/** The era a file that leaves `era` out runs in. */
export const DEFAULT_ERA: EraId = 'after';

/** Parse and validate a scenario file's text. */
export function parseScenarioText(text: string, opts: ValidateOptions = {}): Validation {
  if (typeof text !== 'string') return { ok: false, errors: ['scenario: expected text'] };
  if (text.length > 1_000_000) return { ok: false, errors: ['scenario: the file is larger than 1 MB'] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not JSON: ${quote((e as Error).message, 160).slice(1, -1)}`] };
  }
  return validateScenario(data, opts);
}

export function validateScenario(data: unknown, opts: ValidateOptions = {}): Validation {
  const errors: string[] = [];
  const err = (m: string) => {
    if (errors.length < 20) errors.push(m);
  };
  if (!isObject(data)) return { ok: false, errors: [`scenario: expected a JSON object, got ${show(data)}`] };

  for (const k of Object.keys(data))
    if (!TOP.includes(k)) err(`${fieldName(k)}: unknown field; a scenario has ${TOP.join(', ')}`);

  if (data.schema !== SCENARIO_SCHEMA) err(`schema: expected "${SCENARIO_SCHEMA}", got ${show(data.schema)}`);
  const id = data.id === undefined ? (opts.defaultId ?? 'scenario') : data.id;
  if (typeof id !== 'string' || !ID.test(id) || id.length > 64)
    err(`id: expected a name of letters, digits, ".", "_" or "-" (at most 64), got ${show(id)}`);
  if (typeof data.title !== 'string' || data.title.trim() === '' || data.title.length > 200)
    err(`title: expected a non-empty string (at most 200 characters), got ${show(data.title)}`);
  else if (unsafeCharIn(data.title)) err(controlMessage('title', unsafeCharIn(data.title)!));
  const era =
    data.era === undefined ? DEFAULT_ERA : typeof data.era === 'string' ? resolveEra(data.era) : null;
  if (!era) err(`era: expected one of ${ERA_IDS.join(', ')} (or an era's commit id), got ${show(data.era)}`);
  for (const k of ['description', 'source'] as const)
    if (data[k] !== undefined && (typeof data[k] !== 'string' || (data[k] as string).length > LIMITS.text))
      err(`${k}: expected a string of at most ${LIMITS.text} characters`);
    else if (typeof data[k] === 'string' && unsafeCharIn(data[k] as string))
      err(controlMessage(k, unsafeCharIn(data[k] as string)!));
  if (data.explain !== undefined) {
    if (!isObject(data.explain)) err('explain: expected an object with one text per era');
    else
      for (const [k, v] of Object.entries(data.explain)) {
        if (!parseEraKey(k))
          err(`explain.${fieldName(k)}: expected an era id, a range "a..b" or a list "a,b" of era ids`);
        else if (typeof v !== 'string' || v.length > LIMITS.text)
          err(`explain.${fieldName(k)}: expected a string of at most ${LIMITS.text} characters`);
        else if (unsafeCharIn(v)) err(controlMessage(`explain.${fieldName(k)}`, unsafeCharIn(v)!));
      }
  }
  if (data.assume !== undefined) {
    if (!Array.isArray(data.assume)) err('assume: expected an array');
    else
      data.assume.forEach((a, i) => {
        if (!isAssumptionId(a))
          err(`assume[${i}]: unknown assumption ${show(a)}; known: ${Object.keys(ASSUMPTIONS).join(', ')}`);
      });
  }

  const names = (field: string, x: unknown, max: number): string[] => {
    if (!Array.isArray(x)) {
      err(`${field}: expected an array of names, got ${show(x)}`);
      return [];
    }
    if (x.length > max) err(`${field}: at most ${max} entries, got ${x.length}`);
    const out: string[] = [];
    x.forEach((n, i) => {
      if (typeof n !== 'string' || !NAME.test(n) || n.length > LIMITS.name)
        err(
          `${field}[${i}]: expected a name (a letter, then letters, digits or _; at most ${LIMITS.name}), got ${show(n)}`,
        );
      else if (out.includes(n)) err(`${field}[${i}]: "${n}" is listed twice`);
      else out.push(n);
    });
    return out;
  };

  const vms = names('vms', data.vms, LIMITS.vms);
  const deviceIds: string[] = [];
  const groups: string[] = [];
  if (!Array.isArray(data.devices))
    err(`devices: expected an array of { id, driver, group }, got ${show(data.devices)}`);
  else {
    if (data.devices.length > LIMITS.devices)
      err(`devices: at most ${LIMITS.devices} devices, got ${data.devices.length}`);
    data.devices.forEach((d, i) => {
      const at = `devices[${i}]`;
      if (!isObject(d)) return err(`${at}: expected { id, driver, group }, got ${show(d)}`);
      for (const k of Object.keys(d))
        if (!['id', 'driver', 'group'].includes(k))
          err(`${at}.${fieldName(k)}: unknown field; a device has id, driver, group`);
      if (typeof d.id !== 'string' || !NAME.test(d.id) || d.id.length > LIMITS.name)
        err(`${at}.id: expected a name, got ${show(d.id)}`);
      else if (deviceIds.includes(d.id)) err(`${at}.id: device "${d.id}" is declared twice`);
      else deviceIds.push(d.id);
      if (typeof d.driver !== 'string' || !isDriverName(d.driver))
        err(`${at}.driver: expected one of ${knownDrivers().join(', ')}, got ${show(d.driver)}`);
      if (typeof d.group !== 'string' || !NAME.test(d.group) || d.group.length > LIMITS.name)
        err(`${at}.group: expected a name, got ${show(d.group)}`);
      else if (!groups.includes(d.group)) groups.push(d.group);
    });
  }

  const threads: string[] = [];
  if (!Array.isArray(data.steps)) err(`steps: expected an array of ops, got ${show(data.steps)}`);
  else {
    if (data.steps.length === 0) err('steps: expected at least one op');
    if (data.steps.length > LIMITS.steps) err(`steps: at most ${LIMITS.steps} ops, got ${data.steps.length}`);
    data.steps.forEach((st, i) => {
      const at = `steps[${i}]`;
      if (!isObject(st))
        return err(
          `${at}: expected an object like { "thread": "Q", "op": "open_device", "device": "D" }, got ${show(st)}`,
        );
      if (typeof st.thread !== 'string' || !NAME.test(st.thread) || st.thread.length > LIMITS.name)
        err(`${at}.thread: expected a thread name such as "Q", got ${show(st.thread)}`);
      else if (!threads.includes(st.thread)) threads.push(st.thread);
      if (typeof st.op !== 'string' || !(OPS as readonly string[]).includes(st.op))
        return err(`${at}.op: unknown op ${show(st.op)}; ops are ${OPS.join(', ')}`);
      const need = OP_FIELDS[st.op]!;
      const allowed = ['thread', 'op', ...need, ...(OPTIONAL_OP_FIELDS[st.op] ?? [])];
      for (const k of Object.keys(st))
        if (!allowed.includes(k))
          err(`${at}.${fieldName(k)}: ${st.op} takes no ${quote(k)}; it takes ${list(allowed.slice(2))}`);
      for (const k of need) {
        if (st[k] === undefined) {
          err(`${at}.${k}: missing; ${st.op} needs ${need.join(' and ')}`);
          continue;
        }
        const known = k === 'vm' ? vms : k === 'group' ? groups : deviceIds;
        const what = k === 'vm' ? 'VM' : k;
        const plural =
          k === 'vm' ? 'VMs are' : k === 'group' ? 'groups (named by devices) are' : 'devices are';
        if (typeof st[k] !== 'string' || !known.includes(st[k] as string))
          err(`${at}.${k}: unknown ${what} ${show(st[k])}; ${plural} ${list(known)}`);
      }
      if (st.op === 'open_device' && st.fail !== undefined && st.fail !== 'anon_inode_getfile')
        err(
          `${at}.fail: expected "anon_inode_getfile" (the only failure that can be injected), got ${show(st.fail)}`,
        );
    });
    if (threads.length > LIMITS.threads)
      err(`steps: at most ${LIMITS.threads} threads, got ${threads.length}`);
  }

  if (data.schedule !== undefined) {
    if (!Array.isArray(data.schedule))
      err(`schedule: expected an array of thread names, got ${show(data.schedule)}`);
    else {
      if (data.schedule.length > LIMITS.schedule) err(`schedule: at most ${LIMITS.schedule} entries`);
      data.schedule.forEach((t, i) => {
        if (typeof t !== 'string' || !threads.includes(t))
          err(`schedule[${i}]: unknown thread ${show(t)}; threads are ${list(threads)}`);
      });
    }
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, scenario: { ...(data as unknown as Scenario), id: id as string, era: era! } };
}

/** For callers that want an exception: the message lists every problem. */
export class ScenarioError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
    this.name = 'ScenarioError';
  }
}
