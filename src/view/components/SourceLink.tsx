/**
 * A call-stack frame as a link to the kernel source at the era's commit:
 * the function, its file and — where the line table has it — the line
 * (git.kernel.org's tree at the commit, `#n<line>`; for the posted versions
 * v1/v2, the patch's mail on lore). The line table loads on first use, in
 * its own chunk; until then the link goes to the file at the commit.
 */
import { useEffect, useState } from 'react';
import { ERAS, treeUrl, type Model } from '../../model/index.ts';
import type { FrameView } from '../../model/index.ts';

type SourcesModule = typeof import('../../model/sources/index.ts');

let loaded: SourcesModule | null = null;
let loading: Promise<SourcesModule> | null = null;

function loadSources(): Promise<SourcesModule> {
  loading ??= import('../../model/sources/index.ts').then((m) => (loaded = m));
  return loading;
}

/** The line table, once loaded (a render before that gets null and re-renders when it arrives). */
function useSources(): SourcesModule | null {
  const [mod, setMod] = useState<SourcesModule | null>(loaded);
  useEffect(() => {
    if (mod) return;
    let live = true;
    loadSources().then(
      (m) => live && setMod(m),
      // A missing chunk leaves the file-level links in place.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [mod]);
  return mod;
}

const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);

export function SourceLink({ model, frame }: { model: Model; frame: FrameView }) {
  const sources = useSources();
  const era = ERAS[model.v.id];
  const fn = model.fns[frame.fnId]!;
  const src = sources ? sources.sourceOf(model.v, fn, frame.pc) : null;
  const line = src?.line ?? null;
  const url = src?.url ?? (era.commit ? treeUrl(era.commit, fn.file) : era.link);
  const where = era.commit ? `at ${era.commit.slice(0, 12)}` : `in the ${era.title} patch mail`;
  const label = `${frame.fn}, ${frame.file}${line !== null ? ` line ${line}` : ''}, kernel source ${where}`;
  return (
    <a
      className="src-link"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={label}
      title={label}
      data-line={line ?? undefined}
    >
      <code className="fn">{frame.fn}</code>{' '}
      <span className="file">
        {base(frame.file)}
        {line !== null ? `:${line}` : ''}
      </span>
    </a>
  );
}
