import { ShellCommand } from '../../shell/walk';

/**
 * Firewall and routing changes a hook makes and the commands that undo them, matched by the same
 * spec: `iptables -A FORWARD -s $IP_REMOTE -j ACCEPT` is undone by `iptables -D FORWARD -s
 * $IP_REMOTE -j ACCEPT` (or a flush of that chain), `ipset add users $IP_REMOTE` by `ipset del
 * users $IP_REMOTE` (or a flush or destroy of the set), `ip route add X` by `ip route del X`, `ip rule add X` by `ip rule del X`,
 * `nft add element T S { X }` by `nft delete element T S { X }` and `nft add rule T C ...` by a
 * flush of that chain or a delete rule in it, `ip addr add A dev D` by `ip addr del A dev D` or `ip addr flush dev D`
 * (an address on the tunnel device itself is no change: it goes with the device), net-tools' `route add` by `route del`.
 * Arguments are compared as written (variables too).
 */
export interface NetChange {
  readonly command: ShellCommand;
  /** For messages: "iptables rule in FORWARD", "ipset entry in users". */
  readonly what: string;
  /** Identity shared with its undo. */
  readonly key: string;
  /** Undone also by a flush of this (the chain, the set). */
  readonly scope: string;
  /** The command that undoes it, for the message. */
  readonly undo: string;
}

const base = (name: string): string => name.split('/').pop() ?? name;
/** "$X" and $X compare alike. */
const plain = (arg: string): string => arg.replace(/^"([^"]*)"$/, '$1');

/** The changes among these commands. */
export function changesMade(cmds: readonly ShellCommand[]): NetChange[] {
  return cmds.flatMap((c) => {
    const change = changeOf(c);
    return change ? [change] : [];
  });
}

/** The keys (and flushed scopes) these commands undo. */
export function changesUndone(cmds: readonly ShellCommand[]): Set<string> {
  const undone = new Set<string>();
  for (const c of cmds) for (const k of undoKeys(c)) undone.add(k);
  return undone;
}

export function isUndone(change: NetChange, undone: ReadonlySet<string>): boolean {
  return undone.has(change.key) || undone.has(`flush ${change.scope}`);
}

function changeOf(c: ShellCommand): NetChange | undefined {
  const name = base(c.name);
  const args = c.args.map(plain);
  if (name === 'iptables' || name === 'ip6tables') {
    const rule = iptablesRule(args, ['-A', '--append', '-I', '--insert']);
    if (!rule) return undefined;
    const spec = `${rule.chain} ${rule.spec.join(' ')}`;
    return {
      command: c,
      what: `${name} rule in ${rule.chain}`,
      key: `${name} ${rule.table} ${spec}`,
      scope: `${name} ${rule.table} ${rule.chain}`,
      undo: `${name}${rule.table === 'filter' ? '' : ` -t ${rule.table}`} -D ${spec}`,
    };
  }
  if (name === 'ipset') {
    const [verb, set, entry] = args.filter((a) => !a.startsWith('-') || /^-[AD]$/.test(a));
    if ((verb === 'add' || verb === '-A') && set && entry)
      return {
        command: c,
        what: `ipset entry in ${set}`,
        key: `ipset ${set} ${entry}`,
        scope: `ipset ${set}`,
        undo: `ipset del ${set} ${entry}`,
      };
    return undefined;
  }
  if (name === 'ip') {
    const [object, verb, ...rest] = args.filter((a) => !a.startsWith('-'));
    if (/^r(o(ute?)?)?$/.test(object ?? '') && /^(add|a|append|replace|prepend)$/.test(verb ?? '') && rest[0]) {
      return { command: c, what: `route ${rest[0]}`, key: `route ${rest[0]}`, scope: `route ${rest[0]}`, undo: `ip route del ${rest[0]}` };
    }
    const dev = valueAfter(rest, 'dev');
    // An address on the tunnel device itself goes away with the device (openconnect's $TUNDEV, ocserv's $DEVICE).
    if (isAddr(object) && /^(add|a|replace)$/.test(verb ?? '') && rest[0] && dev && !tunnelDevice.test(dev)) {
      return {
        command: c,
        what: `address ${rest[0]} on ${dev}`,
        key: `addr ${rest[0]} ${dev}`,
        scope: `addr dev ${dev}`,
        undo: `ip addr del ${rest[0]} dev ${dev}`,
      };
    }
    if (/^ru(le?)?$/.test(object ?? '') && /^(add|a)$/.test(verb ?? '') && rest.length) {
      const spec = rest.join(' ');
      return { command: c, what: `routing rule "${spec}"`, key: `rule ${spec}`, scope: `rule ${spec}`, undo: `ip rule del ${spec}` };
    }
    return undefined;
  }
  if (name === 'route') {
    const [verb, dest] = routeWords(args);
    if (verb === 'add' && dest)
      return { command: c, what: `route ${dest}`, key: `route ${dest}`, scope: `route ${dest}`, undo: `route del ${dest}` };
    return undefined;
  }
  if (name === 'nft') {
    const words = args.filter((a) => !a.startsWith('-'));
    if (words[0] !== 'add' && words[0] !== 'insert') return undefined;
    if (words[1] === 'element') {
      const target = words.slice(2).join(' ');
      return {
        command: c,
        what: `nft element in ${words.slice(2, 5).join(' ')}`,
        key: `nft element ${target}`,
        scope: `nft set ${words.slice(2, 5).join(' ')}`,
        undo: `nft delete element ${target}`,
      };
    }
    if (words[1] === 'rule') {
      const chain = words.slice(2, 5).join(' ');
      return {
        command: c,
        what: `nft rule in ${chain}`,
        key: `nft rule ${words.slice(2).join(' ')}`,
        scope: `nft chain ${chain}`,
        undo: `nft delete rule ${chain} handle <handle> (or nft flush chain ${chain})`,
      };
    }
  }
  return undefined;
}

