import { ShellCommand } from '../../shell/walk';

/**
 * The changes to the machine a hook makes and the commands that undo them, for every rule that
 * pairs an "up" hook (connect, vpn-up, PostUp) with its "down": one table, matched by the same
 * spec. `iptables -A FORWARD -s $IP -j ACCEPT` is undone by `iptables -D FORWARD -s $IP -j ACCEPT`
 * (or a flush of that chain), `ipset add users $IP` by `ipset del users $IP` (or a flush or destroy
 * of the set), `ip route add X` (or net-tools' `route add X`) by `ip route del X` or `route del X`,
 * `ip rule add X` by `ip rule del X`, `ip addr add A dev D` by `ip addr del A dev D` or `ip addr
 * flush dev D` (an address on the tunnel device itself is no change: it goes with the device),
 * `nft add element T S { X }` by `nft delete element T S { X }`, `nft add rule T C ...` by a flush
 * of that chain or a delete rule in it, `mount ... /mnt/x` by `umount /mnt/x` (`diskutil unmount`),
 * `net use Z: ...` by `net use Z: /delete`. Arguments are compared as written (variables too), a
 * double-quoted one as its content ("$X" and $X alike).
 */
export type ChangeKind = 'iptables' | 'ipset' | 'route' | 'route-macos' | 'address' | 'rule' | 'nft' | 'mount' | 'net-use';

export interface Change {
  readonly command: ShellCommand;
  readonly kind: ChangeKind;
  /** What is added, as a noun: "route 192.168.100.0/24", "iptables rule in FORWARD", "ipset entry in users". */
  readonly what: string;
  /** The same as a sentence: "Route 192.168.100.0/24 added", "/mnt/share mounted", "Drive Z: mapped". */
  readonly done: string;
  /** Identity shared with its undo. */
  readonly key: string;
  /** Undone also by a flush of this (the chain, the set, the device's addresses). */
  readonly scope: string;
  /** The command that undoes it, as messages and quick fixes write it. */
  readonly undo: string;
}

/** The firewall and routing kinds (the server-side and Linux client families' pairing rules). */
export const netChangeKinds: readonly ChangeKind[] = ['iptables', 'ipset', 'route', 'route-macos', 'address', 'rule', 'nft'];

const base = (name: string): string => name.split('/').pop() ?? name;
/** "$X" and $X compare alike. */
const plain = (arg: string): string => arg.replace(/^"([^"]*)"$/, '$1');

/** The changes among these commands, of the kinds asked for (all by default), in command order. */
export function changesMade(cmds: readonly ShellCommand[], kinds?: readonly ChangeKind[]): Change[] {
  return cmds.flatMap((c) => {
    const change = changeOf(c);
    return change && (!kinds || kinds.includes(change.kind)) ? [change] : [];
  });
}

/** The keys (and flushed scopes) these commands undo. */
export function changesUndone(cmds: readonly ShellCommand[]): Set<string> {
  const undone = new Set<string>();
  for (const c of cmds) for (const k of undoKeys(c)) undone.add(k);
  return undone;
}

/**
 * A route through the session's tunnel device ($TUNDEV, $DEVICE, tun0, vpns0): the kernel drops it with the device,
 * which openconnect and ocserv remove when the session ends, so it needs no undo of its own (as an address there).
 */
export function goesWithTunnel(change: Change): boolean {
  const dev = valueAfter(change.command.args.map(plain), 'dev');
  return change.kind === 'route' && dev !== undefined && tunnelDevice.test(dev);
}

export function isUndone(change: Change, undone: ReadonlySet<string>): boolean {
  return undone.has(change.key) || undone.has(`flush ${change.scope}`) || (change.kind === 'rule' && ruleDeleted(change.key, undone));
}

/**
 * `ip rule del` compares only the selectors it is given (fib_rules.c rule_find): `ip rule del fwmark 0x1 table 200` deletes
 * the rule added with `priority 100` too. pref, prio and priority are one selector.
 */
function ruleDeleted(key: string, undone: ReadonlySet<string>): boolean {
  // `not` negates the selector after it: one word with it.
  const words = (k: string) =>
    k
      .replace(/\b(pref|prio)\b/g, 'priority')
      .replace(/\bnot\s+/g, 'not-')
      .split(/\s+/)
      .slice(1);
  const added = words(key);
  const pairs = (w: string[]) => w.map((x, i) => (i % 2 ? '' : `${x} ${w[i + 1] ?? ''}`)).filter(Boolean);
  const have = new Set(pairs(added));
  for (const k of undone) {
    if (!k.startsWith('rule ')) continue;
    const selectors = pairs(words(k));
    if (selectors.length && selectors.every((s) => have.has(s))) return true;
  }
  return false;
}

