/** kill -9 at 20 random instants of a 300-resource apply with state on S3 (versitygw; apply-kill-series.ts). */
import { killSeries } from './apply-kill-series.js';
import { s3Backend } from './cli-backends.js';

killSeries('s3', s3Backend);
