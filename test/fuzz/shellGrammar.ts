/**
 * Shell hooks from a small token grammar: the commands the content rules look at (routes,
 * mounts, exit, iptables, CISCO_VPN_ variables and event tests), inside the compound commands
 * that change what they mean (functions, subshells, pipelines, substitutions, here-documents),
 * with separators and quoting that the parser has to get right. And compile-time Perl lines.
 */
import fc from 'fast-check';

const net = fc.constantFrom('10.0.0.0/8', '192.168.100.0/24', 'default', '"$NET"', '');
const variable = fc.constantFrom(
  'CISCO_VPN_EVENT',
  'CISCO_VPN_USERNAME',
  'CISCO_VPN_USER',
  'CISCO_VPN_EVNT',
  'CISCO_VPN_',
  'COMMAND',
  '1',
  'x',
);
const event = fc.constantFrom('connect', 'disconnect', 'reconnect', '"up"', "'connect'", '$x', '*', '');
const word = fc.constantFrom('a', '"b c"', "'d'", '$x', '"$1"', '-n', '--', '\\$', '${x:-y}');

const simple: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'ip route add',
        'ip r a',
        '/sbin/ip -4 route replace',
        'ip route del',
        'ip route flush',
        'route add -net',
        'route -n add',
        'route del',
      ),
      net,
    )
    .map(([c, n]) => `${c} ${n}`),
  fc.constantFrom(
    'mount -t cifs //srv/share /mnt/s',
    'mount_smbfs //u@srv/s /Volumes/s',
    'umount /mnt/s',
    'diskutil unmount /Volumes/s',
    'net use Z: \\\\srv\\s',
    'net use z: /delete',
  ),
  fc.constantFrom(
    'exit',
    'exit 1',
    'return',
    'return 0',
    'iptables -A INPUT -j ACCEPT',
    'run_iptables -F',
    '/sbin/ip6tables -L',
    'log_rule_limit info',
    'f',
    'g',
  ),
  variable.map((v) => `echo "$${v}"`),
  variable.map((v) => `logger \${${v}:-?}`),
  variable.map((v) => `${v}=value`),
  variable.map((v) => `read -r ${v}`),
  fc.tuple(variable, fc.constantFrom('=', '==', '!=', '-eq'), event).map(([v, op, e]) => `[ "$${v}" ${op} ${e} ]`),
  fc.tuple(event, variable).map(([e, v]) => `test ${e} = $${v}`),
  fc.tuple(variable, event).map(([v, e]) => `[[ $${v} == ${e} ]]`),
  fc.array(word, { maxLength: 4 }).map((ws) => ['echo', ...ws].join(' ')),
);

const separator = fc.constantFrom('\n', '; ', ' && ', ' || ', ' | ', ' &\n', '\r\n');

const { script } = fc.letrec<{ script: string; statement: string }>((tie) => ({
  script: fc.array(fc.tuple(tie('statement'), separator), { maxLength: 5 }).map((parts) => parts.map(([s, sep]) => s + sep).join('')),
  statement: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: simple },
    fc.tuple(simple, tie('script'), tie('script')).map(([cond, a, b]) => `if ${cond}; then\n${a}\nelse\n${b}\nfi`),
    fc.tuple(simple, tie('script')).map(([cond, a]) => `if ${cond}; then ${a}; fi`),
    fc
      .tuple(variable, event, tie('script'), fc.boolean())
      .map(([v, e, body, star]) => `case $${v} in\n  ${e}) ${body} ;;\n${star ? '  *) return 1 ;;\n' : ''}esac`),
    fc.tuple(fc.constantFrom('f', 'g', 'function h'), tie('script')).map(([name, body]) => `${name}() {\n${body}\n}`),
    tie('script').map((s) => `( ${s} )`),
    tie('script').map((s) => `x=$( ${s} )`),
    tie('script').map((s) => `echo \`${s}\``),
    tie('script').map((s) => `for v in a b; do ${s}; done`),
    tie('script').map((s) => `cat <<EOF\n${s}\n$CISCO_VPN_EVENT\nEOF`),
    tie('script').map((s) => `cat <<'EOF'\n${s}\nEOF`),
  ),
}));

const shebangs = [
  '',
  '#!/bin/sh\n',
  '#!/bin/bash\n',
  '#!/usr/bin/env bash\n',
  '#!/usr/bin/perl\n',
  '\uFEFF#!/bin/sh\n',
  '#!/bin/sh -e\r\n',
  '# comment\n',
];

/** A shell hook: a first line, then statements. */
export const shellScript: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...shebangs), script).map(([first, body]) => first + body);

const perlLine = fc.constantFrom(
  'use Shorewall::Chains;',
  "add_rule( $chainref, '-j ACCEPT' ) if $chainref;",
  'my $chainref = $filter_table->{INPUT};',
  'sub f { return 1; }',
  '1;',
  '0;',
  'return 1;',
  "'1';",
  '# a comment',
  '   ',
  '=pod',
  '=cut',
  '__END__',
  'iptables -A INPUT -j ACCEPT',
  'x # trailing comment',
);

/** A compile-time hook: Perl lines, or shell by mistake. */
export const perlScript: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '#!/usr/bin/perl\n', '#!/bin/sh\n'), fc.array(perlLine, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'))
  .map(([first, lines, nl]) => first + lines.join(nl));
