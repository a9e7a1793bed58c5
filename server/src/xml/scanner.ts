import { Finding, finding } from '../diagnostics';
import { EntityDecoder } from './entities';
import { XmlAttribute, XmlDocument, XmlElement, XmlText } from './model';

/**
 * A recovering, positioned XML scanner. It builds the element tree with exact offsets for
 * names, attributes and text, and reports every structural problem it meets (not only the
 * first), then carries on so that the rest of a half-typed document can still be checked.
 * It catches every error fast-xml-parser's validator catches (test/server/xml/differential.test.ts
 * checks that on mutated profiles) and more: a second root, text after the root, undefined
 * entities, '--' in comments.
 */
export interface ScanOptions {
  /** Elements nested deeper than this stop the scan with one diagnostic. */
  readonly maxDepth: number;
  /** At most this many problems are kept; the scan still builds the tree. */
  readonly maxProblems: number;
}

export const defaultScanOptions: ScanOptions = { maxDepth: 100, maxProblems: 100 };

export interface ScanResult extends XmlDocument {
  readonly problems: readonly Finding[];
}

export function scanXml(text: string, options: ScanOptions = defaultScanOptions): ScanResult {
  const tree = new TreeBuilder(text);
  const problems = new Scanner(text, options, tree).run();
  return { root: tree.roots[0], roots: tree.roots, problems };
}

/** How a start tag ended: the element stays open, closed itself ('/>' or a cut-off tag), or stopped the scan (too deep). */
export type TagEnd = 'open' | 'self-closed' | 'stopped';

/**
 * What the scanner reads, as it reads it, in document order: a tree builder, or a validator that
 * keeps no tree (a large profile's tree is most of the CLI's time, in the garbage collector).
 */
export interface XmlSink {
  /** A start tag's name was read; its attributes and tagEnd follow. */
  open(name: string, start: number): void;
  attribute(attr: XmlAttribute): void;
  /** After the start tag's '>' (or where it was cut off). An open element gets one close later; the others none. */
  tagEnd(end: number, how: TagEnd): void;
  /**
   * Whether text() is to be told of the runs of the open element (the scanner reports what is wrong in them either way):
   * read before each run, so that a sink that keeps no text is not called for every value of a large profile.
   */
  readonly wantsText: boolean;
  /** A run of character data in the open element: `value` is its decoded text, undefined when that is text[start, end). */
  text(start: number, end: number, value: string | undefined): void;
  /** The open element ends at `end`: with its end tag (`closed`), or forced closed by a later end tag or the end of the text. */
  close(end: number, closed: boolean): void;
}

/** Reads `text`, telling `sink` what it meets; returns the problems found. */
export function scanXmlInto(text: string, sink: XmlSink, options: ScanOptions = defaultScanOptions): readonly Finding[] {
  return new Scanner(text, options, sink).run();
}

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Bang = 33,
  Quote = 34,
  Amp = 38,
  Apos = 39,
  Slash = 47,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  CloseBracket = 93,
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

/** isNameChar and isNameStart of each ASCII code, looked up for every character of every tag's name, and at every '<'. */
const asciiNameChars = Uint8Array.from({ length: 128 }, (_, c) => (isNameChar(c) ? 1 : 0));
const asciiNameStarts = Uint8Array.from({ length: 128 }, (_, c) => (isNameStart(c) ? 1 : 0));

/** A name read from before `i` ends there (the end of the text included): what readName(i) === i says, in one look. */
function endsName(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 128 ? asciiNameChars[c] === 0 : c !== c; // NaN past the end
}

/** The first offset at or after `i` that is not white space. */
function skipSpace(text: string, i: number): number {
  // Compared here, not through isSpace: until V8 has optimised the callers, a call per character costs more than the rest.
  for (let c = text.charCodeAt(i); c === Ch.Space || c === Ch.Lf || c === Ch.Tab || c === Ch.Cr; c = text.charCodeAt(++i));
  return i;
}

