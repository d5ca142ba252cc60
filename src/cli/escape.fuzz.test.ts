/**
 * Nothing from a file or an argument reaches the terminal raw. A hostile
 * scenario author puts control characters (C0, C1, ESC/CSI/OSC sequences,
 * bidirectional overrides, line separators) in every text field: the
 * validator rejects the file naming the field, and whatever `run`, `explore`
 * and `report` print (messages included) has no byte below 0x20 but
 * newline, no DEL and no C1 control. (The CLI adds no colour of its own.)
 */
import { describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import { main } from './main.ts';
import { builtin } from '../scenarios/index.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { reportDocument } from './report.ts';
import { runScenario } from '../model/index.ts';
import { firstUnsafe } from '../report/text.ts';

async function cli(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readFile: async (p) => {
      if (Object.hasOwn(files, p)) return files[p]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    cwd: '/',
  });
  return { code, out, err };
}

/** No control character a terminal would act on: C0 but newline, DEL, C1, and no bidi override or line separator. */
function expectInert(s: string) {
  const bad = [...s].find((ch) => {
    const c = ch.codePointAt(0)!;
    return (
      (c < 0x20 && c !== 0x0a) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f
    );
  });
  expect(bad, `U+${bad?.codePointAt(0)?.toString(16)} in ${JSON.stringify(s.slice(0, 300))}`).toBeUndefined();
  expect(Buffer.from(s, 'utf8').some((b) => (b < 0x20 && b !== 0x0a) || b === 0x7f)).toBe(false);
}

const ATTACKS = [
  'evil\x1b[2J\x1b]0;pwned\x07title', // clear the screen, set the window title
  'copy\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07', // OSC 52: write the clipboard
  'csi8bit\x9b2J', // the 8-bit CSI
  'osc8bit\x9d0;x\x9c',
  'bell\x07and backspace\x08\x08',
  'carriage\rreturn',
  'tab\there',
  'new\nline',
  'nul\x00byte',
  'del\x7fete',
  'rtl \u202Etxt.exe',
  'isolate \u2066x\u2069',
  'line\u2028separator',
  'mark\u200Fright',
];

const TEXT_FIELDS = ['title', 'description', 'source', 'explain.after', 'explain.v5.18'] as const;

function withField(field: (typeof TEXT_FIELDS)[number], value: string): Record<string, unknown> {
  const s: Record<string, unknown> = JSON.parse(JSON.stringify(builtin('del-while-open')!));
  if (field.startsWith('explain.')) s.explain = { ...(s.explain as object), [field.slice(8)]: value };
  else s[field] = value;
  return s;
}

describe('the validator rejects control characters in every text field, naming the field', () => {
  it.each(TEXT_FIELDS)('%s', (field) => {
    for (const a of ATTACKS) {
      const v = validateScenario(withField(field, a));
      expect(v.ok, `${field}: ${JSON.stringify(a)}`).toBe(false);
      if (v.ok) continue;
      expect(v.errors.some((e) => e.startsWith(`${field}: contains a control character (U+`))).toBe(true);
      for (const e of v.errors) expectInert(e);
    }
  });

  it('plain text, accents, CJK and emoji stay valid', () => {
    for (const t of ['Déjà vu — «guillemets»', 'カーネル', 'emoji 🐧 ok', 'arrows → ←'])
      expect(validateScenario(withField('title', t)).ok).toBe(true);
  });
});

describe('every command prints nothing raw', () => {
  test('run, explore and report of a hostile file: exit 2, the message escaped', async () => {
    for (const field of TEXT_FIELDS)
      for (const a of ATTACKS) {
        const file = JSON.stringify(withField(field, a));
        for (const args of [
          ['run', 'x.json'],
          ['explore', 'x.json', '--max-states', '50'],
          ['report', 'x.json'],
          ['explore', 'x.json', '--report', '--max-states', '50'],
        ]) {
          const r = await cli(args, { 'x.json': file });
          expect(r.code).toBe(2);
          expect(r.err).toContain(`${field}: contains a control character`);
          expectInert(r.out + r.err);
        }
      }
  });

  test('generated: control characters anywhere in any text field, or in the arguments', async () => {
    const nasty = fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
          fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
          fc.constantFrom(
            '\x1b[31m',
            '\x1b]0;t\x07',
            '\x1b]52;c;eA==\x07',
            '\u202e',
            '\u2067',
            '\u2028',
            '\x1bP+q\x1b\\',
          ),
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TEXT_FIELDS),
        nasty,
        fc.constantFrom('run', 'explore', 'report'),
        fc.boolean(),
        nasty,
        async (field, value, cmd, json, arg) => {
          const file = JSON.stringify(withField(field, value));
          const r = await cli(
            [
              cmd,
              'x.json',
              ...(json ? ['--json'] : []),
              ...(cmd === 'explore' ? ['--max-states', '40'] : []),
            ],
            {
              'x.json': file,
            },
          );
          expectInert(r.out + r.err);
          if (r.code === 0) expect(firstUnsafe(value)).toBeNull(); // only clean text passes the validator
          // the same through the arguments: a path, a schedule, an option, an era
          for (const args of [
            [cmd, arg],
            [cmd, `${arg}.json`],
            ['run', 'happy-path', '--schedule', arg],
            ['report', 'happy-path', '--era', arg],
            [cmd, 'happy-path', `--${arg}`],
            [arg],
          ]) {
            const x = await cli(args);
            expectInert(x.out + x.err);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('scenario objects that bypass the validator are still printed escaped', () => {
    const s = { ...builtin('last-ref-deadlock')!, title: ATTACKS[0]!, description: ATTACKS[1]! };
    const run = runScenario(s, { era: 'after' });
    const doc = reportDocument(s, run);
    expectInert(doc);
    expect(doc).toContain('evil\\u001b[2J\\u001b]0;pwned\\u0007title');
  });

  test('a hostile path is printed escaped', async () => {
    const r = await cli(['run', 'evil\x1b]0;x\x07.json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('evil\\u001b]0;x\\u0007.json');
    expectInert(r.err);
  });
});
