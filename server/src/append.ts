/**
 * Appends every item of each list to `target`, one push at a time. `target.push(...list)` passes
 * the list as arguments, and a list of 200,000 findings overflows the call stack ("Maximum
 * call stack size exceeded"), losing them all.
 */
export function append<T>(target: T[], ...lists: readonly (readonly T[])[]): T[] {
  for (const list of lists) for (const item of list) target.push(item);
  return target;
}
