// Unit tests must never reach a real cluster: an accidental default kubeconfig load fails instead.
process.env.KUBECONFIG = '/nonexistent/kusion-unit-tests/kubeconfig';
process.env.KUSION_HOME = '/nonexistent/kusion-unit-tests/home';
