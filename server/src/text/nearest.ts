/**
 * Edit distance (Levenshtein), case-insensitive, for "did you mean" suggestions. With `max`, it
 * stops as soon as the distance must exceed it and returns max + 1: a name pasted 100 KB long
 * then costs one length comparison per candidate, not 100 KB x the candidate's length.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1; // every later row is at least this row's minimum
    previous = row;
  }
  return previous[y.length];
}

/** The closest candidate within a distance that scales with the word, or undefined. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 5));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate, bestDistance - 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
