import { describe, expect, it, vi } from 'vitest';
import { EmbedBridge } from './bridge.ts';
import type { PlayerEvent } from '../player/types.ts';

/** A window with a parent, a message listener and postMessage, nothing else. */
function fakeWindow(framed = true) {
  const listeners: ((e: MessageEvent) => void)[] = [];
  const parent = { postMessage: vi.fn() };
  const win = {
    parent: undefined as unknown,
    addEventListener: (_: string, l: (e: MessageEvent) => void) => listeners.push(l),
    removeEventListener: (_: string, l: (e: MessageEvent) => void) =>
      listeners.splice(listeners.indexOf(l), 1),
  };
  win.parent = framed ? parent : win;
  const deliver = (data: unknown, source: unknown) =>
    listeners.forEach((l) => l({ data, source } as MessageEvent));
  return { win: win as unknown as Window, parent, deliver, listeners };
}

const step = { type: 'vfio-kvm-explorer:command', command: 'step' };

describe('EmbedBridge', () => {
  it('acts on commands from the parent only', () => {
    const { win, parent, deliver } = fakeWindow();
    const b = new EmbedBridge(win);
    const got: PlayerEvent[] = [];
    b.attach({ send: (e) => got.push(e) });
    deliver(step, parent);
    deliver(step, {}); // a sibling frame or a popup
    deliver(step, null);
    deliver(step, win); // itself
    deliver({ type: 'vfio-kvm-explorer:command', command: 'goto', step: 7 }, parent);
    expect(got).toEqual([{ type: 'step.forward' }, { type: 'goto', step: 7 }]);
  });

  it('a top-level embed.html takes no commands, not even its own', () => {
    const { win, deliver } = fakeWindow(false);
    const b = new EmbedBridge(win);
    const send = vi.fn();
    b.attach({ send });
    deliver(step, win);
    expect(send).not.toHaveBeenCalled();
  });

  it('keeps commands that come before the explorer starts, and wakes it', () => {
    const { win, parent, deliver } = fakeWindow();
    const wake = vi.fn();
    const b = new EmbedBridge(win, wake);
    deliver(step, parent);
    deliver({ type: 'vfio-kvm-explorer:theme', theme: 'dark' }, parent);
    expect(wake).toHaveBeenCalledTimes(2);
    const got: PlayerEvent[] = [];
    b.attach({ send: (e) => got.push(e) });
    expect(got).toEqual([{ type: 'step.forward' }, { type: 'theme', theme: 'dark' }]);
  });

  it('warns (never errors) about a malformed message of ours, and ignores other traffic silently', () => {
    const { win, parent, deliver } = fakeWindow();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error');
    const b = new EmbedBridge(win);
    const send = vi.fn();
    b.attach({ send });
    deliver({ type: 'vfio-kvm-explorer:command', command: 'goto' }, parent);
    deliver({ type: 'something-else' }, parent);
    deliver('hello', parent);
    expect(send).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /ignored a message from the parent page: .*"goto" needs "step"/,
    );
    expect(error).not.toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
  });

  it('dispose removes its listener', () => {
    const { win, listeners } = fakeWindow();
    const b = new EmbedBridge(win);
    expect(listeners).toHaveLength(1);
    b.dispose();
    expect(listeners).toHaveLength(0);
  });
});
