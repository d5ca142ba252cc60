/**
 * The postMessage protocol between embed.html and the page that embeds it
 * (README, "Share and embed"). Everything that arrives is untrusted: a message is acted on only
 * when every field has the expected type and value, and nothing else is
 * present.
 *
 *   embed → parent   { "type": "vfio-kvm-explorer:resize",  "height": <px> }
 *   parent → embed   { "type": "vfio-kvm-explorer:command", "command": "step" | "back" | "reset" }
 *                    { "type": "vfio-kvm-explorer:command", "command": "goto", "step": <n> }
 *                    { "type": "vfio-kvm-explorer:theme",   "theme": "light" | "dark" | "auto" }
 *
 * Whether a message comes from the parent window is the caller's check
 * (`event.source === window.parent`); this module only judges the data.
 */
import { THEMES, URL_LIMITS, type Theme } from '../url.ts';
import type { PlayerEvent } from '../player/types.ts';

export const NAMESPACE = 'vfio-kvm-explorer:';
export const RESIZE = 'vfio-kvm-explorer:resize';
export const COMMAND = 'vfio-kvm-explorer:command';
export const THEME = 'vfio-kvm-explorer:theme';

export const COMMANDS = ['step', 'back', 'reset', 'goto'] as const;
export type CommandName = (typeof COMMANDS)[number];

export type HostMessage =
  | { type: typeof COMMAND; command: 'step' | 'back' | 'reset' }
  | { type: typeof COMMAND; command: 'goto'; step: number }
  | { type: typeof THEME; theme: Theme };

export type ParseResult =
  | { ok: true; message: HostMessage }
  /** `ours`: the message claims our namespace (worth a note to the host's developer); otherwise it is someone else's traffic. */
  | { ok: false; ours: boolean; reason: string };

export interface ResizeMessage {
  type: typeof RESIZE;
  height: number;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function extraKeys(o: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(o).filter((k) => !allowed.includes(k));
}

/**
 * Judge a message from the parent window. Never throws: what postMessage
 * delivers is a structured clone (no getters, no proxies), but a same-window
 * caller could pass anything.
 */
export function parseHostMessage(data: unknown): ParseResult {
  try {
    return judge(data);
  } catch {
    return { ok: false, ours: false, reason: 'unreadable' };
  }
}

function judge(data: unknown): ParseResult {
  if (!isPlainObject(data)) return { ok: false, ours: false, reason: 'not an object' };
  const type = own(data, 'type') ? data.type : undefined;
  if (typeof type !== 'string' || !type.startsWith(NAMESPACE))
    return { ok: false, ours: false, reason: 'not a vfio-kvm-explorer message' };
  const bad = (reason: string): ParseResult => ({
    ok: false,
    ours: true,
    reason: `${type.slice(0, 60)}: ${reason}`,
  });

  if (type === COMMAND) {
    const extra = extraKeys(data, ['type', 'command', 'step']);
    if (extra.length) return bad(`unexpected field ${JSON.stringify(extra[0]!.slice(0, 30))}`);
    const command = data.command;
    if (typeof command !== 'string' || !(COMMANDS as readonly string[]).includes(command))
      return bad(`"command" must be one of ${COMMANDS.join(', ')}`);
    if (command === 'goto') {
      const step = data.step;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > URL_LIMITS.step)
        return bad(`"goto" needs "step": an integer from 0 to ${URL_LIMITS.step}`);
      return { ok: true, message: { type: COMMAND, command: 'goto', step } };
    }
    if (own(data, 'step')) return bad(`"step" belongs to "goto" only, not to "${command}"`);
    return { ok: true, message: { type: COMMAND, command: command as 'step' | 'back' | 'reset' } };
  }
  if (type === THEME) {
    const extra = extraKeys(data, ['type', 'theme']);
    if (extra.length) return bad(`unexpected field ${JSON.stringify(extra[0]!.slice(0, 30))}`);
    const theme = data.theme;
    if (typeof theme !== 'string' || !(THEMES as readonly string[]).includes(theme))
      return bad(`"theme" must be one of ${THEMES.join(', ')}`);
    return { ok: true, message: { type: THEME, theme: theme as Theme } };
  }
  return bad(
    'unknown message type (the explorer accepts vfio-kvm-explorer:command and vfio-kvm-explorer:theme)',
  );
}

/** The player event a valid message stands for. */
export function toPlayerEvent(m: HostMessage): PlayerEvent {
  if (m.type === THEME) return { type: 'theme', theme: m.theme };
  switch (m.command) {
    case 'step':
      return { type: 'step.forward' };
    case 'back':
      return { type: 'step.back' };
    case 'reset':
      return { type: 'reset' };
    case 'goto':
      return { type: 'goto', step: m.step };
  }
}

export function resizeMessage(height: number): ResizeMessage {
  return { type: RESIZE, height: Math.max(0, Math.ceil(height)) };
}
