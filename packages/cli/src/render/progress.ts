import type { ResourceEvent } from '@kusion/engine';
import type { Style } from './style.js';

const symbols: Record<ResourceEvent['status'], string> = {
  pending: '◌',
  running: '⟳',
  waiting: '…',
  succeeded: '✔',
  failed: '✖',
  skipped: '⊘',
  unchanged: '·',
};

function label(event: ResourceEvent): string {
  switch (event.status) {
    case 'running':
      return event.action === 'Create'
        ? 'Creating'
        : event.action === 'Delete'
          ? 'Deleting'
          : event.action === 'Replace'
            ? 'Replacing'
            : 'Updating';
    case 'waiting':
      return `Waiting${event.message ? `: ${event.message}` : ''}`;
    case 'succeeded':
      return event.action === 'Delete' ? 'Deleted' : 'Ready';
    case 'failed':
      return `Failed: ${event.message ?? ''}`;
    case 'skipped':
      return `Skipped${event.message ? ` (${event.message})` : ''}`;
    case 'unchanged':
      return 'UnChanged';
    default:
      return 'Pending';
  }
}

/** Statuses after which a resource's line no longer changes. */
const final = new Set<ResourceEvent['status']>(['succeeded', 'failed', 'skipped', 'unchanged']);

/**
 * Progress of an apply or destroy (SPEC §11.5). On a TTY each resource has one line, updated in place while
 * it is in flight; when it settles its line is printed for good above the lines still in flight, so a
 * redraw costs what is in flight (at most the parallelism), not the whole stack. Otherwise one timestamped
 * line per transition, written together at the end of each turn of the event loop (one write instead of
 * one per line); `flush` writes what is pending before anything else is printed.
 */
export class ProgressRenderer {
  /** Lines of resources in flight, in the order they started. */
  private readonly inFlight = new Map<string, string>();
  private rendered = 0;
  private pending = '';
  private flushScheduled = false;
  private readonly stream: NodeJS.WriteStream;
  private readonly style: Style;
  private readonly live: boolean;

  constructor(stream: NodeJS.WriteStream, style: Style, live: boolean) {
    this.stream = stream;
    this.style = style;
    this.live = live;
  }

  onEvent = (event: ResourceEvent): void => {
    const text = `${symbols[event.status]} ${event.id}  ${label(event)}`;
    if (!this.live) {
      this.pending += `${new Date().toISOString()} ${text}\n`;
      this.scheduleFlush();
      return;
    }
    const coloured =
      event.status === 'failed'
        ? this.style.red(text)
        : event.status === 'succeeded'
          ? this.style.green(text)
          : text;
    // Back to the top of the in-flight lines, and clear them.
    let out = this.rendered > 0 ? `\u001b[${this.rendered}A\u001b[0J` : '';
    if (final.has(event.status)) {
      this.inFlight.delete(event.id);
      out += `${coloured}\n`;
    } else this.inFlight.set(event.id, coloured);
    for (const line of this.inFlight.values()) out += `${line}\n`;
    this.stream.write(out);
    this.rendered = this.inFlight.size;
  };

  /** Writes the lines not yet written (non-TTY). */
  flush(): void {
    if (this.pending === '') return;
    this.stream.write(this.pending);
    this.pending = '';
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }
}
