/**
 * The provider protocol's ResourceProvider service for `losant:index:InstanceOrg`: each call is
 * translated to the lifecycle that the dynamic provider runs too (provider/lifecycle.ts), and back.
 * What only the protocol needs happens here and nowhere below:
 * - secrets arrive wrapped and leave wrapped (secrets.ts);
 * - state holds `limits` as the typed object the schema declares, not the dynamic provider's string;
 * - import reads the org from `<instanceId>/<orgId>` with no properties, and that is the resource's id (importId.ts);
 * - config is checked, compared and applied here (providerConfig.ts);
 * - an org to create gets its creation marker from its URN, as the dynamic class does in the program.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as lifecycle from "../../lifecycle";
import { creationMarkerFor } from "../../shared/creationMarker";
import { limitsFromState } from "../../shared/storedLimits";
import { PACKAGE_VERSION } from "../../shared/version";
import { orgIdOf, parseImportId, resourceIdOf } from "./importId";
import { changedSettings, checkSettings, configGetter, settingsFromProperties, settingsFromVariables } from "./providerConfig";
import { GET_INSTANCE_ORGS_TOKEN, INSTANCE_ORG_TOKEN, pluginSchema } from "./schema";
import { concealProperties, revealProperties, secret } from "./secrets";
import { any, empty, grpc, plugin, provider, status, struct } from "./sdk";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import type { StoredOutputs } from "../outputs";
import type { InstanceOrgInputs } from "../../shared/resourceTypes";

type Props = Record<string, unknown>;

/** A Struct's properties; an absent Struct is none. */
function propsOf(value: Struct | undefined): Props {
  return (value?.toJavaScript() ?? {}) as Props;
}

/** A Struct of plain JSON: protobuf cannot hold `undefined`, which means "absent" everywhere here. */
function toStruct(props: Props): Struct {
  return struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
}

/** Outputs as the native plugin's state keeps them: limits as the schema's typed object. */
function nativeOutputs(outs: Props): Props {
  return outs.limits === undefined ? outs : { ...outs, limits: limitsFromState(outs.limits) };
}

function failureList(failures: readonly CheckFailure[]): InstanceType<typeof provider.CheckFailure>[] {
  return failures.map((failure) => new provider.CheckFailure().setProperty(failure.property).setReason(failure.reason));
}

/**
 * A failed operation as the engine reads it. A failure after the org was adopted or created carries
 * the org's id and outputs (lifecycle's partialFailure): sent as ErrorResourceInitFailed, the engine
 * keeps the resource in state and the next `up` carries on.
 */
