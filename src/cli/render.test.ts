import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { runScenario } from '../model/run.ts';
import { builtin } from '../scenarios/index.ts';
import { describeState } from '../model/view.ts';

async function render(args: string[]) {
  const files = new Map<string, string>();
  let out = '';
  let err = '';
  const code = await main(['render', ...args], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: async () => {
      throw new Error('no files');
    },
    writeFile: async (p, d) => void files.set(p, d),
    cwd: '/',
  });
  return { code, out, err, files };
}

describe('vfio-kvm render', () => {
  it('writes a standalone, accessible SVG of the reference flow at a step', async () => {
    const r = await render(['last-ref-deadlock', '--era', 'after', '--out', 'k.svg']);
    expect(r.code).toBe(0);
    const svg = r.files.get('k.svg')!;
    expect(svg).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(svg).toMatch(
      /<title id="flow-title">KVM reference flow — after \(421cfe6596f6, v3\), step 32 of 32<\/title>/,
    );
    expect(svg).toMatch(/<desc id="flow-desc">/);
    expect(svg).not.toMatch(/ style="|<style/);
    expect(svg).toMatch(/font-family="system-ui, [^"]*sans-serif"/);
    // What the model says at that step: the deadlock, K being destroyed, users_count 0, open_count 1.
    expect(svg).toContain('deadlock in vfio_file_set_kvm');
    expect(svg).toContain('DESTROYING');
    expect(svg).toMatch(/<desc id="flow-desc">[^<]*VM K: being destroyed, users_count 0/);
    expect(r.err).toBe('wrote k.svg (step 32 of 32)\n');
  });

  it('draws the numbers of the model at the requested step', async () => {
    const run = runScenario(builtin('happy-path')!, { era: 'after' });
    for (const n of [0, 17, 30]) {
      const r = await render(['happy-path', '--step', String(n), '--out', '-']);
      const v = describeState(run.model, run.states[n]!);
      expect(r.out).toContain(n === 0 ? 'initial state' : `step ${n} of ${run.records.length}`);
      expect(r.out).toContain(`data-step="${n}"`);
      const desc = r.out.match(/<desc id="flow-desc">([^<]*)<\/desc>/)![1]!;
      expect(desc).toContain(`users_count ${v.vms[0]!.users}`);
      expect(desc).toContain(`open_count ${v.devices[0]!.openCount}`);
    }
  });

  it('renders light and dark', async () => {
    const light = (await render(['gvt-ref-leak', '--out', '-'])).out;
    const dark = (await render(['gvt-ref-leak', '--theme', 'dark', '--out', '-'])).out;
    expect(light).toContain('data-theme="light"');
    expect(dark).toContain('data-theme="dark"');
    expect(light).not.toBe(dark);
  });

  it('writes every step with --all-steps', async () => {
    const r = await render(['del-while-open', '--all-steps', '--out', 'out/']);
    const n = runScenario(builtin('del-while-open')!).records.length;
    expect(r.files.size).toBe(n + 1);
    expect([...r.files.keys()][0]).toBe('out/del-while-open-before-000.svg');
    const p = await render(['del-while-open', '--all-steps', '--out', 'f-{step}.svg']);
    expect(p.files.has('f-053.svg')).toBe(true);
  });

  it.each([
    [['happy-path'], /render needs --out PATH/],
    [['happy-path', '--step', '999', '--out', 'x.svg'], /--step: expected a whole number from 0 to 45/],
    [['happy-path', '--theme', 'pink', '--out', 'x.svg'], /--theme: expected light or dark, got "pink"/],
    [['happy-path', '--step', '1', '--all-steps', '--out', 'x'], /not both/],
    [['happy-path', '--all-steps', '--out', '-'], /--all-steps writes several files/],
  ])('bad input %j exits 2', async (args, re) => {
    const r = await render(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
  });
});
