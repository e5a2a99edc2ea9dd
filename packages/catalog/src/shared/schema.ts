import { z } from 'zod';

/** Labels or annotations: a map of strings. */
export const StringMap = z.record(z.string().min(1), z.string());

/** A DNS-1123 label (container names, Secret keys of the catalog). */
export const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 subdomain (Secret and ConfigMap names). */
export const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A TCP or UDP port number. */
export const PortNumber = z.number().int().min(1).max(65535);

/** An IANA service name, the form Kubernetes accepts for named container ports. */
export const PortName = z
  .string()
  .regex(/^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  .describe('port name: up to 15 lower-case letters, digits and `-`, with at least one letter');

/** A Prometheus-style duration such as `30s`, `1m30s` or `500ms`. */
export const Duration = z
  .string()
  .regex(/^(?!$)((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/);

/** A semantic version such as `5.100.0`, used to pin Terraform providers. */
export const ExactVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
