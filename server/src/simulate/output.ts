import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

export const defaultOutputCap = 1024 * 1024;

export interface Captured {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Keeps the first `cap` bytes of a stream and passes them on as they arrive; past the cap it keeps
 * reading (a full pipe would block the hook and hang the run) but drops the bytes, and the text
 * ends with a note saying how many. Bytes that are not UTF-8 (and NUL) appear as `\xNN` escapes
 * (see ByteText), so binary output is shown byte for byte instead of crashing or vanishing.
 */
export function capture(stream: Readable, cap: number, onText?: (text: string) => void): () => Captured {
  const kept: Buffer[] = [];
  const streamed = new ByteText();
  let size = 0;
  let dropped = 0;
  let noted = false;
  stream.on('data', (chunk: Buffer) => {
    const room = Math.max(0, cap - size);
    const keep = chunk.length <= room ? chunk : chunk.subarray(0, room);
    dropped += chunk.length - keep.length;
    if (keep.length) {
      kept.push(keep);
      size += keep.length;
      onText?.(streamed.write(keep));
    }
    if (dropped && !noted) {
      noted = true;
      onText?.(`${streamed.end()}${truncationNote(cap)}\n`);
    }
  });
  stream.once('end', () => {
    const rest = streamed.end();
    if (rest) onText?.(rest);
  });
  return () => {
    const text = new ByteText().decode(Buffer.concat(kept));
    return dropped ? { text: `${text}${truncationNote(cap)} (${dropped} bytes dropped)\n`, truncated: true } : { text, truncated: false };
  };
}

function truncationNote(cap: number): string {
  return `\n[hooksmith: output truncated after ${cap} bytes]`;
}

/**
 * A streaming UTF-8 decoder that loses nothing: valid UTF-8 (control characters included, such as
 * the escape of a colour code) passes through; each byte of an invalid sequence, of a sequence cut
 * off by the end of the stream, and each NUL (invisible, and a string end for C tools) becomes
 * `\xNN`. A literal backslash-x written by the hook is not escaped, so the two can look alike.
 * A sequence split across chunks is held back until its next chunk arrives.
 */
export class ByteText {
  private pending = Buffer.alloc(0);

  /** The text of `chunk`, holding back an incomplete sequence at its end. */
  write(chunk: Buffer): string {
    const bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const { text, rest } = decodeBytes(bytes, false);
    this.pending = Buffer.from(rest);
    return text;
  }

  /** Whatever was held back, escaped: the stream has ended. */
  end(): string {
    const { text } = decodeBytes(this.pending, true);
    this.pending = Buffer.alloc(0);
    return text;
  }

  decode(bytes: Buffer): string {
    return this.write(bytes) + this.end();
  }
}

function decodeBytes(bytes: Buffer, final: boolean): { text: string; rest: Buffer } {
  if (isUtf8(bytes) && !bytes.includes(0)) return { text: bytes.toString('utf8'), rest: bytes.subarray(bytes.length) };
  let text = '';
  let start = 0; // start of the run of valid text not yet appended
  let i = 0;
  const flush = (to: number): void => {
    if (to > start) text += bytes.toString('utf8', start, to);
  };
  while (i < bytes.length) {
    const b = bytes[i];
    if (b > 0 && b < 0x80) {
      i++;
      continue;
    }
    const length = b === 0 ? 0 : sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (length < 0 && !final) break; // a valid start cut off by the chunk's end: wait for more
    flush(i);
    text += `\\x${b.toString(16).padStart(2, '0')}`;
    start = ++i;
  }
  flush(i);
  return { text, rest: bytes.subarray(i) };
}

/**
 * The length of the valid multi-byte sequence at `i`; 0 if invalid; -1 if valid so far but cut off
 * by the end of `bytes`. Ranges from RFC 3629 (no overlong forms, no surrogates, nothing past U+10FFFF).
 */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i];
  const [length, low, high] =
    b >= 0xc2 && b <= 0xdf
      ? [2, 0x80, 0xbf]
      : b === 0xe0
        ? [3, 0xa0, 0xbf]
        : b === 0xed
          ? [3, 0x80, 0x9f]
          : b >= 0xe1 && b <= 0xef
            ? [3, 0x80, 0xbf]
            : b === 0xf0
              ? [4, 0x90, 0xbf]
              : b >= 0xf1 && b <= 0xf3
                ? [4, 0x80, 0xbf]
                : b === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (!length) return 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k];
    if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return 0;
  }
  return length;
}
