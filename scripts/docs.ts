/**
 * Regenerates the generated parts of docs/ and schemas/ from the code: the CLI reference, the
 * AppConfiguration reference and the editor schemas for main.yaml and workspace files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generatedDocs } from './generated-docs.js';

const root = new URL('../', import.meta.url);
for (const [path, content] of Object.entries(await generatedDocs())) {
  const target = new URL(path, root);
  await mkdir(dirname(target.pathname), { recursive: true });
  await writeFile(target, content);
}
