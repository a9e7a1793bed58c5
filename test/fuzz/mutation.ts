/**
 * Byte-level mutation of realistic seeds (the example profiles and hooks). A mutation is a list
 * of operations, so fast-check shrinks a failure by dropping operations and moving them to the
 * start; positions are taken modulo the current length, so any list applies to any text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { decode } from '../../server/src/cli/lintFiles';
import { packageRoot } from '../../server/src/ruleDocs';

/** Reads files of the package, relative to its root. */
export function readSeeds(files: readonly string[]): string[] {
  return files.map((f) => fs.readFileSync(path.join(packageRoot(), f), 'utf8'));
}

/** Tokens that open, close or break XML and shell constructs, and awkward characters. */
export const dictionary: readonly string[] = [
  // XML
  '<!DOCTYPE',
  '<!DOCTYPE a [<!ENTITY x "&x;&x;">]>',
  '<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY',
  '&x;',
  '&amp;',
  '&lt;',
  '&#0;',
  '&#x110000;',
  '&#65;',
  '&#xD800;',
  '&',
  ';',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '--',
  '<?xml version="1.0"?>',
  '?>',
  '</',
  '/>',
  '<',
  '>',
  '"',
  "'",
  '=',
  ' xmlns="x"',
  ' UserControllable="maybe"',
  ':',
  'ac:',
  '<AnyConnectProfile>',
  '</ClientInitialization>',
  '<HostEntry>',
  '<OnConnectScript>../x</OnConnectScript>',
  '<Foo/>',
  ' a=""',
  '<a>',
  // shell
  '$(',
  ')',
  '`',
  '<<EOF\n',
  '<<-EOF\n',
  '\nEOF\n',
  '${',
  '}',
  '$((',
  '))',
  '[[',
  ']]',
  '"$',
  '\\',
  '|',
  '&&',
  ';;',
  'case x in',
  'esac',
  'if',
  'then',
  'fi',
  'exit',
  'return',
  'iptables',
  'run_iptables',
  '$CISCO_VPN_EVENT',
  '${CISCO_VPN_EVNT}',
  '#!/bin/sh\n',
  '() {',
  'ip route add 10.0.0.0/8',
  'umount /mnt',
  '*)',
  '=pod\n',
  '=cut\n',
  '__END__\n',
  '1;',
  // characters
  '\r',
  '\r\n',
  '\n',
  '\u0000',
  '\t',
  ' ',
  '\u00e9',
  '\u20ac',
  '\u{1F600}',
  '\uD800',
  '\uDC00',
  '\uDBFF\uDFFF',
  '\uFEFF',
  '\u2028',
  '\u00a0',
  '\uFFFE',
];

export type ByteOp =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly op: 'splice'; readonly at: number; readonly other: number; readonly from: number; readonly length: number }
  | { readonly op: 'repeat'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly op: 'flood'; readonly at: number; readonly token: number; readonly times: number };

/** A token inserted into the decoded text: lone surrogates cannot travel as UTF-8 bytes. */
export interface TextOp {
  readonly op: 'token';
  readonly at: number;
  readonly token: string;
}

export interface Mutation {
  readonly bytes: readonly ByteOp[];
  readonly text: readonly TextOp[];
}

const at = fc.nat();
const length = fc.integer({ min: 1, max: 64 });

/** Byte operations; `repeat` blows a short range up, `flood` inserts a token thousands of times, to meet slow (quadratic) paths. */
export function byteOp(seedCount: number, maxRepeat: number): fc.Arbitrary<ByteOp> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at, length }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at, length, to: at }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('splice' as const),
        at,
        other: fc.nat({ max: seedCount - 1 }),
        from: at,
        length: fc.integer({ min: 1, max: 400 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('repeat' as const),
        at,
        length: fc.integer({ min: 1, max: 16 }),
        times: fc.integer({ min: 2, max: maxRepeat }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('flood' as const),
        at,
        token: fc.nat({ max: dictionary.length - 1 }),
        times: fc.integer({ min: 2, max: maxRepeat }),
      }),
    },
  );
}

const textOp: fc.Arbitrary<TextOp> = fc.record({ op: fc.constant('token' as const), at, token: fc.constantFrom(...dictionary) });

export function mutation(seedCount: number, maxRepeat = 4000): fc.Arbitrary<Mutation> {
  return fc.record({
    bytes: fc.array(byteOp(seedCount, maxRepeat), { maxLength: 6 }),
    text: fc.array(textOp, { maxLength: 4 }),
  });
}

/** Applies a mutation: byte operations on the UTF-8 bytes, decoded as the CLI decodes a file, then tokens. */
export function applyMutation(base: string, m: Mutation, seeds: readonly string[]): string {
  let bytes: Buffer = Buffer.from(base, 'utf8');
  for (const op of m.bytes) bytes = applyByteOp(bytes, op, seeds);
  let text = decode(bytes);
  for (const op of m.text) {
    const i = op.at % (text.length + 1);
    text = text.slice(0, i) + op.token + text.slice(i);
  }
  return text;
}

function applyByteOp(b: Buffer, op: ByteOp, seeds: readonly string[]): Buffer {
  const i = op.at % (b.length + 1);
  const cut = (from: number, to: number): Buffer => b.subarray(Math.min(from, b.length), Math.min(to, b.length));
  switch (op.op) {
    case 'flip': {
      if (b.length === 0) return b;
      const copy = Buffer.from(b);
      copy[op.at % b.length] ^= 1 << op.bit;
      return copy;
    }
    case 'insert':
      return Buffer.concat([cut(0, i), op.bytes, cut(i, b.length)]);
    case 'delete':
      return Buffer.concat([cut(0, i), cut(i + op.length, b.length)]);
    case 'duplicate': {
      const to = op.to % (b.length + 1);
      return Buffer.concat([cut(0, to), cut(i, i + op.length), cut(to, b.length)]);
    }
    case 'splice': {
      const other = Buffer.from(seeds[op.other % seeds.length], 'utf8');
      const from = op.from % (other.length + 1);
      return Buffer.concat([cut(0, i), other.subarray(from, from + op.length), cut(i, b.length)]);
    }
    case 'flood':
      return Buffer.concat([cut(0, i), Buffer.from(dictionary[op.token].repeat(op.times), 'utf8'), cut(i, b.length)]);
    case 'repeat': {
      const piece = cut(i, i + op.length);
      return Buffer.concat([cut(0, i), ...Array<Buffer>(op.times).fill(piece), cut(i + op.length, b.length)]);
    }
  }
}

/** A seed (or any generated text) with a mutation applied. */
export function mutated(base: fc.Arbitrary<string>, seeds: readonly string[], maxRepeat?: number): fc.Arbitrary<string> {
  return fc.tuple(base, mutation(seeds.length, maxRepeat)).map(([text, m]) => applyMutation(text, m, seeds));
}
