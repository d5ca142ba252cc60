/**
 * The scenario editor (lazy-loaded): paste, type or drop a
 * `vfio-kvm-scenario/1` file; it is validated with field-level errors, and a
 * valid one runs and travels in the address (#scenario=…).
 */
import { useId, useState, type DragEvent } from 'react';
import { parseScenarioText } from '../../scenarios/validate.ts';
import { Player, useSend } from '../context.ts';
import { resolveRun } from '../player/runs.ts';
import { Icon } from './Icon.tsx';
import { field } from '../player/field.ts';

/** Largest file read (the validator refuses more than 1 MB of text anyway). */
const MAX_FILE = 1_000_000;

export default function Editor() {
  const send = useSend();
  const current = Player.useSelector(field('scenario'));
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<string[] | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const ids = { text: useId(), file: useId(), errs: useId() };

  function check(src: string) {
    setOk(null);
    const v = parseScenarioText(src);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    const r = resolveRun(v.scenario, v.scenario.era, v.scenario.schedule ?? []);
    if (!r.ok) {
      setErrors([`the model cannot run it: ${r.error}`]);
      return;
    }
    setErrors(null);
    send({ type: 'scenario.load', scenario: v.scenario });
    setOk(
      `Loaded “${v.scenario.title}” (${r.derived.total} micro-steps in ${v.scenario.era}). It travels in the address, so a copied link opens it.`,
    );
  }

  async function readFile(f: File | undefined) {
    if (!f) return;
    if (f.size > MAX_FILE) {
      setOk(null);
      setErrors([`${f.name}: the file is larger than 1 MB`]);
      return;
    }
    const t = await f.text();
    setText(t);
    check(t);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void readFile(e.dataTransfer.files[0]);
  }

  return (
    <div
      className={dragging ? 'editor dragging' : 'editor'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="hint">
        Paste a scenario (<code>vfio-kvm-scenario/1</code> JSON), drop a file here, or choose one. Nothing is
        uploaded: it runs in this page.
      </p>
      <label htmlFor={ids.text}>Scenario JSON</label>
      <textarea
        id={ids.text}
        value={text}
        spellCheck={false}
        rows={12}
        aria-describedby={errors ? ids.errs : undefined}
        aria-invalid={errors ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        placeholder={'{ "schema": "vfio-kvm-scenario/1", "id": "mine", … }'}
      />
      <div className="editor-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => check(text)}
          disabled={text.trim() === ''}
        >
          Check and run
        </button>
        <label className="btn file-btn" htmlFor={ids.file}>
          <Icon name="upload" />
          <span>Choose a file…</span>
        </label>
        <input
          id={ids.file}
          className="vh"
          type="file"
          accept=".json,application/json"
          onChange={(e) => {
            void readFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="btn btn-quiet"
          onClick={() => {
            setText(JSON.stringify(current, null, 2));
            setErrors(null);
            setOk(null);
          }}
        >
          Start from the current scenario
        </button>
      </div>
      <div role="alert" id={ids.errs} className="editor-errors">
        {errors && (
          <>
            <p>
              {errors.length === 1 ? 'One problem' : `${errors.length} problems`} in this scenario; nothing
              was loaded:
            </p>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  <code>{e}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <p role="status" className="ok">
        {ok}
      </p>
    </div>
  );
}
