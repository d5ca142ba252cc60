/**
 * Where the script time of autoplay goes: a V8 CPU profile (CDP Profiler,
 * sampling every 200 µs) of the same autoplay as the other runs, in its own
 * fresh context. Each sample's self time is attributed to the function it
 * was in, and through the analysis build's source maps (the served files are
 * byte for byte the analysis build's) to the source module and the module
 * group (./sourcemap.ts groupOf). "(garbage collector)" is kept as its own
 * group; idle and "(program)" (the browser's own work outside JS) are left
 * out of the shares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupOf, indexMap, moduleOf, sourceAt, type LineIndex, type RawSourceMap } from './sourcemap.ts';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ScriptBreakdown {
  /** JS self time sampled during autoplay (ms), GC included. */
  jsMs: number;
  /** Wall time of the profile (ms). */
  wallMs: number;
  groups: { group: string; ms: number; share: number }[];
  functions: { fn: string; module: string; ms: number; share: number }[];
}

/** Where a profile node's code comes from: its source module and module group (through the source maps). */
function resolver(
  analysisDir: string,
): (f: CpuProfileNode['callFrame']) => { group: string; module: string } {
  const maps = new Map<string, { map: RawSourceMap; index: LineIndex } | null>();
  const mapFor = (url: string) => {
    const file = /\/(assets\/[^?#]+\.js)/.exec(url)?.[1];
    if (!file) return null;
    if (!maps.has(file)) {
      const p = join(analysisDir, `${file}.map`);
      if (existsSync(p)) {
        const map = JSON.parse(readFileSync(p, 'utf8')) as RawSourceMap;
        maps.set(file, { map, index: indexMap(map) });
      } else maps.set(file, null);
    }
    return maps.get(file)!;
  };
  return (f) => {
    let source: string | null;
    if (f.functionName === '(garbage collector)') source = '(garbage collector)';
    else {
      const m = f.url ? mapFor(f.url) : null;
      source = m ? sourceAt(m.map, m.index, f.lineNumber, f.columnNumber) : null;
      source ??= f.url ? `(${f.url.replace(/^.*\//, '') || 'page'}, unmapped)` : '(native / V8 builtins)';
    }
    return {
      group: source.startsWith('(') ? source : groupOf(source),
      module: source.startsWith('(') ? source : moduleOf(source),
    };
  };
}

/** Nodes that are not JS: idle time, the browser's own work, the profile's root. */
const NOT_JS = new Set(['(idle)', '(program)', '(root)']);

/** Each JS sample of a profile: when it was taken (µs, the profile's clock), for how long, and its module group. */
export function attribute(
  profile: CpuProfile,
  analysisDir: string,
): { ts: number; us: number; group: string }[] {
  const resolve = resolver(analysisDir);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const groupOfNode = new Map<number, string | null>();
  const out: { ts: number; us: number; group: string }[] = [];
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let ts = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    ts += deltas[i] ?? 0;
    const id = samples[i]!;
    if (!groupOfNode.has(id)) {
      const n = byId.get(id);
      groupOfNode.set(id, n && !NOT_JS.has(n.callFrame.functionName) ? resolve(n.callFrame).group : null);
    }
    const group = groupOfNode.get(id);
    if (group) out.push({ ts, us: deltas[i + 1] ?? 0, group });
  }
  return out;
}

export function breakdown(profile: CpuProfile, analysisDir: string): ScriptBreakdown {
  const resolve = resolver(analysisDir);
  // Self time per node from the samples and their time deltas (µs).
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  const groups = new Map<string, number>();
  const fns = new Map<string, { fn: string; module: string; us: number }>();
  let js = 0;
  for (const n of profile.nodes) {
    const us = self.get(n.id) ?? 0;
    if (!us) continue;
    const f = n.callFrame;
    if (NOT_JS.has(f.functionName)) continue;
    const { group, module } = resolve(f);
    js += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'} @ ${module}`;
    const e = fns.get(key) ?? { fn: f.functionName || '(anonymous)', module, us: 0 };
    e.us += us;
    fns.set(key, e);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / (js || 1)) * 1000) / 1000;
  return {
    jsMs: ms(js),
    wallMs: ms(profile.endTime - profile.startTime),
    groups: [...groups]
      .map(([group, us]) => ({ group, ms: ms(us), share: share(us) }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 25)
      .map((f) => ({ fn: f.fn, module: f.module, ms: ms(f.us), share: share(f.us) })),
  };
}
