import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withShellTree } from '../shell/parser';
import { commands } from '../shell/walk';

/** Commands a hook uses to change the machine; in a dry run each is a shim that records its argv. */
export const shimmedCommands = [
  'ip', 'route', 'iptables', 'ip6tables', 'nft', 'net', 'mount', 'umount', 'mount.cifs', 'mount_smbfs',
  'logger', 'systemctl', 'netsh', 'gpupdate',
] as const;

/** The variable naming the file a shim appends its JSON line to. */
export const shimLogVar = 'HOOKSMITH_SHIM_LOG';

export interface RecordedCommand {
  readonly argv: string[];
}

export interface Shims {
  /** Goes first in the hook's PATH. */
  readonly dir: string;
  /** A fresh, empty log file for one run. */
  newLog(): string;
  dispose(): void;
}

// awk builds the JSON line: it sees argv via ARGV, so no shell ever re-reads a value, and it
// escapes quotes, backslashes and control characters. Bytes >= 0x80 pass through (UTF-8 stays valid).
const shimScript = `#!/bin/sh
[ -n "$${shimLogVar}" ] || exit 0
awk 'BEGIN {
  for (c = 1; c < 32; c++) esc[sprintf("%c", c)] = sprintf("\\\\u%04x", c)
  esc["\\\\"] = "\\\\\\\\"; esc["\\""] = "\\\\\\""
  line = "{\\"argv\\":["
  for (i = 1; i < ARGC; i++) {
    s = ARGV[i]; out = ""
    for (j = 1; j <= length(s); j++) { ch = substr(s, j, 1); out = out ((ch in esc) ? esc[ch] : ch) }
    line = line (i > 1 ? "," : "") "\\"" out "\\""
  }
  print line "]}" >> ENVIRON["${shimLogVar}"]
}' "\${0##*/}" "$@"
`;

/** A temporary folder holding one shim per shimmed command, and per name in `extra` (Shorewall's run_iptables). */
export function createShims(extra: readonly string[] = []): Shims {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-shims-'));
  for (const name of [...shimmedCommands, ...extra]) fs.writeFileSync(path.join(dir, name), shimScript, { mode: 0o755 });
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-shimlog-'));
  let count = 0;
  return {
    dir,
    newLog: () => {
      const file = path.join(logs, `run-${++count}.jsonl`);
      fs.writeFileSync(file, '');
      return file;
    },
    dispose: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(logs, { recursive: true, force: true });
    },
  };
}

/** The commands the shims recorded in `logFile`, in call order. */
export function recordedCommands(logFile: string): RecordedCommand[] {
  let text: string;
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim()).flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { argv?: unknown };
      return Array.isArray(parsed.argv) ? [{ argv: parsed.argv.map(String) }] : [];
    } catch {
      return []; // a line cut short by a kill mid-write
    }
  });
}

export interface UninterceptedCall {
  /** As written: `/sbin/ip`. */
  readonly command: string;
  /** 1-based line of the call in the script. */
  readonly line: number;
  readonly text: string;
}

/** Calls by absolute path in shell text: they bypass PATH, so no shim can stand in for them. */
export function absolutePathCalls(scriptText: string): UninterceptedCall[] {
  return withShellTree(scriptText, (tree) =>
    commands(tree)
      .filter((c) => c.name.startsWith('/'))
      .map((c) => ({ command: c.name, line: lineOf(scriptText, c.startIndex), text: c.text })),
  );
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
