import { ApiException } from '@kubernetes/client-node';
import { Codes, KusionError } from '../../errors/index.js';

interface StatusBody {
  message?: string;
  reason?: string;
  details?: {
    kind?: string;
    name?: string;
    causes?: { field?: string; message?: string; reason?: string }[];
  };
}

/** The Status object of an API failure (client-node leaves it as a JSON string). */
export function statusOf(error: ApiException<unknown>): StatusBody {
  const body = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return (body ?? {}) as StatusBody;
}

export const httpStatus = (error: unknown): number | undefined =>
  error instanceof ApiException ? error.code : undefined;

/** True when the API answered 404: the object (or its kind) does not exist. */
export const isNotFound = (error: unknown): boolean => httpStatus(error) === 404;

/**
 * Maps an API failure to a coded error naming the resource: 409 field-manager conflicts list each field
 * with its owning manager (KUS5003), other rejections are KUS5004.
 */
export function apiError(error: unknown, resourceId: string): KusionError {
  if (!(error instanceof ApiException)) {
    return new KusionError(
      Codes.rejectedByApiServer,
      `${resourceId}: ${(error as Error).message ?? String(error)}`,
      { source: 'external', location: resourceId, cause: error },
    );
  }
  const status = statusOf(error);
  const causes = status.details?.causes ?? [];
  if (error.code === 409 && causes.some((c) => c.reason === 'FieldManagerConflict')) {
    const fields = causes.map((c) => `${c.field ?? '?'} (${c.message ?? 'conflict'})`).join('; ');
    return new KusionError(Codes.fieldManagerConflict, `${resourceId}: field manager conflict: ${fields}`, {
      source: 'external',
      location: resourceId,
      cause: error,
      hints: [
        'another manager owns these fields; change them there, drop them from the spec, or apply with --force-conflicts',
      ],
    });
  }
  const detail =
    causes.length > 0
      ? `: ${causes.map((c) => `${c.field ?? ''} ${c.message ?? ''}`.trim()).join('; ')}`
      : '';
  return new KusionError(
    Codes.rejectedByApiServer,
    `${resourceId}: rejected by the API server (${error.code} ${status.reason ?? ''}): ${status.message ?? error.message}${detail}`.replace(
      /\s+\)/,
      ')',
    ),
    {
      source: 'external',
      location: resourceId,
      cause: error,
    },
  );
}

/** 429, 5xx and connection failures are worth retrying; everything else is an answer. */
export function isRetryable(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return status === 429 || status >= 500;
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
    (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'].includes(code)
  );
}