function serviceError(error: unknown, secretKeys: ReadonlySet<string> = new Set()): Partial<grpcTypes.ServiceError> {
  const failure = error instanceof Error ? error : new Error(String(error));
  const metadata = new grpc.Metadata();
  const partial = failure as Error & { id?: unknown; properties?: Props; reasons?: string[] };
  if (typeof partial.id === "string" && partial.id !== "") {
    const detail = new provider.ErrorResourceInitFailed();
    const instanceId = partial.properties?.instanceId;
    detail.setId(typeof instanceId === "string" ? resourceIdOf({ instanceId, orgId: partial.id }) : partial.id);
    detail.setProperties(toStruct(concealProperties(nativeOutputs(partial.properties ?? {}), secretKeys)));
    detail.setReasonsList(partial.reasons ?? [failure.message]);
    const packed = new any.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const statusProto = new status.Status();
    statusProto.setCode(grpc.status.UNKNOWN);
    statusProto.setMessage(failure.message);
    statusProto.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(statusProto.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: failure.message, metadata };
}

/** A unary handler from an async function; a rejection becomes the call's error. */
function unary<Req, Res>(handle: (request: Req) => Promise<Res>, onError = (error: unknown) => serviceError(error)): grpcTypes.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handle(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(onError(error) as grpcTypes.ServiceError, null),
    );
  };
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`: the parts a creation marker is made of. */
function urnParts(urn: string): { stack: string; project: string; name: string } {
  const [head = "", project = "", , name = ""] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, name };
}

function checkInstanceOrg(request: InstanceType<typeof provider.CheckRequest>): Promise<InstanceType<typeof provider.CheckResponse>> {
  const olds = revealProperties(propsOf(request.getOlds())).plain;
  const news = revealProperties(propsOf(request.getNews()));
  return lifecycle.check(olds, news.plain).then((result) => {
    const inputs = { ...(result.inputs as Props) };
    // Without orgId the org is created: the marker lets a later run recognise it (creationMarker.ts).
    if (inputs.orgId === undefined && inputs.creationMarker === undefined) {
      const { project, stack, name } = urnParts(request.getUrn());
      inputs.creationMarker = typeof olds.creationMarker === "string" ? olds.creationMarker : creationMarkerFor(project, stack, name);
    }
    const response = new provider.CheckResponse();
    response.setInputs(toStruct(concealProperties(inputs, news.secretKeys)));
    response.setFailuresList(failureList(result.failures ?? []));
    return response;
  });
}

async function diffInstanceOrg(request: InstanceType<typeof provider.DiffRequest>): Promise<InstanceType<typeof provider.DiffResponse>> {
  const olds = revealProperties(propsOf(request.getOlds())).plain;
  const news = revealProperties(propsOf(request.getNews())).plain;
  const result = await lifecycle.diff(orgIdOf(request.getId()), olds, news);
  const response = new provider.DiffResponse();
  response.setChanges(result.changes ? provider.DiffResponse.DiffChanges.DIFF_SOME : provider.DiffResponse.DiffChanges.DIFF_NONE);
  response.setReplacesList(result.replaces ?? []);
  response.setDeletebeforereplace(false);
  return response;
}

async function createInstanceOrg(
  request: InstanceType<typeof provider.CreateRequest>,
  secretKeys: Set<string>,
): Promise<InstanceType<typeof provider.CreateResponse>> {
  const inputs = revealProperties(propsOf(request.getProperties()));
  inputs.secretKeys.forEach((key) => secretKeys.add(key));
  const result = await lifecycle.create(inputs.plain as unknown as InstanceOrgInputs);
  const response = new provider.CreateResponse();
  response.setId(resourceIdOf({ instanceId: inputs.plain.instanceId as string, orgId: result.id }));
  response.setProperties(toStruct(concealProperties(nativeOutputs(result.outs as Props), inputs.secretKeys)));
  return response;
}

async function readInstanceOrg(request: InstanceType<typeof provider.ReadRequest>): Promise<InstanceType<typeof provider.ReadResponse>> {
  const props = revealProperties(propsOf(request.getProperties()));
  const inputs = revealProperties(propsOf(request.getInputs()));
  // Import (`pulumi import`, or the `import` option) reads with an id and no properties at all.
  const result =
    typeof props.plain.instanceId === "string"
      ? await lifecycle.read(orgIdOf(request.getId()), props.plain as unknown as StoredOutputs)
      : await lifecycle.importOrg(parseImportId(request.getId()));
  const response = new provider.ReadResponse();
  if (result.id === undefined || result.id === "") return response.setId("");
  const secretKeys = new Set([...props.secretKeys, ...inputs.secretKeys]);
  const read = result.props as Props;
  response.setId(resourceIdOf({ instanceId: read.instanceId as string, orgId: result.id }));
  response.setProperties(toStruct(concealProperties(nativeOutputs(read), secretKeys)));
  if (result.inputs !== undefined) response.setInputs(toStruct(concealProperties(result.inputs as Props, secretKeys)));
  return response;
}

async function updateInstanceOrg(
  request: InstanceType<typeof provider.UpdateRequest>,
  secretKeys: Set<string>,
): Promise<InstanceType<typeof provider.UpdateResponse>> {
  const olds = revealProperties(propsOf(request.getOlds())).plain;
  const news = revealProperties(propsOf(request.getNews()));
  news.secretKeys.forEach((key) => secretKeys.add(key));
  const result = await lifecycle.update(orgIdOf(request.getId()), olds as unknown as StoredOutputs, news.plain as unknown as InstanceOrgInputs);
  const response = new provider.UpdateResponse();
  response.setProperties(toStruct(concealProperties(nativeOutputs(result.outs as Props), news.secretKeys)));
  return response;
}

async function deleteInstanceOrg(request: InstanceType<typeof provider.DeleteRequest>): Promise<InstanceType<typeof empty.Empty>> {
  await lifecycle.remove(orgIdOf(request.getId()), revealProperties(propsOf(request.getProperties())).plain as unknown as StoredOutputs);
  return new empty.Empty();
}

async function invoke(request: InstanceType<typeof provider.InvokeRequest>): Promise<InstanceType<typeof provider.InvokeResponse>> {
  if (request.getTok() !== GET_INSTANCE_ORGS_TOKEN) throw new Error(`unknown function ${request.getTok()}; this provider serves ${GET_INSTANCE_ORGS_TOKEN}`);
  const args = revealProperties(propsOf(request.getArgs())).plain;
  const response = new provider.InvokeResponse();
  const { instanceId, filter, summaryInclude } = args;
  if (typeof instanceId !== "string" || !/^[A-Fa-f0-9]{24}$/.test(instanceId)) {
    return response.setFailuresList(failureList([{ property: "instanceId", reason: "must be the 24-character hex id of the instance" }]));
  }
  const orgs = await lifecycle.listInstanceOrgs({
    instanceId: instanceId.toLowerCase(),
    ...(typeof filter === "string" ? { filter } : {}),
    ...(Array.isArray(summaryInclude) ? { summaryInclude: summaryInclude.map(String) } : {}),
  });
  return response.setReturn(toStruct({ orgs: orgs.map((org) => nativeOutputs(org as unknown as Props)) }));
}

/** Refuses a resource type this provider does not serve, before anything else runs. */
function forInstanceOrg(request: { getType?: () => string; getUrn: () => string }): void {
  const type = request.getType?.() || request.getUrn().split("::")[2];
  if (type !== INSTANCE_ORG_TOKEN) throw new Error(`unknown resource type ${type}; this provider serves ${INSTANCE_ORG_TOKEN}`);
}

async function checkConfig(request: InstanceType<typeof provider.CheckRequest>): Promise<InstanceType<typeof provider.CheckResponse>> {
  const news = revealProperties(propsOf(request.getNews()));
  const response = new provider.CheckResponse();
  // The token stays a secret wherever it came from: state records the provider's inputs.
  const inputs = concealProperties(news.plain, news.secretKeys);
  if (news.plain.apiToken !== undefined) inputs.apiToken = secret(news.plain.apiToken);
  response.setInputs(toStruct(inputs));
  return response.setFailuresList(failureList(checkSettings(settingsFromProperties(news.plain))));
}

async function diffConfig(request: InstanceType<typeof provider.DiffRequest>): Promise<InstanceType<typeof provider.DiffResponse>> {
  const olds = revealProperties(propsOf(request.getOldInputs() ?? request.getOlds())).plain;
  const news = revealProperties(propsOf(request.getNews())).plain;
  const changed = changedSettings(olds, news);
  const response = new provider.DiffResponse();
  // No setting replaces anything: a new URL or token reaches the same orgs, and a replace of the provider would replace them all.
  response.setChanges(changed.length > 0 ? provider.DiffResponse.DiffChanges.DIFF_SOME : provider.DiffResponse.DiffChanges.DIFF_NONE);
  return response.setDiffsList(changed);
}

async function configure(request: InstanceType<typeof provider.ConfigureRequest>): Promise<InstanceType<typeof provider.ConfigureResponse>> {
  const args = request.getArgs();
  const raw = args !== undefined ? settingsFromProperties(revealProperties(propsOf(args)).plain) : settingsFromVariables(request.getVariablesMap().entries());
  lifecycle.configureWith(configGetter(raw));
  const response = new provider.ConfigureResponse();
  response.setAcceptsecrets(true);
  response.setSupportspreview(false);
  response.setAcceptresources(false);
  response.setAcceptoutputs(false);
  return response;
}

/** The service implementation the plugin's gRPC server adds. */
export function providerService(): grpcTypes.UntypedServiceImplementation {
  const withType =
    <Req extends { getUrn: () => string }, Res>(handle: (request: Req) => Promise<Res>) =>
    (request: Req) => {
      forInstanceOrg(request);
      return handle(request);
    };
  /** create and update report a partial failure with the outputs' secrets still wrapped. */
  const writing = <Req extends { getUrn: () => string }, Res>(
    handle: (request: Req, secretKeys: Set<string>) => Promise<Res>,
  ): grpcTypes.handleUnaryCall<Req, Res> => {
    return (call, callback) => {
      const secretKeys = new Set<string>();
      withType((request: Req) => handle(request, secretKeys))(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(serviceError(error, secretKeys) as grpcTypes.ServiceError, null),
      );
    };
  };
  return {
    getPluginInfo: unary(async () => new plugin.PluginInfo().setVersion(PACKAGE_VERSION)),
    getSchema: unary(async (request: InstanceType<typeof provider.GetSchemaRequest>) => {
      if (request.getVersion() !== 0) throw new Error(`unsupported schema version ${request.getVersion()}`);
      return new provider.GetSchemaResponse().setSchema(JSON.stringify(pluginSchema()));
    }),
    attach: unary(async () => new empty.Empty()),
    cancel: unary(async () => new empty.Empty()),
    checkConfig: unary(checkConfig),
    diffConfig: unary(diffConfig),
    configure: unary(configure),
    invoke: unary(invoke),
    check: unary(withType(checkInstanceOrg)),
    diff: unary(withType(diffInstanceOrg)),
    create: writing(createInstanceOrg),
    read: unary(withType(readInstanceOrg)),
    update: writing(updateInstanceOrg),
    delete: unary(withType(deleteInstanceOrg)),
  };
}
