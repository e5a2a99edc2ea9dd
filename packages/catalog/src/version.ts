/**
 * Version of every built-in module. The catalog ships its modules together, so they share one version, and it
 * always equals the `@kusion/catalog` package version (a test checks this).
 */
export const catalogVersion = '0.1.0';
