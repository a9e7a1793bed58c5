import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { ShorewallCommand, shorewallCommands, ShorewallRequest } from './request';

/** `hooksmith simulate shorewall COMMAND --confdir DIR [--interface IF]`. */
export const shorewallCli: FamilyCli = {
  words: ['shorewall'],
  usage: ['hooksmith simulate shorewall COMMAND --confdir DIR [--interface IF] [options]'],
  options: `Shorewall options (COMMAND: ${shorewallCommands.join(', ')}):
  --confdir DIR              the folder holding the hooks (CONFDIR)
  --interface IF             $1 of isusable and findgw (default: eth0)`,
  parse(_word, argv, options) {
    const [command, ...rest] = argv;
    if (!shorewallCommands.includes(command as ShorewallCommand)) {
      throw new UsageError(`simulate shorewall needs a command: ${shorewallCommands.join(', ')}${command ? `, not '${command}'` : ''}.`);
    }
    const b = options(rest, {
      '--confdir': (v, f) => (f.confdir = v),
      '--interface': (v, f) => (f.interface = v),
    });
    if (typeof b.fields.confdir !== 'string') throw new UsageError('simulate shorewall needs --confdir DIR.');
    const request: ShorewallRequest = { kind: 'shorewall', command: command as ShorewallCommand, confdir: b.fields.confdir, ...b.fields };
    return { json: b.json, request };
  },
};
