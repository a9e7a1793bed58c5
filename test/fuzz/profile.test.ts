import { shortRun } from './shortRun';
import { profileTarget } from './targets/profile';

shortRun(profileTarget, 7101);
