import { helpTexts } from './texts.js';
import { helpColumns, helpWidth } from './width.js';

/**
 * The help text for `kusion [<command>…] --help|-h`, cached at build time, or undefined when commander
 * has to answer (other arguments, or a terminal narrower than the cached width).
 */
export function cachedHelp(args: readonly string[], stdout: NodeJS.WriteStream): string | undefined {
  const flag = args.at(-1);
  if ((flag !== '--help' && flag !== '-h') || helpWidth(stdout) !== helpColumns) return undefined;
  const path = args.slice(0, -1);
  // A path word holding a space could join into another command's key.
  if (path.some((word) => /\s/.test(word))) return undefined;
  const key = path.join(' ');
  return Object.hasOwn(helpTexts, key) ? helpTexts[key] : undefined;
}
