/** Regenerates the generated parts of docs/ from the code: the CLI reference. */
import { writeFile } from 'node:fs/promises';
import { buildProgram } from '../packages/cli/src/program.js';
import { cliReference } from '../packages/cli/src/reference.js';

await writeFile(new URL('../docs/cli.md', import.meta.url), cliReference(buildProgram()));
