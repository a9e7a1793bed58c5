/**
 * UTF-8 (with or without BOM) or UTF-16 (with a BOM, or without one when it starts as XML does); the BOM is dropped so columns match
 * editors.
 */
export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (looksUtf16(bytes, 0)) return new TextDecoder('utf-16le').decode(bytes);
  if (looksUtf16(bytes, 1)) return new TextDecoder('utf-16be').decode(bytes);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const xmlStarts = new Set([0x3c, 0x20, 0x0a, 0x0d, 0x09]);

/**
 * '<' or white space, then one more character, each in two bytes whose other byte is NUL: how
 * UTF-16 XML without a byte-order mark starts. `low` is where the ASCII byte sits: 0 for
 * little-endian, 1 for big-endian (both are detected the same way).
 */
function looksUtf16(bytes: Buffer, low: 0 | 1): boolean {
  const high = 1 - low;
  return bytes.length >= 4 && bytes[high] === 0 && bytes[high + 2] === 0 && xmlStarts.has(bytes[low]) && bytes[low + 2] !== 0;
}
