/**
 * File names and folders for the hook-name rules: the real names, their case, separator and
 * spelling variants, extensions, names that only look like hooks, and random strings.
 */
import fc from 'fast-check';
import { shorewallHooks } from '../../server/src/families/shorewall/hooks';

const hookWords = [
  'OnConnect',
  'OnDisconnect',
  ...shorewallHooks.map((h) => h.name),
  'shorewall.conf',
  'net2fw',
  'INPUT',
  'openconnect',
  'onConnectHandler',
];

/** A word with one or two random edits: a typo. */
const typo: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...hookWords),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('', 'n', 'e', '_', '-', ' ', 'X', '.')), { minLength: 1, maxLength: 2 }),
  )
  .map(([w, edits]) =>
    edits.reduce((s, [at, ch]) => {
      const i = at % (s.length + 1);
      return at % 2 ? s.slice(0, i) + ch + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i);
    }, w),
  );

const casing = fc.constantFrom<(s: string) => string>(
  (s) => s,
  (s) => s,
  (s) => s.toLowerCase(),
  (s) => s.toUpperCase(),
  (s) => s[0]?.toLowerCase() + s.slice(1),
);

const head = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...hookWords), casing).map(([w, c]) => c(w)) },
  { weight: 2, arbitrary: typo },
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

const separator = fc.constantFrom('', '', '_', '_', '-', ' ', '.', '__');
const stem = fc.constantFrom('', 'routes', 'x', 'script', 'a.b', '\u00e9t\u00e9', '.');
const extension = fc.constantFrom(
  '',
  '',
  '.sh',
  '.sh',
  '.vbs',
  '.ps1',
  '.bat',
  '.cmd',
  '.pl',
  '.txt',
  '.bash',
  '.ts',
  '.tsx',
  '.xml',
  '.SH',
  '.sh~',
  '.',
);

/** A file name: no path separator, as a directory listing gives it. */
export const fileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...hookWords) },
  { weight: 4, arbitrary: fc.tuple(head, separator, stem, extension).map((parts) => parts.join('').replace(/[/\u0000]/g, '') || 'x') },
);

/** Folders that decide the family, or do not. */
export const folder = fc.constantFrom(
  '/etc/shorewall',
  '/etc/shorewall6-lite',
  '/var/lib/shorewall',
  '/opt/cisco/secureclient/vpn/script',
  '/home/u/vpn/windows',
  '/srv/Cisco/Cisco Secure Client/VPN/Script',
  '/tmp/hooks',
  'relative/shorewall',
  '/',
);

export const fileMode = fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: undefined });

export const familyMappings = fc.constantFrom<Record<string, string>>(
  {},
  {},
  {},
  { '**/hooks': 'shorewall' },
  { '/tmp/**': 'anyconnect' },
  { 'relative/**': 'shorewall', '**': 'anyconnect' },
  { '**/*': 'nosuchfamily' },
);
