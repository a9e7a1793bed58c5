/** Whether a shell `case` pattern (a glob: *, ?, [...], backslash escapes) matches a word, as the shell decides it. */
export function casePatternMatches(pattern: string, word: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`).test(word);
  } catch {
    return false;
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
