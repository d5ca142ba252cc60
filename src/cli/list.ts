/** `vfio-kvm list`: the built-in scenarios, one a line. */
import { BUILTINS } from '../scenarios/index.ts';
import type { CliIO } from './io.ts';

export function listCommand(io: CliIO): number {
  const w = Math.max(...BUILTINS.map((s) => s.id.length));
  for (const s of BUILTINS) io.out(`${s.id.padEnd(w)}  ${s.era.padEnd(6)}  ${s.title}\n`);
  return 0;
}
