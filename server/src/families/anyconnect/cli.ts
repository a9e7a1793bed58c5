import { boolean, milliseconds } from '../../cli/optionValues';
import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { AnyConnectRequest, HookEvent, hookEvents } from './request';

/** `hooksmith simulate EVENT ...` and `hooksmith simulate sequence EVENT,EVENT ...`. */
export const anyconnectCli: FamilyCli = {
  words: [...hookEvents, 'sequence'],
  usage: [
    'hooksmith simulate connect|disconnect|reconnect|update [options]',
    'hooksmith simulate sequence EVENT,EVENT... [--gap-ms N] [options]',
  ],
  options: `AnyConnect options:
  --profile FILE             profile: its OnConnectScript/OnDisconnectScript (seed), its
                             TerminateScriptOnNextEvent and its first HostEntry
  --scripts DIR              script folder (default: beside the profile: its folder, script/, scripts/)
  --script FILE              run this file for every event instead of choosing one
  --terminate-on-next-event true|false
                             overrides the profile's TerminateScriptOnNextEvent
  --gap-ms N                 between the events of a sequence (default: 1000)`,
  parse(word, argv, options) {
    let events = [word];
    let rest = argv;
    if (word === 'sequence') {
      const [list, ...more] = argv;
      if (list === undefined || list.startsWith('-'))
        throw new UsageError('simulate sequence needs a list of events, for example connect,disconnect.');
      events = list.split(',').map((e) => e.trim());
      rest = more;
    }
    for (const e of events)
      if (!hookEvents.includes(e as HookEvent)) throw new UsageError(`Unknown event '${e}': use ${hookEvents.join(', ')}.`);
    const b = options(rest, {
      '--profile': (v, f) => (f.profile = v),
      '--scripts': (v, f) => (f.scripts = v),
      '--script': (v, f) => (f.script = v),
      '--gap-ms': (v, f) => (f.gapMs = milliseconds('--gap-ms', v)),
      '--terminate-on-next-event': (v, f) => (f.terminateOnNextEvent = boolean('--terminate-on-next-event', v)),
    });
    if (!b.fields.profile && !b.fields.scripts && !b.fields.script) throw new UsageError('Give --profile, --scripts or --script.');
    const request: AnyConnectRequest = { kind: 'anyconnect', events: events as HookEvent[], ...b.fields };
    return { json: b.json, request };
  },
};
