import pc from 'picocolors';

/** Colour functions, or identity when styling is off (`--no-style`, `NO_COLOR`, not a TTY). */
export interface Style {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const plain = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  const colours = pc.createColors(enabled && pc.isColorSupported);
  return enabled
    ? { red: colours.red, yellow: colours.yellow, green: colours.green, dim: colours.dim, bold: colours.bold }
    : { red: plain, yellow: plain, green: plain, dim: plain, bold: plain };
}
