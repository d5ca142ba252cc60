/**
 * The reference flow in the page's workspace, where it is scaled to fit the room left under the story:
 * how tall that room is, and the width to lay the flow out at so that the run is drawn as large as it can
 * be there (src/diagrams/fitWidth.ts).
 */
import { useEffect, useMemo, useState, type RefObject } from 'react';
import type { Derived } from '../player/runs.ts';
import { fitLayoutWidth, runTallest } from '../../diagrams/fitWidth.ts';

/**
 * The height the flow may take in the page's workspace: its box, and the room under the stage panel
 * that the workspace leaves when the drawing is shorter than the box could be. The lines the player bar
 * adds under its narration (a violation, lockdep's warning) take that room from the workspace while they
 * are shown; they are counted back, so the height is the same at every step of a run and the layout
 * chosen from it stays. Null when `enabled` is false (outside the workspace, or side by side), and until
 * measured.
 */
export function useFlowRoom(box: RefObject<HTMLElement | null>, enabled: boolean): number | null {
  const [room, setRoom] = useState<number | null>(null);
  useEffect(() => {
    const el = box.current;
    const workspace = el?.closest<HTMLElement>('.workspace');
    const stage = el?.closest<HTMLElement>('.stage');
    if (!enabled || !el || !workspace || !stage || typeof ResizeObserver !== 'function') return;
    const row = document.querySelector<HTMLElement>('.playerbar:not(.playerbar-embedded) .narration-row');
    const measure = () => {
      const ws = workspace.getBoundingClientRect();
      const pad = parseFloat(getComputedStyle(workspace).paddingBottom) || 0;
      const under = ws.bottom - pad - stage.getBoundingClientRect().bottom;
      const narration = row?.querySelector('.narration');
      const alerts =
        row && narration ? row.getBoundingClientRect().bottom - narration.getBoundingClientRect().bottom : 0;
      const h = Math.floor(el.clientHeight + Math.max(0, under) + Math.max(0, alerts));
      // The bar's height reaches the workspace rounded up to a pixel (--bar-h), so the sum moves by a pixel
      // when its lines change: within 2 px the room is the same, and so is the layout chosen from it.
      setRoom((was) => (h <= 0 ? null : was !== null && Math.abs(was - h) <= 2 ? was : h));
    };
    measure();
    const ro = new ResizeObserver(measure);
    // The box, the workspace (the window, and the bar's height), and what sits above the stage (the story).
    for (const e of [el, workspace, ...siblingsBefore(stage)]) ro.observe(e);
    if (row) ro.observe(row);
    return () => ro.disconnect();
  }, [box, enabled]);
  return enabled ? room : null;
}

function siblingsBefore(e: Element): Element[] {
  const out: Element[] = [];
  for (let s = e.previousElementSibling; s; s = s.previousElementSibling) out.push(s);
  return out;
}

const tallestCache = new WeakMap<Derived, Map<string, (width: number) => number>>();

/**
 * The width to lay the run out at in a box `width` wide and `room` tall (`width` itself when `room` is
 * null). `heightAt(step, width)` is the flow's height at a step laid out at that width, with the options
 * the page draws it with; `key` names those options (the run's heights are remembered per run, box width
 * and key).
 */
export function useFitLayoutWidth(
  d: Derived,
  width: number,
  room: number | null,
  key: string,
  heightAt: (step: number, width: number) => number,
): number {
  return useMemo(() => {
    if (room === null) return width;
    let cache = tallestCache.get(d);
    if (!cache) tallestCache.set(d, (cache = new Map()));
    const k = `${key}:${width}`;
    let tallest = cache.get(k);
    if (!tallest) cache.set(k, (tallest = runTallest(d.total, width, heightAt)));
    return fitLayoutWidth(width, room, tallest);
    // heightAt is the page's drawing at a step, which `d` and `key` name.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d, width, room, key]);
}
