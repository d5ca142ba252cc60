/**
 * One object per value: a step builds its diagram's specs and geometry afresh, but most cards, edges and
 * tags come out the same as the step before. Interned, an unchanged part is the very object the last step
 * drew, so the per-card work keyed on it (a card's text layout, React's memo of its SVG) is done once, not
 * on every step. The values are plain data (JSON is their exact identity) and are never mutated once
 * interned. Bounded: the table starts over when it is full.
 */
export class Interner<T extends object> {
  private readonly table = new Map<string, T>();
  constructor(private readonly limit = 2000) {}

  /** The interned object equal to `v` (`v` itself the first time). */
  get(v: T, key: string = JSON.stringify(v)): T {
    const hit = this.table.get(key);
    if (hit !== undefined) return hit;
    if (this.table.size >= this.limit) this.table.clear();
    this.table.set(key, v);
    return v;
  }
}

/** A small id per object (for keys made of interned parts). */
const ids = new WeakMap<object, number>();
let next = 0;
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++next));
  return id;
}
