/** kill -9 at 20 random instants of a 300-resource apply with state on the local backend (apply-kill-series.ts). */
import { killSeries } from './apply-kill-series.js';
import { localBackend } from './cli-backends.js';

killSeries('local', localBackend);
