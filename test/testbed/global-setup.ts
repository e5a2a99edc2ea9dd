/**
 * Vitest global setup of the `integration` and `e2e` projects: starts (or attaches to) the shared testbed
 * and provides its facts as `inject('testbed')`. The last project's teardown stops it.
 */
import type { TestProject } from 'vitest/node';
import './info.js';
import { acquireTestbed, releaseTestbed } from './testbed.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const verbose = process.env['KUSION_TESTBED_VERBOSE'] === '1';
  const info = await acquireTestbed(verbose ? (line) => console.error(`testbed: ${line}`) : undefined);
  project.provide('testbed', info);
  return async () => {
    await releaseTestbed();
  };
}
