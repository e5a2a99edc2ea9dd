/** A Secret name: a DNS-1123 subdomain. */
const secretName = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*';
/** A key of a Secret's data. */
const secretKey = '[-._a-zA-Z0-9]+';

/** `secret://<secret>/<key>`: one value of a Secret (SPEC §7.4). */
export const secretKeyRefPattern = new RegExp(`^secret://(?<name>${secretName})/(?<key>${secretKey})$`);
/** `secret://<secret>`: a whole Secret. */
export const secretRefPattern = new RegExp(`^secret://(?<name>${secretName})$`);

/** A reference to one key of a Secret. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Parses `secret://<secret>/<key>`; `undefined` when the value is not of that form. */
export function parseSecretKeyRef(value: string): SecretKeyRef | undefined {
  const groups = secretKeyRefPattern.exec(value)?.groups;
  const name = groups?.['name'];
  const key = groups?.['key'];
  return name !== undefined && key !== undefined ? { name, key } : undefined;
}

/** Parses `secret://<secret>`; `undefined` when the value is not of that form. */
export function parseSecretRef(value: string): string | undefined {
  return secretRefPattern.exec(value)?.groups?.['name'];
}

/** True when a string is meant as a secret reference, well-formed or not. */
export function looksLikeSecretRef(value: string): boolean {
  return value.startsWith('secret://');
}
