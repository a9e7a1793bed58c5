/** The profile validator: lintProfile on mutated example profiles and on profiles made from the schema table. */
import fc from 'fast-check';
import { Finding } from '../../../server/src/diagnostics';
import { lintProfile, lintProfileStreaming, ProfileLintOptions } from '../../../server/src/profile/lint';
import { ScriptFolders } from '../../../server/src/profile/scripts';
import { Dialect } from '../../../server/src/profile/validate';
import { findingProblems, FuzzTarget, reduceText } from '../harness';
import { mutated, readSeeds } from '../mutation';
import { generatedProfile } from '../profileTrees';

export interface ProfileInput {
  readonly text: string;
  readonly dialect: Dialect;
  readonly maxSize: number;
  /** The script folder's file names, or undefined when existence is not checked. */
  readonly scripts?: readonly string[];
}

const seeds = readSeeds([
  'examples/anyconnect/corporate.xml',
  'examples/minimal.xml',
  'examples/seed/seed-profile.xml',
  'examples/mistakes/copied-from-the-web.xml',
]);
const scriptNames = ['OnConnect_x.sh', 'OnDisconnect_x.sh', 'OnConnect_script.sh', 'OnDisconnect_script.sh', 'OnConnect_routes.sh'];
const defaultMaxSize = 10 * 1024 * 1024;

const text = fc.oneof(
  { weight: 4, arbitrary: mutated(fc.constantFrom(...seeds), seeds) },
  { weight: 2, arbitrary: generatedProfile },
  { weight: 2, arbitrary: mutated(generatedProfile, seeds) },
);

const arbitrary: fc.Arbitrary<ProfileInput> = fc.record(
  {
    text,
    dialect: fc.constantFrom<Dialect>('auto', 'cisco', 'seed'),
    maxSize: fc.oneof({ weight: 9, arbitrary: fc.constant(defaultMaxSize) }, fc.nat({ max: 4000 })),
    scripts: fc.subarray(scriptNames),
  },
  { requiredKeys: ['text', 'dialect', 'maxSize'] },
);

/** A script folder that holds `names`, in memory. */
function folderOf(names: readonly string[]): ScriptFolders {
  return {
    folders: ['/opt/cisco/secureclient/vpn/script'],
    find: (name) => (names.includes(name) ? '/opt/cisco/secureclient/vpn/script' : undefined),
  };
}

function optionsOf(input: ProfileInput): ProfileLintOptions {
  return { dialect: input.dialect, maxSize: input.maxSize, scriptFolders: input.scripts && folderOf(input.scripts) };
}

function check(input: ProfileInput, output: unknown): string[] {
  const findings = output as Finding[];
  const problems = findingProblems(input.text, findings);
  // The CLI's way (no tree) must find the same, byte for byte: the scanner feeds both.
  if (JSON.stringify(lintProfileStreaming(input.text, optionsOf(input))) !== JSON.stringify(findings))
    problems.push('lintProfileStreaming (the CLI) finds other findings than lintProfile (the tree)');
  if (findings.some((f, i) => i > 0 && findings[i - 1].start > f.start)) problems.push('findings are not sorted by position');
  if (input.text.length > input.maxSize && !(findings.length === 1 && findings[0].code === 'HS111'))
    problems.push('a text over the size limit gets exactly one HS111');
  return problems;
}

export const profileTarget: FuzzTarget<ProfileInput> = {
  name: 'profile validator',
  arbitrary,
  run: (input) => lintProfile(input.text, optionsOf(input)),
  check,
  reduce: async (input, fails) => ({ ...input, text: await reduceText(input.text, (t) => fails({ ...input, text: t })) }),
  show: (input) => {
    const options = JSON.stringify({ dialect: input.dialect, maxSize: input.maxSize });
    return `lintProfile(${JSON.stringify(input.text)}, ${options}${input.scripts ? `, scripts ${JSON.stringify(input.scripts)}` : ''})`;
  },
};
