/**
 * A hash set of fixed-width integer vectors, numbered in insertion order:
 * the search's visited set and its queue in one. Vectors live in Int32Array
 * blocks of CHUNK vectors (growing copies no full block); the table is open
 * addressing with linear probing, each bucket holding a state number and its
 * hash, kept at most half full. No object is allocated per state.
 *
 * Most explorations are small (two thirds of the built-in runs have fewer
 * than 2,000 states), so the first block starts small and doubles up to
 * CHUNK vectors: allocating (and zeroing, and collecting) a full block of up
 * to 2 MB for every exploration cost more than storing its states.
 */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
/** Vectors in a first block. */
const FIRST = 256;

export class StateStore {
  /** Vectors, CHUNK to a block: growing never copies them. */
  private readonly blocks: Int32Array[] = [];
  /** Each stored vector's hash, to rebuild the table without reading the vectors. */
  private readonly hashes: Int32Array[] = [];
  /** Buckets of two ints: state number + 1 (0: empty), and its hash (checked before the vector). */
  private table: Int32Array;
  private mask: number;
  /** Number of vectors stored. */
  size = 0;

  constructor(readonly width: number) {
    this.table = new Int32Array(2 * 4096);
    this.mask = 4096 - 1;
  }

  /** The number of `v` if already stored, else -1 - (the number it now has). */
  add(v: Int32Array): number {
    const w = this.width;
    const full = hash(v, w);
    const table = this.table;
    let h = full & this.mask;
    for (;;) {
      const e = table[2 * h]!;
      if (e === 0) break;
      if (table[2 * h + 1] === full) {
        const id = e - 1;
        const block = this.blocks[id >>> CHUNK_BITS]!;
        const base = (id & (CHUNK - 1)) * w;
        let k = 0;
        while (k < w && block[base + k] === v[k]) k++;
        if (k === w) return id;
      }
      h = (h + 1) & this.mask;
    }
    const id = this.size++;
    const b = id >>> CHUNK_BITS;
    if (b === this.blocks.length) this.grow(b, b === 0 ? FIRST : CHUNK);
    else if ((id & (CHUNK - 1)) === this.hashes[b]!.length) this.grow(b, 2 * this.hashes[b]!.length);
    const block = this.blocks[b]!;
    const base = (id & (CHUNK - 1)) * w;
    for (let k = 0; k < w; k++) block[base + k] = v[k]!;
    this.hashes[b]![id & (CHUNK - 1)] = full;
    table[2 * h] = id + 1;
    table[2 * h + 1] = full;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return -1 - id;
  }

  /** Copy vector `id` into `out`. */
  get(id: number, out: Int32Array): void {
    const w = this.width;
    const block = this.blocks[id >>> CHUNK_BITS]!;
    const base = (id & (CHUNK - 1)) * w;
    for (let k = 0; k < w; k++) out[k] = block[base + k]!;
  }

  /** Block b, with room for `vectors` vectors (a new block, or the last one enlarged). */
  private grow(b: number, vectors: number): void {
    const block = new Int32Array(Math.max(1, this.width) * vectors);
    const hashes = new Int32Array(vectors);
    if (b < this.blocks.length) {
      block.set(this.blocks[b]!);
      hashes.set(this.hashes[b]!);
    }
    this.blocks[b] = block;
    this.hashes[b] = hashes;
  }

  private rehash(): void {
    const buckets = (this.mask + 1) * 2;
    const t = new Int32Array(buckets * 2);
    const mask = buckets - 1;
    for (let id = 0; id < this.size; id++) {
      const full = this.hashes[id >>> CHUNK_BITS]![id & (CHUNK - 1)]!;
      let h = full & mask;
      while (t[2 * h] !== 0) h = (h + 1) & mask;
      t[2 * h] = id + 1;
      t[2 * h + 1] = full;
    }
    this.table = t;
    this.mask = mask;
  }
}

function hash(v: Int32Array, w: number): number {
  let h = 0x811c9dc5 ^ w;
  for (let k = 0; k < w; k++) {
    h = Math.imul(h ^ v[k]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
  return h ^ (h >>> 16);
}
