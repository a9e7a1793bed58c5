import { simulateAnyConnect } from './anyconnect/simulate';
import { SimulationReport } from './protocol';
import { checkRequest } from './request';
import { simulateShorewall } from './shorewall/runShorewall';
import { SimulationHooks } from './simulationHooks';

/** One entry for every face: checks the request, then runs the family's simulation. */
export function simulate(request: unknown, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const req = checkRequest(request);
  if (req.kind === 'anyconnect') return simulateAnyConnect(req, hooks);
  return simulateShorewall(req, hooks);
}
