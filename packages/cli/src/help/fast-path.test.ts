import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { captureHelp, commandPaths } from './capture.js';
import { cachedHelp } from './fast-path.js';
import { helpTexts } from './texts.js';

const pipe = { isTTY: false } as NodeJS.WriteStream;
const terminal = (columns: number) => ({ isTTY: true, columns }) as NodeJS.WriteStream;

describe('cached help (help/texts.ts)', () => {
  const paths = commandPaths(buildProgram());

  it('holds exactly one text per command of the program', () => {
    expect(Object.keys(helpTexts).sort()).toEqual(paths.map((path) => path.join(' ')).sort());
  });

  // Stale texts fail here: run `npm run docs` after changing a command.
  for (const path of paths) {
    it(`equals what commander prints for \`kusion ${path.join(' ')} --help\``, () => {
      expect(helpTexts[path.join(' ')]).toBe(captureHelp(buildProgram(), path));
    });
  }
});

describe('cachedHelp', () => {
  it('answers --help and -h of any command path, piped or on a terminal of 80 columns or more', () => {
    expect(cachedHelp(['--help'], pipe)).toBe(helpTexts['']);
    expect(cachedHelp(['workspace', 'create', '-h'], terminal(200))).toBe(helpTexts['workspace create']);
  });

  it('leaves everything else to commander', () => {
    expect(cachedHelp(['generate'], pipe)).toBeUndefined();
    expect(cachedHelp(['--debug', 'generate', '--help'], pipe)).toBeUndefined();
    expect(cachedHelp(['generate', '--help'], terminal(60))).toBeUndefined();
    expect(cachedHelp(['workspace create', '--help'], pipe)).toBeUndefined();
    expect(cachedHelp(['constructor', '--help'], pipe)).toBeUndefined();
  });
});
