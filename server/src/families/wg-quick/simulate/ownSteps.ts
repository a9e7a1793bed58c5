/**
 * wg-quick's own steps around the hooks (linux.bash cmd_up / cmd_down / del_if), as it prints them
 * and, in the sandbox, as they run there: a tun device stands in for the WireGuard link, and the
 * steps that need WireGuard itself (wg setconf, wg set fwmark) or resolvconf are listed, not run.
 */
import { ParsedConfig } from '../../../config/keyValue';
import { isInterfaceSection } from '../lines';

/** One step: what wg-quick prints (`[#] ...`), and the bash that runs it in the sandbox (none: listed only). */
export interface OwnStep {
  readonly printed: string;
  readonly shell?: string;
  /** A test that, when it succeeds, skips the step silently (wg-quick's own checks). */
  readonly unless?: string;
  /** Why it is not run as printed: what stands in for it, or why it is left out. */
  readonly note?: string;
}

/** What the steps need from a config. */
export interface StepConfig {
  readonly iface: string;
  readonly addresses: readonly string[];
  readonly mtu: string | undefined;
  readonly dns: boolean;
  readonly table: string | undefined;
  /** The peers' AllowedIPs, every peer's, in file order. */
  readonly allowedIps: readonly string[];
}

/** The table wg-quick picks for a default route (its fwmark): 51820 when free, as on a fresh machine. */
const defaultTable = '51820';

const prefix = /^[0-9A-Fa-f.:]+\/\d{1,3}$/;
const family = (a: string): 4 | 6 => (a.includes(':') ? 6 : 4);

/** A config's values, comma lists split: `Address = 10.0.0.1/24, fd00::1/64`. */
export function stepConfig(parsed: ParsedConfig, iface: string): StepConfig {
  const values = (key: string, inInterface: boolean): string[] =>
    parsed.entries
      .filter((e) => e.key === key && isInterfaceSection(e.section) === inInterface && (inInterface || e.section?.toLowerCase() === 'peer'))
      .flatMap((e) => e.value.split(/[,\s]+/).filter(Boolean));
  return {
    iface,
    addresses: values('address', true),
    mtu: values('mtu', true)[0],
    dns: values('dns', true).length > 0,
    table: values('table', true)[0],
    allowedIps: values('allowedips', false),
  };
}

