/** Plain-words formatting shared by the panels. */
import type { Violation } from '../../model/index.ts';

const KIND_WORDS: Record<string, string> = {
  'null-deref': 'NULL pointer dereference',
  'use-after-free': 'use after free',
  'get-from-zero': 'kvm_get_kvm on a VM whose users_count is 0',
  'unbalanced-put': 'unbalanced kvm_put_kvm',
  'refcount-leak': 'KVM reference leak',
  deadlock: 'deadlock',
};

export function kindWords(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}

export function violationText(v: Violation): string {
  const s = `Violation (${v.kind}): ${kindWords(v.kind)} in ${v.at}, thread ${v.thread}${v.detail ? ` — ${v.detail}` : ''}`;
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
