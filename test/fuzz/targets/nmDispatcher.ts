/**
 * The NetworkManager dispatcher family: lintHook on scripts made of NetworkManager's words (case
 * on $2 / $NM_DISPATCHER_ACTION with any patterns, tests of the action, routes, rules, iptables,
 * sleep, nmcli, #! lines anywhere) under any name NetworkManager skips or runs, in each of its
 * folders, on the example mutated and on the generic shell grammar. Beside the shared invariants:
 * each finding sits on what it names.
 */
import fc from 'fast-check';
import { Finding } from '../../../server/src/diagnostics';
import { loadShellParser } from '../../../server/src/shell/parser';
import { FuzzTarget } from '../harness';
import { hookFindingProblems, lintHookAt, reduceInputText } from '../hookChecks';
import { mutated, readSeeds } from '../mutation';
import { shellScript } from '../shellGrammar';
import { gaveUp } from './shellContent';

export interface NmInput {
  readonly path: string;
  readonly text: string;
}

const seeds = readSeeds([
  'examples/nm-dispatcher/NetworkManager/dispatcher.d/90-corp-vpn',
  'examples/nm-dispatcher/NetworkManager/dispatcher.d/pre-down.d/10-corp-vpn-unmount',
  'examples/nm-dispatcher/NetworkManager/dispatcher.d/no-wait.d/50-corp-vpn-sync',
]);

// A folder no test creates: the rules that look at the disk (owner, links, other scripts) find nothing there.
const base = '/nonexistent-hooksmith-fuzz/NetworkManager/dispatcher.d';
const folder = fc.constantFrom('', '/pre-up.d', '/pre-down.d', '/no-wait.d');
const name = fc.oneof(
  fc.constantFrom('90-vpn', '.90-vpn', '90-vpn~', '90-vpn.rpmnew', '90-vpn.dpkg-old', '90-vpn.dpkg-x.sh', 'a.swp', '.x', '~', '.dpkg-'),
  fc
    .string({ minLength: 1, maxLength: 12 })
    // A name a file can have, and not a note (README.md is not a script).
    .filter(
      (s) =>
        !s.includes('/') &&
        !s.includes('\0') &&
        s !== '.' &&
        s !== '..' &&
        !/\.(md|txt|rst|html?|json|ya?ml|xml|patch|diff|orig|rej)$/i.test(s),
    ),
);
const action = fc.constantFrom(
  'up',
  'down',
  'vpn-up',
  'vpn-down',
  'pre-up',
  'pre-down',
  'vpn-pre-up',
  'vpn-pre-down',
  'dhcp4-change',
  'hostname',
  'vpn-*',
  '*',
  '"up"',
  "'vpn-down'",
  '$x',
  '',
  '[',
);
const actionVar = fc.constantFrom('"$2"', '$2', '${2}', '"$NM_DISPATCHER_ACTION"', '"$action"', '$1', '"$3"');
const command = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('iptables', 'ip6tables', '/sbin/iptables'),
      fc.constantFrom('-A', '-I', '-D', '-F', '-t nat -A', ''),
      fc.constantFrom('FORWARD', 'OUTPUT 1', ''),
      fc.constantFrom('-i "$1" -j ACCEPT', '-j DROP', ''),
    )
    .map((p) => p.join(' ')),
  fc
    .tuple(
      fc.constantFrom('ip route', 'ip -4 r', 'ip rule', 'ip ru', 'route'),
      fc.constantFrom('add', 'del', 'flush', ''),
      fc.constantFrom('10.20.0.0/16', 'from 10.8.0.0/24 table 100', '"$a"', ''),
    )
    .map((p) => p.join(' ')),
  fc.constantFrom(
    'sleep 5',
    'nmcli con up "Corp VPN"',
    'nmcli c up x',
    'nmcli connection down x',
    'exit 0',
    'exit',
    'action=$2',
    'mount /mnt/x',
  ),
);
const body = fc.array(command, { maxLength: 4 }).map((c) => c.join('; '));
const statement: fc.Arbitrary<string> = fc.letrec<{ s: string }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    command,
    fc
      .tuple(
        actionVar,
        fc.array(fc.tuple(fc.array(action, { minLength: 1, maxLength: 3 }), body, fc.constantFrom(';;', ';&', '')), { maxLength: 6 }),
      )
      .map(([v, items]) => `case ${v} in\n${items.map(([p, b, end]) => `\t${p.join('|')}) ${b} ${end}`).join('\n')}\nesac`),
    fc
      .tuple(fc.constantFrom('[', 'test', '[['), actionVar, fc.constantFrom('=', '!=', '=='), action, fc.constantFrom(']', ']]', ''), body)
      .map(([t, v, op, a, end, b]) => `if ${t} ${v} ${op} ${a} ${end}; then ${b || ':'}; fi`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `${a}\n${b}`),
  ),
})).s;

const shebang = fc.constantFrom('', '#!/bin/sh\n', '\n#!/bin/bash\n', '# x\n  #!/bin/sh\n', '\uFEFF#!/bin/sh\n');
const text = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(shebang, statement, fc.constantFrom('\n', '\r\n')).map(([s, b, nl]) => s + b.replace(/\n/g, nl)) },
  { weight: 2, arbitrary: mutated(fc.constantFrom(...seeds), seeds, 1000) },
  { weight: 1, arbitrary: shellScript },
);

const arbitrary: fc.Arbitrary<NmInput> = fc.record({ path: fc.tuple(folder, name).map(([f, n]) => `${base}${f}/${n}`), text });

/** What each rule's range must hold. */
const rangeText: Readonly<Record<string, RegExp>> = {
  HS705: /^#!/,
  // An action name as written: quoted, or with backslashes the shell drops (vpn-\\down).
  HS706: /^["']?[a-z0-9\\-]+["']?$/,
  // From the command's name (a path to it, even a computed one: `x`/ip; in broken text as the parser reads it: `ip)`) to its end.
  HS707: /^([\s\S]*\/)?(ip|iptables|ip6tables|route|mount(\.cifs|_smbfs)?)\S*\s/,
  HS708: /^([\s\S]*\/)?(ip|iptables|ip6tables|route|mount(\.cifs|_smbfs)?)\S*\s/,
  HS709: /^(sleep|nmcli)\b/,
};

export const nmDispatcherTarget: FuzzTarget<NmInput> = {
  name: 'NetworkManager dispatcher scripts',
  arbitrary,
  setup: async () => void (await loadShellParser()),
  run: async (input) => {
    await loadShellParser();
    return lintHookAt(input.path, input.text);
  },
  check: (input, output) => {
    const findings = output as Finding[] | undefined;
    return findings === undefined ? [`${input.path} is not recognised`] : hookFindingProblems(input.text, findings, rangeText);
  },
  cutShort: (output) => (output as Finding[] | undefined)?.some(gaveUp) ?? false,
  reduce: reduceInputText,
  show: (input) => JSON.stringify(input),
};
