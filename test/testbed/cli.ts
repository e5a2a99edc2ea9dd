/**
 * `npm run testbed -- <command> [name]`: a long-lived testbed for the demo and development (TESTBED.md §3.8).
 *
 *   up [name]      start it in the background (recorded in <cache>/live/<name>/state.json)
 *   env [name]     print `export` lines for a shell
 *   status [name]  say whether it is up
 *   down [name]    stop it by the recorded PIDs
 *
 * The default name is `dev`.
 */
import type { TestbedInfo } from './info.js';
import { attachTestbed, liveDir, startTestbed, stopLiveTestbed } from './testbed.js';

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Environment variables that point tools at a testbed. */
export function envLines(info: TestbedInfo, name: string): string[] {
  const vars: Record<string, string> = {
    KUSION_TESTBED_ATTACH: name,
    KUBECONFIG: info.kubernetes.kubeconfig,
    KUSION_TESTBED_KUBECTL: info.kubernetes.kubectl,
    KUSION_TESTBED_TOFU: info.tofu.bin,
    KUSION_TESTBED_OPA: info.opa.bin,
    TF_CLI_CONFIG_FILE: info.tofu.cliConfigFile,
    KUSION_TEST_PG_URL: info.postgres.url,
    KUSION_TEST_S3_ENDPOINT: info.s3.endpoint,
    AWS_ACCESS_KEY_ID: info.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.s3.secretAccessKey,
    AWS_REGION: info.s3.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return Object.entries(vars).map(([k, v]) => `export ${k}=${quote(v)}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, name = 'dev'] = argv;
  switch (command) {
    case 'up': {
      const tb = await startTestbed({ live: name, log: (line) => console.error(`testbed: ${line}`) });
      console.error(
        `testbed: '${name}' is up in ${(tb.startMs / 1000).toFixed(1)} s; \`npm run testbed -- env ${name}\` prints its variables`,
      );
      return 0;
    }
    case 'env': {
      const info = await attachTestbed(name);
      console.log(envLines(info, name).join('\n'));
      return 0;
    }
    case 'status': {
      try {
        const info = await attachTestbed(name);
        console.log(`testbed '${name}' is up: ${info.kubernetes.apiserverUrl} (${liveDir(name)})`);
        return 0;
      } catch (e) {
        console.log((e as Error).message);
        return 1;
      }
    }
    case 'down': {
      const stopped = await stopLiveTestbed(name);
      console.error(stopped ? `testbed: '${name}' stopped` : `testbed: no live testbed '${name}'`);
      return 0;
    }
    default:
      console.error('usage: npm run testbed -- up|env|status|down [name]   (default name: dev)');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
