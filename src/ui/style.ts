/**
 * Minimal ANSI styling shared by every renderer. Written by hand (a dozen lines) so the plain
 * and JSON reporters never load a colour library or Ink; `color: false` returns text untouched,
 * which is how NO_COLOR and non-TTY output stay free of escape codes.
 */
export interface Style {
  readonly color: boolean;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

function wrap(open: number, close: number): (s: string) => string {
  return (s) => `\u001b[${open}m${s}\u001b[${close}m`;
}

const plainText = (s: string): string => s;

export function makeStyle(color: boolean): Style {
  if (!color) {
    return {
      color,
      green: plainText,
      red: plainText,
      yellow: plainText,
      cyan: plainText,
      dim: plainText,
      bold: plainText,
    };
  }
  return {
    color,
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

// Matches SGR and other CSI sequences; used to measure and truncate styled text.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(s: string): string {
  return s.replace(ansiPattern, "");
}
