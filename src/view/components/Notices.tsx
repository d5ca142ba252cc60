/** Problems found in the URL or a loaded file: one dismissible notice each (the page fell back to a valid state). */
import { Player, useSend } from '../context.ts';
import { Icon } from './Icon.tsx';
import { field } from '../player/field.ts';

export function Notices() {
  const notices = Player.useSelector(field('notices'));
  const send = useSend();
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Notices">
      {notices.map((n) => (
        <div key={n.id} className="notice" role="status" data-notice={n.id}>
          <p>{n.text}</p>
          <button
            type="button"
            className="btn btn-quiet btn-icon"
            onClick={() => send({ type: 'notice.dismiss', id: n.id })}
          >
            <Icon name="close" />
            <span className="vh">Dismiss notice</span>
          </button>
        </div>
      ))}
    </section>
  );
}
