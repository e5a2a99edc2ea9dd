/**
 * The one masker (SPEC §14 Masking). Every resolved secret, derived value and sensitive attribute is
 * registered before it can reach a sink; every sink (terminal, JSON, Markdown, logs, error messages,
 * OpenTofu output) passes its text through it. Values of four characters or more are replaced wherever
 * they occur; shorter ones only where they stand as a whole field value, since replacing two letters
 * everywhere would shred ordinary output.
 *
 * Each value is also registered in the forms it commonly travels in: JSON-escaped (inside `-o json`) and
 * base64 (Kubernetes Secret `data`).
 */
import type { JsonValue } from '../model/index.js';

/** What a masked value is replaced with. */
export const maskPlaceholder = '(sensitive)';

const minimumAnywhere = 4;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Masker {
  private readonly anywhere = new Set<string>();
  private readonly whole = new Set<string>();
  private pattern: RegExp | undefined;
  private wholePattern: RegExp | undefined;

  /** Registers a secret value; empty values are ignored (they hide nothing). */
  register(value: string): void {
    if (value === '') return;
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')]);
    for (const form of forms) {
      const set = form.length >= minimumAnywhere ? this.anywhere : this.whole;
      if (set.has(form)) continue;
      set.add(form);
      this.pattern = undefined;
      this.wholePattern = undefined;
    }
  }

  /** How many forms are registered (for tests and debug output). */
  get size(): number {
    return this.anywhere.size + this.whole.size;
  }

  /** Whether a value is registered exactly. */
  has(value: string): boolean {
    return this.anywhere.has(value) || this.whole.has(value);
  }

  /**
   * Masks text: long values anywhere; short ones where they are a whole field value, as far as text shows
   * it: quoted (`"abc"`, JSON and YAML) or after `: `/`= ` up to the end of the line.
   */
  maskText(text: string): string {
    if (this.size === 0 || text === '') return text;
    let masked = text;
    const long = this.longPattern();
    if (long) masked = masked.replace(long, maskPlaceholder);
    const short = this.shortPattern();
    if (short)
      masked = masked.replace(short, (_match, quote: string | undefined, lead: string | undefined) =>
        quote !== undefined ? `${quote}${maskPlaceholder}${quote}` : `${lead ?? ''}${maskPlaceholder}`,
      );
    return masked;
  }

  /** Masks a JSON value: short values as whole strings, long ones inside any string. Keys are kept. */
  maskValue(value: JsonValue): JsonValue {
    if (this.size === 0) return value;
    if (typeof value === 'string') return this.whole.has(value) ? maskPlaceholder : this.maskText(value);
    if (Array.isArray(value)) return value.map((v) => this.maskValue(v));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskValue(v)]));
    return value;
  }

  private longPattern(): RegExp | undefined {
    if (this.pattern === undefined && this.anywhere.size > 0) {
      // Longest first, so a value containing another is replaced whole.
      const alternatives = [...this.anywhere].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return this.pattern;
  }

  private shortPattern(): RegExp | undefined {
    if (this.wholePattern === undefined && this.whole.size > 0) {
      const alternatives = [...this.whole]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|');
      this.wholePattern = new RegExp(`(["'])(?:${alternatives})\\1|(^|[:=] )(?:${alternatives})$`, 'gm');
    }
    return this.wholePattern;
  }
}

/**
 * The process-wide masker: one process serves one user, and masking another run's secret too is safe,
 * so every engine call registers here and every sink reads from here.
 */
export const outputMasker = new Masker();
