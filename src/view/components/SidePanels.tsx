/** The side column below the threads (one lazy chunk): scenario details, counterexamples, editor, keyboard help. */
import { ScenarioPanel } from './ScenarioPanel.tsx';
import { ExplorerPanel } from './ExplorerPanel.tsx';
import { EditorPanel } from './EditorPanel.tsx';
import { ReportPanel } from './ReportPanel.tsx';

function KeyboardHelp() {
  return (
    <section className="panel help" aria-label="Keyboard">
      <details>
        <summary>
          <h2>Keyboard</h2>
        </summary>
        <dl className="keys">
          <dt>
            <kbd>→</kbd> / <kbd>←</kbd>
          </dt>
          <dd>step forward / back</dd>
          <dt>
            <kbd>Space</kbd>
          </dt>
          <dd>play / pause (when the focus is not on a button or a field)</dd>
          <dt>
            <kbd>Home</kbd> / <kbd>End</kbd>
          </dt>
          <dd>first / last step</dd>
          <dt>
            <kbd>Tab</kbd>
          </dt>
          <dd>every control; in the timeline, the arrows move between steps and Enter jumps</dd>
        </dl>
      </details>
    </section>
  );
}

export default function SidePanels() {
  return (
    <>
      <ScenarioPanel />
      <ExplorerPanel />
      <ReportPanel />
      <EditorPanel />
      <KeyboardHelp />
    </>
  );
}
