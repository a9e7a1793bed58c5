import { shortRun } from './shortRun';
import { wgQuickTarget } from './targets/wgQuick';

shortRun(wgQuickTarget, 1818);
