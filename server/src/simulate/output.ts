import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export const defaultOutputCap = 1024 * 1024;

export interface Captured {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Keeps the first `cap` bytes of a stream and passes them on as they arrive; past the cap it keeps
 * reading (a full pipe would block the hook and hang the run) but drops the bytes, and the text
 * ends with a note saying how many.
 */
export function capture(stream: Readable, cap: number, onText?: (text: string) => void): () => Captured {
  const kept: Buffer[] = [];
  const decoder = new StringDecoder('utf8');
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
      onText?.(decoder.write(keep));
    }
    if (dropped && !noted) {
      noted = true;
      onText?.(`${truncationNote(cap)}\n`);
    }
  });
  return () => {
    const text = Buffer.concat(kept).toString('utf8');
    return dropped ? { text: `${text}${truncationNote(cap)} (${dropped} bytes dropped)\n`, truncated: true } : { text, truncated: false };
  };
}

function truncationNote(cap: number): string {
  return `\n[hooksmith: output truncated after ${cap} bytes]`;
}
