import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { ShorewallCommand, shorewallCommands, ShorewallRequest } from './request';

/** `hooksmith simulate shorewall COMMAND --confdir DIR [--interface IF]`. */
export const shorewallCli: FamilyCli = {
  words: ['shorewall'],
  usage: ['hooksmith simulate shorewall COMMAND[,COMMAND] --confdir DIR [--interface IF] [options]'],
  options: `Shorewall options (COMMAND: ${shorewallCommands.join(', ')}; two, as in start,stop, run one after the other
  in the same sandbox, and the report says whether the second restored the state the first changed):
  --confdir DIR              the folder holding the hooks (CONFDIR)
  --interface IF             $1 of isusable and findgw (default: eth0)`,
  parse(_word, argv, options) {
    const [word, ...rest] = argv;
    const [command, then, ...more] = (word ?? '').split(',');
    for (const c of [command, ...(then === undefined ? [] : [then])]) {
      if (!shorewallCommands.includes(c as ShorewallCommand)) {
        throw new UsageError(`simulate shorewall needs a command: ${shorewallCommands.join(', ')}${c ? `, not '${c}'` : ''}.`);
      }
    }
    if (more.length) throw new UsageError(`simulate shorewall runs one command, or two (start,stop), not ${word}.`);
    const b = options(rest, {
      '--confdir': (v, f) => (f.confdir = v),
      '--interface': (v, f) => (f.interface = v),
    });
    if (typeof b.fields.confdir !== 'string') throw new UsageError('simulate shorewall needs --confdir DIR.');
    const request: ShorewallRequest = {
      kind: 'shorewall',
      command: command as ShorewallCommand,
      ...(then ? { then: then as ShorewallCommand } : {}),
      confdir: b.fields.confdir,
      ...b.fields,
    };
    return { json: b.json, request };
  },
};