type Made = Omit<Change, 'command'>;

function changeOf(c: ShellCommand): Change | undefined {
  const name = base(c.name);
  const args = c.args.map(plain);
  const made = madeBy.get(name)?.(name, args);
  return made && { command: c, ...made };
}

const iptablesNames = ['iptables', 'ip6tables'];

/** Per command name: the change it makes, if any. */
const madeBy = new Map<string, (name: string, args: readonly string[]) => Made | undefined>([
  ['iptables', iptablesAdd],
  ['ip6tables', iptablesAdd],
  ['ipset', (_, args) => ipsetAdd(args)],
  ['ip', (_, args) => ipAdd(args)],
  ['route', (_, args) => netToolsRouteAdd(args)],
  ['nft', (_, args) => nftAdd(args.filter((a) => !a.startsWith('-')))],
  ['mount', (_, args) => mountOf(args)],
  ['mount.cifs', (_, args) => mountOf(args)],
  ['mount_smbfs', (_, args) => mountOf(args)],
  ['net', (_, args) => netUse(args)],
]);

function ipsetAdd(args: readonly string[]): Made | undefined {
  const [verb, set, entry] = args.filter((a) => !a.startsWith('-') || /^-[AD]$/.test(a));
  if ((verb !== 'add' && verb !== '-A') || !set || !entry) return undefined;
  return {
    kind: 'ipset',
    what: `ipset entry in ${set}`,
    done: `ipset entry ${entry} added to ${set}`,
    key: `ipset ${set} ${entry}`,
    scope: `ipset ${set}`,
    undo: `ipset del ${set} ${entry}`,
  };
}

/** net-tools' `route [-n] add [-net|-host] DEST ...`; with -n, written as macOS writes it. */
function netToolsRouteAdd(args: readonly string[]): Made | undefined {
  const [verb, dest] = args.filter((a) => !a.startsWith('-'));
  if (verb !== 'add' || !dest) return undefined;
  const macos = args.includes('-n');
  return { ...routeChange(dest, macos ? `route -n delete ${dest}` : `route del ${dest}`), kind: macos ? 'route-macos' : 'route' };
}

function netUse(args: readonly string[]): Made | undefined {
  const ops = operands(args, mountOptionsWithValue);
  if (ops[0]?.toLowerCase() !== 'use' || !/^[A-Za-z]:$/.test(ops[1] ?? '') || hasDelete(args)) return undefined;
  const drive = ops[1].toUpperCase();
  const key = `drive ${drive}`;
  return {
    kind: 'net-use',
    what: `drive ${drive} mapping`,
    done: `Drive ${drive} mapped`,
    key,
    scope: key,
    undo: `net use ${drive} /delete /yes`,
  };
}

function iptablesAdd(name: string, args: readonly string[]): Made | undefined {
  const rule = iptablesRule(name, args);
  if (!rule || (rule.verb !== 'append' && rule.verb !== 'insert')) return undefined;
  const spec = rule.spec.join(' ');
  const table = rule.table === 'filter' ? '' : ` -t ${rule.table}`;
  return {
    kind: 'iptables',
    what: `${name} rule in ${rule.chain}`,
    done: `${name} rule "${spec}" added to ${rule.chain}`,
    key: rule.key,
    scope: rule.scope,
    undo: `${name}${table} -D ${rule.chain} ${spec}`.trim(),
  };
}

const routeChange = (dest: string, undo: string): Made => ({
  kind: 'route',
  what: `route ${dest}`,
  done: `Route ${dest} added`,
  key: `route ${dest}`,
  scope: `route ${dest}`,
  undo,
});

const ipOptionsWithValue = ['-f', '-family', '-n', '-netns'];
const isRoute = (object: string | undefined): boolean => /^r(o(ute?)?)?$/.test(object ?? '');
const isRule = (object: string | undefined): boolean => /^ru(le?)?$/.test(object ?? '');
const isAddr = (object: string | undefined): boolean => /^a(d(d(r(e(s(s)?)?)?)?)?)?$/.test(object ?? '');
/** openconnect's $TUNDEV, ocserv's $DEVICE, the tunnel devices by name: an address on one goes with the device. */
const tunnelDevice = /^(\$\{?(TUNDEV|DEVICE)\}?|tun\d+|vpns\d+)$/;

