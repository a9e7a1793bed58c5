import * as path from 'node:path';
import { Finding, withFix } from '../../diagnostics';
import { editDistance } from '../../text/nearest';
import { interpreter, onFirstLine, shebang, shellInterpreters, writableByOthers } from '../common/fileChecks';
import { HookFile, HookSpec } from '../family';
import { configFiles, isChainScript, shorewallHooks } from './hooks';

export interface ShorewallName {
  readonly hook: HookSpec;
  /** exact; case (Started); extension (init.sh); near-miss (stoped); chain (a per-chain script). */
  readonly kind: 'exact' | 'case' | 'extension' | 'near-miss' | 'chain';
}

const chainSpec: HookSpec = {
  name: 'per-chain script',
  description: 'Run after the rules file was processed, for the chain it is named after.',
  runModel: 'perl-compile-time',
  runBy: ['check', 'compile', 'export', 'refresh', 'restart', 'start'],
  env: [],
  removedIn: '5.1.0',
};

/** Which hook a file name in a Shorewall folder stands for, if any. */
export function shorewallName(name: string): ShorewallName | undefined {
  const exact = shorewallHooks.find((h) => h.name === name);
  if (exact) return { hook: exact, kind: 'exact' };
  if (configFiles.has(name) || name.startsWith('.')) return undefined;
  const lower = name.toLowerCase();
  const byCase = shorewallHooks.find((h) => h.name === lower);
  if (byCase) return { hook: byCase, kind: 'case' };
  const stem = lower.replace(/\.(sh|bash|pl|txt)$/, '');
  const byExtension = stem !== lower && shorewallHooks.find((h) => h.name === stem);
  if (byExtension) return { hook: byExtension, kind: 'extension' };
  if (isChainScript(name)) return { hook: chainSpec, kind: 'chain' };
  const within = (h: { name: string }): number => (h.name.length > 6 ? 2 : 1);
  const close =
    stem.length >= 4 ? shorewallHooks.find((h) => h.name.length >= 4 && editDistance(stem, h.name, within(h)) <= within(h)) : undefined;
  return close ? { hook: close, kind: 'near-miss' } : undefined;
}

export function fileFindings(file: HookFile): Finding[] {
  const name = path.basename(file.path);
  const recognized = shorewallName(name);
  if (!recognized) return [];
  const found: Finding[] = [];
  const add = (f: Finding | undefined): void => void (f && found.push(f));
  const named = nameFinding(file, name, recognized);
  const renames = recognized.kind === 'case' || recognized.kind === 'extension' || recognized.kind === 'near-miss';
  add(named && renames ? withFix(named, { kind: 'rename', to: recognized.hook.name }) : named);
  if (recognized.hook.runModel === 'perl-compile-time' && recognized.kind !== 'chain' && !looksLikePerl(file.text)) {
    add(
      onFirstLine(
        file,
        'HS422',
        `${recognized.hook.name} is a compile-time hook: the rules compiler evaluates it as Perl, so shell commands ` +
          `here fail the compilation. Rewrite it in Perl (for example add_rule(...)) or move the shell code to a run-time ` +
          `hook such as start.`,
      ),
    );
  }
  add(writableByOthers(file, 'root'));
  return found;
}

function nameFinding(file: HookFile, name: string, n: ShorewallName): Finding | undefined {
  const hook = n.hook.name;
  switch (n.kind) {
    case 'exact':
      return n.hook.removedIn
        ? onFirstLine(
            file,
            'HS421',
            `${hook} was removed in Shorewall ${n.hook.removedIn}: current versions never run it. Use the compile hook instead.`,
          )
        : undefined;
    case 'chain':
      return onFirstLine(
        file,
        'HS421',
        `${name} looks like a per-chain script; those were removed in Shorewall 5.1.0 and are never run. Move its rules ` +
          `into the compile hook (add_rule on the chain).`,
      );
    case 'case':
      return onFirstLine(file, 'HS420', `Shorewall looks for "${hook}" in lower case; "${name}" is never run. Rename it to ${hook}.`);
    case 'extension':
      return onFirstLine(
        file,
        'HS420',
        `Shorewall looks for "${hook}" without an extension; "${name}" is never run. Rename it to ${hook}.`,
      );
    case 'near-miss':
      return onFirstLine(file, 'HS420', `"${name}" is not a Shorewall hook name; did you mean ${hook}? As it is, it is never run.`);
  }
}

/** Perl, not shell: no shell shebang, and Perl statements (use, my, sub, add_rule(...);, 1;). */
export function looksLikePerl(text: string): boolean {
  const line = shebang(text);
  if (line !== undefined && shellInterpreters.has(interpreter(line))) return false;
  // Leading blanks are matched within the line ([^\S\n]*), not across lines (\s*): the same
  // matches, without trying every line start again over a long run of blank lines (quadratic).
  const code = text.replace(/^[^\S\n]*#.*$/gm, '').trim();
  return code === '' || /(^|\n)[^\S\n]*(use\s+[\w:]+|my\s+[$@%]|sub\s+\w+|return\b|1\s*;|[\w:]+\s*\([^\n]*\)\s*;)/.test(code);
}
