// Command terraform-provider-kusiontest is the testbed's own OpenTofu provider (TESTBED.md §2.5).
//
// The module proxy does not serve the pinned commits of hashicorp/random, null and local, so this small
// provider stands in for the few resources Kusion's tests need beyond OpenTofu's built-in terraform_data:
// kusiontest_password (like random_password) and kusiontest_file (like local_file). It is mirrored as
// kusion.test/kusion/kusiontest.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// version is set by tools/build.sh with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers such as delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), newProvider(version), providerserver.ServeOpts{
		Address: "kusion.test/kusion/kusiontest",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