function undoKeys(c: ShellCommand): string[] {
  const name = base(c.name);
  const args = c.args.map(plain);
  if (name === 'iptables' || name === 'ip6tables') {
    const rule = iptablesRule(args, ['-D', '--delete']);
    if (rule) return [`${name} ${rule.table} ${rule.chain} ${rule.spec.join(' ')}`];
    const flush = iptablesRule(args, ['-F', '--flush', '-X', '--delete-chain']);
    return flush ? [`flush ${name} ${flush.table} ${flush.chain}`] : [];
  }
  if (name === 'ipset') {
    const [verb, set, entry] = args.filter((a) => !a.startsWith('-') || /^-[DFX]$/.test(a));
    if ((verb === 'del' || verb === '-D') && set && entry) return [`ipset ${set} ${entry}`];
    if (/^(flush|destroy|-F|-X)$/.test(verb ?? '') && set) return [`flush ipset ${set}`];
    return [];
  }
  if (name === 'ip') {
    const [object, verb, dest, ...rest] = args.filter((a) => !a.startsWith('-'));
    if (isAddr(object) && /^(del|delete|d)$/.test(verb ?? '') && dest) return [`addr ${dest} ${valueAfter(rest, 'dev') ?? ''}`];
    if (isAddr(object) && /^(flush|f)$/.test(verb ?? '')) return [`flush addr dev ${valueAfter([dest ?? '', ...rest], 'dev') ?? dest}`];
    if (/^ru(le?)?$/.test(object ?? '') && /^(del|delete|d)$/.test(verb ?? '') && dest) return [`rule ${[dest, ...rest].join(' ')}`];
    return /^r(o(ute?)?)?$/.test(object ?? '') && /^(del|delete|d|flush)$/.test(verb ?? '') && dest
      ? [`route ${dest}`, `flush route ${dest}`]
      : [];
  }
  if (name === 'route') {
    const [verb, dest] = routeWords(args);
    return /^(del|delete)$/.test(verb ?? '') && dest ? [`route ${dest}`] : [];
  }
  if (name === 'nft') {
    const words = args.filter((a) => !a.startsWith('-'));
    if (words[0] === 'delete' && words[1] === 'element') return [`nft element ${words.slice(2).join(' ')}`];
    if (words[0] === 'delete' && words[1] === 'rule') return [`flush nft chain ${words.slice(2, 5).join(' ')}`];
    if (words[0] === 'flush' && words[1] === 'chain') return [`flush nft chain ${words.slice(2, 5).join(' ')}`];
    if (words[0] === 'flush' && words[1] === 'set') return [`flush nft set ${words.slice(2, 5).join(' ')}`];
    if (words[0] === 'delete' && (words[1] === 'table' || words[1] === 'chain')) return [`flush nft chain ${words.slice(2, 5).join(' ')}`];
  }
  return [];
}

const isAddr = (object: string | undefined): boolean => /^a(d(d(r(e(s(s)?)?)?)?)?)?$/.test(object ?? '');
const tunnelDevice = /^(\$\{?(TUNDEV|DEVICE)\}?|tun\d+|vpns\d+)$/;

/** The word after `key` (`dev tun0`). */
function valueAfter(words: readonly string[], key: string): string | undefined {
  const at = words.indexOf(key);
  return at < 0 ? undefined : words[at + 1];
}

/** net-tools: `route [-n] add|del [-net|-host] DEST ...`: the verb and the destination. */
function routeWords(args: readonly string[]): [string | undefined, string | undefined] {
  const words = args.filter((a) => !a.startsWith('-'));
  return [words[0], words[1]];
}

/** The table, chain and the rest of an iptables command with one of `verbs`; an insert's position is not part of the rule. */
function iptablesRule(args: readonly string[], verbs: readonly string[]): { table: string; chain: string; spec: string[] } | undefined {
  let table = 'filter';
  let chain: string | undefined;
  const spec: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') table = args[++i] ?? table;
    else if (verbs.includes(a) && chain === undefined) {
      chain = args[++i];
      if ((a === '-I' || a === '--insert') && /^\d+$/.test(args[i + 1] ?? '')) i++;
    } else if (a === '-w' || a === '--wait') {
      if (/^\d+$/.test(args[i + 1] ?? '')) i++;
    } else spec.push(a);
  }
  return chain ? { table, chain, spec } : undefined;
}
