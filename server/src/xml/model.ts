/** The positioned XML tree the scanner builds. Offsets are UTF-16 code units into the document text. */
export interface XmlAttribute {
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** Decoded value (entities expanded within limits). */
  readonly value: string;
  /** Offsets of the raw value, inside the quotes. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** A run of character data; runs of white space only are not recorded. */
export interface XmlText {
  readonly start: number;
  readonly end: number;
  /** Decoded text (entities expanded, CDATA as is). */
  readonly value: string;
}

export interface XmlElement {
  readonly name: string;
  /** Offset of '<'. The name spans start + 1 .. nameEnd. */
  readonly start: number;
  readonly nameEnd: number;
  /** Offset just after the start tag's '>' (or where the broken tag was cut off). */
  startTagEnd: number;
  /** Offset just after the end tag (or of the point where the element was forced closed). */
  end: number;
  /** False when the element never got its end tag. */
  closed: boolean;
  /** Read-only to consumers; the scanner replaces the shared empty array on first add. */
  attributes: readonly XmlAttribute[];
  children: readonly XmlElement[];
  /** The element's own runs of text, in document order. */
  readonly texts: readonly XmlText[];
  readonly parent: XmlElement | undefined;
}

export interface XmlDocument {
  /** The first root element, if any; further roots are errors but kept in `roots`. */
  readonly root: XmlElement | undefined;
  readonly roots: readonly XmlElement[];
}

/** The name without its namespace prefix: `ac:HostEntry` is `HostEntry`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
