/** Pure helpers behind `explain`: why an object is not ready, from its conditions, events and pods (SPEC §11.4). */
import type { JsonObject } from '../../model/index.js';

type Condition = { type?: string; status?: string; reason?: string; message?: string };

/** Conditions that are not True, as `Type=False (Reason): message`. */
export function failingConditions(live: JsonObject): string[] {
  const conditions = (live['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions
    .filter((c) => c.status !== 'True')
    .map(
      (c) =>
        `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
    );
}

/** The last five Warning events, newest last. */
export function recentWarnings(events: readonly JsonObject[]): string[] {
  const time = (e: JsonObject) => String(e['lastTimestamp'] ?? e['eventTime'] ?? '');
  return [...events]
    .sort((a, b) => (time(a) < time(b) ? -1 : 1))
    .slice(-5)
    .map((e) => `event ${String(e['reason'] ?? '')}: ${String(e['message'] ?? '')}`);
}

/** The first container waiting or terminated with a reason, e.g. CrashLoopBackOff or ImagePullBackOff. */
export function firstFailingContainer(pods: readonly JsonObject[]): string | undefined {
  for (const pod of pods) {
    const statuses =
      (
        pod['status'] as
          | {
              containerStatuses?: {
                name?: string;
                state?: Record<string, { reason?: string; message?: string }>;
              }[];
            }
          | undefined
      )?.containerStatuses ?? [];
    for (const container of statuses) {
      const state = container.state?.['waiting'] ?? container.state?.['terminated'];
      if (state?.reason && state.reason !== 'Completed') {
        const name = (pod['metadata'] as { name?: string } | undefined)?.name;
        return `pod ${name} container ${container.name}: ${state.reason}${state.message ? `: ${state.message}` : ''}`;
      }
    }
  }
  return undefined;
}
