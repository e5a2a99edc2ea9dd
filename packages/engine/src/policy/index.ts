export { baselineRuleNames, exceptedRule, isPinnedImage } from './baseline.js';
export { celPolicyVariables } from './cel-rules.js';
export {
  type CompiledPolicies,
  compilePolicies,
  type EvaluatePoliciesOptions,
  evaluatePolicies,
  hasPolicies,
  type PolicyCompileProblem,
  type PolicyForm,
  policyForm,
} from './evaluate.js';
export { compileHealthPolicy, type HealthPolicy, type HealthVerdict } from './health-policy.js';
export type { RegoEngine, RegoEvaluateRequest, RegoEvaluation, RegoModules, RegoProblem } from './port.js';
export type { PolicyInput, PolicyReport, PolicyViolation } from './types.js';
