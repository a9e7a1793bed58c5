/** The caps on glob patterns from settings (see compiledGlob.ts); no minimatch here, so the client can use them too. */

export const maxGlobLength = 512;
/** How many patterns a glob's braces may expand to: far more than a hand-written mapping needs. */
export const maxBraceExpansions = 256;

/** Why a pattern is refused; undefined when it is fine. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length > maxGlobLength) return `the pattern is ${pattern.length} characters long; at most ${maxGlobLength} are accepted.`;
  const n = braceExpansions(pattern);
  if (n > maxBraceExpansions)
    return (
      `its braces expand to ${n >= saturated ? 'millions of' : n.toLocaleString('en-US')} patterns; at most ` +
      `${maxBraceExpansions} are accepted.`
    );
  return undefined;
}

/** Counts stop growing here: the answer only has to be "too many". */
const saturated = 1e9;

/**
 * How many patterns brace expansion makes of `pattern`, without expanding it: a sequence
 * multiplies its groups, a group `{x,y}` adds its alternatives, a range `{1..100}` counts its
 * members. A brace without a comma or a range stays literal, as in minimatch.
 */
export function braceExpansions(pattern: string): number {
  return sequence(pattern, 0, false).count;
}

function sequence(p: string, at: number, inGroup: boolean): { count: number; end: number } {
  let count = 1;
  let i = at;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') i += 2;
    else if (inGroup && (c === ',' || c === '}')) break;
    else if (c === '{') {
      const g = group(p, i);
      count = Math.min(saturated, count * g.count);
      i = g.end;
    } else i++;
  }
  return { count, end: i };
}

/** The group opening at `at`: its count and the index after its `}` (or after `{` when it is literal). */
function group(p: string, at: number): { count: number; end: number } {
  const range = /^\{(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?\}/.exec(p.slice(at, at + 64));
  if (range) return { count: rangeSize(range[1], range[2], range[3]), end: at + range[0].length };
  let count = 0;
  let alternatives = 0;
  let i = at + 1;
  for (;;) {
    const alt = sequence(p, i, true);
    count = Math.min(saturated, count + alt.count);
    alternatives++;
    i = alt.end;
    if (i >= p.length) return { count: 1, end: at + 1 }; // never closed: literal
    if (p[i] === '}') break;
    i++; // the comma
  }
  return alternatives > 1 ? { count, end: i + 1 } : { count: Math.min(saturated, count), end: i + 1 };
}

function rangeSize(from: string, to: string, step?: string): number {
  const a = /\d/.test(from) ? Number(from) : from.charCodeAt(0);
  const b = /\d/.test(to) ? Number(to) : to.charCodeAt(0);
  const s = Math.max(1, Math.abs(Number(step ?? 1)) || 1);
  return Math.min(saturated, Math.floor(Math.abs(b - a) / s) + 1);
}

/** The refused patterns of the two glob settings, each with the setting and the reason: for one warning each. */
export function refusedPatterns(settings: {
  readonly hooks: { readonly families: Readonly<Record<string, string>> };
  readonly profile: { readonly files: readonly string[] };
}): string[] {
  const found: string[] = [];
  const check = (setting: string, pattern: string): void => {
    const problem = globProblem(pattern);
    if (problem)
      found.push(
        `Hooksmith: a pattern in ${setting} is ignored: ${problem} (pattern: ` +
          `${pattern.length > 80 ? `${pattern.slice(0, 80)}...` : pattern})`,
      );
  };
  for (const pattern of Object.keys(settings.hooks.families)) check('hooksmith.hooks.families', pattern);
  for (const pattern of settings.profile.files) check('hooksmith.profile.files', pattern);
  return found;
}
