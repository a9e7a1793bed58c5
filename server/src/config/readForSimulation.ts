import { readRegularFileSync, refusal } from '../files/readFile';
import { SimulationError } from '../simulate/simulationHooks';
import { decode } from '../text/decode';

/** A config document a simulation reads (ocserv.conf, an OpenVPN config): its text, or a SimulationError that says why not. */
export function readConfigForSimulation(file: string, maxBytes: number, displayName: string): string {
  const read = readRegularFileSync(file, maxBytes);
  if (read.kind === 'missing') throw new SimulationError(`Cannot read ${file}: it does not exist.`);
  if (read.kind === 'not-regular') throw new SimulationError(refusal(file, read.what));
  if (read.kind === 'too-large') throw new SimulationError(`${file} is larger than ${maxBytes / 1024 / 1024} MB; not read.`);
  if (read.kind === 'error') throw new SimulationError(`Cannot read ${file}: ${read.reason}.`);
  const text = decode(read.bytes);
  if (text.slice(0, 8192).includes('\0')) throw new SimulationError(`${file} is binary, not ${displayName}.`);
  return text;
}
