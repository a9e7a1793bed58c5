import { parseBudget, withShellTree } from '../../shell/parser';
import { commands } from '../../shell/walk';

/** Programs whose work needs root (CAP_NET_ADMIN, /etc, /run/resolvconf): as the dropped user they fail. */
const rootPrograms = new Set([
  'iptables',
  'ip6tables',
  'iptables-restore',
  'ip6tables-restore',
  'nft',
  'ipset',
  'route',
  'ifconfig',
  'resolvconf',
  'resolvectl',
  'systemd-resolve',
  'sysctl',
  'brctl',
  'mount',
  'umount',
]);
/** `ip` subcommands that only read. */
const ipReads = /^(-\S+\s+)*(\S+\s+)?(show|list|ls|lst|get)\b/;
const writesEtc = />>?\s*["']?\/etc\//;
const etcWriters = new Set(['tee', 'cp', 'mv', 'rm', 'sed', 'install', 'ln', 'chmod', 'chown', 'truncate']);

/**
 * The commands of a script that need root, as written ("ip route del", "resolvconf -d", "> /etc/resolv.conf"):
 * what fails when OpenVPN runs it after dropping its privileges. Empty when the text cannot be parsed.
 */
export function rootOnlyCommands(text: string): string[] {
  try {
    return withShellTree(
      text,
      (tree) => {
        const out: string[] = [];
        for (const c of commands(tree)) {
          const name = c.name.split('/').pop() ?? '';
          if (rootPrograms.has(name)) out.push(short(c.text));
          else if (name === 'ip' && c.args.length && !ipReads.test(c.args.join(' '))) out.push(short(c.text));
          else if (etcWriters.has(name) && c.args.some((a) => a.startsWith('/etc/'))) out.push(short(c.text));
        }
        for (const r of tree.rootNode.descendantsOfType('redirected_statement'))
          if (r && writesEtc.test(r.text.slice(r.namedChildren[0]?.endIndex ? r.namedChildren[0].endIndex - r.startIndex : 0)))
            out.push(short(r.text));
        return [...new Set(out)];
      },
      parseBudget(text),
    );
  } catch {
    return []; // the parser failed, or is not loaded where this config is linted: no finding rather than a guess
  }
}

function short(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
