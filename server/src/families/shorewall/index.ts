import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized } from '../family';
import { contentFindings } from './content';
import { shorewallHooks } from './hooks';
import { fileFindings, shorewallName } from './naming';
import { ShorewallRequest, shorewallRequest } from './request';
import { simulateShorewall } from './simulate/runShorewall';

const folders = new Set(['shorewall', 'shorewall6', 'shorewall-lite', 'shorewall6-lite']);
const confFiles = ['shorewall.conf', 'shorewall6.conf', 'shorewall-lite.conf', 'shorewall6-lite.conf'];

export const shorewall: HookFamily = {
  id: 'shorewall',
  displayName: 'Shorewall extension scripts',
  hooks: shorewallHooks,
  recognize(file: string, siblings: readonly string[], forced: boolean): Recognized | undefined {
    const dir = path.dirname(path.resolve(file));
    // /var/lib/shorewall is Shorewall's state folder (restore, firewall, ...), not its configuration.
    const stateFolder = /[\\/]var[\\/]lib[\\/]/.test(dir + path.sep);
    const inFolder = forced || (!stateFolder && folders.has(path.basename(dir))) || siblings.some((s) => confFiles.includes(s));
    const name = inFolder ? shorewallName(path.basename(file)) : undefined;
    return name ? { family: shorewall, hook: name.hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    const removed = recognized.hook.removedIn !== undefined;
    const named = shorewallName(path.basename(file.path));
    const content = removed || named?.kind !== 'exact' ? [] : contentFindings(file, recognized.hook);
    return [...fileFindings(file), ...content];
  },
  simulation: {
    request: shorewallRequest,
    describe: (req) => `shorewall ${(req as ShorewallRequest).command}`,
    run: (req, hooks) => simulateShorewall(req as ShorewallRequest, hooks),
  },
};
