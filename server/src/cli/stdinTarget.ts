import * as path from 'node:path';
import { recognizeHook } from '../families/registry';
import { readStream, ReadResult } from '../files/readFile';
import { listFolder } from '../hooks/lintHook';
import { looksLikeProfile } from '../profile/recognize';
import { LintArgs } from './args';
import { Kind } from './collect';

export type StdinTarget = { readonly path: string; readonly kind: Kind; readonly input: ReadResult } | { readonly unreadable: string };

/**
 * `-`: standard input, read once (no more than the size limit) and linted as the file
 * --stdin-filename names: a profile if the name ends in .xml or the text starts as one, else a
 * hook if a family recognises the name (its folder on disk gives the siblings), else an error.
 */
export async function readStdinTarget(args: LintArgs, stdin: NodeJS.ReadableStream): Promise<StdinTarget> {
  const name = args.stdinFilename as string;
  const input = await readStream(stdin, args.maxSizeMB * 1024 * 1024);
  if (input.kind === 'error') return { unreadable: input.reason };
  const head = input.kind === 'read' ? input.bytes.subarray(0, 8192) : input.kind === 'too-large' ? input.head : Buffer.alloc(0);
  if (/\.xml$/i.test(name) || looksLikeProfile(head.toString('utf8'))) return { path: name, kind: 'profile', input };
  if (recognizeHook(name, listFolder(path.dirname(name)), args.families)) return { path: name, kind: 'hook', input };
  return {
    unreadable: `--stdin-filename ${name} is neither a profile (.xml) nor a hook name Hooksmith knows, so standard input was not linted`,
  };
}