/** Words quoted for bash where they need it (they come from the config). */
function q(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function runs(printed: string, shell: string, note?: string): OwnStep {
  return { printed, shell, ...(note ? { note } : {}) };
}

const listed = (printed: string, note: string): OwnStep => ({ printed, note });

/** add_if: the interface, before PreUp. */
export function addInterface(c: StepConfig): OwnStep[] {
  return [
    runs(
      `ip link add ${c.iface} type wireguard`,
      `ip tuntap add dev ${q(c.iface)} mode tun`,
      'a tun device stands in for the WireGuard link (the sandbox cannot make one)',
    ),
  ];
}

/** set_config, the addresses, MTU and up, DNS, the routes of AllowedIPs: between PreUp and PostUp. */
export function configure(c: StepConfig): OwnStep[] {
  const i = c.iface;
  const steps: OwnStep[] = [listed(`wg setconf ${i} /dev/fd/63`, 'not run: keys and peers need WireGuard')];
  for (const a of c.addresses) {
    const printed = `ip -${family(a)} address add ${a} dev ${i}`;
    steps.push(
      prefix.test(a) ? runs(printed, `ip -${family(a)} address add ${q(a)} dev ${q(i)}`) : listed(printed, 'not run: not an address'),
    );
  }
  const mtu = c.mtu !== undefined && /^\d{1,5}$/.test(c.mtu) ? c.mtu : '1420';
  steps.push(runs(`ip link set mtu ${mtu} up dev ${i}`, `ip link set mtu ${mtu} up dev ${q(i)}`));
  if (c.dns) steps.push(listed(`resolvconf -a ${i} -m 0 -x`, 'not run: DNS goes to resolvconf, which the sandbox does not have'));
  steps.push(...routes(c));
  return steps;
}

/** add_route for each AllowedIPs prefix, most specific first, as wg-quick sorts them. */
function routes(c: StepConfig): OwnStep[] {
  const table = c.table?.toLowerCase();
  if (table === 'off') return [];
  const i = c.iface;
  const sorted = [...new Set(c.allowedIps.filter((a) => prefix.test(a)))].sort((a, b) => bits(b) - bits(a));
  return sorted.flatMap((a) => {
    const v = family(a);
    if (table !== undefined && table !== 'auto')
      return [runs(`ip -${v} route add ${a} dev ${i} table ${c.table}`, `ip -${v} route add ${q(a)} dev ${q(i)} table ${q(c.table!)}`)];
    if (bits(a) === 0) return defaultRoute(c, a);
    // wg-quick adds it only when no route of the interface covers it already (an Address's own subnet).
    const exists = `[ -n "$(ip -${v} route show dev ${q(i)} match ${q(a)} 2>/dev/null)" ]`;
    return [{ ...runs(`ip -${v} route add ${a} dev ${i}`, `ip -${v} route add ${q(a)} dev ${q(i)}`), unless: exists }];
  });
}

const bits = (a: string): number => Number(a.split('/')[1]);

/** add_default: the route in its own table and the two rules; the fwmark and firewall marking need WireGuard and nft. */
function defaultRoute(c: StepConfig, a: string): OwnStep[] {
  const v = family(a);
  const i = c.iface;
  return [
    listed(`wg set ${i} fwmark ${defaultTable}`, 'not run: needs WireGuard'),
    runs(
      `ip -${v} rule add not fwmark ${defaultTable} table ${defaultTable}`,
      `ip -${v} rule add not fwmark ${defaultTable} table ${defaultTable}`,
    ),
    runs(`ip -${v} rule add table main suppress_prefixlength 0`, `ip -${v} rule add table main suppress_prefixlength 0`),
    runs(`ip -${v} route add ${a} dev ${i} table ${defaultTable}`, `ip -${v} route add ${q(a)} dev ${q(i)} table ${defaultTable}`),
    listed(`nft -f /dev/fd/63`, "not run: wg-quick's marking of the tunnel's own packets (its firewall rules)"),
  ];
}

/** del_if (the default route's rules, then the interface) and unset_dns: after PreDown, before PostDown; also up's failure path. */
export function deleteInterface(c: StepConfig): OwnStep[] {
  const i = c.iface;
  const table = c.table?.toLowerCase();
  const defaults =
    table === undefined || table === 'auto' ? [...new Set(c.allowedIps.filter((a) => prefix.test(a) && bits(a) === 0).map(family))] : [];
  const rules = defaults.flatMap((v) => [
    runs(`ip -${v} rule delete table ${defaultTable}`, `ip -${v} rule delete table ${defaultTable}`),
    runs(`ip -${v} rule delete table main suppress_prefixlength 0`, `ip -${v} rule delete table main suppress_prefixlength 0`),
  ]);
  return [
    ...rules,
    runs(`ip link delete dev ${i}`, `ip link delete dev ${q(i)}`),
    ...(c.dns ? [listed(`resolvconf -d ${i} -f`, 'not run: the sandbox has no resolvconf')] : []),
  ];
}

/** The bash that runs the steps as wg-quick does (set -e; each echoed as `[#] ...` on stderr); undefined when none runs. */
export function stepScript(steps: readonly OwnStep[]): string | undefined {
  const run = steps.filter((s) => s.shell);
  if (!run.length) return undefined;
  const lines = run.map((s) => {
    const step = `echo ${q(`[#] ${s.printed}`)} >&2; ${s.shell}`;
    return s.unless ? `${s.unless} || { ${step}; }` : step;
  });
  return ['set -e -o pipefail', ...lines].join('\n');
}

/** What the report says of the steps: what stood in, what was not run. */
export function stepNotes(steps: readonly OwnStep[]): string[] {
  return steps.filter((s) => s.note).map((s) => `${s.printed}: ${s.note}`);
}
