/** vfio-kvm: list, run, explore, report, render, eras, diff (the CLI (README)). Exit 0 when it ran, 2 on bad input. */
import { listCommand } from './list.ts';
import { runCommand } from './run.ts';
import { exploreCommand } from './explore.ts';
import { diffCommand, erasCommand } from './diff.ts';
import { UsageError, type CliIO } from './io.ts';
import { ERA_IDS } from '../model/era.ts';
import { escapeUnsafe } from '../report/text.ts';

export type { CliIO } from './io.ts';

const USAGE = `usage:
  vfio-kvm list
  vfio-kvm run <id|file.json> [--era E] [--schedule Q,Q,KV,…] [--json]
  vfio-kvm explore <id|file.json> [--era E] [--max-states N] [--max-ms N] [--report] [--json]
  vfio-kvm report <id|file.json> [--era E] [--schedule Q,Q,KV,…] [--json]
  vfio-kvm render <id|file.json> [--era E] [--step N | --all-steps] [--theme light|dark] [--width PX] [--format svg|png] [--scale N] --out PATH
  vfio-kvm eras [--json]
  vfio-kvm diff <eraA> <eraB> [--fn NAME] [--json]

eras, oldest first (each also answers to its commit id): ${ERA_IDS.join(', ')}
`;

type Command = (argv: readonly string[], io: CliIO) => number | Promise<number>;

/** Commands added by other modules (explore, render) register here. */
export const commands: Record<string, Command> = {
  list: (argv, io) => {
    if (argv.length) throw new UsageError('list takes no arguments');
    return listCommand(io);
  },
  run: runCommand,
  // React and react-dom/server load only when rendering.
  render: async (argv, io) => (await import('./render.ts')).renderCommand(argv, io),
  explore: exploreCommand,
  report: async (argv, io) => (await import('./report.ts')).reportCommand(argv, io),
  eras: erasCommand,
  diff: diffCommand,
};

/**
 * Nothing from a file or an argument reaches the terminal raw: every
 * control character (newline excepted), C1 control, DEL, line separator and
 * bidirectional override the CLI would print is escaped as \uXXXX (also a
 * JSON escape, so --json output stays valid). The CLI adds no colour.
 */
export function safeIO(io: CliIO): CliIO {
  return { ...io, out: (s) => io.out(escapeUnsafe(s)), err: (s) => io.err(escapeUnsafe(s)) };
}

export async function main(argv: readonly string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const c = Object.hasOwn(commands, cmd) ? commands[cmd] : undefined;
  try {
    if (!c) throw new UsageError(`unknown command "${cmd}"; commands: ${Object.keys(commands).join(', ')}`);
    return await c(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`vfio-kvm: ${e.message}\n`);
      return 2;
    }
    io.err(`vfio-kvm: internal error: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}
