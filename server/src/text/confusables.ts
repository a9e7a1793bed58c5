/**
 * Letters from other scripts that look like Latin ones (Unicode's confusables, the subset that
 * can spell a hook name), each folded to its Latin twin. One UTF-16 unit for one, so offsets in
 * the folded name are offsets in the original.
 */
const twins: Readonly<Record<string, string>> = {
  // Cyrillic
  '\u0430': 'a',
  '\u0441': 'c',
  '\u0435': 'e',
  '\u043e': 'o',
  '\u0440': 'p',
  '\u0445': 'x',
  '\u0443': 'y',
  '\u0456': 'i',
  '\u0458': 'j',
  '\u0455': 's',
  '\u0501': 'd',
  '\u04bb': 'h',
  '\u051b': 'q',
  '\u051d': 'w',
  '\u0578': 'n',
  '\u057d': 'u',
  '\u0410': 'A',
  '\u0412': 'B',
  '\u0421': 'C',
  '\u0415': 'E',
  '\u041d': 'H',
  '\u0406': 'I',
  '\u0408': 'J',
  '\u041a': 'K',
  '\u041c': 'M',
  '\u041e': 'O',
  '\u0420': 'P',
  '\u0405': 'S',
  '\u0422': 'T',
  '\u0425': 'X',
  '\u04ae': 'Y',
  // Greek
  '\u03bf': 'o',
  '\u03bd': 'v',
  '\u03b9': 'i',
  '\u0391': 'A',
  '\u0392': 'B',
  '\u0395': 'E',
  '\u0397': 'H',
  '\u0399': 'I',
  '\u039a': 'K',
  '\u039c': 'M',
  '\u039d': 'N',
  '\u039f': 'O',
  '\u03a1': 'P',
  '\u03a4': 'T',
  '\u03a5': 'Y',
  '\u03a7': 'X',
  '\u0396': 'Z',
  // Latin lookalikes: dotless i, small capitals
  '\u0131': 'i',
  '\u1d0f': 'o',
  '\u0274': 'n',
  '\u1d04': 'c',
};

/** The name with every lookalike letter (and fullwidth ASCII) replaced by its Latin twin. */
export function foldConfusables(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = c.charCodeAt(0);
    out += twins[c] ?? (code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : c);
  }
  return out;
}

/** "с (U+0441)": a character as a message shows it, its code point beside it. */
export function describeChar(c: string): string {
  return `${c} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
}
