import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { Reason, reasons } from './hooks';
import { VpncRequest } from './request';

/** `hooksmith simulate vpnc-script REASON,REASON... --script FILE | --hooks-dir DIR`. */
export const vpncCli: FamilyCli = {
  words: ['vpnc-script'],
  usage: ['hooksmith simulate vpnc-script REASON,REASON... (--script FILE | --hooks-dir DIR) [options]'],
  options: `vpnc-script options (REASON: ${reasons.join(', ')}):
  --script FILE              the script openconnect's --script names, run as /bin/sh -c runs it
  --hooks-dir DIR            the folder holding connect.d/, disconnect.d/ ... (as /etc/vpnc): their
                             files are sourced in the stock vpnc-script's order, in glob order`,
  parse(_word, argv, options) {
    const [list, ...rest] = argv;
    if (list === undefined || list.startsWith('-'))
      throw new UsageError(`simulate vpnc-script needs a list of reasons, for example connect,disconnect (${reasons.join(', ')}).`);
    const events = list.split(',').map((e) => e.trim());
    for (const e of events) if (!reasons.includes(e as Reason)) throw new UsageError(`Unknown reason '${e}': use ${reasons.join(', ')}.`);
    const b = options(rest, {
      '--script': (v, f) => (f.script = v),
      '--hooks-dir': (v, f) => (f.hooksDir = v),
    });
    if (!b.fields.script === !b.fields.hooksDir)
      throw new UsageError('simulate vpnc-script needs --script FILE or --hooks-dir DIR (one of them).');
    const request: VpncRequest = { kind: 'vpnc-script', events: events as Reason[], ...b.fields };
    return { json: b.json, request };
  },
};
