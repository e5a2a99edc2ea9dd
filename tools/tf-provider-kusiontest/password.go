package main

import (
	"context"
	"crypto/rand"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	special = "!#$%&*()-_=+[]{}<>:?"
)

// passwordResource behaves like random_password: a random string made once, kept in state (sensitive),
// and made again only when length, special or keepers change.
type passwordResource struct{}

type passwordModel struct {
	ID      types.String `tfsdk:"id"`
	Length  types.Int64  `tfsdk:"length"`
	Special types.Bool   `tfsdk:"special"`
	Keepers types.Map    `tfsdk:"keepers"`
	Result  types.String `tfsdk:"result"`
}

func newPasswordResource() resource.Resource { return &passwordResource{} }

func (r *passwordResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_password"
}

func (r *passwordResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A random password, like random_password.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"length": schema.Int64Attribute{
				Required: true, Description: "Number of characters (1-1024).",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"special": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"keepers": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				Description:   "Arbitrary values that, when changed, make a new password.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"result": schema.StringAttribute{
				Computed: true, Sensitive: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *passwordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m passwordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	n := m.Length.ValueInt64()
	if n < 1 || n > 1024 {
		resp.Diagnostics.AddAttributeError(pathOf("length"), "invalid length", "length must be between 1 and 1024")
		return
	}
	chars := alnum
	if m.Special.ValueBool() {
		chars += special
	}
	out := make([]byte, n)
	for i := range out {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(len(chars))))
		if err != nil {
			resp.Diagnostics.AddError("random source failed", err.Error())
			return
		}
		out[i] = chars[j.Int64()]
	}
	m.ID = types.StringValue("none")
	m.Result = types.StringValue(string(out))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *passwordResource) Read(_ context.Context, _ resource.ReadRequest, _ *resource.ReadResponse) {}

func (r *passwordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m passwordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *passwordResource) Delete(_ context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {}
