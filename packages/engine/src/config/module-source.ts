/** Where a module comes from (SPEC §4.1). */
export type ModuleSource =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'npm'; readonly packageName: string }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[] };

const npmName = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Parses a `source` string; undefined when it is none of the four kinds. */
export function parseModuleSource(source: string): ModuleSource | undefined {
  if (source === 'builtin') return { kind: 'builtin' };
  if (source.startsWith('npm:')) {
    const packageName = source.slice(4);
    return npmName.test(packageName) ? { kind: 'npm', packageName } : undefined;
  }
  if (source.startsWith('exec:')) {
    const [command, ...args] = source.slice(5).trim().split(/\s+/);
    return command ? { kind: 'exec', command, args } : undefined;
  }
  if (source.startsWith('file:')) return { kind: 'path', path: source.slice(5) };
  if (source.startsWith('./') || source.startsWith('../') || source.startsWith('/'))
    return { kind: 'path', path: source };
  return undefined;
}

/** The source string of a parsed source, for display and release records. */
export function formatModuleSource(source: ModuleSource): string {
  switch (source.kind) {
    case 'builtin':
      return 'builtin';
    case 'npm':
      return `npm:${source.packageName}`;
    case 'exec':
      return `exec:${[source.command, ...source.args].join(' ')}`;
    case 'path':
      return source.path;
  }
}