function ipAdd(args: readonly string[]): Made | undefined {
  const [object, verb, ...rest] = operands(args, ipOptionsWithValue);
  if (isRoute(object) && /^(add|a|append|replace|prepend)$/.test(verb ?? '') && rest[0])
    return routeChange(rest[0], `ip route del ${rest[0]}`);
  const dev = valueAfter(rest, 'dev');
  if (isAddr(object) && /^(add|a|replace)$/.test(verb ?? '') && rest[0] && dev && !tunnelDevice.test(dev)) {
    return {
      kind: 'address',
      what: `address ${rest[0]} on ${dev}`,
      done: `Address ${rest[0]} added to ${dev}`,
      key: `addr ${rest[0]} ${dev}`,
      scope: `addr dev ${dev}`,
      undo: `ip addr del ${rest[0]} dev ${dev}`,
    };
  }
  if (isRule(object) && /^(add|a)$/.test(verb ?? '') && rest.length) {
    const spec = rest.join(' ');
    const key = `rule ${spec}`;
    return {
      kind: 'rule',
      what: `routing rule "${spec}"`,
      done: `Policy rule ${spec} added`,
      key,
      scope: key,
      undo: `ip rule del ${spec}`,
    };
  }
  return undefined;
}

function nftAdd(words: readonly string[]): Made | undefined {
  if (words[0] !== 'add' && words[0] !== 'insert') return undefined;
  const where = words.slice(2, 5).join(' ');
  const target = words.slice(2).join(' ');
  const made = (object: 'element' | 'rule', scope: string, undo: string): Made => ({
    kind: 'nft',
    what: `nft ${object} in ${where}`,
    done: `nft ${object} added to ${where}`,
    key: `nft ${object} ${target}`,
    scope,
    undo,
  });
  if (words[1] === 'element') return made('element', `nft set ${where}`, `nft delete element ${target}`);
  if (words[1] === 'rule')
    return made('rule', `nft chain ${where}`, `nft delete rule ${where} handle <handle> (or nft flush chain ${where})`);
  return undefined;
}

const mountOptionsWithValue = ['-t', '-o', '-O', '-L', '-F'];

function mountOf(args: readonly string[]): Made | undefined {
  const ops = operands(args, mountOptionsWithValue);
  if (ops.length < 2) return undefined;
  const target = ops[ops.length - 1];
  const key = `mount ${target}`;
  return { kind: 'mount', what: `mount on ${target}`, done: `${target} mounted`, key, scope: key, undo: `umount ${target}` };
}

function hasDelete(args: readonly string[]): boolean {
  return args.some((a) => /^\/d(elete)?$/i.test(a));
}

function undoKeys(c: ShellCommand): string[] {
  const name = base(c.name);
  const args = c.args.map(plain);
  const rule = iptablesRule(name, args);
  if (rule) return rule.verb === 'delete' ? [rule.key] : rule.verb === 'flush' ? [`flush ${rule.scope}`] : [];
  if (name === 'ipset') {
    const [verb, set, entry] = args.filter((a) => !a.startsWith('-') || /^-[DFX]$/.test(a));
    if ((verb === 'del' || verb === '-D') && set && entry) return [`ipset ${set} ${entry}`];
    return /^(flush|destroy|-F|-X)$/.test(verb ?? '') && set ? [`flush ipset ${set}`] : [];
  }
  if (name === 'ip') return ipUndoKeys(operands(args, ipOptionsWithValue));
  if (name === 'route') {
    const [verb, dest] = args.filter((a) => !a.startsWith('-'));
    return /^(del|delete)$/.test(verb ?? '') && dest ? [`route ${dest}`] : [];
  }
  if (name === 'nft') return nftUndoKeys(args.filter((a) => !a.startsWith('-')));
  const ops = operands(args, ['-t']);
  if (name === 'umount' || (name === 'diskutil' && /^unmount/.test(ops[0] ?? ''))) return ops.map((t) => `mount ${t}`);
  if (name === 'net' && ops[0]?.toLowerCase() === 'use' && hasDelete(args) && ops[1]) return [`drive ${ops[1].toUpperCase()}`];
  return [];
}

