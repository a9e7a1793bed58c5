/**
 * The vpnc-script family: lintHook on scripts and hook-folder files made of openconnect's words
 * (case on $reason with any patterns, split loops, iptables verbs, exits, functions), on the
 * examples mutated, and on the generic shell grammar; and the launcher parser (--script / -s in a
 * unit or wrapper) on any text. Beside the shared invariants: each finding sits on what it names.
 */
import fc from 'fast-check';
import { Finding } from '../../../server/src/diagnostics';
import { scriptArguments } from '../../../server/src/families/vpnc-script/launchers';
import { loadShellParser } from '../../../server/src/shell/parser';
import { FuzzTarget } from '../harness';
import { hookFindingProblems, lintHookAt, reduceInputText } from '../hookChecks';
import { mutated, readSeeds } from '../mutation';
import { shellScript } from '../shellGrammar';
import { gaveUp } from './shellContent';

export interface VpncInput {
  readonly path: string;
  readonly text: string;
  /** A unit or wrapper's text, for the launcher parser. */
  readonly launcher: string;
}

const seeds = readSeeds([
  'examples/vpnc-script/split-routes',
  'examples/vpnc-script/openconnect-work.service',
  'examples/vpnc-script/vpnc/connect.d/50-block-lan',
  'examples/vpnc-script/vpnc/disconnect.d/50-block-lan',
]);

const places = [
  '/etc/vpnc/vpnc-script',
  '/etc/openconnect/vpnc-script-split',
  ...[
    'pre-init',
    'connect',
    'post-connect',
    'disconnect',
    'post-disconnect',
    'attempt-reconnect',
    'post-attempt-reconnect',
    'reconnect',
  ].map((h) => `/etc/vpnc/${h}.d/10-x`),
];

