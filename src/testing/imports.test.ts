/**
 * The house rules a reader relies on, checked: no module of src/ imports
 * itself back through a chain of runtime imports (type-only imports are
 * erased and do not count), the model and the explorer import no React, D3
 * or DOM code, and no source file is longer than 400 lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const ALL = files(SRC);
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Runtime imports of a file: [specifier, isTypeOnly]. */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => ({ spec: m[3]!, typeOnly: Boolean(m[2]) }));
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of ALL) {
    if (/\.test\.tsx?$/.test(f)) continue;
    g.set(
      f,
      imports(f)
        .filter((i) => !i.typeOnly && i.spec.startsWith('.'))
        .map((i) => resolve(dirname(f), i.spec).replace(/\?.*$/, ''))
        .filter((p) => /\.tsx?$/.test(p)),
    );
  }
  return g;
}

describe('the house', () => {
  test('the runtime import graph of src/ has no cycle', () => {
    const g = graph();
    // The parse found the imports: several hundred runtime edges.
    expect([...g.values()].reduce((n, e) => n + e.length, 0)).toBeGreaterThan(300);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const n of g.get(f) ?? []) visit(n, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of g.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  test('src/model and src/explore import no React, D3 or DOM code', () => {
    const bad: string[] = [];
    for (const f of ALL) {
      const rel = relative(SRC, f);
      if (!/^(model|explore)\//.test(rel) || /\.test\.tsx?$/.test(rel)) continue;
      for (const i of imports(f))
        if (/^(react|react-dom|d3)/.test(i.spec) || /\/(view|diagrams|element|embed)\//.test(i.spec))
          bad.push(`${rel}: ${i.spec}`);
    }
    expect(bad).toEqual([]);
  });

  test('no source file is longer than 400 lines (tests and test data aside)', () => {
    const long = ALL.filter((f) => !/\.test\.tsx?$|\/testing\//.test(f))
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').trimEnd().split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
