import { describe, expect, it } from 'vitest';
import { MachineTable, type Snap } from './table.ts';
import { rwsemMachine, type RwsemCtx, type RwsemEvent, type LockOut } from './rwsem.ts';
import { mutexMachine, type MutexCtx, type MutexEvent } from './mutex.ts';
import { kvmMachine, type KvmCtx, type KvmEvent, type KvmOut } from './kvm.ts';
import { vfioDeviceMachine, type DeviceCtx, type DeviceEvent, type DeviceOut } from './vfioDevice.ts';

function driver<C extends { out: O | null }, E extends { type: string }, O>(t: MachineTable<C, E, O>) {
  let s: Snap<C> = t.initial();
  return {
    send(e: E): O | null {
      const [n, out] = t.send(s, e);
      s = n;
      return out;
    },
    get s() {
      return s;
    },
  };
}

describe('group_rwsem (rw_semaphore)', () => {
  const t = new MachineTable<RwsemCtx, RwsemEvent, LockOut>(rwsemMachine);

  it('lets many readers in, and a writer waits for all of them', () => {
    const r = driver(t);
    expect(r.send({ type: 'down_read', t: 'Q' })).toEqual({ granted: true });
    expect(r.send({ type: 'down_read', t: 'Q2' })).toEqual({ granted: true });
    expect(r.s.value).toBe('readLocked');
    expect(r.send({ type: 'down_write', t: 'KV' })).toEqual({ granted: false });
    r.send({ type: 'up_read', t: 'Q' });
    expect(r.s.ctx.writer).toBeNull();
    r.send({ type: 'up_read', t: 'Q2' });
    expect(r.s.ctx.writer).toBe('KV');
    expect(r.s.value).toBe('writeLocked');
  });

  it('queues a reader behind a waiting writer (as kernel rwsems do), so a recursive read can deadlock', () => {
    const r = driver(t);
    r.send({ type: 'down_read', t: 'Q' });
    r.send({ type: 'down_write', t: 'KV' });
    expect(r.send({ type: 'down_read', t: 'Q' })).toEqual({ granted: false });
    expect(r.s.ctx.waiters).toEqual([
      { t: 'KV', mode: 'write' },
      { t: 'Q', mode: 'read' },
    ]);
  });

  it('grants a recursive read when nobody waits', () => {
    const r = driver(t);
    r.send({ type: 'down_read', t: 'Q' });
    expect(r.send({ type: 'down_read', t: 'Q' })).toEqual({ granted: true });
    expect(r.s.ctx.readers).toEqual(['Q', 'Q']);
  });

  it('read then write in one thread waits on itself', () => {
    const r = driver(t);
    r.send({ type: 'down_read', t: 'Q' });
    expect(r.send({ type: 'down_write', t: 'Q' })).toEqual({ granted: false });
    expect(r.s.ctx.readers).toEqual(['Q']);
  });

  it('hands the lock to the next writer in FIFO order, then wakes all queued readers at once', () => {
    const r = driver(t);
    r.send({ type: 'down_write', t: 'A' });
    r.send({ type: 'down_write', t: 'B' });
    r.send({ type: 'down_read', t: 'C' });
    r.send({ type: 'down_read', t: 'D' });
    r.send({ type: 'up_write', t: 'A' });
    expect(r.s.ctx.writer).toBe('B');
    r.send({ type: 'up_write', t: 'B' });
    expect(r.s.ctx.readers).toEqual(['C', 'D']);
    expect(r.s.ctx.waiters).toEqual([]);
  });

  it('reports a release by a thread that does not hold it', () => {
    const r = driver(t);
    r.send({ type: 'down_read', t: 'Q' });
    expect(r.send({ type: 'up_write', t: 'Q' })).toEqual({ fault: 'not-owner' });
    expect(r.send({ type: 'up_read', t: 'KV' })).toEqual({ fault: 'not-owner' });
  });

  it('interns equal states: same value and context give the same snapshot', () => {
    const a = driver(t);
    const b = driver(t);
    a.send({ type: 'down_read', t: 'Q' });
    a.send({ type: 'up_read', t: 'Q' });
    expect(a.s).toBe(b.s);
  });
});

