/**
 * What a module throws when inputs pass their schema but still cannot be generated (a port listed twice,
 * a CIDR that is not one). The engine reports it as KUS3003, located at the module's invocation.
 */
export class ModuleInputError extends Error {
  override readonly name = 'ModuleInputError';
}
