/**
 * Steps of the README and docs as a new user meets them, where they once went wrong.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, removeProjects, shopProject } from './helpers.js';

afterAll(removeProjects);

describe('first steps', () => {
  it('kusion --version prints the version', async () => {
    const project = await makeProject({});
    const result = await project.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('mod add <name> --version <range> stores the range (the flag is not taken for `kusion --version`)', async () => {
    const project = await shopProject();
    const added = await project.run([
      'mod',
      'add',
      'greeter',
      '--source',
      './modules/greeter',
      '--version',
      '^0.1.0',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const shown = await project.run(['workspace', 'show']);
    expect(shown.stdout).toContain('version: ^0.1.0');
  });
});
