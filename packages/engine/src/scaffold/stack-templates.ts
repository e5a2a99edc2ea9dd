/** Files of a new project or stack, as relative path → content. Pure: the facade writes them. */
export type FileSet = Readonly<Record<string, string>>;

export interface StackTemplate {
  readonly name: string;
  readonly description: string;
  readonly format: 'yaml' | 'ts';
  /** The AppConfiguration of the stack (`main.yaml` or `main.ts`). */
  readonly main: string;
}

const quickstartYaml = `# The apps of this stack: environment-agnostic. Environments live in workspaces.
web:
  workload:
    module: service
    # replicas: the workspace decides (modules.service.configs), unless you set it here
    containers:
      nginx:
        image: nginxinc/nginx-unprivileged:1.27
        resources: {cpu: 100m-250m, memory: 64Mi-128Mi}
        readinessProbe: {http: {url: "http://localhost:8080/"}, periodSeconds: 5}
  accessories:
    net:
      module: network
      ports: [{port: 80, targetPort: 8080}]
`;

const postgresYaml = `${quickstartYaml}    db:
      module: postgres
      type: local
      version: "16"
`;

const jobYaml = `report:
  workload:
    module: job
    schedule: "0 * * * *"
    containers:
      main:
        image: busybox:1.36
        command: [sh, -c, "echo report done"]
        resources: {cpu: 50m-100m, memory: 32Mi-64Mi}
`;

const quickstartTs = `import { network, service } from '@kusion/catalog';
import { defineApps } from '@kusion/module-sdk';

// The apps of this stack: environment-agnostic. Environments live in workspaces.
export default defineApps({
  web: {
    workload: service({
      containers: {
        nginx: {
          image: 'nginxinc/nginx-unprivileged:1.27',
          resources: { cpu: '100m-250m', memory: '64Mi-128Mi' },
          readinessProbe: { http: { url: 'http://localhost:8080/' }, periodSeconds: 5 },
        },
      },
    }),
    accessories: { net: network({ ports: [{ port: 80, targetPort: 8080 }] }) },
  },
});
`;

/** The templates of `kusion init` (SPEC §16.2). */
export const stackTemplates: readonly StackTemplate[] = [
  {
    name: 'quickstart',
    description: 'a web service with a private Service (nginx on 8080)',
    format: 'yaml',
    main: quickstartYaml,
  },
  {
    name: 'postgres',
    description: 'quickstart plus a local PostgreSQL, its credentials injected as env',
    format: 'yaml',
    main: postgresYaml,
  },
  { name: 'job', description: 'an hourly cron job', format: 'yaml', main: jobYaml },
  {
    name: 'typescript',
    description: 'quickstart written as a typed main.ts',
    format: 'ts',
    main: quickstartTs,
  },
  {
    name: 'empty',
    description: 'a project with one stack and no apps',
    format: 'yaml',
    main: '# app name → {workload, accessories}; see docs/app-configuration.md of Kusion\n{}\n',
  },
];

/** `package.json` and `tsconfig.json` of a TypeScript stack: used only for editor typings. */
export function typescriptStackFiles(stackName: string, kusionVersion: string): FileSet {
  return {
    'package.json': `${JSON.stringify(
      {
        name: `kusion-stack-${stackName}`,
        private: true,
        type: 'module',
        devDependencies: { '@kusion/catalog': kusionVersion, '@kusion/module-sdk': kusionVersion },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true }, include: ['main.ts'] }, null, 2)}\n`,
  };
}

/** Where a stack's `main.yaml` finds the project's editor schema (written by `init` and `stack create`). */
export const appConfigurationSchemaRef = '../schemas/app-configuration.schema.json';

/** The modeline that lets YAML editors (yaml-language-server) complete and validate a file. */
export function schemaModeline(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}\n`;
}

/** The files of a stack directory. */
export function stackFiles(stackName: string, template: StackTemplate, kusionVersion: string): FileSet {
  const main =
    template.format === 'ts'
      ? { 'main.ts': template.main, ...typescriptStackFiles(stackName, kusionVersion) }
      : { 'main.yaml': `${schemaModeline(appConfigurationSchemaRef)}${template.main}` };
  return { 'stack.yaml': `name: ${stackName}\n`, ...main };
}

/** `project.yaml`. */
export function projectFile(projectName: string): string {
  return `name: ${projectName}\n`;
}
