/**
 * The state a hook can change, as a person reads it: one line per link, address, route, rule,
 * firewall rule, network sysctl and file, grouped by kind. Two snapshots diff line by line.
 */
import { pathExists } from '../../fileKinds';

export const stateKinds = ['links', 'addresses', 'routes', 'rules', 'iptables', 'ip6tables', 'nft', 'sysctls', 'files'] as const;
export type StateKind = (typeof stateKinds)[number];

/** Kinds absent from a snapshot: the tool is not installed in the sandbox. */
export type StateSnapshot = Partial<Record<StateKind, string[]>>;

export interface StateChange {
  readonly kind: StateKind;
  readonly change: 'added' | 'removed';
  /** The line: `192.168.100.0/24 via 10.0.0.1 dev tun0`, `created /etc/hosts.d/vpn`. */
  readonly item: string;
}

/** What one run's report carries (the JSON's "state"). */
export interface RunState {
  readonly before: StateSnapshot;
  readonly after: StateSnapshot;
  readonly diff: readonly StateChange[];
}

/** Reads the probe's sections (see probeScript). */
export function parseState(text: string): StateSnapshot {
  const state: StateSnapshot = {};
  let current: string[] | undefined;
  const files: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const header = /^@@hooksmith (\w+)$/.exec(line);
    if (header) {
      current = header[1] === 'files' ? files : (state[header[1] as StateKind] = []);
      continue;
    }
    if (current && line.trim()) current.push(normalize(line));
  }
  if (text.includes('@@hooksmith files')) state.files = fileLines(files);
  for (const kind of ['iptables', 'ip6tables'] as const) if (state[kind]) state[kind] = withoutEmptySaveTables(state[kind]);
  if (state.nft) state.nft = withoutEmptyNftTables(state.nft);
  for (const kind of stateKinds) if (state[kind]) state[kind] = [...new Set(state[kind])].sort();
  return state;
}

/**
 * iptables-nft makes a table and its built-in chains the first time a rule goes in, and `-D` of
 * the last rule leaves them: a table with no rule, no chain of its own and every policy ACCEPT
 * filters nothing, the same as no table, so it is left out (else every add/remove pair would read
 * "not restored"). In iptables-save's lines: `*filter`, `:INPUT ACCEPT [0:0]`, ..., `COMMIT`.
 */
function withoutEmptySaveTables(lines: readonly string[]): string[] {
  const out: string[] = [];
  let table: string[] = [];
  for (const line of lines) {
    if (line.startsWith('*')) table = [line];
    else if (table.length && line !== 'COMMIT') table.push(line);
    else if (table.length) {
      if (table.slice(1).some((l) => !/^:\S+ ACCEPT \[\d+:\d+\]$/.test(l))) out.push(...table, line);
      table = [];
    } else out.push(line);
  }
  return [...out, ...table];
}

