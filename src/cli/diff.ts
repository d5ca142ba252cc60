/** vfio-kvm eras, vfio-kvm diff <A> <B> [--fn NAME] [--json]. */
import { diffEras, formatDiff, formatEras } from '../model/diff.ts';
import { ERA_LIST } from '../model/era.ts';
import { parseArgs, str } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { eraArg } from './load.ts';

export function erasCommand(argv: readonly string[], io: CliIO): number {
  const p = parseArgs(argv, { json: 'bool' });
  if (p.positional.length) throw new UsageError('eras takes no arguments');
  if (p.flags.has('json')) {
    const eras = ERA_LIST.map((e) => ({
      id: e.id,
      commit: e.commit,
      ids: e.ids,
      date: e.date,
      release: e.release,
      subject: e.subject,
      author: e.author,
      link: e.link,
      summary: e.summary,
    }));
    io.out(JSON.stringify({ schema: 'vfio-kvm-eras/1', eras }, null, 2) + '\n');
  } else io.out(formatEras());
  return 0;
}

export function diffCommand(argv: readonly string[], io: CliIO): number {
  const p = parseArgs(argv, { fn: 'value', json: 'bool' });
  const [a, b, ...rest] = p.positional;
  if (!a || !b) throw new UsageError('diff needs two eras: vfio-kvm diff <eraA> <eraB> [--fn NAME]');
  if (rest.length) throw new UsageError(`diff takes two eras; unexpected "${rest[0]}"`);
  const d = diffEras(eraArg(a, 'first era'), eraArg(b, 'second era'), { fn: str(p, 'fn') });
  const fn = str(p, 'fn');
  if (fn && !d.functions.length && !/^[A-Za-z_][A-Za-z0-9_ ]{0,63}$/.test(fn))
    throw new UsageError('--fn: expected a kernel function name, like vfio_device_open');
  io.out(p.flags.has('json') ? JSON.stringify(d, null, 2) + '\n' : formatDiff(d));
  return 0;
}
