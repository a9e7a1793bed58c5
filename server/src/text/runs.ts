/**
 * Runs of like characters at the end of a text, found in one pass. A regular expression such as
 * /\w*$/ or /\/+$/ starts a match at every character of a long run that does not end the text and
 * scans on to the run's end each time: quadratic in the run (100 KB of one word or of slashes
 * took seconds, on every hover or on each workspace file).
 */

/** How many characters just before `end` (and from `from` on) are `char`s (a one-character class such as /\w/). */
export function runBefore(text: string, end: number, char: RegExp, from = 0): number {
  let start = end;
  while (start > from && char.test(text[start - 1])) start--;
  return end - start;
}

/** `text` without the slashes it ends with. */
export function withoutTrailingSlashes(text: string): string {
  return text.slice(0, text.length - runBefore(text, text.length, /\//));
}
