/**
 * A generated workspace of exactly 10,000 files, scanned for hooks the way the language server
 * does at start-up (scanHooks). The mix: application sources, docs and assets; a node_modules
 * and a .git that must be skipped (with hook-like names inside, to prove it); a gitignored
 * build/; VPN script folders, some misnamed; a few Shorewall folders. Deterministic.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { append } from '../server/src/append';
import { HookReport, scanHooks } from '../server/src/workspace/scan';
import { performance } from 'node:perf_hooks';
import { loadShellParser } from '../server/src/shell/parser';

export const workspaceFiles = 10_000;

interface Planned {
  readonly path: string;
  readonly text: string;
  readonly mode: number;
}

const sh = (what: string): string => `#!/bin/sh\n# ${what}\nlogger -t vpn "${what}"\n`;
const shorewallHooks = ['init', 'start', 'started', 'stop', 'stopped', 'clear', 'isusable', 'lib.private', 'refresh', 'refreshed'];
const shorewallConfig = ['shorewall.conf', 'zones', 'interfaces', 'policy', 'rules', 'masq', 'params', 'hosts'];

/** VPN script folders: each an OnConnect/OnDisconnect pair; every fifth misnamed, every seventh not executable. */
function vpnScripts(sites: number): Planned[] {
  return Array.from({ length: sites }, (_, i) => {
    const dir = `deploy/vpn/site-${String(i).padStart(3, '0')}/script`;
    const connect = i % 5 === 0 ? `onconnect_site${i}.sh` : `OnConnect_site${i}.sh`;
    return [
      { path: `${dir}/${connect}`, text: sh(`site ${i} up`), mode: i % 7 === 0 ? 0o644 : 0o755 },
      { path: `${dir}/OnDisconnect_site${i}.sh`, text: sh(`site ${i} down`), mode: 0o755 },
      { path: `${dir}/README.md`, text: `Scripts for site ${i}.\n`, mode: 0o644 },
    ];
  }).flat();
}

function shorewallFolders(count: number): Planned[] {
  return Array.from({ length: count }, (_, i) => {
    const dir = `deploy/firewalls/gw${i}/${i % 2 ? 'shorewall6' : 'shorewall'}`;
    const hooks = shorewallHooks.map((h, k) => ({
      path: `${dir}/${k === i ? h.replace(/ed$/, 'd') : h}`,
      text: `# ${h}\nvpn_log "${h}"\n`,
      mode: 0o644,
    }));
    return [...hooks, ...shorewallConfig.map((c) => ({ path: `${dir}/${c}`, text: `# ${c}\n`, mode: 0o644 }))];
  }).flat();
}

/** Ordinary files in a nested tree: `count` of them, 20 to a folder. */
function ordinary(prefix: string, count: number, ext: readonly string[]): Planned[] {
  return Array.from({ length: count }, (_, i) => {
    const folder = `${prefix}/mod${Math.floor(i / 400)}/part${Math.floor(i / 20) % 20}`;
    const e = ext[i % ext.length];
    return { path: `${folder}/file${i}.${e}`, text: `// ${prefix} ${i}\n`, mode: 0o644 };
  });
}

function plan(): Planned[] {
  const hooks = [...vpnScripts(150), ...shorewallFolders(6)];
  const skipped = [
    ...ordinary('node_modules', 2_000, ['js', 'json', 'd.ts', 'md']),
    { path: 'node_modules/vpn-kit/scripts/onconnect.sh', text: sh('not ours'), mode: 0o755 },
    ...ordinary('.git/objects', 600, ['pack']),
    ...ordinary('build', 400, ['js', 'map']),
    { path: 'build/OnConnect_copy.sh', text: sh('build copy'), mode: 0o644 },
  ];
  const fixed = [{ path: '.gitignore', text: 'build/\nnode_modules\n*.log\n', mode: 0o644 }, ...hooks, ...skipped];
  return [...fixed, ...ordinary('src', workspaceFiles - fixed.length, ['ts', 'ts', 'ts', 'json', 'md', 'css', 'svg'])];
}

export interface GeneratedWorkspace {
  readonly root: string;
  readonly files: number;
}

export function writeWorkspace(dir: string): GeneratedWorkspace {
  const root = join(dir, 'workspace-10k');
  rmSync(root, { recursive: true, force: true });
  const files = plan();
  for (const f of files) {
    const full = join(root, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, f.text);
    chmodSync(full, f.mode);
  }
  if (files.length !== workspaceFiles) throw new Error(`The workspace has ${files.length} files, not ${workspaceFiles}`);
  return { root, files: files.length };
}

export interface ScanResult {
  readonly coldMs: number;
  readonly warm: number[];
  readonly folders: number;
  readonly hooks: number;
  readonly withFindings: number;
}

/** scanHooks on the workspace: the first scan in this process, then `runs` more. */
export async function benchWorkspaceScan(root: string, runs = 5): Promise<ScanResult> {
  await loadShellParser();
  const scan = async (): Promise<{ reports: HookReport[]; folders: number }> => {
    const reports: HookReport[] = [];
    const result = await scanHooks(root, (_, found) => void append(reports, found));
    return { reports, folders: result.folders };
  };
  const start = performance.now();
  const first = await scan();
  const coldMs = performance.now() - start;
  check(first.reports);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await scan();
    warm.push(performance.now() - t);
  }
  return {
    coldMs,
    warm,
    folders: first.folders,
    hooks: first.reports.length,
    withFindings: first.reports.filter((r) => r.findings.length).length,
  };
}

/** Every planned hook is found, and none from the skipped folders. */
function check(reports: readonly HookReport[]): void {
  const leaked = reports.filter((r) => /[\\/](node_modules|\.git|build)[\\/]/.test(r.file));
  if (leaked.length) throw new Error(`The scan reported hooks in skipped folders: ${leaked.map((r) => r.file).join(', ')}`);
  const expected = 150 * 2 + 6 * shorewallHooks.length;
  if (reports.length !== expected) throw new Error(`The scan found ${reports.length} hooks, not ${expected}`);
}
