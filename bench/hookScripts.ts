/**
 * Generates the large hook scripts for the shell benchmark: a Shorewall `start` (a function
 * body: run_iptables, local, return) and an AnyConnect OnConnect hook (bash, CISCO_VPN_*,
 * routes and mounts undone by its OnDisconnect sibling), each exactly `lines` lines long.
 * Deterministic: the same input always gives the same text.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const hookLines = 5_000;

/** Blocks of lines until `lines` is reached; the last lines are comments, so no block is cut. */
function fill(header: readonly string[], block: (i: number) => string[], footer: readonly string[], lines: number): string {
  const out = [...header];
  for (let i = 0; ; i++) {
    const next = block(i);
    if (out.length + next.length + footer.length > lines) break;
    out.push(...next);
  }
  while (out.length + footer.length < lines) out.push(`# (reserved for site ${out.length})`);
  return [...out, ...footer].join('\n') + '\n';
}

const hex = (n: number): string => `0x${(n + 16).toString(16)}`;

/** One branch office in the Shorewall start hook: a function, its rules, a case and a loop. */
function shorewallBranch(i: number): string[] {
  const n = i + 1;
  const net = `10.${n % 250}.${Math.floor(n / 250)}.0/24`;
  return [
    `# Branch office ${n}: tunnel tun${n}, network ${net}`,
    `branch_${n}() {`,
    '    local iface net gw port',
    `    iface=tun${n}`,
    `    net=${net}`,
    `    gw=10.255.${n % 250}.1`,
    '    if ! ip link show "$iface" > /dev/null 2>&1; then',
    `        vpn_log "branch ${n}: $iface is down, rules skipped"`,
    '        return 0',
    '    fi',
    `    run_iptables -t mangle -A PREROUTING -i "$iface" -j MARK --set-mark ${hex(n)}`,
    '    run_iptables -A FORWARD -i "$iface" -s "$net" -p tcp --dport 443 -j ACCEPT',
    '    run_iptables -A FORWARD -i "$iface" -s "$net" -p udp --dport 53 -j ACCEPT',
    '    case "$COMMAND" in',
    '        start|restart|reload)',
    `            ip route replace "$net" via "$gw" dev "$iface" table ${100 + (n % 150)}`,
    '            ;;',
    '        *)',
    `            vpn_log "branch ${n}: $COMMAND, routes kept"`,
    '            ;;',
    '    esac',
    '    for port in 22 443 8443; do',
    '        run_iptables -A INPUT -i "$iface" -p tcp --dport "$port" -j ACCEPT',
    '    done',
    '}',
    `branch_${n} || vpn_log "branch ${n}: setup failed with status $?"`,
    '',
  ];
}

export function shorewallStart(lines = hookLines): string {
  const header = ['#', '# /etc/shorewall/start', '#', '# Run after the rules are in place; one function per branch office.', '#', ''];
  return fill(header, shorewallBranch, ['vpn_log "start: all branches done"'], lines);
}

/** One site in the OnConnect hook: routes, a mount, a test of the event and of the user. */
function anyconnectSite(i: number): string[] {
  const n = i + 1;
  const net = `172.${16 + (n % 16)}.${n % 250}.0/24`;
  return [
    `# Site ${n}: route ${net} through the tunnel and mount its share`,
    `site_${n}() {`,
    `    local share="//files${n}.corp.example.com/projects"`,
    `    local mnt="/mnt/site${n}"`,
    `    if [ "$CISCO_VPN_EVENT" = "connect" ]; then`,
    `        ip route add ${net} dev tun0`,
    `        logger -t vpn "site ${n}: route for $CISCO_VPN_USERNAME via $CISCO_VPN_SERVER"`,
    '    fi',
    '    if [ -d "$mnt" ] && ! mountpoint -q "$mnt"; then',
    `        mount -t cifs "$share" /mnt/site${n} -o "username=$CISCO_VPN_USERNAME,vers=3.0" || logger -t vpn "site ${n}: mount failed"`,
    '    fi',
    '}',
    `site_${n}`,
    '',
  ];
}

export function anyconnectOnConnect(lines = hookLines): string {
  const header = ['#!/bin/bash', '# OnConnect_sites.sh: routes and shares for every site, once the tunnel is up.', 'set -u', ''];
  return fill(header, anyconnectSite, ['logger -t vpn "OnConnect: all sites done for $CISCO_VPN_IP"'], lines);
}

/** The OnDisconnect sibling that undoes every route and mount of anyconnectOnConnect. */
function anyconnectOnDisconnect(connect: string): string {
  const undo = [...connect.matchAll(/ip route add (\S+)/g)].map((m) => `ip route del ${m[1]}`);
  const unmount = [...connect.matchAll(/ (\/mnt\/site\d+) -o/g)].map((m) => `umount ${m[1]}`);
  return ['#!/bin/bash', '# OnDisconnect_sites.sh: undoes OnConnect_sites.sh.', ...undo, ...unmount, ''].join('\n');
}

export interface HookFiles {
  readonly shorewall: string;
  readonly anyconnect: string;
}

/** Writes both hooks, in a shorewall/ and a script/ folder of `dir`, with the modes their runners expect. */
export function writeHookScripts(dir: string): HookFiles {
  const shorewallDir = join(dir, 'hooks', 'shorewall');
  const scriptDir = join(dir, 'hooks', 'script');
  mkdirSync(shorewallDir, { recursive: true });
  mkdirSync(scriptDir, { recursive: true });
  const shorewall = join(shorewallDir, 'start');
  writeFileSync(join(shorewallDir, 'shorewall.conf'), 'STARTUP_ENABLED=Yes\n');
  writeFileSync(join(shorewallDir, 'lib.private'), 'vpn_log() {\n    logger -t "shorewall-${COMMAND:-unknown}" -- "$*"\n}\n');
  writeFileSync(shorewall, shorewallStart());
  const connect = anyconnectOnConnect();
  const anyconnect = join(scriptDir, 'OnConnect_sites.sh');
  writeFileSync(anyconnect, connect);
  writeFileSync(join(scriptDir, 'OnDisconnect_sites.sh'), anyconnectOnDisconnect(connect));
  for (const f of [shorewall, join(shorewallDir, 'lib.private')]) chmodSync(f, 0o644);
  for (const f of [anyconnect, join(scriptDir, 'OnDisconnect_sites.sh')]) chmodSync(f, 0o755);
  return { shorewall, anyconnect };
}
