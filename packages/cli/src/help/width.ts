/**
 * Help is wrapped at 80 columns, or at a narrower terminal's width. Fixing the usual width is what lets
 * main.ts print help cached at build time (help/texts.ts) instead of loading commander and every command.
 */
export const helpColumns = 80;

/** The width commander wraps help at on this stream. */
export function helpWidth(stream: { readonly isTTY?: boolean; readonly columns?: number }): number {
  return stream.isTTY === true ? Math.min(stream.columns ?? helpColumns, helpColumns) : helpColumns;
}