function ipUndoKeys([object, verb, dest, ...rest]: readonly string[]): string[] {
  if (isAddr(object) && /^(del|delete|d)$/.test(verb ?? '') && dest) return [`addr ${dest} ${valueAfter(rest, 'dev') ?? ''}`];
  if (isAddr(object) && /^(flush|f)$/.test(verb ?? '')) return [`flush addr dev ${valueAfter([dest ?? '', ...rest], 'dev') ?? dest}`];
  if (isRule(object) && /^(del|delete|d)$/.test(verb ?? '') && dest) return [`rule ${[dest, ...rest].join(' ')}`];
  return isRoute(object) && /^(del|delete|d|flush)$/.test(verb ?? '') && dest ? [`route ${dest}`, `flush route ${dest}`] : [];
}

function nftUndoKeys(words: readonly string[]): string[] {
  const where = words.slice(2, 5).join(' ');
  if (words[0] === 'delete' && words[1] === 'element') return [`nft element ${words.slice(2).join(' ')}`];
  if (words[0] === 'delete' && (words[1] === 'rule' || words[1] === 'table' || words[1] === 'chain')) return [`flush nft chain ${where}`];
  if (words[0] === 'flush' && words[1] === 'chain') return [`flush nft chain ${where}`];
  if (words[0] === 'flush' && words[1] === 'set') return [`flush nft set ${where}`];
  return [];
}

/** Positional arguments: options and the values of options that take one are skipped. */
function operands(args: readonly string[], withValue: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (withValue.includes(args[i])) i++;
    else if (!args[i].startsWith('-')) out.push(args[i]);
  }
  return out;
}

/** The word after `key` (`dev tun0`). */
function valueAfter(words: readonly string[], key: string): string | undefined {
  const at = words.indexOf(key);
  return at < 0 ? undefined : words[at + 1];
}

/** An iptables / ip6tables rule command: what it does to which chain, and the key its undo shares. */
export interface IptablesRule {
  readonly verb: 'append' | 'insert' | 'delete' | 'flush';
  readonly table: string;
  readonly chain: string;
  /** The rule's matches and target (an insert's position and -w are not part of the rule). */
  readonly spec: readonly string[];
  /** `iptables nat POSTROUTING -s 10.0.0.0/8 -j MASQUERADE`: what an add and its delete share. */
  readonly key: string;
  /** `iptables nat POSTROUTING`: what a flush (or removal) of the chain undoes. */
  readonly scope: string;
  /** Index in the arguments of the verb (-A, -I, -D, -F, -X). */
  readonly verbAt: number;
}

const iptablesVerbs: Readonly<Record<string, IptablesRule['verb']>> = {
  '-A': 'append',
  '--append': 'append',
  '-I': 'insert',
  '--insert': 'insert',
  '-D': 'delete',
  '--delete': 'delete',
  '-F': 'flush',
  '--flush': 'flush',
  '-X': 'flush',
  '--delete-chain': 'flush',
};

/** `-p udp` loads the udp match itself: `-m udp` beside it names the same match, and iptables -D finds the rule either way. */
function withoutImpliedMatch(spec: string[]): void {
  const at = spec.findIndex((w) => w === '-p' || w === '--protocol');
  const protocol = at >= 0 ? spec[at + 1] : undefined;
  if (!protocol) return;
  for (let i = spec.length - 2; i >= 0; i--) if ((spec[i] === '-m' || spec[i] === '--match') && spec[i + 1] === protocol) spec.splice(i, 2);
}

/** `iptables [-t T] -A|-I|-D|-F|-X CHAIN [N] spec...` (ip6tables alike); undefined for anything else, or without a chain. */
export function iptablesRule(name: string, args: readonly string[]): IptablesRule | undefined {
  if (!iptablesNames.includes(name)) return undefined;
  let table = 'filter';
  let verbAt = -1;
  let chain: string | undefined;
  const spec: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') table = args[++i] ?? table;
    else if (verbAt < 0 && iptablesVerbs[a]) {
      verbAt = i;
      chain = args[++i];
      if (iptablesVerbs[a] === 'insert' && /^\d+$/.test(args[i + 1] ?? '')) i++;
    } else if (a === '-w' || a === '--wait') {
      if (/^\d+$/.test(args[i + 1] ?? '')) i++;
    } else if (verbAt >= 0) spec.push(a);
  }
  if (chain === undefined) return undefined;
  withoutImpliedMatch(spec);
  const scope = `${name} ${table} ${chain}`;
  return { verb: iptablesVerbs[args[verbAt]], table, chain, spec, verbAt, scope, key: `${scope} ${spec.join(' ')}` };
}
