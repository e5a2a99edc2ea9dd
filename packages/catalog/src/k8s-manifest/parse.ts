import type { JsonObject, JsonValue, KubernetesObject } from '@kusion/module-sdk';
import { ModuleInputError } from '@kusion/module-sdk';
import { parseAllDocuments } from 'yaml';
import { errorMessage } from '../shared/errors.js';
import { compact } from '../shared/object.js';

/** A Kubernetes object read from a manifest file, with where it came from for error messages. */
export interface ManifestObject {
  readonly object: KubernetesObject;
  /** `<file>` or `<file> (document <n>)`. */
  readonly source: string;
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isJsonValue);
  }
  return false;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isJsonValue(value);
}

/** Narrows a document to a Kubernetes object, which needs an `apiVersion`, a `kind` and a name. */
function toKubernetesObject(value: JsonObject, source: string): KubernetesObject {
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    throw new ModuleInputError(`${source}: a Kubernetes object needs apiVersion and kind`);
  }
  const name = isJsonObject(metadata) ? metadata['name'] : undefined;
  if (!isJsonObject(metadata) || typeof name !== 'string' || name === '') {
    // generateName would give a new object on every apply, which Kusion could never track.
    throw new ModuleInputError(`${source}: ${kind} has no metadata.name (generateName is not supported)`);
  }
  const namespace = metadata['namespace'];
  if (namespace !== undefined && typeof namespace !== 'string') {
    throw new ModuleInputError(`${source}: ${kind} ${name} has a metadata.namespace that is not a string`);
  }
  return { ...value, apiVersion, kind, metadata: { ...metadata, name } };
}

/** Objects of a document: the document itself, or the items of a `List` (kubectl's `kind: List`). */
function objectsOf(value: JsonObject, source: string): KubernetesObject[] {
  const kind = value['kind'];
  const items = value['items'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    return items.map((item, index) => {
      const where = `${source} item ${index + 1}`;
      if (!isJsonObject(item)) throw new ModuleInputError(`${where}: not an object`);
      return toKubernetesObject(item, where);
    });
  }
  return [toKubernetesObject(value, source)];
}

/**
 * Parses a manifest file: YAML with any number of `---`-separated documents, or JSON. Empty documents are
 * skipped; anything that is not a named Kubernetes object is an error naming the file and document.
 */
export function parseManifest(path: string, text: string): ManifestObject[] {
  const documents = parseAllDocuments(text, { merge: true, prettyErrors: true });
  const result: ManifestObject[] = [];
  const several = documents.length > 1;
  for (const [index, document] of documents.entries()) {
    const source = several ? `${path} (document ${index + 1})` : path;
    const [error] = document.errors;
    if (error) throw new ModuleInputError(`${source}: ${error.message}`);
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      throw new ModuleInputError(`${source}: ${errorMessage(error)}`);
    }
    if (value === null || value === undefined) continue;
    if (!isJsonObject(value))
      throw new ModuleInputError(`${source}: expected a Kubernetes object (a mapping)`);
    // A deep copy: YAML aliases come back as shared objects, and a change to one must not reach the others.
    for (const object of objectsOf(compact(value), source)) result.push({ object, source });
  }
  return result;
}
