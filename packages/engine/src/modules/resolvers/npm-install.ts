import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Codes, KusionError } from '../../errors/index.js';
import { npmCacheDir } from './locate.js';

export interface NpmInstallResult {
  readonly packageName: string;
  readonly version: string;
  readonly dir: string;
}

/**
 * Installs `<package>@<range>` into `$KUSION_HOME/modules/npm/<package>/<version>/` with the ordinary npm
 * client: scripts off, `.npmrc` honoured (run from the project directory). Installs into a temp directory
 * first and renames, so a failed install leaves nothing half-done.
 */
export async function installNpmModule(
  packageName: string,
  range: string,
  options: { kusionHome: string; projectDir: string; signal?: AbortSignal },
): Promise<NpmInstallResult> {
  const root = npmCacheDir(options.kusionHome, packageName);
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(join(root, '.install-'));
  try {
    const { execa } = await import('execa');
    const result = await execa(
      'npm',
      [
        'install',
        '--prefix',
        staging,
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-save',
        '--omit=dev',
        `${packageName}@${range}`,
      ],
      {
        cwd: options.projectDir,
        reject: false,
        ...(options.signal ? { cancelSignal: options.signal } : {}),
      },
    );
    if (result.failed) {
      const tail = String(result.stderr ?? '')
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ');
      throw new KusionError(
        Codes.moduleNotInstalled,
        `npm could not install ${packageName}@${range}: ${tail || result.shortMessage}`,
        {
          source: 'external',
          hints: ['check the package name, the version range and your npm registry settings (.npmrc)'],
        },
      );
    }
    const pkg = JSON.parse(
      await readFile(join(staging, 'node_modules', packageName, 'package.json'), 'utf8'),
    ) as { version: string };
    const dir = join(root, pkg.version);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return { packageName, version: pkg.version, dir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
