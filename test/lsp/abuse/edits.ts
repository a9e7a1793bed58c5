// Random incremental edits as an editor (or a broken client) sends them, made concrete against a
// local model of the text that applies LSP semantics exactly as the server's TextDocument does.
import fc from 'fast-check';
import { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Where an end of a range lands: an offset anywhere; inside a surrogate pair (between the two
 * UTF-16 code units of an emoji); just past a line's last character, which on a CRLF line is
 * between \r and \n; a character or line far beyond the end; negative numbers.
 */
export type Spot =
  | { readonly kind: 'offset'; readonly at: number }
  | { readonly kind: 'surrogate'; readonly at: number }
  | { readonly kind: 'eol'; readonly at: number }
  | { readonly kind: 'beyond'; readonly at: number; readonly far: number }
  | { readonly kind: 'negative'; readonly at: number };

export interface EditSpec {
  readonly start: Spot;
  /** Where the range ends: the same spot (an insert), a few code units on, or another spot (may lie before start). */
  readonly end: { readonly kind: 'same' } | { readonly kind: 'span'; readonly length: number } | Spot;
  /** Typed text, or a paste of a slice of the current text (which keeps documents structured as they grow). */
  readonly text: string | { readonly at: number; readonly length: number };
}

const at = fc.nat({ max: 1_000_000 });
const spot: fc.Arbitrary<Spot> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('offset' as const), at }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('surrogate' as const), at }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('eol' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('beyond' as const), at, far: fc.constantFrom(1, 7, 1_000, 2 ** 31 - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('negative' as const), at }) },
);

/** Pieces that make and break what the rules look at, line ends of every kind, and characters outside the BMP. */
const common = ['\n', '\r\n', '\r', '\r\n\r\n', ' ', '\t', '"', "'", '🛡', '𝄞', '👩‍💻', 'é', '\uFEFF', '\uD83D', '\uDE00'];
const profilePieces = [
  '<',
  '>',
  '</',
  '/>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&bogus;',
  '=',
  '<HostEntry>',
  '</HostEntry>',
  '<HostName>',
  '</HostName>',
  '<AutoUpdate>',
  '</AutoUpdate>',
  'true',
  'yes',
  '<ClientInitialization>',
  '<OnConnectScript>OnConnect_routes.sh</OnConnectScript>',
  '<LocalLanAcess>',
  'UserControllable="true"',
];
const hookPieces = [
  '$CISCO_VPN_',
  '${CISCO_VPN_EVENT}',
  '$COMMAND',
  'exit 1',
  'return 0',
  'iptables -A INPUT -j ACCEPT',
  'run_iptables ',
  'ip route add 10.1.0.0/16 dev tun0',
  'mount ',
  'if true; then',
  'fi',
  'case $1 in',
  'esac',
  '$(',
  ')',
  '{',
  '}',
  '<<EOF',
  'EOF',
  '#',
  '\\',
  'echo $1',
  ';',
];

function text(pieces: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: fc.constantFrom(...common, ...pieces) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...common, ...pieces), { minLength: 2, maxLength: 4 }).map((a) => a.join('')) },
    // Any code points but NUL, which makes a profile binary: one diagnostic that hides every other.
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }).filter((s) => !s.includes('\0')) },
  );
}

export function editSpec(kind: 'profile' | 'hook'): fc.Arbitrary<EditSpec> {
  return fc.record({
    start: spot,
    end: fc.oneof(
      { weight: 20, arbitrary: fc.record({ kind: fc.constant('same' as const) }) },
      { weight: 20, arbitrary: fc.record({ kind: fc.constant('span' as const), length: fc.integer({ min: 1, max: 12 }) }) },
      { weight: 1, arbitrary: spot }, // a range to anywhere: deletes a third of the text on average, so rarely
    ),
    text: fc.oneof(
      { weight: 3, arbitrary: text(kind === 'profile' ? profilePieces : hookPieces) },
      { weight: 1, arbitrary: fc.record({ at, length: fc.integer({ min: 1, max: 160 }) }) },
    ),
  });
}

/** One didChange: one to three changes applied in order (each against the text the previous one left). */
export function changeSpecs(kind: 'profile' | 'hook'): fc.Arbitrary<EditSpec[]> {
  return fc.array(editSpec(kind), { minLength: 1, maxLength: 3 });
}

/** What the concrete edits of a sequence reached: the tests require each interesting case to occur. */
export interface Reached {
  splitSurrogates: number;
  betweenCrLf: number;
  beyondEnd: number;
  negative: number;
}

export const nothingReached = (): Reached => ({ splitSurrogates: 0, betweenCrLf: 0, beyondEnd: 0, negative: 0 });

/** The LSP position of `spot` in `doc`; never before `floor` (an offset), which keeps a hook's shebang line intact. */
export function positionOf(doc: TextDocument, s: Spot, reached: Reached, floor = 0): Position {
  const text = doc.getText();
  const position = rawPosition(doc, text, s, reached);
  return doc.offsetAt(position) < floor ? doc.positionAt(floor) : position;
}

function rawPosition(doc: TextDocument, text: string, s: Spot, reached: Reached): Position {
  switch (s.kind) {
    case 'offset':
      return doc.positionAt(s.at % (text.length + 1));
    case 'surrogate': {
      const highs = indexesOf(text, /[\uD800-\uDBFF](?=[\uDC00-\uDFFF])/g);
      if (!highs.length) return doc.positionAt(s.at % (text.length + 1));
      reached.splitSurrogates++;
      return doc.positionAt(highs[s.at % highs.length] + 1);
    }
    case 'eol': {
      const line = s.at % doc.lineCount;
      const lineStart = doc.offsetAt({ line, character: 0 });
      const next = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : text.length;
      if (text.slice(next - 2, next) === '\r\n') reached.betweenCrLf++;
      return { line, character: Math.max(0, next - lineStart - 1) }; // on a CRLF line: between \r and \n
    }
    case 'beyond':
      reached.beyondEnd++;
      return s.at % 2 ? { line: doc.lineCount - 1 + (s.far % 5), character: s.far } : { line: s.at % doc.lineCount, character: s.far };
    case 'negative':
      reached.negative++;
      return s.at % 2 ? { line: -1 - (s.at % 3), character: s.at % 9 } : { line: s.at % doc.lineCount, character: -1 - (s.at % 3) };
  }
}

function indexesOf(text: string, re: RegExp): number[] {
  return [...text.matchAll(re)].map((m) => m.index ?? 0);
}

/**
 * Turns specs into LSP changes against `model`, applying each to it as it goes (the server
 * applies a didChange's changes in order), and sets the model's version.
 */
export function concreteChanges(
  model: TextDocument,
  specs: readonly EditSpec[],
  version: number,
  reached: Reached,
  floor = 0,
): TextDocumentContentChangeEvent[] {
  return specs.map((spec) => {
    const start = positionOf(model, spec.start, reached, floor);
    const end = endOf(model, start, spec.end, reached, floor);
    const change = { range: { start, end }, text: textOf(model, spec.text) };
    TextDocument.update(model, [change], version);
    return change;
  });
}

function textOf(model: TextDocument, text: EditSpec['text']): string {
  if (typeof text === 'string') return text;
  const all = model.getText();
  const from = text.at % (all.length + 1);
  return all.slice(from, from + text.length);
}

function endOf(model: TextDocument, start: Position, end: EditSpec['end'], reached: Reached, floor: number): Position {
  if (end.kind === 'same') return start;
  if (end.kind === 'span') return model.positionAt(model.offsetAt(start) + end.length);
  return positionOf(model, end, reached, floor);
}
