package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

type kusionTestProvider struct{ version string }

var _ provider.Provider = (*kusionTestProvider)(nil)

func newProvider(version string) func() provider.Provider {
	return func() provider.Provider { return &kusionTestProvider{version: version} }
}

func (p *kusionTestProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kusiontest"
	resp.Version = p.version
}

func (p *kusionTestProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Description: "Resources for Kusion's testbed: a password and a local file."}
}

func (p *kusionTestProvider) Configure(_ context.Context, _ provider.ConfigureRequest, _ *provider.ConfigureResponse) {
}

func (p *kusionTestProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{newPasswordResource, newFileResource}
}

func (p *kusionTestProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}
