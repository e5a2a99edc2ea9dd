import type { GlobalFlags } from './context.js';
import { ExitCode, reportError } from './render/errors.js';
import { installOutputMasking } from './render/masking.js';
import { createStyle, type Style } from './render/style.js';

/** Styling is on only for a TTY without `--no-style` or `NO_COLOR`. */
export function styleFor(flags: GlobalFlags, stream: NodeJS.WriteStream = process.stderr): Style {
  return createStyle(
    flags.style !== false &&
      !process.env['NO_COLOR'] &&
      (stream.isTTY === true || Boolean(process.env['FORCE_COLOR'])),
  );
}

/**
 * Runs a command action: errors become coded messages (or `{"error"}` with `-o json`) and exit codes;
 * unexpected exceptions become KUS9001. Stack traces only with `--debug`.
 */
export async function run(flags: GlobalFlags, action: () => Promise<number | undefined>): Promise<void> {
  try {
    // Commands reach the engine anyway; its masker then guards everything written from here on.
    const { maskOutput } = await import('@kusion/engine');
    installOutputMasking(maskOutput);
    process.exitCode = (await action()) ?? ExitCode.ok;
  } catch (error) {
    const { toKusionError } = await import('@kusion/engine');
    reportError(toKusionError(error), {
      json: flags.output === 'json',
      debug: flags.debug === true,
      style: styleFor(flags),
    });
    process.exitCode = ExitCode.error;
  }
}
