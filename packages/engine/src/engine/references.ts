import { createHmac } from 'node:crypto';
import { ReferencePrefix } from '@kusion/module-sdk';
import { Codes, KusionError } from '../errors/index.js';
import { longestIdMatcher } from '../generator/dependencies.js';
import type { JsonObject, JsonValue } from '../model/index.js';

/** Marks a value that cannot be known before apply: its reference target is not applied yet. */
export const knownAfterApply = '(known after apply)';

export interface ResolveContext {
  /** Applied results by resource ID: Kubernetes server responses, Terraform state attributes. */
  readonly applied: ReadonlyMap<string, JsonObject>;
  /** Every ID of the spec, to split `<id>.<path>` where IDs contain dots. */
  readonly ids: ReadonlySet<string>;
  /** Derives `$kusion_derived.<length>.<label>` values; absent in previews that must not reveal them. */
  readonly derive?: (label: string, length: number) => string;
  /** Where an unresolvable reference is an error (apply) rather than "known after apply" (preview). */
  readonly strict: boolean;
  /** The resource being resolved, for messages. */
  readonly resourceId: string;
  /** Targets whose references stay as written: members of one Terraform unit, expressed natively. */
  readonly keep?: ReadonlySet<string>;
}

export interface Resolved {
  readonly value: JsonObject;
  /** Dot paths whose value is only known after apply. */
  readonly unknown: readonly string[];
  /** Dot paths holding resolved references or derived values: sensitive by default. */
  readonly sensitive: readonly string[];
}

/**
 * Replaces whole-string `$kusion_path` and `$kusion_derived` values (SPEC §7.4) in an attribute tree.
 * Path segments split on `.`; numeric segments index lists.
 */
export function resolveReferences(attributes: JsonObject, ctx: ResolveContext): Resolved {
  const matchId = longestIdMatcher(ctx.ids);
  const unknown: string[] = [];
  const sensitive: string[] = [];
  const visit = (value: JsonValue, path: string): JsonValue => {
    if (typeof value === 'string') {
      if (value.startsWith(ReferencePrefix.path)) {
        const reference = value.slice(ReferencePrefix.path.length);
        const id = matchId(reference);
        if (id && ctx.keep?.has(id)) return value;
        const target = id ? ctx.applied.get(id) : undefined;
        const found = id && target ? lookup(target, reference.slice(id.length + 1)) : undefined;
        if (found !== undefined) {
          sensitive.push(path);
          return found;
        }
        if (ctx.strict) {
          throw new KusionError(
            Codes.badPathReference,
            `${ctx.resourceId}: ${value} cannot be resolved${id && target ? ': the field does not exist' : ': its target was not applied'}`,
            { location: ctx.resourceId },
          );
        }
        unknown.push(path);
        return knownAfterApply;
      }
      if (value.startsWith(ReferencePrefix.derived) && ctx.derive) {
        const match = value.slice(ReferencePrefix.derived.length).match(/^(\d+)\.(.+)$/);
        if (match) {
          sensitive.push(path);
          return ctx.derive(match[2] ?? '', Number(match[1]));
        }
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, visit(v, path ? `${path}.${k}` : k)]),
      );
    }
    return value;
  };
  return { value: visit(attributes, '') as JsonObject, unknown, sensitive };
}

function lookup(value: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current))
      current = current[segment];
    else return undefined;
  }
  return current;
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** First `length` characters of base62(HMAC-SHA256(seed, label)): stable across runs and machines. */
export function deriveSecret(seed: Uint8Array, label: string, length: number): string {
  const digest = createHmac('sha256', seed).update(label).digest();
  let number = BigInt(`0x${digest.toString('hex')}`);
  let text = '';
  while (number > 0n) {
    text = base62[Number(number % 62n)] + text;
    number /= 62n;
  }
  return text.padStart(43, '0').slice(0, length);
}
