import { z } from 'zod';
import { Codes, type Diagnostic } from '../errors/index.js';
import { type ProjectFile, ProjectFileSchema } from '../model/index.js';
import { validateWithSchema } from './schema-validation.js';
import { parseYaml } from './source-document.js';

const projectJsonSchema = z.toJSONSchema(ProjectFileSchema, { io: 'input' });

export interface ParsedProjectFile {
  readonly file?: ProjectFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses and validates `project.yaml` or `stack.yaml` (KUS1004 syntax, KUS1002 shape). */
export function parseProjectFile(text: string, displayName: string): ParsedProjectFile {
  const parsed = parseYaml(text, displayName);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  const { value, diagnostics } = validateWithSchema(
    parsed.document,
    projectJsonSchema,
    Codes.invalidProjectFile,
    '',
  );
  if (diagnostics.length > 0) return { diagnostics };
  return { file: value as ProjectFile, diagnostics: [] };
}
