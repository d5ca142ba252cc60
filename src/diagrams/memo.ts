/**
 * A diagram's geometry, remembered per kernel state: the page's player describes each step's state once
 * (one object per step), so the spec and layout a diagram computes from it can be kept with that object
 * and found again when the step is shown — by the diagram itself, or computed ahead of time in idle
 * periods (the page's warm-up). Only the last arguments per object are kept, compared by identity: the
 * same object with other options (another width) computes afresh and replaces them. Entries go with the
 * objects they hang on (a WeakMap).
 */
export function memoPer<K extends object, A extends readonly unknown[], R>(
  f: (key: K, ...args: A) => R,
): (key: K, ...args: A) => R {
  const table = new WeakMap<K, { args: A; value: R }>();
  return (key, ...args) => {
    const e = table.get(key);
    if (e && e.args.length === args.length && e.args.every((a, i) => Object.is(a, args[i]))) return e.value;
    const value = f(key, ...args);
    table.set(key, { args, value });
    return value;
  };
}
