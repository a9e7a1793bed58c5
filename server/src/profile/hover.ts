import { scanXml } from '../xml/scanner';
import { localName, XmlElement } from '../xml/model';
import { specOf, specPath } from './cursor';
import { elementMarkdown, userControllableDoc } from './docs';
import { placesOf, userControllableAttribute } from './schema';

export interface ProfileHover {
  /** Markdown. */
  readonly contents: string;
  readonly start: number;
  readonly end: number;
}

/** Docs for the element name (start or end tag) or the UserControllable attribute under the cursor. */
export function profileHover(text: string, offset: number): ProfileHover | undefined {
  const element = innermostAt(scanXml(text).roots, offset);
  if (!element) return undefined;
  const attr = element.attributes.find((a) => a.nameStart <= offset && offset <= a.nameEnd);
  if (attr?.name === userControllableAttribute) return { contents: userControllableDoc, start: attr.nameStart, end: attr.nameEnd };
  const name = nameSpanAt(element, text, offset);
  if (!name) return undefined;
  const contents = elementDocs(element);
  return contents ? { contents, start: name.start, end: name.end } : undefined;
}

function elementDocs(element: XmlElement): string | undefined {
  const spec = specOf(element);
  if (spec) return elementMarkdown(spec, specPath(element));
  // Misplaced: describe it where the schema puts it, and say so.
  const place = placesOf(localName(element.name))[0];
  if (!place) return undefined;
  const where = place.parents[place.parents.length - 1]?.name;
  return `${elementMarkdown(place.spec, place.parents)}\n\n*Not valid here: it belongs inside \`${where}\`.*`;
}

function innermostAt(roots: readonly XmlElement[], offset: number): XmlElement | undefined {
  let found: XmlElement | undefined;
  let level = roots;
  for (;;) {
    const next = level.find((e) => e.start <= offset && offset <= Math.max(e.end, e.startTagEnd));
    if (!next) return found;
    found = next;
    level = next.children;
  }
}

/** The element's name in its start tag or its end tag, if the cursor is on it. */
function nameSpanAt(element: XmlElement, text: string, offset: number): { start: number; end: number } | undefined {
  if (element.start + 1 <= offset && offset <= element.nameEnd) return { start: element.start + 1, end: element.nameEnd };
  if (!element.closed) return undefined;
  const endTag = text.lastIndexOf('</', element.end - 1);
  if (endTag < element.startTagEnd) return undefined;
  const start = endTag + 2;
  const end = start + element.name.length;
  return start <= offset && offset <= end && text.slice(start, end) === element.name ? { start, end } : undefined;
}
