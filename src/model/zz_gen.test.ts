import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { ERA_IDS } from './era.ts';
import { runScenario } from './run.ts';
import { BUILTINS } from '../scenarios/index.ts';
it('gen', () => {
  const out: string[] = [];
  for (const sc of BUILTINS) {
    const rows: { eras: string[]; key: string }[] = [];
    for (const e of ERA_IDS) {
      const r = runScenario(sc, { era: e });
      const results = r.trace.steps.map((s) => (s.status === 'done' ? (s.result ?? 0) : s.status));
      const kinds = [...new Set(r.violations.map((v) => v.kind))];
      const vms = Object.fromEntries(
        Object.entries(r.trace.final.vms).map(([k, v]) => [k, `${v.state}/${v.users}`]),
      );
      const key = JSON.stringify({ results, kinds, vms });
      const last = rows[rows.length - 1];
      if (last && last.key === key) last.eras.push(e);
      else rows.push({ eras: [e], key });
    }
    out.push(`  '${sc.id}': {`);
    for (const r of rows) {
      const k = r.eras.length === 1 ? r.eras[0] : `${r.eras[0]}..${r.eras[r.eras.length - 1]}`;
      const o = JSON.parse(r.key);
      out.push(
        `    '${k}': { results: ${JSON.stringify(o.results)}, kinds: ${JSON.stringify(o.kinds)}, vms: ${JSON.stringify(o.vms)} },`,
      );
    }
    out.push('  },');
  }
  writeFileSync('/tmp/outcomes.txt', out.join('\n'));
});
