/** Small decorative icons for buttons (the button's text names it; icons are aria-hidden). */
export type ButtonIcon =
  | 'play'
  | 'pause'
  | 'forward'
  | 'back'
  | 'reset'
  | 'end'
  | 'close'
  | 'replay'
  | 'search'
  | 'columns'
  | 'upload'
  | 'link'
  | 'code';

const PATHS: Record<ButtonIcon, string> = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3.2v11H3.5zM9.3 2.5h3.2v11H9.3z',
  forward: 'M2.5 2.5v11l7-5.5zM10.5 2.5h2.5v11h-2.5z',
  back: 'M13.5 2.5v11l-7-5.5zM3 2.5h2.5v11H3z',
  reset: 'M8 2.2a5.8 5.8 0 1 1-5.5 7.6l1.9-.6A3.8 3.8 0 1 0 8 4.2V6.4L4.6 3.2 8 0z',
  end: 'M2.5 2.5v11l7-5.5zM10.5 2.5h2.5v11h-2.5z',
  close: 'M3.4 2 8 6.6 12.6 2 14 3.4 9.4 8l4.6 4.6-1.4 1.4L8 9.4 3.4 14 2 12.6 6.6 8 2 3.4z',
  replay: 'M3 2.5v11l9-5.5z',
  search:
    'M6.8 1.8a5 5 0 0 1 4 8l3.4 3.4-1.4 1.4-3.4-3.4a5 5 0 1 1-2.6-9.4zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  columns: 'M1.5 2.5h5.8v11H1.5zM8.7 2.5h5.8v11H8.7z',
  upload: 'M8 1.5 12.5 6H9.5v4.5h-3V6H3.5zM2.5 12h11v2.5h-11z',
  link: 'M6.6 9.4a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2L8 3.8l1.4 1.4 1.2-1.2a1 1 0 0 1 1.4 1.4L9.4 8a1 1 0 0 1-1.4 0zM9.4 6.6a3 3 0 0 0-4.2 0L2.6 9.2a3 3 0 0 0 4.2 4.2L8 12.2l-1.4-1.4-1.2 1.2a1 1 0 0 1-1.4-1.4L6.6 8a1 1 0 0 1 1.4 0z',
  code: 'M5.3 3.3 6.7 4.7 3.4 8l3.3 3.3-1.4 1.4L.6 8zM10.7 3.3 15.4 8l-4.7 4.7-1.4-1.4L12.6 8 9.3 4.7z',
};

export function Icon({ name }: { name: ButtonIcon }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