describe('mutex', () => {
  const t = new MachineTable<MutexCtx, MutexEvent, LockOut>(mutexMachine);
  it('hands off to the first waiter', () => {
    const m = driver(t);
    expect(m.send({ type: 'lock', t: 'Q' })).toEqual({ granted: true });
    expect(m.send({ type: 'lock', t: 'X' })).toEqual({ granted: false });
    expect(m.send({ type: 'lock', t: 'Y' })).toEqual({ granted: false });
    m.send({ type: 'unlock', t: 'Q' });
    expect(m.s.ctx).toMatchObject({ owner: 'X', waiters: ['Y'] });
    expect(m.send({ type: 'unlock', t: 'Y' })).toEqual({ fault: 'not-owner' });
  });
});

describe('struct kvm users_count', () => {
  const t = new MachineTable<KvmCtx, KvmEvent, KvmOut>(kvmMachine);

  it('starts with the fds reference and is destroyed by the put that reaches 0', () => {
    const k = driver(t);
    expect(k.s.ctx.users).toBe(1);
    k.send({ type: 'get', h: 'gvt:D' });
    expect(k.s.ctx.users).toBe(2);
    expect(k.send({ type: 'put', h: 'fds' })).toEqual({});
    expect(k.send({ type: 'put', h: 'gvt:D' })).toEqual({ destroy: true });
    expect(k.s.value).toBe('destroying');
    k.send({ type: 'free' });
    expect(k.s.value).toBe('freed');
    expect(k.send({ type: 'get', h: 'x' })).toEqual({ fault: 'use-after-free' });
    expect(k.send({ type: 'put', h: 'x' })).toEqual({ fault: 'use-after-free' });
    expect(k.send({ type: 'deref' })).toEqual({ fault: 'use-after-free' });
  });

  it('get from 0 is reported and saturates (refcount_t), so later puts never free it', () => {
    const k = driver(t);
    k.send({ type: 'put', h: 'fds' });
    expect(k.send({ type: 'get', h: 'gvt:D' })).toEqual({ fault: 'get-from-zero' });
    expect(k.s.ctx).toMatchObject({ users: 0, saturated: true });
    expect(k.send({ type: 'put', h: 'gvt:D' })).toEqual({});
    expect(k.s.ctx.users).toBe(0);
  });

  it('kvm_get_kvm_safe refuses a VM whose count is 0', () => {
    const k = driver(t);
    expect(k.send({ type: 'get_safe', h: 'core:D' })).toEqual({ ok: true });
    k.send({ type: 'put', h: 'fds' });
    k.send({ type: 'put', h: 'core:D' });
    expect(k.send({ type: 'get_safe', h: 'core:D' })).toEqual({ ok: false });
  });

  it('a put by a holder that never got a reference is unbalanced, and still counts', () => {
    const k = driver(t);
    expect(k.send({ type: 'put', h: 'gvt:D' })).toEqual({ fault: 'unbalanced-put', destroy: true });
    expect(k.s.ctx.users).toBe(0);
  });
});

describe('vfio_device lifecycle', () => {
  const t = new MachineTable<DeviceCtx, DeviceEvent, DeviceOut>(vfioDeviceMachine);
  it('captures kvm only during the first open, and refuses to change it while open', () => {
    const d = driver(t);
    d.send({ type: 'open_count_inc' });
    expect(d.s.value).toBe('opening');
    d.send({ type: 'capture_kvm', k: 'K' });
    d.send({ type: 'first_open_done' });
    d.send({ type: 'open_count_inc' });
    expect(d.s.ctx).toMatchObject({ openCount: 2, kvm: 'K' });
    expect(d.send({ type: 'capture_kvm', k: 'K2' })).toEqual({ fault: 'kvm-written-while-open' });
    expect(d.send({ type: 'clear_kvm' })).toEqual({ fault: 'kvm-written-while-open' });
    d.send({ type: 'open_count_dec' });
    d.send({ type: 'close_begin' });
    expect(d.s.value).toBe('closing');
    d.send({ type: 'open_count_dec' });
    expect(d.s.value).toBe('closed');
    d.send({ type: 'clear_kvm' });
    expect(d.s.ctx.kvm).toBeNull();
  });
});
