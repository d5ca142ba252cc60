#!/usr/bin/env node
// docs/scenarios.md: what every built-in scenario finds in every era, generated
// from the model through the CLI's own JSON output (`vfio-kvm list`,
// `vfio-kvm eras --json`, `vfio-kvm run --json`, `vfio-kvm explore --json`),
// called in-process so that the 12 × 18 explorations take seconds.
//
//   node scripts/scenario-table.mjs           print the document
//   node scripts/scenario-table.mjs --write   write docs/scenarios.md
//   node scripts/scenario-table.mjs --check   exit 1 if docs/scenarios.md is out of date
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, ROOT } from './node-bundle.mjs';

const DOC = join(ROOT, 'docs', 'scenarios.md');

/** The violation kinds of a trace (vfio-kvm-trace/1), in the order the tables show them. */
const KINDS = [
  'null-deref',
  'use-after-free',
  'get-from-zero',
  'unbalanced-put',
  'refcount-leak',
  'deadlock',
];
const SHORT = {
  'null-deref': 'NULL',
  'use-after-free': 'UAF',
  'get-from-zero': 'GFZ',
  'unbalanced-put': 'PUT',
  'refcount-leak': 'LEAK',
  deadlock: 'DL',
};

async function cli() {
  // The same bundle as bin/vfio-kvm.mjs (same cache, same sources).
  const bundle = await bundleForNode({
    entry: 'src/cli/main.ts',
    cache: 'vfio-kvm',
    file: 'vfio-kvm.mjs',
    sources: ['src', 'bin/vfio-kvm.mjs', 'scripts/node-bundle.mjs'],
  });
  const { main } = await import(pathToFileURL(bundle).href);
  return async (...argv) => {
    let out = '';
    let err = '';
    const code = await main(argv, {
      out: (s) => (out += s),
      err: (s) => (err += s),
      readFile: (p) => readFile(p, 'utf8'),
      cwd: ROOT,
    });
    if (code !== 0) throw new Error(`vfio-kvm ${argv.join(' ')} exited ${code}: ${err.trim()}`);
    return out;
  };
}

const kindsOf = (violations) => KINDS.filter((k) => violations.some((v) => v.kind === k));

/** "v1..group-c, fixed": consecutive eras in history order joined as a range. */
function ranges(eras, order) {
  const idx = eras.map((e) => order.indexOf(e)).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j] + 1) j++;
    out.push(i === j ? order[idx[i]] : `${order[idx[i]]}..${order[idx[j]]}`);
    i = j + 1;
  }
  return out.join(', ');
}

const cell = (s) => s.replace(/\|/g, '\\|');

async function measure() {
  const vk = await cli();
  const eras = JSON.parse(await vk('eras', '--json')).eras;
  const order = eras.map((e) => e.id);
  const scenarios = (await vk('list'))
    .trim()
    .split('\n')
    .map((line) => {
      const [, id, era, title] = /^(\S+)\s+(\S+)\s+(.*)$/.exec(line);
      return { id, era, title };
    });
  for (const s of scenarios) {
    s.by = {};
    for (const era of order) {
      const run = JSON.parse(await vk('run', s.id, '--era', era, '--json'));
      const x = JSON.parse(await vk('explore', s.id, '--era', era, '--json'));
      s.by[era] = {
        run: kindsOf(run.violations),
        explore: kindsOf(x.violations),
        complete: x.complete,
        states: x.states,
      };
    }
  }
  return { eras, order, scenarios };
}

function render({ eras, order, scenarios }) {
  const L = [];
  L.push('# Built-in scenarios: what each finds in each era');
  L.push('');
  L.push(
    'Generated from the model by `node scripts/scenario-table.mjs --write` (do not edit by hand;',
    '`node scripts/scenario-table.mjs --check` fails when this file is out of date). For every built-in',
    'scenario and every era the script runs `vfio-kvm run <id> --era <era> --json` (the listed order of',
    'the steps) and `vfio-kvm explore <id> --era <era> --json` (every interleaving), and records the',
    'violation kinds each reports. What each scenario shows in each era, in words, is its `explain`',
    'text (`src/scenarios/builtin/<id>.json`, shown on the page and by `vfio-kvm run`); the facts and',
    'sources behind the eras are in [kernel-reference.md](kernel-reference.md).',
  );
  L.push('');
  L.push('Kinds: ' + KINDS.map((k) => `${SHORT[k]} = \`${k}\``).join(', ') + '.');
  L.push(
    'Only these violations are counted; the guarantees of the patch that `explore` also checks are',
    'left out of the tables.',
  );
  L.push('');
  L.push('## Eras');
  L.push('');
  L.push('| era | commit | date | subject |');
  L.push('|---|---|---|---|');
  for (const e of eras)
    L.push(
      `| \`${e.id}\` | ${e.commit ? e.commit.slice(0, 12) : 'patch'} | ${e.date} | ${cell(e.subject)} |`,
    );
  L.push('');
  L.push('## Summary');
  L.push('');
  L.push(
    'Per scenario: the eras in which the listed order already shows a kind (run), and the eras in',
    'which some interleaving does (explore).',
  );
  L.push('');
  L.push('| id | what it shows | default era | run finds | explore finds |');
  L.push('|---|---|---|---|---|');
  for (const s of scenarios) {
    const where = (what) => {
      const parts = KINDS.map((k) => [k, order.filter((e) => s.by[e][what].includes(k))])
        .filter(([, es]) => es.length)
        .map(([k, es]) => `${SHORT[k]}: ${ranges(es, order)}`);
      return parts.length ? parts.join('; ') : 'nothing';
    };
    L.push(`| \`${s.id}\` | ${cell(s.title)} | \`${s.era}\` | ${where('run')} | ${where('explore')} |`);
  }
  L.push('');
  L.push('## Scenario × era');
  L.push('');
  L.push(
    'What `explore` finds; **bold** where the listed order (`run`) already finds it; — where nothing',
    'is found; (bounded) where a search bound stopped the exploration.',
  );
  L.push('');
  L.push(`| id | ${order.join(' | ')} |`);
  L.push(`|---|${order.map(() => '---').join('|')}|`);
  for (const s of scenarios) {
    const cells = order.map((e) => {
      const r = s.by[e];
      const ks = r.explore.map((k) => (r.run.includes(k) ? `**${SHORT[k]}**` : SHORT[k]));
      for (const k of r.run) if (!r.explore.includes(k)) ks.push(`**${SHORT[k]}**`);
      return (ks.length ? ks.join(' ') : '—') + (r.complete ? '' : ' (bounded)');
    });
    L.push(`| \`${s.id}\` | ${cells.join(' | ')} |`);
  }
  L.push('');
  return L.join('\n');
}

const args = process.argv.slice(2);
const bad = args.filter((a) => a !== '--write' && a !== '--check');
if (bad.length || args.length > 1) {
  process.stderr.write('usage: node scripts/scenario-table.mjs [--write | --check]\n');
  process.exit(2);
}
const doc = render(await measure());
if (args[0] === '--write') {
  await writeFile(DOC, doc);
  process.stdout.write(`wrote ${DOC}\n`);
} else if (args[0] === '--check') {
  const now = await readFile(DOC, 'utf8').catch(() => '');
  if (now !== doc) {
    process.stderr.write('docs/scenarios.md is out of date: run node scripts/scenario-table.mjs --write\n');
    process.exit(1);
  }
  process.stdout.write('docs/scenarios.md is up to date\n');
} else {
  process.stdout.write(doc);
}
