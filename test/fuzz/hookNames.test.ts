import { shortRun } from './shortRun';
import { hookNamesTarget } from './targets/hookNames';

shortRun(hookNamesTarget, 7102);