const word = fc.constantFrom(
  'connect',
  'disconnect',
  'pre-init',
  'reconnect',
  'attempt-reconnect',
  '*',
  '*reconnect',
  '[cd]*',
  'conn?ct',
  '"connect"',
  "'pre-init'",
  '$x',
  '',
  '|',
  '\\*',
  '[',
);
const variable = fc.constantFrom(
  'reason',
  'REASON',
  'TUNDEV',
  'INTERNAL_IP4_ADRESS',
  'INTERNAL_IP4_ADDRESS',
  'CISCO_SPLIT_INC',
  'CISCO_SPLIT_INC_0_MASK_LEN',
  'CISCO_SPLIT_INC_12_ADDR',
  'CISCO_IPV6_SPLIT_EXC',
  'VPNGATEWAI',
  'i',
  '1',
);
const command = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('iptables', 'ip6tables', '/sbin/iptables'),
      fc.constantFrom('-A', '-I', '-D', '-F', '--append', '-t nat -A', ''),
      fc.constantFrom('INPUT', 'OUTPUT 1', 'FORWARD', ''),
      fc.constantFrom('-i "$TUNDEV" -j ACCEPT', '-j DROP', ''),
    )
    .map((p) => p.join(' ')),
  fc
    .tuple(
      fc.constantFrom('ip route', 'ip -4 r', 'route'),
      fc.constantFrom('add', 'del', 'flush', ''),
      fc.constantFrom('10.20.0.0/16', '"$a/$b"', ''),
    )
    .map((p) => p.join(' ')),
  fc
    .tuple(
      fc.constantFrom('exit', 'return', 'echo', 'do_connect', 'teardown', 'eval'),
      fc.constantFrom('', '0', '1', '$?', '"$CISCO_SPLIT_INC"'),
    )
    .map((p) => p.join(' ')),
  variable.map((v) => `echo "$${v}" \${${v}}`),
  fc.tuple(variable, fc.constantFrom('0', '1', '$((i+1))', '')).map(([v, n]) => `${v}=${n}`),
);
const body = fc.array(command, { maxLength: 4 }).map((c) => c.join('; '));
const statement: fc.Arbitrary<string> = fc.letrec<{ s: string }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    command,
    fc
      .tuple(
        fc.constantFrom('"$reason"', '$reason', '${reason}', '"$REASON"', '$1'),
        fc.array(fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), body, fc.constantFrom(';;', ';&', '')), { maxLength: 6 }),
      )
      .map(([v, items]) => `case ${v} in\n${items.map(([p, b, end]) => `\t${p.join('|')}) ${b} ${end}`).join('\n')}\nesac`),
    fc
      .tuple(
        fc.constantFrom('i=1\n', 'i=0\n', ''),
        fc.constantFrom(
          'while [ $i -le $CISCO_SPLIT_INC ]',
          'while [ "$i" -lt "${CISCO_SPLIT_EXC:-0}" ]',
          'for i in $(seq 1 $CISCO_SPLIT_INC)',
          'for ((i=1; i<=CISCO_SPLIT_INC; i++))',
          'for ((;;))',
        ),
        tie('s'),
      )
      .map(([init, head, inner]) => `${init}${head}; do\n${inner}\ndone`),
    fc
      .tuple(fc.constantFrom('do_connect', 'del_rules', 'teardown', 'set_network_route', 'f'), tie('s'))
      .map(([n, inner]) => `${n}() {\n${inner}\n}`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}\n${b}`),
  ),
})).s;

const shebang = fc.constantFrom('', '#!/bin/sh\n', '#!/bin/bash\n', '\uFEFF#!/bin/sh\n');
const text = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(shebang, statement, fc.constantFrom('\n', '\r\n')).map(([s, b, nl]) => s + b.replace(/\n/g, nl)) },
  // Repeats up to 1,000 (files up to ~20 KB): the parser's scaling on huge files is the shell content target's.
  { weight: 2, arbitrary: mutated(fc.constantFrom(...seeds), seeds, 1000) },
  { weight: 1, arbitrary: shellScript },
);
const launcher = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('ExecStart=', 'ExecStart=-', 'exec ', '  ', '# '),
      fc.constantFrom('/usr/sbin/openconnect', 'openconnect', 'sudo openconnect', 'echo'),
      fc.array(fc.constantFrom('--script', '-s', '--script=', '-sx', '"a b"', "'c'", '\\', 'vpn.example.com', '\\\n', ';', '#', '"'), {
        maxLength: 6,
      }),
    )
    .map(([a, b, rest]) => `${a}${b} ${rest.join(' ')}`),
  mutated(fc.constantFrom(...seeds), seeds, 1000),
);

const arbitrary: fc.Arbitrary<VpncInput> = fc.record({ path: fc.constantFrom(...places), text, launcher });

/** What each rule's range must hold. */
const rangeText: Readonly<Record<string, RegExp>> = {
  HS550: /^case$/,
  HS551: /^REASON$/,
  HS552: /^exit$/,
  HS553: /^#!/,
  HS555: /^\w+$/,
  HS556: /^1$/,
  HS558: /^(-A|-I|--append|--insert|add)$/,
};

export const vpncScriptTarget: FuzzTarget<VpncInput> = {
  name: 'vpnc-script hooks',
  arbitrary,
  setup: async () => void (await loadShellParser()),
  run: async (input) => {
    await loadShellParser();
    return { findings: lintHookAt(input.path, input.text), scripts: scriptArguments(input.launcher) };
  },
  check: (input, output) => {
    const { findings, scripts } = output as { findings?: Finding[]; scripts: unknown };
    if (findings === undefined) return [`${input.path} is not recognised`];
    const problems = hookFindingProblems(input.text, findings, rangeText);
    if (!Array.isArray(scripts) || scripts.some((s) => typeof s !== 'string' || s === ''))
      problems.push(`the launcher parser returned ${JSON.stringify(scripts)}`);
    return problems;
  },
  cutShort: (output) => (output as { findings?: Finding[] }).findings?.some(gaveUp) ?? false,
  reduce: reduceInputText,
  show: (input) => JSON.stringify(input),
};
