/** kill -9 at 20 random instants of a 300-resource apply with state on PostgreSQL (apply-kill-series.ts). */
import { killSeries } from './apply-kill-series.js';
import { postgresBackend } from './cli-backends.js';

killSeries('postgres', () => postgresBackend());
