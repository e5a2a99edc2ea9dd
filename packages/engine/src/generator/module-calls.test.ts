import { describe, expect, it } from 'vitest';
import type { LoadedModule } from '../modules/index.js';
import { type ModuleCall, ModuleCalls } from './module-calls.js';

function fakeModule(isExec: boolean, sent: string[], fail?: string): LoadedModule {
  return {
    name: isExec ? 'exec' : 'js',
    version: '1.0.0',
    source: 'builtin',
    origin: isExec ? 'exec' : 'builtin',
    developerSchema: {},
    platformSchema: {},
    isExec,
    generate: async (request) => {
      sent.push(String(request['n']));
      if (request['n'] === fail) throw new Error(`call ${fail} failed`);
      return { n: request['n'] };
    },
  };
}

describe('ModuleCalls', () => {
  it('sends calls ahead in order, exec calls only when consumed, and returns each its own result', async () => {
    const sent: string[] = [];
    const js = fakeModule(false, sent);
    const exec = fakeModule(true, sent);
    const calls: ModuleCall[] = ['a', 'b', 'x', 'c'].map((n) => ({
      module: n === 'x' ? exec : js,
      request: () => ({ n }),
    }));
    const pipeline = new ModuleCalls(calls);
    expect(await pipeline.result(calls[0] as ModuleCall)).toEqual({ n: 'a' });
    expect(sent).toEqual(['a', 'b', 'c']);
    for (const call of calls.slice(1)) await pipeline.result(call);
    expect(sent).toEqual(['a', 'b', 'c', 'x']);
  });

  it('leaves no unhandled rejection behind when a call sent ahead fails unconsumed', async () => {
    const sent: string[] = [];
    const js = fakeModule(false, sent, 'b');
    const calls: ModuleCall[] = ['a', 'b'].map((n) => ({ module: js, request: () => ({ n }) }));
    const pipeline = new ModuleCalls(calls);
    await pipeline.result(calls[0] as ModuleCall);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(pipeline.result(calls[1] as ModuleCall)).rejects.toThrow('call b failed');
  });
});
