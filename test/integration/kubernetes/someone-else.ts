import { type KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';

/** A forced server-side apply by another field manager, as a colleague's tool would make it. */
export async function applyAsSomeoneElse(config: KubeConfig, object: Record<string, unknown>): Promise<void> {
  const other = KubernetesObjectApi.makeApiClient(config);
  await other.patch(
    object as never,
    undefined,
    undefined,
    'someone-else',
    true,
    PatchStrategy.ServerSideApply,
  );
}
