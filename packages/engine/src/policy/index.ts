export { compileHealthPolicy, type HealthPolicy, type HealthVerdict } from './health-policy.js';
