// Command sdkgen-dotnet writes the C# SDK for the native plugin's package schema (schema.json). It is
// tools/sdkgen's sibling because Pulumi's C# generator left `pkg/v3` after v3.206.0 (it moved to the
// .NET language host's repository, whose module the Go proxy does not serve), and one Go module can
// require only one version of `pkg/v3`: this one pins v3.206.0. The SDK is generated, not tested:
// these machines have no .NET (docs/native-plugin.md, C#).
//
//	go run . -schema ../../schema.json -out /tmp/sdk/dotnet
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk/dotnet", "the directory to write the SDK into")
	flag.Parse()
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen-dotnet: %v\n", err)
		os.Exit(1)
	}
}

// noReferences loads no other package: the schema refers to none, and this tool must not download any.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen-dotnet loads no other package", pkg)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen-dotnet loads no other package", d.Name)
}

// offline answers the one request the generator makes, for the package icon it puts beside the .csproj
// (Pulumi's logo on raw.githubusercontent.com when the schema names none), with a 1x1 placeholder PNG,
// and refuses any other: this tool makes no network request.
type offline struct{}

func (offline) RoundTrip(request *http.Request) (*http.Response, error) {
	if filepath.Ext(request.URL.Path) != ".png" {
		return nil, fmt.Errorf("sdkgen-dotnet makes no network request (asked for %s)", request.URL)
	}
	var icon bytes.Buffer
	if err := png.Encode(&icon, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": []string{"image/png"}},
		Body:       io.NopCloser(&icon),
		Request:    request,
	}, nil
}

func run(schemaPath, out string) error {
	http.DefaultTransport = offline{}
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	files, err := dotnet.GeneratePackage("pulumi-losant-instance-org sdkgen-dotnet", pkg, nil, nil)
	if err != nil {
		return err
	}
	for name, content := range files {
		target := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
