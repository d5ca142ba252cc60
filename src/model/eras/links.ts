/** Links to the kernel's git and mail archives. */
export const GIT = 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git';
export const LORE = 'https://lore.kernel.org/r/';
export const commitUrl = (id: string) => `${GIT}/commit/?id=${id}`;
export const loreUrl = (msgid: string) => `${LORE}${encodeURIComponent(msgid.replace(/^<|>$/g, ''))}`;
/** A file at a commit, optionally at a line (git.kernel.org's `#n<line>` anchor). */
export const treeUrl = (commit: string, file: string, line?: number | null) =>
  `${GIT}/tree/${file}?id=${commit}${line ? `#n${line}` : ''}`;
