/**
 * "Copy link" and "Copy embed code" (README, "Share and embed"): the permalink of the moment
 * shown, or an <iframe> of embed.html at that moment with the small script
 * a host needs for the height protocol. Uses the Clipboard API; where it is
 * missing or refused, the text appears in a selected, read-only field.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Player } from '../context.ts';
import { urlOf } from '../player/selectors.ts';
import { embedCode, embedLink, embedTitle, pageLink } from '../share.ts';
import { Icon } from './Icon.tsx';

type What = 'link' | 'embed';

interface Shared {
  what: What;
  text: string;
  copied: boolean;
}

const DONE: Record<What, string> = {
  link: 'Link copied: it reopens this scenario, era and step.',
  embed: 'Embed code copied: an iframe and the script that sizes it.',
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

export function Share() {
  const actor = Player.useActorRef();
  const [shared, setShared] = useState<Shared | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const fieldId = useId();

  async function copy(what: What) {
    const ctx = actor.getSnapshot().context;
    const at = urlOf(ctx);
    const text =
      what === 'link'
        ? pageLink(location.href, at)
        : embedCode({ src: embedLink(location.href, at), title: embedTitle(ctx.scenario.title, ctx.era) });
    setShared({ what, text, copied: await writeClipboard(text) });
  }

  useEffect(() => {
    if (shared && !shared.copied) {
      field.current?.focus();
      field.current?.select();
    }
  }, [shared]);

  return (
    <div className="share" role="group" aria-label="Share">
      <div className="share-buttons">
        <button type="button" className="btn btn-quiet" onClick={() => void copy('link')}>
          <Icon name="link" />
          <span>Copy link</span>
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => void copy('embed')}>
          <Icon name="code" />
          <span>Copy embed code</span>
        </button>
      </div>
      <p className="share-status" role="status" data-testid="share-status">
        {shared?.copied ? DONE[shared.what] : ''}
      </p>
      {shared && !shared.copied && (
        <div className="share-fallback" data-testid="share-fallback">
          <label htmlFor={fieldId}>
            {shared.what === 'link' ? 'Link to this moment' : 'Embed code'}: this browser did not let the page
            copy it. Select the text and copy it (Ctrl+C or ⌘C).
          </label>
          <textarea
            id={fieldId}
            ref={field}
            readOnly
            spellCheck={false}
            rows={shared.what === 'link' ? 2 : 8}
            value={shared.text}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" className="btn btn-quiet btn-icon" onClick={() => setShared(null)}>
            <Icon name="close" />
            <span className="vh">Close the {shared.what === 'link' ? 'link' : 'embed code'}</span>
          </button>
        </div>
      )}
    </div>
  );
}
