/**
 * What a user must never be pointed to: the team's own working notes (not
 * published, so a citation of them is one nobody can follow). The product
 * cites commits, mails and docs/kernel-reference.md instead. Used by the
 * tests that scan what users see: model data, docs, CLI output, the build.
 */
export const PRIVATE_NOTES = /domain\.md|history\.md|spec §|\.\.[/]shared/;

/** The same, for `matchAll`. */
export const PRIVATE_NOTES_ALL = new RegExp(PRIVATE_NOTES.source, 'g');
