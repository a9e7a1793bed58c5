/** One sh word holding `s` exactly (for the sh programs the simulator writes: a shim, Shorewall's wrapper). */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
