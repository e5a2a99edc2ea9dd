package main

import (
	"context"
	"crypto/sha1" //nolint:gosec // an identifier, as local_file uses, not a security measure
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fileResource behaves like local_file: it writes content to filename; a file that vanished or changed
// outside OpenTofu is dropped from state on refresh, so the next apply writes it again.
type fileResource struct{}

type fileModel struct {
	ID             types.String `tfsdk:"id"`
	Filename       types.String `tfsdk:"filename"`
	Content        types.String `tfsdk:"content"`
	FilePermission types.String `tfsdk:"file_permission"`
}

func pathOf(name string) path.Path { return path.Root(name) }

func newFileResource() resource.Resource { return &fileResource{} }

func (r *fileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (r *fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "A local file, like local_file.",
		Attributes: map[string]schema.Attribute{
			"id":       schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"filename": schema.StringAttribute{Required: true, PlanModifiers: replace},
			"content":  schema.StringAttribute{Required: true, PlanModifiers: replace},
			"file_permission": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("0644"), PlanModifiers: replace,
			},
		},
	}
}

func digest(content string) string {
	sum := sha1.Sum([]byte(content)) //nolint:gosec
	return hex.EncodeToString(sum[:])
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	perm, err := strconv.ParseUint(m.FilePermission.ValueString(), 8, 32)
	if err != nil {
		resp.Diagnostics.AddAttributeError(pathOf("file_permission"), "invalid file_permission", err.Error())
		return
	}
	name := m.Filename.ValueString()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		resp.Diagnostics.AddError("cannot create directory", err.Error())
		return
	}
	if err := os.WriteFile(name, []byte(m.Content.ValueString()), fs.FileMode(perm)); err != nil {
		resp.Diagnostics.AddError("cannot write file", err.Error())
		return
	}
	m.ID = types.StringValue(digest(m.Content.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, err := os.ReadFile(m.Filename.ValueString())
	if m.ID.IsNull() && err == nil {
		// Adopted by import: the file on disk is the truth.
		info, statErr := os.Stat(m.Filename.ValueString())
		if statErr != nil {
			resp.Diagnostics.AddError("cannot read file", statErr.Error())
			return
		}
		m.Content = types.StringValue(string(data))
		m.ID = types.StringValue(digest(string(data)))
		m.FilePermission = types.StringValue(fmt.Sprintf("%04o", info.Mode().Perm()))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}
	if errors.Is(err, fs.ErrNotExist) || (err == nil && digest(string(data)) != m.ID.ValueString()) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("cannot read file", err.Error())
	}
}

func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *fileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := os.Remove(m.Filename.ValueString()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		resp.Diagnostics.AddError("cannot delete file", err.Error())
	}
}

// ImportState adopts an existing file; the import ID is its path.
func (r *fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathOf("filename"), req.ID)...)
}

var _ resource.ResourceWithImportState = &fileResource{}
