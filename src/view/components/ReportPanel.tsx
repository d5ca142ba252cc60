/**
 * The kernel-style report of a violation (or of the lock validator's
 * warning) reached by the step shown, and the interleaving as a
 * commit-message diagram: plain monospace text, at most 75 columns, to paste
 * into a mail or a commit message. "Copy report", "Copy interleaving", and
 * "Copy the interleaving so far" for any moment. Where the Clipboard API is
 * missing or refused, the text appears in a selected, read-only field.
 */
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useDerived, usePanelStep } from '../hooks.ts';
import { interleavingSoFar, runReports, type ReportItem } from '../../report/index.ts';
import { Icon } from './Icon.tsx';
import '../styles/report.css';

type What = 'report' | 'interleaving' | 'so-far';

const LABEL: Record<What, string> = {
  report: 'Report',
  interleaving: 'Interleaving',
  'so-far': 'Interleaving so far',
};

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Below the workspace: it follows the step as a panel does (usePanelStep: deferred, taking turns during fast autoplay). */
export function ReportPanel() {
  return <ReportAt step={usePanelStep('report')} />;
}

const ReportAt = memo(function ReportAt({ step }: { step: number }) {
  const d = useDerived();
  const all = useMemo(() => runReports(d.run), [d]);
  const items = all.filter((x) => x.step <= step);
  // A choice in the list holds for the run and the findings it was made among; then the latest one shows again.
  const [choice, setChoice] = useState<{ d: typeof d; n: number; index: number } | null>(null);
  const picked = choice && choice.d === d && choice.n === items.length ? choice.index : items.length - 1;
  const current: ReportItem | undefined = items[picked] ?? items[items.length - 1];
  // What was copied, for the step it was copied at.
  const [copy0, setCopied] = useState<{
    what: What;
    text: string;
    ok: boolean;
    d: typeof d;
    step: number;
  } | null>(null);
  const copied = copy0 && copy0.d === d && copy0.step === step ? copy0 : null;
  const field = useRef<HTMLTextAreaElement>(null);
  const ids = { head: useId(), pick: useId(), field: useId() };

  useEffect(() => {
    if (copied && !copied.ok) {
      field.current?.focus();
      field.current?.select();
    }
  }, [copied]);

  async function copy(what: What) {
    const text =
      what === 'report'
        ? (current?.text ?? '')
        : what === 'interleaving'
          ? (current?.diagram.text ?? '')
          : interleavingSoFar(d.run, step).text;
    setCopied({ what, text, ok: await writeClipboard(text), d, step });
  }

  return (
    <section className="panel report" aria-labelledby={ids.head} id="report">
      <header className="panel-head">
        <h2 id={ids.head}>Report</h2>
      </header>
      {current ? (
        <>
          <p className="hint">
            What the kernel would print at this point, and the interleaving that leads to it, as a commit
            message draws it (75 columns).
          </p>
          {items.length > 1 && (
            <div className="field">
              <label htmlFor={ids.pick}>Finding</label>
              <select
                id={ids.pick}
                value={items.indexOf(current)}
                onChange={(e) => setChoice({ d, n: items.length, index: Number(e.target.value) })}
              >
                {items.map((x, i) => (
                  <option key={i} value={i}>
                    {`Step ${x.step}: ${x.title}`}
                  </option>
                ))}
              </select>
            </div>
          )}
          <p
            className={current.lockdep ? 'report-kind report-warning' : 'report-kind'}
            data-kind={current.kind}
          >
            {current.lockdep ? 'Warning (lockdep, nothing crashed): ' : ''}
            {current.title}, step {current.step}
          </p>
          <figure className="report-figure">
            <figcaption className="vh">Kernel report</figcaption>
            <pre className="report-text" data-testid="report-text" tabIndex={0}>
              {current.text}
            </pre>
          </figure>
          <div className="report-actions">
            <button type="button" className="btn" onClick={() => void copy('report')}>
              <Icon name="code" />
              <span>Copy report</span>
            </button>
          </div>
          <h3 className="report-sub">
            The interleaving, steps {current.diagram.from} to {current.diagram.to}
          </h3>
          <figure className="report-figure">
            <figcaption className="vh">Interleaving diagram</figcaption>
            <pre className="report-text" data-testid="report-diagram" tabIndex={0}>
              {current.diagram.text}
            </pre>
          </figure>
          <div className="report-actions">
            <button type="button" className="btn" onClick={() => void copy('interleaving')}>
              <Icon name="columns" />
              <span>Copy interleaving</span>
            </button>
          </div>
        </>
      ) : (
        <p className="hint" data-testid="report-none">
          No violation and no lockdep warning up to step {step}.
        </p>
      )}
      <div className="report-actions">
        <button
          type="button"
          className="btn btn-quiet"
          onClick={() => void copy('so-far')}
          disabled={step === 0}
        >
          <Icon name="columns" />
          <span>Copy the interleaving so far</span>
        </button>
      </div>
      <p className="share-status" role="status" data-testid="report-status">
        {copied?.ok ? `${LABEL[copied.what]} copied as plain text.` : ''}
      </p>
      {copied && !copied.ok && (
        <div className="share-fallback" data-testid="report-fallback">
          <label htmlFor={ids.field}>
            {LABEL[copied.what]}: this browser did not let the page copy it. Select the text and copy it
            (Ctrl+C or ⌘C).
          </label>
          <textarea
            id={ids.field}
            ref={field}
            className="report-field"
            readOnly
            spellCheck={false}
            rows={12}
            value={copied.text}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" className="btn btn-quiet btn-icon" onClick={() => setCopied(null)}>
            <Icon name="close" />
            <span className="vh">Close the {LABEL[copied.what].toLowerCase()}</span>
          </button>
        </div>
      )}
    </section>
  );
});

export default ReportPanel;
