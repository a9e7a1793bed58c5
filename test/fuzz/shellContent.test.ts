import { shortRun } from './shortRun';
import { shellContentTarget } from './targets/shellContent';

shortRun(shellContentTarget, 7103);
