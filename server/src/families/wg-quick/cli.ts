import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { WgEvent, wgEvents } from './hooks';
import { WgRequest } from './request';

/** `hooksmith simulate wg-quick up,down --config wg0.conf`. */
export const wgCli: FamilyCli = {
  words: ['wg-quick'],
  usage: ['hooksmith simulate wg-quick COMMAND[,COMMAND...] --config wg0.conf [options]'],
  options: `wg-quick options (COMMAND: ${wgEvents.join(', ')}):
  --config FILE              the wg-quick config: its [Interface] PreUp/PostUp (up) and PreDown/PostDown
                             (down) lines run in file order, each as (eval "$hook") under set -e, %i
                             replaced by the interface (the file name without .conf)`,
  parse(_word, argv, options) {
    const [list, ...rest] = argv;
    if (list === undefined || list.startsWith('-'))
      throw new UsageError(`simulate wg-quick needs a list of commands, for example up,down (${wgEvents.join(', ')}).`);
    const events = list.split(',').map((e) => e.trim());
    for (const e of events)
      if (!wgEvents.includes(e as WgEvent)) throw new UsageError(`Unknown wg-quick command '${e}': use ${wgEvents.join(', ')}.`);
    const b = options(rest, { '--config': (v, f) => (f.config = v) });
    if (typeof b.fields.config !== 'string') throw new UsageError('simulate wg-quick needs --config FILE (the wg-quick config).');
    const request = { ...b.fields, kind: 'wg-quick', events: events as WgEvent[], config: b.fields.config } satisfies WgRequest;
    return { json: b.json, request };
  },
};
