import { shortRun } from './shortRun';
import { nmDispatcherTarget } from './targets/nmDispatcher';

shortRun(nmDispatcherTarget, 7018);
