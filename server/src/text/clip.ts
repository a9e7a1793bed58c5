/** Text quoted in a message: whitespace runs become one space, and anything past 40 characters becomes "...". */
export function clip(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}