/** The same in `nft list ruleset`: an iptables-nft table (ip or ip6 filter, nat, ...) whose built-in chains are empty and accept goes. */
function withoutEmptyNftTables(lines: readonly string[]): string[] {
  const out: string[] = [];
  let table: string[] = [];
  let depth = 0; // blocks open in the table being read: it ends at the `}` that closes its own
  for (const line of lines) {
    if (!table.length && /^table ip6? (filter|nat|mangle|raw|security) \{$/.test(line)) [table, depth] = [[line], 1];
    else if (!table.length) out.push(line);
    else {
      table.push(line);
      depth += line.endsWith('{') ? 1 : line === '}' ? -1 : 0;
      if (depth > 0) continue;
      const empty = table
        .slice(1, -1)
        .every(
          (l) =>
            l === '}' ||
            /^chain (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) \{$/.test(l) ||
            /^type \S+ hook \S+ priority \S+; policy accept;$/.test(l),
        );
      if (!empty) out.push(...table);
      table = [];
    }
  }
  return [...out, ...table];
}

/** Route flags that follow the carrier (a tun device with no reader has none) are not changes. */
function normalize(line: string): string {
  return line
    .replace(/(?<!\s)\s+linkdown\b/g, '') // from the start of a run of blanks only: from each of its blanks was quadratic
    .replace(/\s+/g, ' ')
    .trim();
}

/** The scratch layer's private folders, as the hooks see them. */
const privateFolders: Readonly<Record<string, string>> = { tmp: '/tmp', home: '$HOME', run: '/run' };

/**
 * The scratch layer's entries as changes to paths a person knows: upper/etc/x is /etc/x, created
 * when the host has no such file and changed when it has; a whiteout is a deletion; tmp/, home/
 * and run/ are the private /tmp, HOME and /run (their files are all created).
 */
function fileLines(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const m = /^(file|whiteout|dir) (upper|tmp|home|run)\/(.+)$/.exec(entry);
    if (!m) continue;
    const [, type, layer, rest] = m;
    if (layer === 'upper') {
      if (!rest.includes('/')) continue; // the top-level folder of the layer itself
      const file = `/${rest}`;
      if (type === 'whiteout') out.push(`deleted ${file}`);
      else if (!pathExists(file)) out.push(`created ${file}${type === 'dir' ? '/' : ''}`);
      else if (type === 'file') out.push(`changed ${file}`);
    } else if (type === 'file') {
      out.push(`created ${privateFolders[layer]}/${rest}`);
    }
  }
  return out;
}

/** Lines in `after` and not in `before` (added), and the other way round (removed), per kind. */
export function diffState(before: StateSnapshot, after: StateSnapshot): StateChange[] {
  const changes: StateChange[] = [];
  for (const kind of stateKinds) {
    const a = new Set(before[kind] ?? []);
    const b = new Set(after[kind] ?? []);
    for (const item of b) if (!a.has(item)) changes.push({ kind, change: 'added', item });
    for (const item of a) if (!b.has(item)) changes.push({ kind, change: 'removed', item });
  }
  return changes;
}

/** A person's line for one change: `route 192.168.100.0/24 via 10.0.0.1 dev tun0 added`. */
export function describeChange(c: StateChange): string {
  if (c.kind === 'files') return c.change === 'added' ? c.item : `no longer: ${c.item}`;
  return `${kindNoun[c.kind]} ${c.item} ${c.change}`;
}

const kindNoun: Record<StateKind, string> = {
  links: 'link',
  addresses: 'address',
  routes: 'route',
  rules: 'policy rule',
  iptables: 'iptables rule',
  ip6tables: 'ip6tables rule',
  nft: 'nft line',
  sysctls: 'sysctl',
  files: 'file',
};

/**
 * For an up/down pair (connect then disconnect, shorewall start then stop): the state after the
 * second equals the state before the first, or what was left behind, one sentence per item.
 */
export function pairVerdict(first: { label: string; before: StateSnapshot }, second: { label: string; after: StateSnapshot }): string[] {
  const left = diffState(first.before, second.after);
  return left.map((c) =>
    c.kind === 'files'
      ? `${c.item} (${first.label} to ${second.label}) is still there`
      : `${kindNoun[c.kind]} ${c.item} was ${c.change === 'added' ? 'added' : 'removed'} by ${first.label} and is still ` +
        `${c.change === 'added' ? 'there' : 'missing'} after ${second.label}`,
  );
}

/** For each run `isUp` takes that a later run `isDown` takes follows, both in a sandbox: the state restored, or what was left behind. */
export function pairNotes<R extends { readonly label: string; readonly state?: unknown }>(
  runs: readonly R[],
  isUp: (r: R) => boolean,
  isDown: (r: R) => boolean,
  nameOf: (r: R) => string = (r) => r.label,
): string[] {
  const notes: string[] = [];
  runs.forEach((up, i) => {
    const down = runs.slice(i + 1).find(isDown);
    if (!isUp(up) || !down || !up.state || !down.state) return;
    notes.push(
      pairNote(
        { label: nameOf(up), before: (up.state as RunState).before },
        { label: nameOf(down), after: (down.state as RunState).after },
      ),
    );
  });
  return notes;
}

/** The report's note for an up/down pair: "State restored", or what was left behind. */
export function pairNote(first: { label: string; before: StateSnapshot }, second: { label: string; after: StateSnapshot }): string {
  const left = pairVerdict(first, second);
  return left.length
    ? `State NOT restored after ${first.label} then ${second.label}: ${left.join('; ')}.`
    : `State restored: the state after ${second.label} equals the state before ${first.label}.`;
}
