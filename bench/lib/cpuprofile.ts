/** Reading V8 `.cpuprofile` files (written by `node --cpu-prof`, one per thread). */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ThreadReport {
  /** Profile start and end on the process-wide monotonic clock, ms (comparable across threads). */
  readonly startMs: number;
  readonly endMs: number;
  /** Profile span, ms. */
  readonly spanMs: number;
  /** Sampled time excluding `(idle)`, ms. */
  readonly busyMs: number;
  /** Self time per bucket (package, kusion file, node internal area, GC, program), ms. */
  readonly selfByBucket: ReadonlyMap<string, number>;
  /** Inclusive time per kusion function (`name file:line`), each sample counted once per function, ms. */
  readonly inclusiveByFunction: ReadonlyMap<string, number>;
  /** Inclusive time per bucket, each sample counted once per bucket, ms. */
  readonly inclusiveByBucket: ReadonlyMap<string, number>;
  /** Inclusive time of each module's top-level evaluation (ESM body or CJS wrapper), by short file name, ms. */
  readonly moduleBodies: ReadonlyMap<string, number>;
  /** First and last sample (on the monotonic clock, ms) in which each kusion function is on the stack. */
  readonly seenByFunction: ReadonlyMap<string, { first: number; last: number }>;
}

const KUSION_DIST = /\/packages\/([^/]+)\/dist\/(.+)$/;
const NODE_MODULES = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** Where a frame's time goes: `@kusion/<pkg>/<file>`, an npm package, `node:<area>`, or a V8 pseudo-frame. */
export function bucketOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const dep = NODE_MODULES.exec(url);
  if (dep) return `npm:${dep[1]}`;
  const own = KUSION_DIST.exec(url);
  if (own) return `@kusion/${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 3).join('/');
  return url;
}

const isKusion = (frame: CallFrame): boolean => KUSION_DIST.test(frame.url);

const isModuleBody = (frame: CallFrame): boolean =>
  frame.functionName === '' && frame.lineNumber === 0 && frame.url !== '' && !frame.url.startsWith('node:');

/** `npm:<pkg>/<path in package>` or `@kusion/<pkg>/<file>`. */
function shortFile(url: string): string {
  const dep = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(url);
  if (dep) return `npm:${dep[1]}/${dep[2]}`;
  const own = KUSION_DIST.exec(url);
  return own ? `@kusion/${own[1]}/${own[2]}` : url;
}

function functionKey(frame: CallFrame): string {
  const own = KUSION_DIST.exec(frame.url);
  const where = own ? `${own[1]}/${own[2]}` : frame.url;
  const name = frame.functionName || (frame.lineNumber === 0 ? '(module body)' : '(anonymous)');
  return `${name} ${where}:${frame.lineNumber + 1}`;
}

const add = (map: Map<string, number>, key: string, value: number): void => {
  map.set(key, (map.get(key) ?? 0) + value);
};

export function analyze(profile: CpuProfile): ThreadReport {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByBucket = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  const inclusiveByBucket = new Map<string, number>();
  const seenByFunction = new Map<string, { first: number; last: number }>();
  const moduleBodies = new Map<string, number>();
  let busy = 0;
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    clock += profile.timeDeltas[i] ?? 0;
    const at = clock / 1000;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample lasts until the next one
    const leaf = byId.get(id);
    if (!leaf) return;
    const bucket = bucketOf(leaf.callFrame);
    add(selfByBucket, bucket, ms);
    if (bucket === '(idle)') return;
    busy += ms;
    const functions = new Set<string>();
    const buckets = new Set<string>();
    const bodies = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      buckets.add(bucketOf(node.callFrame));
      if (isModuleBody(node.callFrame)) bodies.add(shortFile(node.callFrame.url));
      if (isKusion(node.callFrame)) functions.add(functionKey(node.callFrame));
    }
    for (const key of functions) {
      add(inclusiveByFunction, key, ms);
      const seen = seenByFunction.get(key);
      if (seen) seen.last = at + ms;
      else seenByFunction.set(key, { first: at, last: at + ms });
    }
    for (const key of buckets) add(inclusiveByBucket, key, ms);
    for (const key of bodies) add(moduleBodies, key, ms);
  });
  return {
    startMs: profile.startTime / 1000,
    endMs: profile.endTime / 1000,
    spanMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busy,
    selfByBucket,
    inclusiveByFunction,
    inclusiveByBucket,
    moduleBodies,
    seenByFunction,
  };
}

/** The `limit` largest entries, as `ms (share of total)` rows. */
export function top(map: ReadonlyMap<string, number>, total: number, limit: number): string[][] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, value]) => [key, `${value.toFixed(0)} ms`, `${((100 * value) / total).toFixed(1)} %`]);
}