// XML 1.0 (fifth edition) Name, for names with non-ASCII characters; ASCII names are
// already exact through isNameStart / isNameChar.
const nameStartRanges =
  ':A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F' +
  '\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}';
const xmlName = new RegExp(`^[${nameStartRanges}][${nameStartRanges}\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*$`, 'u');

function isValidName(name: string): boolean {
  return /^[\x00-\x7f]*$/.test(name) || xmlName.test(name);
}

/** The first `code` in text[from, to), or -1. */
function indexBefore(text: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** The first `needle` wholly inside text[from, to), or -1. */
function indexOfWithin(text: string, needle: string, from: number, to: number): number {
  const first = needle.charCodeAt(0);
  for (let i = indexBefore(text, first, from, to); i >= 0 && i + needle.length <= to; i = indexBefore(text, first, i + 1, to)) {
    if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

/**
 * Most elements have no attributes, no children or no text: they all share one frozen empty
 * array, replaced by a real one on the first add. On a 5 MB profile this halves the garbage.
 */
const none: readonly never[] = Object.freeze([]);

function added<T>(list: readonly T[], item: T): readonly T[] {
  if (list === none) return [item];
  (list as T[]).push(item);
  return list;
}

/**
 * Text without references: its value is the document's text between start and end, cut out
 * when first read. Most text is never read (the validator skips xs:string elements, most of a
 * large profile), and each string cut out at once was kept alive for the life of the tree.
 */
class PlainText implements XmlText {
  private cut: string | undefined;

  constructor(
    private readonly text: string,
    readonly start: number,
    readonly end: number,
  ) {}

  get value(): string {
    return (this.cut ??= this.text.slice(this.start, this.end));
  }
}

/**
 * An element as the scanner builds it. A 5 MB profile has over 100,000 of them and the tree
 * lives until the lint ends, so every field counts: each one is copied by the young-generation
 * GC at least once. The usual single run of plain text is two offsets here, not a PlainText in an
 * array (a third of the tree's memory); `texts` makes those on demand. The name ends where the
 * name's own length says, so that is not kept either.
 */
class Element implements XmlElement {
  startTagEnd: number;
  end: number;
  closed = false;
  attributes: readonly XmlAttribute[] = none;
  children: readonly XmlElement[] = none;
  /** The one plain run of text, while it is the only run (-1: none or several). */
  private textStart = -1;
  private textEnd = -1;
  /** Every run, once there is more than one or one with references. */
  private textList: readonly XmlText[] = none;

  constructor(
    private readonly source: string,
    readonly name: string,
    readonly start: number,
    readonly parent: XmlElement | undefined,
  ) {
    this.startTagEnd = this.end = this.nameEnd;
  }

  get nameEnd(): number {
    return this.start + 1 + this.name.length;
  }

  get texts(): readonly XmlText[] {
    return this.textStart < 0 ? this.textList : [new PlainText(this.source, this.textStart, this.textEnd)];
  }

  /** A run of text without references, text[start, end). */
  addPlainText(start: number, end: number): void {
    if (this.textStart < 0 && this.textList === none) {
      this.textStart = start;
      this.textEnd = end;
    } else this.addText(new PlainText(this.source, start, end));
  }

  addText(run: XmlText): void {
    if (this.textStart >= 0) {
      this.textList = [new PlainText(this.source, this.textStart, this.textEnd)];
      this.textStart = this.textEnd = -1;
    }
    this.textList = added(this.textList, run);
  }

  /** At the element's end: a list grown by push keeps room for 17; a copy is its own size. */
  fitChildren(): void {
    if (this.children.length > 1 && this.children.length < 17) this.children = this.children.slice();
  }
}

/**
 * Element and attribute names, one string per distinct name: a profile repeats a few dozen names
 * a hundred thousand times, and each one cut out of the text was a string kept by the tree.
 */
class NameTable {
  /**
   * Each slot holds the last name met whose first characters fell in it: an array, not a Map, so
   * that a lookup is a load V8 inlines; a collision only costs a read and a slice.
   */
  private readonly slots: string[] = new Array<string>(nameSlots).fill('');
  /** Whether the name in each slot is a valid XML name: checked once per distinct name, not per tag. */
  private readonly valid = new Uint8Array(nameSlots);
  /** The slot of the name last returned. */
  private slot = 0;
  /** The name last returned is known to be a valid XML name (read for every tag: a field, not a call). */
  lastKnownValid = false;

  constructor(private readonly text: string) {}

  /**
   * The name that starts at `start` (it ends where readName says). The name last met with the same
   * first characters is compared in place first: a tag's name is then found without a JavaScript
   * loop over its characters, which is most of reading a tag until V8 has optimised the scanner.
   */
  nameAt(start: number): string {
    const { text } = this;
    // slotAt and endsName, without calls: this runs for every start tag.
    const slot = ((text.charCodeAt(start) << 6) ^ (text.charCodeAt(start + 2) << 3) ^ text.charCodeAt(start + 4)) & (nameSlots - 1);
    this.slot = slot;
    const known = this.slots[slot];
    if (known.length) {
      const after = text.charCodeAt(start + known.length);
      if ((after < 128 ? asciiNameChars[after] === 0 : after !== after) && text.startsWith(known, start)) {
        this.lastKnownValid = this.valid[slot] === 1;
        return known;
      }
    }
    return this.store(slot, start, readName(text, start));
  }

  /** text[start, end) as a string, the same one each time it is met. */
  name(start: number, end: number): string {
    const slot = slotAt(this.text, start);
    this.slot = slot;
    const known = this.slots[slot];
    if (known.length === end - start && this.text.startsWith(known, start)) {
      this.lastKnownValid = this.valid[slot] === 1;
      return known;
    }
    return this.store(slot, start, end);
  }

  private store(slot: number, start: number, end: number): string {
    const name = this.text.slice(start, end);
    this.slots[slot] = name;
    this.valid[slot] = 0;
    this.lastKnownValid = false;
    return name;
  }

  /** Records that the name last returned is a valid XML name. */
  lastValid(): void {
    this.valid[this.slot] = 1;
    this.lastKnownValid = true;
  }
}

/** A power of two, well above the few dozen names a profile uses. */
const nameSlots = 2048;

/**
 * A slot from a name's first, third and fifth characters (whatever follows a shorter one): they
 * tell apart the names a profile repeats (HostName, HostAddress, HostEntry), and are there to read
 * before the name's end is known. NaN past the end of the text counts as 0.
 */
function slotAt(text: string, start: number): number {
  return ((text.charCodeAt(start) << 6) ^ (text.charCodeAt(start + 2) << 3) ^ text.charCodeAt(start + 4)) & (nameSlots - 1);
}

/** The end of the name that starts at `from`: the first ASCII character that cannot be in a name (any other can). */
function readName(text: string, from: number): number {
  const length = text.length;
  let i = from;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && asciiNameChars[c] === 0) break;
  }
  return i;
}

/** The XmlSink that builds the positioned tree (XmlDocument) for the language server's features. */
class TreeBuilder implements XmlSink {
  readonly roots: XmlElement[] = [];
  readonly wantsText = true;
  private readonly stack: Element[] = [];
  /** The element whose start tag is being read. */
  private element: Element | undefined;

  constructor(private readonly source: string) {}

  open(name: string, start: number): void {
    const parent = this.stack[this.stack.length - 1];
    const element = new Element(this.source, name, start, parent);
    if (parent) parent.children = added(parent.children, element);
    else this.roots.push(element);
    this.element = element;
  }

  attribute(attr: XmlAttribute): void {
    const element = this.element as Element;
    element.attributes = added(element.attributes, attr);
  }

  tagEnd(end: number, how: TagEnd): void {
    const element = this.element as Element;
    element.startTagEnd = end;
    if (how === 'open') this.stack.push(element);
    else if (how === 'self-closed') {
      element.closed = true;
      element.end = end;
    }
  }

  text(start: number, end: number, value: string | undefined): void {
    const current = this.stack[this.stack.length - 1];
    if (value === undefined) current.addPlainText(start, end);
    else current.addText({ start, end, value });
  }

  close(end: number, closed: boolean): void {
    const element = this.stack.pop() as Element;
    element.closed = closed;
    element.end = end;
    element.fitChildren();
  }
}

class Scanner {
  private pos = 0;
  /** The open elements' names and start offsets, innermost last. */
  private readonly openNames: string[] = [];
  private readonly openStarts: number[] = [];
  private rootCount = 0;
  private firstRoot = '';
  private readonly problems: Finding[] = [];
  private readonly entities: EntityDecoder;
  /** The attribute names of the start tag being read: a tag may hold thousands, so no scan of the list per attribute. */
  private readonly attributeNames = new Set<string>();
  private readonly names: NameTable;
  /**
   * The first '&' and ']' at or after where they were last looked for (-1: none to the end of the text; -2: not looked for
   * yet), for the runs of text, which come in document order: most runs have neither, and one search of the text for each
   * serves them all, instead of a loop in JavaScript over every character of every run.
   */
  private ampAt = -2;
  private bracketAt = -2;
  /** Set by attributes(): the start tag just read ended with '/>' (or was cut off). */
  private selfClosing = false;
  private stopped = false;

  constructor(
    private readonly text: string,
    private readonly options: ScanOptions,
    private readonly sink: XmlSink,
  ) {
    this.entities = new EntityDecoder((f) => this.report(f));
    this.names = new NameTable(text);
  }

  run(): readonly Finding[] {
    const { text } = this;
    const { length } = text;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    for (let pos = this.pos; pos < length && !this.stopped; pos = this.pos) {
      const lt = text.indexOf('<', pos);
      const textEnd = lt < 0 ? length : lt;
      // The indentation between tags (most runs of text) is passed over here, without a call: a call per run costs
      // more than the loop until V8 has optimised this. So are the two usual tags, start and end, read without markup().
      let i = pos;
      for (
        let c = text.charCodeAt(i);
        i < textEnd && (c === Ch.Lf || c === Ch.Tab || c === Ch.Space || c === Ch.Cr);
        c = text.charCodeAt(++i)
      );
      if (i < textEnd) this.textSegment(pos, textEnd, i);
      if (lt < 0) break;
      this.pos = lt;
      const c1 = text.charCodeAt(lt + 1);
      if (c1 === Ch.Slash) this.endTag();
      else if (c1 < 128 ? asciiNameStarts[c1] === 1 : c1 >= 0x80)
        this.startTag(); // isNameStart, without a call
      else this.markup();
    }
    this.closeUnfinished();
    if (this.rootCount === 0 && !this.stopped) {
      const at = this.firstNonSpace();
      this.report(
        finding(
          'HS112',
          at,
          Math.min(text.length, at + 1),
          'The document has no root element (an AnyConnect profile starts with <AnyConnectProfile>).',
        ),
      );
    }
    return this.problems;
  }

  private report(f: Finding): void {
    if (this.problems.length < this.options.maxProblems) this.problems.push(f);
  }

  private firstNonSpace(): number {
    let i = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return Math.min(i, this.text.length);
  }

  private get depth(): number {
    return this.openNames.length;
  }

  // ---- text -------------------------------------------------------------------------

  /** A run of text, text[start, end), that is not all white space: its first other character is at `first`. */
  private textSegment(start: number, end: number, first: number): void {
    this.pos = end;
    const { text, sink } = this;
    if (this.openNames.length === 0) return this.outsideText(first, end);
    // Most runs have neither '&' nor ']': where the next of each is comes from one search of the text for all the runs.
    let amp = this.ampAt;
    if (amp < start && amp !== -1) amp = this.ampAt = text.indexOf('&', start);
    let bracket = this.bracketAt;
    if (bracket < start && bracket !== -1) bracket = this.bracketAt = text.indexOf(']', start);
    const special = amp >= 0 && amp < end ? (bracket >= 0 && bracket < amp ? bracket : amp) : bracket < end ? bracket : -1;
    if (special < 0) {
      if (sink.wantsText) sink.text(start, end, undefined);
      return;
    }
    const cdataEnd = indexOfWithin(text, ']]>', special, end);
    if (cdataEnd >= 0) this.report(finding('HS100', cdataEnd, cdataEnd + 3, "']]>' is not allowed in text; write ]]&gt;."));
    // Decoded whether or not the sink keeps it: decoding reports the references that are wrong.
    const value = amp < 0 || amp >= end ? undefined : this.entities.decode(text.slice(start, end), start);
    if (sink.wantsText) sink.text(start, end, value);
  }

  /** Text outside the root, from its first non-blank character `i` to `end`. */
  private outsideText(i: number, end: number): void {
    let j = end;
    while (j > i && isSpace(this.text.charCodeAt(j - 1))) j--;
    const where = this.rootCount ? 'after the root element' : 'before the root element';
    this.report(finding('HS104', i, j, `Text is not allowed ${where}.`));
  }

  // ---- markup -----------------------------------------------------------------------

  /** The markup at '<' that is not a start or end tag (run() reads those): a comment, CDATA, a DOCTYPE, a PI, or a stray '<'. */
  private markup(): void {
    const { text, pos } = this;
    const c1 = text.charCodeAt(pos + 1);
    if (c1 === Ch.Question) return this.processingInstruction();
    if (c1 === Ch.Bang) {
      if (text.startsWith('<!--', pos)) return this.comment();
      if (text.startsWith('<![CDATA[', pos)) return this.cdata();
      if (text.startsWith('<!DOCTYPE', pos)) return this.doctype();
    }
    this.report(finding('HS100', pos, pos + 1, "'<' must start a tag; in text write it as &lt;."));
    this.textSegment(pos, pos + 1, pos);
  }

  private comment(): void {
    const start = this.pos;
    const close = this.text.indexOf('-->', start + 4);
    const end = close < 0 ? this.text.length : close + 3;
    if (close < 0) {
      this.report(finding('HS100', start, start + 4, "Comment is never closed with '-->'."));
    } else {
      const inner = this.text.indexOf('--', start + 4);
      if (inner >= 0 && inner < close) this.report(finding('HS100', inner, inner + 2, "'--' is not allowed inside a comment."));
    }
    this.pos = end;
  }

  private cdata(): void {
    const start = this.pos;
    const close = this.text.indexOf(']]>', start + 9);
    const end = close < 0 ? this.text.length : close + 3;
    if (close < 0) this.report(finding('HS100', start, start + 9, "CDATA section is never closed with ']]>'."));
    if (this.depth) {
      const contentEnd = close < 0 ? end : close;
      if (this.sink.wantsText) this.sink.text(start + 9, contentEnd, this.text.slice(start + 9, contentEnd));
    } else this.report(finding('HS104', start, end, 'CDATA is not allowed outside the root element.'));
    this.pos = end;
  }

  private processingInstruction(): void {
    const start = this.pos;
    const close = this.text.indexOf('?>', start + 2);
    const end = close < 0 ? this.text.length : close + 2;
    let nameEnd = start + 2;
    while (nameEnd < end && isNameChar(this.text.charCodeAt(nameEnd))) nameEnd++;
    const target = this.text.slice(start + 2, nameEnd);
    if (close < 0) this.report(finding('HS100', start, nameEnd, "Processing instruction is never closed with '?>'."));
    else if (target.toLowerCase() === 'xml' && start !== this.prologStart()) {
      this.report(finding('HS100', start, nameEnd, 'The XML declaration must be the very first thing in the file.'));
    }
    this.pos = end;
  }

  /** The declaration may be preceded only by a byte-order mark. */
  private prologStart(): number {
    return this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  private doctype(): void {
    const start = this.pos;
    if (this.rootCount) this.report(finding('HS100', start, start + 9, 'A DOCTYPE must come before the root element.'));
    const end = new DoctypeReader(this.text, start, this.entities, (f) => this.report(f)).read();
    this.pos = end;
  }

  // ---- tags -------------------------------------------------------------------------

  private startTag(): void {
    const start = this.pos;
    const name = this.names.nameAt(start + 1);
    const nameEnd = start + 1 + name.length;
    this.sink.open(name, start);
    if (!this.names.lastKnownValid) this.checkName(name, start + 1);
    // Most start tags end right after their name: what attributes() would find there, without its loop.
    const bare = this.text.charCodeAt(nameEnd) === Ch.Gt;
    if (bare) this.selfClosing = false;
    const end = bare ? nameEnd + 1 : this.attributes(name, start, nameEnd);
    this.pos = end;
    // Only a root, or an element too deep, needs more (most elements are neither: no call for them).
    const depth = this.openNames.length;
    if (depth === 0 || depth >= this.options.maxDepth) this.attach(name, start, nameEnd);
    if (this.stopped) return this.sink.tagEnd(end, 'stopped');
    if (this.selfClosing) return this.sink.tagEnd(end, 'self-closed');
    this.openNames.push(name);
    this.openStarts.push(start);
    this.sink.tagEnd(end, 'open');
  }

  /** Checks the name this.names returned last, unless it is known to be valid (names repeat: each distinct one is checked once). */
  private checkName(name: string, at: number): void {
    if (isValidName(name)) this.names.lastValid();
    else this.report(finding('HS100', at, at + name.length, `'${name}' is not a valid XML name.`));
  }

  private attach(name: string, start: number, nameEnd: number): void {
    const depth = this.openNames.length;
    if (depth) {
      if (depth >= this.options.maxDepth) {
        this.report(
          finding('HS109', start, nameEnd, `Elements are nested more than ${this.options.maxDepth} levels deep; validation stops here.`),
        );
        this.stopped = true;
      }
      return;
    }
    if (this.rootCount++) {
      this.report(
        finding('HS103', start + 1, nameEnd, `A document has one root element; <${name}> comes after the root <${this.firstRoot}>.`),
      );
    } else this.firstRoot = name;
  }

  /**
   * Reads attributes up to and including '>' or '/>', returning the offset after it (and setting selfClosing); recovers at '<' or end of
   * text.
   */
  private attributes(element: string, start: number, from: number): number {
    const { text } = this;
    if (this.attributeNames.size) this.attributeNames.clear();
    this.selfClosing = true;
    let i = from;
    for (;;) {
      const beforeSpace = i;
      i = skipSpace(text, i);
      const c = text.charCodeAt(i);
      if (i >= text.length || c === Ch.Lt) {
        this.report(finding('HS105', start + 1, from, `Start tag <${element}> is not closed with '>'.`));
        return i;
      }
      if (c === Ch.Gt) {
        this.selfClosing = false;
        return i + 1;
      }
      if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Gt) return i + 2;
      if (!isNameStart(c)) {
        this.report(finding('HS105', i, i + 1, `Unexpected '${text[i]}' in the start tag of <${element}>.`));
        i++;
        continue;
      }
      if (i === beforeSpace) this.report(finding('HS105', i, i + 1, 'Attributes must be separated by white space.'));
      i = this.attribute(i);
    }
  }

  private attribute(nameStart: number): number {
    const { text } = this;
    const name = this.names.nameAt(nameStart);
    const nameEnd = nameStart + name.length;
    if (!this.names.lastKnownValid) this.checkName(name, nameStart);
    let i = skipSpace(text, nameEnd);
    if (text.charCodeAt(i) !== Ch.Eq) {
      this.report(finding('HS105', nameStart, nameEnd, `Attribute '${name}' has no value (write ${name}="...").`));
      return i;
    }
    i = skipSpace(text, i + 1);
    const quote = text.charCodeAt(i);
    if (quote !== Ch.Quote && quote !== Ch.Apos) {
      this.report(finding('HS105', nameStart, nameEnd, `The value of '${name}' must be in quotes.`));
      while (i < text.length && !isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== Ch.Gt && text.charCodeAt(i) !== Ch.Lt) i++;
      return i;
    }
    const valueStart = i + 1;
    const close = text.indexOf(quote === Ch.Quote ? '"' : "'", valueStart);
    // '<' is looked for only up to the quote: searching on to the next tag made every attribute cost the rest of the text.
    const lt = close < 0 ? text.indexOf('<', valueStart) : indexBefore(text, Ch.Lt, valueStart, close);
    if (close < 0 || lt >= 0) {
      const stop = lt >= 0 ? lt : text.length;
      this.report(finding('HS105', nameStart, nameEnd, `The value of '${name}' is never closed with its quote.`));
      return stop;
    }
    if (this.attributeNames.has(name)) {
      this.report(finding('HS105', nameStart, nameEnd, `Attribute '${name}' is repeated.`));
    } else {
      this.attributeNames.add(name);
      const raw = text.slice(valueStart, close);
      this.sink.attribute({ name, nameStart, nameEnd, value: this.entities.decode(raw, valueStart), valueStart, valueEnd: close });
    }
    return close + 1;
  }

  private endTag(): void {
    const { text, openNames } = this;
    const start = this.pos;
    // Almost every end tag closes the innermost element: its name is compared, not read and looked up.
    const open = openNames[openNames.length - 1];
    if (open !== undefined) {
      // And is just '</', that name and '>': what the rest of this and closeElement make of it, in one comparison.
      const gt = start + 2 + open.length;
      if (text.charCodeAt(gt) === Ch.Gt && text.startsWith(open, start + 2)) {
        this.pos = gt + 1;
        openNames.pop();
        this.openStarts.pop();
        return this.sink.close(gt + 1, true);
      }
    }
    const expected = open !== undefined && text.startsWith(open, start + 2) ? start + 2 + open.length : -1;
    const nameEnd = expected >= 0 && endsName(text, expected) ? expected : readName(text, start + 2);
    const name = nameEnd === expected ? open : this.names.name(start + 2, nameEnd);
    const i = skipSpace(text, nameEnd);
    let end = i + 1;
    if (text.charCodeAt(i) !== Ch.Gt) {
      this.report(finding('HS105', start + 2, nameEnd, `End tag </${name}> is not closed with '>'.`));
      end = i;
    }
    this.pos = Math.max(end, start + 2);
    this.closeElement(name, start, nameEnd, this.pos);
  }

  private closeElement(name: string, start: number, nameEnd: number, end: number): void {
    const { openNames } = this;
    const top = openNames.length - 1;
    const depth = openNames[top] === name ? top : openNames.lastIndexOf(name);
    if (depth < 0) {
      const expected = openNames.length ? ` (the open element is <${openNames[openNames.length - 1]}>)` : '';
      this.report(finding('HS102', start + 2, nameEnd, `Closing tag </${name}> has no matching start tag${expected}.`));
      return;
    }
    while (openNames.length - 1 > depth) {
      const unclosed = openNames[openNames.length - 1];
      const at = this.pop() + 1;
      this.report(finding('HS101', at, at + unclosed.length, `<${unclosed}> is not closed before </${name}>.`));
      this.sink.close(start, false);
    }
    openNames.pop();
    this.openStarts.pop();
    this.sink.close(end, true);
  }

  /** Takes the innermost open element off the stack, returning its start offset. */
  private pop(): number {
    this.openNames.pop();
    return this.openStarts.pop() as number;
  }

  private closeUnfinished(): void {
    while (this.depth) {
      const name = this.openNames[this.depth - 1];
      const start = this.pop();
      this.sink.close(this.text.length, false);
      if (!this.stopped) this.report(finding('HS101', start + 1, start + 1 + name.length, `<${name}> is never closed.`));
    }
  }
}

/** Reads <!DOCTYPE ...>, registers internal entities and reports external ones. */
class DoctypeReader {
  private tooManyReported = false;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly entities: EntityDecoder,
    private readonly report: (f: Finding) => void,
  ) {}

  read(): number {
    const { text } = this;
    let i = this.start + 9;
    const subsetStart = this.indexOutsideQuotes('[', i, '>');
    const headerEnd = subsetStart >= 0 ? subsetStart : this.indexOutsideQuotes('>', i);
    const header = text.slice(i, headerEnd < 0 ? text.length : headerEnd);
    const external = /\b(SYSTEM|PUBLIC)\b/.exec(header);
    if (external) {
      const at = i + external.index;
      this.report(
        finding(
          'HS107',
          at,
          at + external[0].length,
          'An external DTD is never read: Hooksmith does not fetch files named by a profile.',
          'warning',
        ),
      );
    }
    if (subsetStart < 0) return this.finish(headerEnd);
    i = this.subset(subsetStart + 1);
    return this.finish(this.indexOutsideQuotes('>', i));
  }

  private finish(gt: number): number {
    if (gt < 0) {
      this.report(finding('HS100', this.start, this.start + 9, "DOCTYPE is never closed with '>'."));
      return this.text.length;
    }
    return gt + 1;
  }

  /** Scans declarations until the subset's ']'; returns the offset after it. */
  private subset(from: number): number {
    const { text } = this;
    let i = from;
    while (i < text.length) {
      const c = text[i];
      if (c === ']') return i + 1;
      if (text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        i = close < 0 ? text.length : close + 3;
      } else if (text.startsWith('<!ENTITY', i)) {
        i = this.entity(i);
      } else if (c === '<') {
        const gt = this.indexOutsideQuotes('>', i);
        i = gt < 0 ? text.length : gt + 1;
      } else {
        i++;
      }
    }
    return i;
  }

  private entity(start: number): number {
    const gt = this.indexOutsideQuotes('>', start);
    const end = gt < 0 ? this.text.length : gt + 1;
    const decl = this.text.slice(start, end);
    const m = /^<!ENTITY\s+(%\s+)?([^\s"'>]+)\s*(?:(["'])([\s\S]*?)\3|(SYSTEM|PUBLIC)\b)/.exec(decl);
    if (!m) {
      this.report(finding('HS100', start, start + 8, 'Malformed ENTITY declaration.'));
      return end;
    }
    const [, percent, name, , value, externalKeyword] = m;
    if (externalKeyword) {
      const at = start + decl.indexOf(externalKeyword);
      this.report(
        finding(
          'HS107',
          at,
          at + externalKeyword.length,
          `Entity '${name}' names an external resource; it is never read, and its references expand to nothing.`,
        ),
      );
    }
    if (percent) return end; // parameter entities are not expanded at all
    const accepted = this.entities.declare({ name, value: externalKeyword ? undefined : value });
    if (!accepted && !this.tooManyReported) {
      this.tooManyReported = true;
      this.report(finding('HS108', start, start + 8, 'Too many ENTITY declarations; the rest are ignored.'));
    }
    return end;
  }

  private indexOutsideQuotes(needle: string, from: number, stopAt?: string): number {
    const { text } = this;
    let quote = '';
    for (let i = from; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === needle) return i;
      else if (stopAt !== undefined && c === stopAt) return -1;
    }
    return -1;
  }
}
