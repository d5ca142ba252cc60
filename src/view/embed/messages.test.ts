import { describe, expect, it } from 'vitest';
import { COMMAND, parseHostMessage, resizeMessage, THEME, toPlayerEvent } from './messages.ts';

const ok = (data: unknown) => {
  const r = parseHostMessage(data);
  if (!r.ok) throw new Error(`expected a valid message: ${r.reason}`);
  return r.message;
};
const rejected = (data: unknown) => {
  const r = parseHostMessage(data);
  expect(r.ok, JSON.stringify(data)).toBe(false);
  return r as { ok: false; ours: boolean; reason: string };
};

describe('messages from the parent window', () => {
  it('accepts the four commands embed.html accepts and maps them onto player events', () => {
    expect(toPlayerEvent(ok({ type: COMMAND, command: 'step' }))).toEqual({ type: 'step.forward' });
    expect(toPlayerEvent(ok({ type: COMMAND, command: 'back' }))).toEqual({ type: 'step.back' });
    expect(toPlayerEvent(ok({ type: COMMAND, command: 'reset' }))).toEqual({ type: 'reset' });
    expect(toPlayerEvent(ok({ type: COMMAND, command: 'goto', step: 12 }))).toEqual({
      type: 'goto',
      step: 12,
    });
    expect(toPlayerEvent(ok({ type: COMMAND, command: 'goto', step: 0 }))).toEqual({ type: 'goto', step: 0 });
  });

  it('accepts the theme message', () => {
    for (const theme of ['light', 'dark', 'auto'] as const)
      expect(toPlayerEvent(ok({ type: THEME, theme }))).toEqual({ type: 'theme', theme });
  });

  it('ignores other traffic quietly (not ours)', () => {
    for (const d of [
      null,
      undefined,
      0,
      'step',
      [COMMAND],
      { type: 'resize' },
      { type: 'webpackOk' },
      { command: 'step' },
      new Date(),
      { type: 7 },
    ])
      expect(rejected(d).ours).toBe(false);
  });

  it('rejects malformed messages of our namespace, saying why', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: COMMAND }, /"command" must be one of step, back, reset, goto/],
      [{ type: COMMAND, command: 'STEP' }, /"command"/],
      [{ type: COMMAND, command: 'play' }, /"command"/],
      [{ type: COMMAND, command: 'goto' }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: '3' }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: -1 }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: 1.5 }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: Number.NaN }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: Infinity }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'goto', step: 1e9 }, /"goto" needs "step"/],
      [{ type: COMMAND, command: 'step', step: 3 }, /"step" belongs to "goto" only/],
      [{ type: COMMAND, command: 'step', extra: true }, /unexpected field "extra"/],
      [{ type: THEME, theme: 'sepia' }, /"theme" must be one of light, dark, auto/],
      [{ type: THEME }, /"theme"/],
      [{ type: THEME, theme: 'dark', command: 'step' }, /unexpected field "command"/],
      [{ type: 'vfio-kvm-explorer:resize', height: 300 }, /unknown message type/],
      [{ type: 'vfio-kvm-explorer:eval', code: 'alert(1)' }, /unknown message type/],
    ];
    for (const [d, why] of cases) {
      const r = rejected(d);
      expect(r.ours).toBe(true);
      expect(r.reason).toMatch(why);
    }
  });

  it('does not read inherited or prototype properties', () => {
    const proto = { type: COMMAND, command: 'step' };
    expect(rejected(Object.create(proto)).ok).toBe(false);
    class Cmd {
      type = COMMAND;
      command = 'step';
    }
    expect(rejected(new Cmd()).ours).toBe(false);
    const nullProto = Object.assign(Object.create(null), { type: COMMAND, command: 'reset' });
    expect(ok(nullProto)).toEqual({ type: COMMAND, command: 'reset' });
  });

  it('the resize message has the spec shape, in whole pixels', () => {
    expect(resizeMessage(812.2)).toEqual({ type: 'vfio-kvm-explorer:resize', height: 813 });
    expect(resizeMessage(-4)).toEqual({ type: 'vfio-kvm-explorer:resize', height: 0 });
  });
});
