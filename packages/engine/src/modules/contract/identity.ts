// Single functions: `semver`'s index loads the whole library.
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import { Codes, KusionError } from '../../errors/index.js';
import type { ModuleBlock } from '../../model/index.js';

/** The module must call itself what the workspace calls it, and its version must satisfy the range. */
export function checkModuleIdentity(
  declaredName: string,
  description: { readonly name: string; readonly version: string },
  block: ModuleBlock | undefined,
  declaredAt: string,
): void {
  if (description.name !== declaredName) {
    throw new KusionError(
      Codes.moduleNameMismatch,
      `module declared as "${declaredName}" calls itself "${description.name}"`,
      {
        location: declaredAt,
        hints: [
          `rename the workspace key to "${description.name}", or point "${declaredName}" at the right module`,
        ],
      },
    );
  }
  if (!valid(description.version)) {
    throw new KusionError(
      Codes.moduleVersionOutOfRange,
      `module "${declaredName}" has an invalid version "${description.version}"`,
      {
        location: declaredAt,
        hints: ['module versions are semver, e.g. 1.2.3'],
      },
    );
  }
  const range = block?.version;
  if (range !== undefined && !satisfies(description.version, range, { includePrerelease: true })) {
    throw new KusionError(
      Codes.moduleVersionOutOfRange,
      `module "${declaredName}" is version ${description.version}, outside the requested range ${range}`,
      {
        location: declaredAt,
        hints: ['install a matching version (`kusion mod pull`), or change `version` in the workspace'],
      },
    );
  }
}
