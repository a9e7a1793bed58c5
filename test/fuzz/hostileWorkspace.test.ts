import { shortRun } from './shortRun';
import { hostileWorkspaceTarget } from './targets/hostileWorkspace';

// Each case builds a workspace in memory (FIFOs, links), scans it and walks it again as the CLI does, twice: about 5 ms.
shortRun(hostileWorkspaceTarget, 1212);
