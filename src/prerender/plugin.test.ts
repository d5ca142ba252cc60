import { describe, expect, it } from 'vitest';
import { appCss, asciiMarkup } from './plugin.ts';

type Bundle = Parameters<typeof appCss>[0];

/** A chunk as Rolldown reports it, with only what appCss reads. */
function chunk(fileName: string, imports: string[], css: string[], facadeModuleId: string | null = null) {
  return {
    type: 'chunk',
    fileName,
    imports,
    facadeModuleId,
    viteMetadata: { importedCss: new Set(css), importedAssets: new Set<string>() },
  };
}

describe('appCss: the stylesheets index.html links for the explorer', () => {
  it('lists a chunk’s imports before the chunk itself (the page’s own rules after the shared ones), each file once', () => {
    const bundle = {
      'assets/main.js': chunk(
        'assets/main.js',
        ['assets/threads.js', 'assets/era.js'],
        ['assets/main.css'],
        '/repo/src/main.tsx',
      ),
      'assets/threads.js': chunk('assets/threads.js', ['assets/era.js'], ['assets/threads.css']),
      'assets/era.js': chunk('assets/era.js', [], ['assets/era.css']),
      'assets/embed.js': chunk(
        'assets/embed.js',
        ['assets/threads.js'],
        ['assets/embed.css'],
        '/repo/src/embed.tsx',
      ),
    } as unknown as Bundle;
    expect(appCss(bundle)).toEqual(['assets/era.css', 'assets/threads.css', 'assets/main.css']);
  });

  it('fails clearly when the bundle has no chunk for src/main.tsx', () => {
    const bundle = { 'assets/x.js': chunk('assets/x.js', [], []) } as unknown as Bundle;
    expect(() => appCss(bundle)).toThrow(/no chunk for src\/main\.tsx/);
  });
});

describe('asciiMarkup: the build-time view in ASCII', () => {
  it('writes every character outside ASCII as a character reference, astral ones included, and leaves the rest', () => {
    const markup = '<p title="a → b">GROUP_DEL — “no oops” 😀 &amp; <code>x-&gt;y</code></p>';
    const out = asciiMarkup(markup);
    expect(out).toBe(
      '<p title="a &#x2192; b">GROUP_DEL &#x2014; &#x201c;no oops&#x201d; &#x1f600; &amp; <code>x-&gt;y</code></p>',
    );
    expect([...out].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
  });

  it('refuses markup with a script or style element, whose text character references would change', () => {
    expect(() => asciiMarkup('<style>a::before{content:"—"}</style>')).toThrow(/script or style/);
    expect(() => asciiMarkup('<script>x="—"</script>')).toThrow(/script or style/);
  });
});
