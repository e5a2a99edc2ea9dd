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

/**
 * Progress of an apply or destroy: on a TTY one line per resource updated in place; otherwise one
 * timestamped line per transition (SPEC §11.5).
 */
export class ProgressRenderer {
  private readonly lines = new Map<string, string>();
  private rendered = 0;
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
    const coloured =
      event.status === 'failed'
        ? this.style.red(text)
        : event.status === 'succeeded'
          ? this.style.green(text)
          : text;
    if (!this.live) {
      this.stream.write(`${new Date().toISOString()} ${text}\n`);
      return;
    }
    this.lines.set(event.id, coloured);
    this.redraw();
  };

  private redraw(): void {
    if (this.rendered > 0) this.stream.write(`\u001b[${this.rendered}A`);
    const lines = [...this.lines.values()];
    for (const line of lines) this.stream.write(`\u001b[2K${line}\n`);
    this.rendered = lines.length;
  }
}
