/**
 * The gRPC runtime and protobuf classes the plugin speaks the provider protocol with, taken from the
 * `@pulumi/pulumi` the package already depends on: its generated stubs (`@pulumi/pulumi/proto`) are
 * built against its own copies of `@grpc/grpc-js` and `google-protobuf`, so those copies are the
 * ones loaded here (a second copy of either would hand the stubs objects of another class).
 */
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";
import * as status from "@pulumi/pulumi/proto/status_pb";
import * as services from "@pulumi/pulumi/proto/provider_grpc_pb";

const fromSdk = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromSdk("@grpc/grpc-js") as typeof grpcTypes;
export const struct = fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
export const empty = fromSdk("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
export const any = fromSdk("google-protobuf/google/protobuf/any_pb") as typeof anyTypes;
export { provider, plugin, status, services };
