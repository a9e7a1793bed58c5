import { families } from '../families/registry';
import { checkRequest, RequestSpec, SimulateSettings, SimulationReport, SimulationRequest, withDefaults } from '../protocol';
import { SimulationHooks } from './simulationHooks';

/** The request fields of every family that simulates. */
export function requestSpecs(): RequestSpec[] {
  return families.flatMap((f) => (f.simulation ? [f.simulation.request] : []));
}

/** The one check of a request, where it enters (LSP command, CLI). */
export function checkSimulationRequest(value: unknown): SimulationRequest {
  return checkRequest(value, requestSpecs());
}

/** The request in its family's words ("connect then disconnect"), for progress titles. */
export function describeRequest(request: SimulationRequest): string {
  return familyOf(request)?.simulation?.describe(request) ?? request.kind;
}

/** The settings' defaults for what the request leaves out, the family's own timeout first (see FamilySimulation.defaultTimeoutMs). */
export function withFamilyDefaults<T extends SimulationRequest>(request: T, settings: SimulateSettings): T {
  return withDefaults(request, settings, familyOf(request)?.simulation?.defaultTimeoutMs);
}

function familyOf(request: SimulationRequest) {
  return families.find((f) => f.id === request.kind && f.simulation);
}

/** Runs a checked request with the simulator of its family. */
export function simulateChecked(request: SimulationRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const family = familyOf(request);
  if (!family?.simulation) throw new Error(`No family simulates "${request.kind}".`);
  return family.simulation.run(request, hooks);
}

/** One entry for every face: checks the request, then runs the family's simulation. */
export async function simulate(request: unknown, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  return simulateChecked(checkSimulationRequest(request), hooks);
}
