import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../packages/cli/src/program.js';
import { cliReference } from '../../packages/cli/src/reference.js';

describe('docs/cli.md', () => {
  it('is the reference generated from the command definitions (run `npm run docs` after changing a command)', async () => {
    const generated = cliReference(buildProgram());
    expect(generated).toContain('## kusion apply');
    expect(await readFile(new URL('../../docs/cli.md', import.meta.url), 'utf8')).toBe(generated);
  });
});
