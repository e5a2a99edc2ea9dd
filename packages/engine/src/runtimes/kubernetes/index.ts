export { type KubeconfigSources, loadKubeconfig } from './kubeconfig.js';
export { KubernetesRuntime, type KubernetesRuntimeOptions } from './runtime.js';
