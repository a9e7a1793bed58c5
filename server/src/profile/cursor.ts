import { scanXml } from '../xml/scanner';
import { localName, XmlElement } from '../xml/model';
import { childSpec, ElementSpec, profileRoot } from './schema';
import { valueSpan } from './valueSpan';
import { runBefore } from '../text/runs';

/** A span of the document that a completion replaces. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * What the cursor is in, for completion. The document is usually half-typed: the recovering
 * scanner still builds the tree, and a half-typed `<Name` is cut out before scanning so that
 * it does not swallow the rest of the parent.
 */
export type ProfileCursor =
  | {
      readonly kind: 'element';
      readonly parent: XmlElement | undefined;
      readonly hasRoot: boolean;
      readonly replace: Span;
      readonly bracket: boolean;
      readonly nameOnly: boolean;
    }
  | { readonly kind: 'content'; readonly element: XmlElement; readonly replace: Span; readonly valueDone: boolean }
  | { readonly kind: 'attribute'; readonly element: XmlElement; readonly replace: Span }
  | { readonly kind: 'attributeValue'; readonly element: XmlElement; readonly attribute: string; readonly replace: Span }
  | { readonly kind: 'none' };

const nameChars = /^[\w:.-]*/;

export function cursorAt(text: string, offset: number): ProfileCursor {
  const before = text.slice(0, offset);
  if (before.lastIndexOf('<!--') > before.lastIndexOf('-->')) return { kind: 'none' };
  const typed = /<([\w:.-]*)$/.exec(before);
  if (typed) return elementCursor(text, offset, typed.index);
  const lt = before.lastIndexOf('<');
  if (lt > before.lastIndexOf('>')) return tagCursor(text, offset, lt);
  return contentCursor(text, offset);
}

/** `<Na|`: the tree is scanned without the typed name, and the parent is the element around it. */
function elementCursor(text: string, offset: number, lt: number): ProfileCursor {
  const rest = nameChars.exec(text.slice(offset))?.[0] ?? '';
  const end = offset + rest.length;
  const doc = scanXml(text.slice(0, lt) + text.slice(end));
  // An existing tag being renamed (`<Au|toUpdate>`) gets only the name, not a second element.
  const nameOnly = /^[\s/>]/.test(text.slice(end)) && !/^\s*\n/.test(text.slice(end)) && text[end] !== undefined;
  return {
    kind: 'element',
    parent: enclosing(doc.roots, lt, text),
    hasRoot: doc.root !== undefined,
    replace: { start: lt, end },
    bracket: true,
    nameOnly,
  };
}

function tagCursor(text: string, offset: number, lt: number): ProfileCursor {
  const tag = text.slice(lt, offset);
  if (!/^<[\w:.-]+\s/.test(tag)) return { kind: 'none' };
  const element = elementStartingAt(scanXml(text).roots, lt);
  if (!element) return { kind: 'none' };
  // The name starts where a name may (the lookbehind): from inside a long one every character started a scan to its end (quadratic).
  const inValue = /(?<![\w:.-])([\w:.-]+)\s*=\s*(["'])([^"']*)$/.exec(tag);
  if (inValue) {
    const quote = inValue[2];
    const close = text.indexOf(quote, offset);
    const end = close >= 0 && !text.slice(offset, close).includes('>') ? close : offset;
    return { kind: 'attributeValue', element, attribute: inValue[1], replace: { start: offset - inValue[3].length, end } };
  }
  const name = /\s([\w:.-]*)$/.exec(tag);
  if (!name || /=\s*$/.test(tag)) return { kind: 'none' };
  return {
    kind: 'attribute',
    element,
    replace: { start: offset - name[1].length, end: offset + (nameChars.exec(text.slice(offset))?.[0].length ?? 0) },
  };
}

/** Between tags: a value being typed, or a place for a child element without its '<' yet. */
function contentCursor(text: string, offset: number): ProfileCursor {
  const doc = scanXml(text);
  const element = enclosing(doc.roots, offset, text);
  const start = offset - runBefore(text, offset, /[^\s<>]/);
  const end = offset + (/^[^\s<>]*/.exec(text.slice(offset))?.[0].length ?? 0);
  if (!element)
    return {
      kind: 'element',
      parent: undefined,
      hasRoot: doc.root !== undefined,
      replace: { start, end },
      bracket: false,
      nameOnly: false,
    };
  // A value is offered only where none is written yet, or in place of the word being typed.
  const afterChild = element.children.some((c) => c.start < offset);
  const value = valueSpan(element, text).value;
  const valueDone = afterChild || (value !== '' && value !== text.slice(start, end));
  return { kind: 'content', element, replace: { start, end }, valueDone };
}

/** Where an element's content ends: at its end tag, or where the scanner closed it. */
function contentEnd(element: XmlElement, text: string): number {
  if (!element.closed) return element.end;
  const endTag = text.lastIndexOf('</', element.end - 1);
  return endTag >= element.startTagEnd ? endTag : element.startTagEnd - 1; // self-closing: no content
}

/** The innermost element whose content holds `offset`. */
export function enclosing(roots: readonly XmlElement[], offset: number, text: string): XmlElement | undefined {
  let found: XmlElement | undefined;
  let level = roots;
  for (;;) {
    const next = level.find((e) => e.startTagEnd <= offset && offset <= contentEnd(e, text));
    if (!next) return found;
    found = next;
    level = next.children;
  }
}

function elementStartingAt(roots: readonly XmlElement[], start: number): XmlElement | undefined {
  let level = roots;
  for (;;) {
    const next = level.find((e) => e.start <= start && start < Math.max(e.end, e.startTagEnd));
    if (!next || next.start === start) return next;
    level = next.children;
  }
}

/** The schema entry of an element by its place in the tree; undefined when it is misplaced or unknown. */
export function specOf(element: XmlElement): ElementSpec | undefined {
  if (!element.parent) return localName(element.name) === profileRoot.name ? profileRoot : undefined;
  const parent = specOf(element.parent);
  return parent && childSpec(parent, localName(element.name));
}

/** The schema entries from the root down to (not including) the element's own. */
export function specPath(element: XmlElement): ElementSpec[] {
  const path: ElementSpec[] = [];
  for (let p = element.parent; p; p = p.parent) {
    const spec = specOf(p);
    if (!spec) return [];
    path.unshift(spec);
  }
  return path;
}
