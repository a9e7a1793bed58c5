/**
 * wg-quick: its config document (the line reader, the hook lines parsed as bash, the family's rules)
 * and the map of ShellCheck's positions back into the config, on mutated examples and generated text.
 */
import fc from 'fast-check';
import { configShellcheckPlan, configTypeOf, lintConfig } from '../../../server/src/config/configDocs';
import { configContext } from '../../../server/src/config/context';
import { Finding } from '../../../server/src/diagnostics';
import { loadShellParser } from '../../../server/src/shell/parser';
import { findingProblems, FuzzTarget, reduceText } from '../harness';
import { mutated, readSeeds } from '../mutation';
import { shellScript } from '../shellGrammar';

// A folder that does not exist: every lookup of a script misses the same way on every run.
const dir = '/nonexistent-hooksmith-fuzz/etc/wireguard';
const configFile = `${dir}/wg0.conf`;
const seeds = readSeeds(['examples/wg-quick/wg0.conf', 'test/fixtures/hooks/wg-quick/wg0.conf']);

const keys = ['PreUp', 'PostUp', 'PreDown', 'PostDown', 'postup', 'Address', 'PrivateKey', 'AllowedIPs', 'PostUpp', 'x'];
const values = [
  'iptables -A FORWARD -i %i -j ACCEPT',
  'iptables -D FORWARD -i wg0 -j ACCEPT',
  'iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE',
  'ip rule add from 10.0.0.0/8 table 7; ip route add 10.1.0.0/16 dev %i',
  'echo "oops',
  "echo 'a#b' # c",
  '/etc/wireguard/up.sh %i',
  'bash %i.sh',
  '$(',
  '😀 "é" `x`',
  '',
  '\0',
];
/** One line of a generated script: a hook value is a single line. */
const shellLine = shellScript.map((s) => s.split('\n').find((l) => l.trim() && !l.startsWith('#!')) ?? '');
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...keys),
        fc.constantFrom(' = ', '=', '   =  ', '\t=\t'),
        fc.oneof(fc.constantFrom(...values), shellLine),
        fc.constantFrom('', '   '),
      )
      .map(([k, s, v, lead]) => `${lead}${k}${s}${v}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('[Interface]', '[Peer]', '[interface', '[Peers]', '# comment', '', 'no separator', '= value') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const generated = fc
  .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, bom]) => `${bom ? '\uFEFF' : ''}[Interface]${eol}${lines.join(eol)}`);
const configText = fc.oneof(
  { weight: 2, arbitrary: mutated(fc.constantFrom(...seeds), seeds) },
  { weight: 2, arbitrary: generated },
  { weight: 1, arbitrary: mutated(generated, seeds) },
);

interface Output {
  readonly findings: Finding[];
  /** Places ShellCheck's map gave outside the document. */
  readonly badMap: string[];
}

/** Every column of every line of the plan's input maps inside the document (or nowhere, for a wrapper's line). */
function checkMap(text: string): string[] {
  const plan = configShellcheckPlan(configFile, text);
  if (!plan?.offsetOf) return [];
  const bad: string[] = [];
  plan.input.split('\n').forEach((l, i) => {
    // Sampled columns: every column of a 50,000-character line would make this check the slow part.
    for (const column of new Set([1, 2, Math.ceil(l.length / 2), l.length, l.length + 1, l.length + 2])) {
      const at = plan.offsetOf?.(i + 1, column);
      if (at !== undefined && !(Number.isInteger(at) && at >= 0 && at <= text.length)) bad.push(`line ${i + 1} column ${column} → ${at}`);
    }
  });
  return bad;
}

export const wgQuickTarget: FuzzTarget<string> = {
  name: 'wg-quick config',
  arbitrary: configText,
  setup: async () => void (await loadShellParser()),
  run: async (text) => {
    await loadShellParser(); // a fresh one after a fault
    const match = configTypeOf(configFile, '[Interface]\n');
    if (!match) throw new Error('wg0.conf not recognised');
    const linted = lintConfig(match, text, configContext(configFile, { roots: [dir], serverPaths: { '/etc/wireguard': 'deploy' } }));
    return { findings: linted.findings, badMap: checkMap(text) } satisfies Output;
  },
  check: (text, output) => [...findingProblems(text, (output as Output).findings), ...(output as Output).badMap],
  reduce: (input, fails) => reduceText(input, fails),
  show: (input) => JSON.stringify(input),
};
