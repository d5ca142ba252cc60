import { describe, expect, it } from 'vitest';
import {
  attr,
  embedCode,
  embedLink,
  embedTitle,
  iframeSnippet,
  pageLink,
  resizeListener,
  EMBED_INITIAL_HEIGHT,
} from './share.ts';
import { serializeUrlState } from './url.ts';

const at = serializeUrlState({
  scenario: 'del-while-open',
  scenarioJson: null,
  era: 'before',
  step: 53,
  schedule: [],
  theme: 'auto',
});

describe('permalinks', () => {
  it('the page link is the page address with the state', () => {
    expect(pageLink('http://127.0.0.1:4173/?scenario=x&step=1#old', at)).toBe(
      'http://127.0.0.1:4173/?scenario=del-while-open&era=before&step=53&v=1',
    );
    expect(pageLink('https://docs.example.org/tools/vke/index.html', at)).toBe(
      'https://docs.example.org/tools/vke/index.html?scenario=del-while-open&era=before&step=53&v=1',
    );
  });
  it('embed.html sits next to the page, with the same state (a user scenario keeps its hash)', () => {
    expect(embedLink('https://docs.example.org/tools/vke/', at)).toBe(
      'https://docs.example.org/tools/vke/embed.html?scenario=del-while-open&era=before&step=53&v=1',
    );
    expect(
      embedLink('https://docs.example.org/tools/vke/index.html?x=1', {
        search: '?era=after&step=0&v=1',
        hash: '#scenario=eyJ9',
      }),
    ).toBe('https://docs.example.org/tools/vke/embed.html?era=after&step=0&v=1#scenario=eyJ9');
  });
});

describe('embed code', () => {
  const src = 'https://docs.example.org/vke/embed.html?scenario=del-while-open&era=before&step=53&v=1';
  it('an iframe: escaped attributes, an accessible name, lazy loading, an initial height', () => {
    const html = iframeSnippet({ src, title: embedTitle('GROUP_DEL "while" <open>', 'before') });
    expect(html).toBe(
      `<iframe src="https://docs.example.org/vke/embed.html?scenario=del-while-open&amp;era=before&amp;step=53&amp;v=1" title="vfio-kvm-explorer: GROUP_DEL &quot;while&quot; &lt;open&gt; (before)" width="100%" height="${EMBED_INITIAL_HEIGHT}" loading="lazy" style="border:0;max-width:100%"></iframe>`,
    );
    expect(attr('a&b"c<d>')).toBe('a&amp;b&quot;c&lt;d&gt;');
  });

  it('the copied code is the iframe and a listener that trusts only the explorer origin', () => {
    const code = embedCode({ src, title: 't' });
    expect(code.startsWith('<iframe ')).toBe(true);
    expect(code).toContain('<script>');
    expect(code).toContain('e.origin !== "https://docs.example.org"');
    expect(code.trim().endsWith('</script>')).toBe(true);
  });

  it('the listener script is valid JavaScript, sizes the right iframe, and ignores everything else', () => {
    const script = resizeListener('https://docs.example.org');
    const body = script.replace(/^<script>\n/, '').replace(/\n<\/script>$/, '');
    const frames = [
      { contentWindow: { id: 1 }, style: { height: '' } },
      { contentWindow: { id: 2 }, style: { height: '' } },
    ];
    const listeners: ((e: unknown) => void)[] = [];
    const window = { addEventListener: (_: string, l: (e: unknown) => void) => listeners.push(l) } as Record<
      string,
      unknown
    >;
    const document = { querySelectorAll: () => frames };
    const run = () => new Function('window', 'document', body)(window, document);
    run();
    run(); // pasted twice: still one listener
    expect(listeners).toHaveLength(1);
    const send = (e: unknown) => listeners[0]!(e);
    send({
      origin: 'https://docs.example.org',
      source: frames[1]!.contentWindow,
      data: { type: 'vfio-kvm-explorer:resize', height: 812.4 },
    });
    expect(frames.map((f) => f.style.height)).toEqual(['', '813px']);
    // Another origin, a bad height, another message type: nothing changes.
    send({
      origin: 'https://evil.example',
      source: frames[0]!.contentWindow,
      data: { type: 'vfio-kvm-explorer:resize', height: 10 },
    });
    send({
      origin: 'https://docs.example.org',
      source: frames[0]!.contentWindow,
      data: { type: 'vfio-kvm-explorer:resize', height: '10' },
    });
    send({
      origin: 'https://docs.example.org',
      source: frames[0]!.contentWindow,
      data: { type: 'vfio-kvm-explorer:resize', height: 1e9 },
    });
    send({
      origin: 'https://docs.example.org',
      source: frames[0]!.contentWindow,
      data: { type: 'other', height: 10 },
    });
    send({ origin: 'https://docs.example.org', source: frames[0]!.contentWindow, data: null });
    expect(frames.map((f) => f.style.height)).toEqual(['', '813px']);
  });

  it('cannot be broken out of by the origin', () => {
    expect(resizeListener('https://x.example</script><script>alert(1)')).not.toContain('</script><script>');
  });
});
