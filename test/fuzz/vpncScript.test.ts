import { shortRun } from './shortRun';
import { vpncScriptTarget } from './targets/vpncScript';

shortRun(vpncScriptTarget, 5417);
