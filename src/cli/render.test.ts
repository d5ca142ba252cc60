import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DARK, LIGHT } from '../diagrams/theme.ts';
import { main } from './main.ts';
import { runScenario } from '../model/run.ts';
import { builtin } from '../scenarios/index.ts';
import { describeState } from '../model/view.ts';

async function render(args: string[]) {
  const files = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  let out = '';
  let err = '';
  const code = await main(['render', ...args], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: async () => {
      throw new Error('no files');
    },
    writeFile: async (p, d) => void (typeof d === 'string' ? files.set(p, d) : bytes.set(p, d)),
    cwd: '/',
  });
  return { code, out, err, files, bytes };
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

  it("--format png: the same diagram rasterised by resvg, on the theme's background, --scale times as wide", async () => {
    const svg = (await render(['del-while-open', '--era', 'before', '--step', '51', '--out', '-'])).out;
    const [w, h] = [...svg.matchAll(/ (width|height)="(\d+)"/g)].slice(0, 2).map((m) => Number(m[2]));
    for (const [theme, bg] of [
      ['light', LIGHT],
      ['dark', DARK],
    ] as const) {
      const r = await render(
        ['del-while-open', '--era', 'before', '--step', '51', '--theme', theme].concat([
          '--format',
          'png',
          '--out',
          'f.png',
        ]),
      );
      expect(r.code, r.err).toBe(0);
      expect(r.err).toBe(
        `wrote f.png (step 51 of ${runScenario(builtin('del-while-open')!, { era: 'before' }).records.length})\n`,
      );
      const img = decodePng(r.bytes.get('f.png')!);
      expect([img.width, img.height]).toEqual([w! * 2, h! * 2]);
      // The corner is the background; the text colour is drawn (glyphs found a font).
      expect(img.at(1, 1)).toEqual(hex(bg.bg));
      const text = hex(bg.text);
      let inked = 0;
      for (let y = 0; y < img.height; y += 2)
        for (let x = 0; x < img.width; x += 2) if (near(img.at(x, y), text)) inked++;
      expect(inked).toBeGreaterThan(500);
    }
    const one = await render([
      'happy-path',
      '--format',
      'png',
      '--scale',
      '1',
      '--width',
      '640',
      '--out',
      'o.png',
    ]);
    expect(decodePng(one.bytes.get('o.png')!).width).toBe(640);
  });

  it('--format png --all-steps: one PNG per step', async () => {
    const all = await render(
      ['recursive-rlock', '--all-steps', '--format', 'png', '--scale', '1', '--width', '320'].concat([
        '--out',
        'pngs/',
      ]),
    );
    const n = runScenario(builtin('recursive-rlock')!).records.length;
    expect(all.bytes.size).toBe(n + 1);
    expect([...all.bytes.keys()][2]).toBe('pngs/recursive-rlock-after-002.png');
  }, 120_000); // rasterises every step: slow on a loaded machine

  it.each([
    [['happy-path', '--format', 'gif', '--out', 'x.gif'], /--format: expected svg or png, got "gif"/],
    [['happy-path', '--format', 'png', '--out', '-'], /--format png writes a file/],
    [['happy-path', '--scale', '2', '--out', 'x.svg'], /--scale is for --format png only/],
    [
      ['happy-path', '--format', 'png', '--scale', '9', '--out', 'x.png'],
      /--scale: expected a whole number from 1 to 4/,
    ],
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

/** RGBA pixels of an 8-bit RGBA, non-interlaced PNG (what resvg writes). */
function decodePng(png: Uint8Array) {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let o = 8; o < b.length;) {
    const len = b.readUInt32BE(o);
    const type = b.toString('ascii', o + 4, o + 8);
    const data = b.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]);
    } else if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? px[y * stride + x - 4]! : 0;
      const up = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4]! : 0;
      const p = a + up - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - c);
      const pred = [0, a, up, (a + up) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? up : c][f]!;
      px[y * stride + x] = (v + pred) & 255;
    }
  }
  return {
    width,
    height,
    at: (x: number, y: number) => [...px.subarray(y * stride + x * 4, y * stride + x * 4 + 4)],
  };
}

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).concat(255);
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 24);
