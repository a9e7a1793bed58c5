import { shortRun } from './shortRun';
import { hostileWorkspaceTarget } from './targets/hostileWorkspace';

// 200 cases, not 2,000: each builds a workspace on disk (FIFOs through mkfifo, links), scans it
// and walks it again as the CLI does, about 30 ms a case, twice. `npm run fuzz` runs the full count.
shortRun(hostileWorkspaceTarget, 1212, 200);
