import { z } from 'zod';

/** Project, stack and workspace names (SPEC §3.1). */
export const namePattern = /^[A-Za-z0-9_.-]{1,100}$/;

const extension = z.union([
  z.strictObject({
    kind: z.literal('kubernetesNamespace'),
    kubernetesNamespace: z.strictObject({
      namespace: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
        .max(63),
      create: z.boolean().default(true),
    }),
  }),
  z.strictObject({
    kind: z.literal('kubernetesMetadata'),
    kubernetesMetadata: z.strictObject({
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
  }),
]);

/** `project.yaml` and `stack.yaml` share one shape. */
export const ProjectFileSchema = z.strictObject({
  name: z.string().regex(namePattern),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  extensions: z.array(extension).optional(),
});

export type ProjectFile = z.output<typeof ProjectFileSchema>;
export type Extension = z.output<typeof extension>;

/** A located project and stack, with the settings generate needs. */
export interface StackContext {
  readonly projectDir: string;
  readonly stackDir: string;
  readonly project: ProjectFile;
  readonly stack: ProjectFile;
  /** The target namespace (SPEC §3.2). */
  readonly namespace: string;
  /** False when `kubernetesNamespace.create` is false. */
  readonly createNamespace: boolean;
  readonly metadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** `main.yaml` or `main.ts`, absolute; absent only for commands given a spec file. */
  readonly appConfigurationFile?: string;
}
