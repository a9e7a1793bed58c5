import * as path from 'node:path';
import { Recognized, SimulationLens } from '../family';
import { ShorewallRequest, shorewallCommands, ShorewallCommand } from './request';

/** At the top of a run-time hook: one lens per Shorewall command that runs it (compile-time Perl and CLI tools: none). */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const { runModel, runBy } = recognized.hook;
  if (runModel !== 'function-body' && runModel !== 'library') return [];
  const commands: readonly ShorewallCommand[] =
    runModel === 'library' ? ['start', 'stop'] : shorewallCommands.filter((c) => runBy.includes(c));
  return commands.map((command, i) => {
    const request: ShorewallRequest = { kind: 'shorewall', command, confdir: path.dirname(file) };
    return { start: 0, end: 0, title: i === 0 ? `▶ Simulate shorewall ${command}` : command, request };
  });
}
