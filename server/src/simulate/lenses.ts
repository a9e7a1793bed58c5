import { families } from '../families/registry';
import { Recognized, SimulationLens } from '../families/family';

export type { SimulationLens };

/** The lenses every family puts in a profile (the family whose hooks a profile runs has some). */
export function profileLenses(text: string, profilePath: string): SimulationLens[] {
  return families.flatMap((f) => f.profileLenses?.(text, profilePath) ?? []);
}

/** At the top of a hook file: what its family simulates for it (the events or commands that run it). */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  return recognized.family.hookLenses?.(file, recognized) ?? [];
}
