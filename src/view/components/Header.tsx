/** One compact row: the title, the pickers (Scenario, Era — the history as a timeline —, Theme) and Share. */
import { useId } from 'react';
import { BUILTINS } from '../../scenarios/index.ts';
import { Player, useSend } from '../context.ts';
import { THEMES, type Theme } from '../url.ts';
import { Share } from './Share.tsx';
import { EraPicker } from './EraPicker.tsx';
import { field } from '../player/field.ts';

const USER = '__user';

function letter(source: string | undefined): string {
  const m = source ? /§5 ([A-N])\b/.exec(source) : null;
  return m ? `${m[1]} · ` : '';
}

export function Header() {
  const send = useSend();
  const scenario = Player.useSelector(field('scenario'));
  const origin = Player.useSelector(field('origin'));
  const theme = Player.useSelector(field('theme'));
  const ids = { scenario: useId(), theme: useId() };

  return (
    <header className="top">
      <div className="brand">
        <h1>vfio-kvm-explorer</h1>
        <p className="tagline">
          The KVM reference through VFIO around{' '}
          <abbr title="commit 421cfe6596f6 (v5.19)">“vfio: remove VFIO_GROUP_NOTIFY_SET_KVM”</abbr>
        </p>
      </div>
      <div className="pickers">
        <div className="field field-scenario">
          <label htmlFor={ids.scenario}>Scenario</label>
          <select
            id={ids.scenario}
            value={origin === 'user' ? USER : scenario.id}
            onChange={(e) => {
              if (e.target.value !== USER) send({ type: 'scenario.select', id: e.target.value });
            }}
          >
            {origin === 'user' && <option value={USER}>Your scenario: {scenario.title}</option>}
            {BUILTINS.map((s) => (
              <option key={s.id} value={s.id}>
                {letter(s.source)}
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <EraPicker />
        <div className="field field-theme">
          <label htmlFor={ids.theme}>Theme</label>
          <select
            id={ids.theme}
            value={theme}
            onChange={(e) => send({ type: 'theme', theme: e.target.value as Theme })}
          >
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {t === 'auto' ? 'Auto (system)' : t === 'light' ? 'Light' : 'Dark'}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Share />
    </header>
  );
}
