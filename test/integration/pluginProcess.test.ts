/**
 * The native plugin as the engine runs it: the built executable in a process of its own, spoken to
 * over gRPC with the SDK's client stubs, against the emulator. It prints its port, answers the
 * protocol (plugin info, schema, config, check with a secret, adopt, import), and stops once the
 * engine is gone (its stdin closes), as the engine watchdog makes the dynamic provider do.
 */
import path from "path";
import fs from "fs";
import { ChildProcess, execFileSync, spawn } from "child_process";
import type * as grpcTypes from "@grpc/grpc-js";
// The SDK's own copies of grpc-js and google-protobuf, which its client stubs are built against.
import { empty, grpc, status, struct as structs } from "../../provider/server/plugin/sdk";
import * as provider from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { Emulator } from "../../emulator/server";
import { makeTempDir as tempDir, REPO_ROOT, removeTempDirs } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, startSeededEmulator, TOKEN } from "../support/emulatorHarness";
import { secret, SECRET_SIG_KEY } from "../../provider/server/plugin/secrets";

jest.setTimeout(60_000);

const URN = "urn:pulumi:dev::proj::losant:index:InstanceOrg::acme";

let emulator: Emulator;
let child: ChildProcess;
let engineEnd: number;
let client: ResourceProviderClient;

/** One unary call, as a promise. */
function call<Res>(method: keyof ResourceProviderClient, request: unknown): Promise<Res> {
  const unary = client[method] as unknown as (request: unknown, callback: (error: grpcTypes.ServiceError | null, response: Res) => void) => unknown;
  return new Promise((resolve, reject) => unary.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
}

const struct = (value: Record<string, unknown>) => structs.Struct.fromJavaScript(value as never);

beforeAll(async () => {
  emulator = await startSeededEmulator();
  // The engine gives a plugin a pipe (a FIFO) on stdin and holds its other end; Node's own "pipe" is a socket.
  const fifo = path.join(tempDir("losant-plugin-"), "stdin");
  execFileSync("mkfifo", [fifo]);
  engineEnd = fs.openSync(fifo, fs.constants.O_RDWR);
  const pluginEnd = fs.openSync(fifo, fs.constants.O_RDONLY);
  child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "bin", "pulumi-resource-losant.js")], {
    stdio: [pluginEnd, "pipe", "pipe"],
    // Settings come only through Configure here.
    env: { ...process.env, LOSANT_API_TOKEN: "", LOSANT_API_URL: "" },
  });
  fs.closeSync(pluginEnd);
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (data: Buffer) => resolve(data.toString().split("\n")[0] ?? ""));
    child.once("exit", (code) => reject(new Error(`the plugin exited with ${code} before printing its port`)));
  });
  expect(port).toMatch(/^\d+$/);
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  if (child.exitCode === null) child.kill();
  await emulator.close();
  removeTempDirs();
});

test("plugin info and schema", async () => {
  const info = await call<PluginInfo>("getPluginInfo", new empty.Empty());
  expect(info.getVersion()).toMatch(/^\d+\.\d+\.\d+/);
  const schema = JSON.parse((await call<provider.GetSchemaResponse>("getSchema", new provider.GetSchemaRequest())).getSchema());
  expect(Object.keys(schema.resources)).toEqual(["losant:index:InstanceOrg"]);
});

test("CheckConfig keeps the token secret and names a bad setting", async () => {
  const request = new provider.CheckRequest()
    .setUrn("urn:pulumi:dev::proj::pulumi:providers:losant::default")
    .setNews(struct({ apiToken: TOKEN, maxConcurrency: 1000 }));
  const response = await call<provider.CheckResponse>("checkConfig", request);
  expect((response.getInputs()?.toJavaScript() as Record<string, Record<string, unknown>>).apiToken?.[SECRET_SIG_KEY]).toBeDefined();
  expect(response.getFailuresList().map((f) => f.getProperty())).toEqual(["maxConcurrency"]);
});

test("Configure, then check keeps a secret name secret, create adopts, and read imports by <instanceId>/<orgId>", async () => {
  const configure = new provider.ConfigureRequest().setArgs(struct({ apiUrl: emulator.url, apiToken: secret(TOKEN) }));
  expect((await call<provider.ConfigureResponse>("configure", configure)).getAcceptsecrets()).toBe(true);

  const news = { instanceId: INSTANCE_ID.toUpperCase(), orgId: ORG_ID, name: secret("Secret Acme"), limits: { device: 700 } };
  const checked = await call<provider.CheckResponse>("check", new provider.CheckRequest().setUrn(URN).setNews(struct(news)).setOlds(struct({})));
  expect(checked.getFailuresList()).toEqual([]);
  const inputs = checked.getInputs()?.toJavaScript() as Record<string, unknown>;
  expect(inputs.instanceId).toBe(INSTANCE_ID);
  expect((inputs.name as Record<string, unknown>)[SECRET_SIG_KEY]).toBeDefined();

  emulator.resetRequests();
  const created = await call<provider.CreateResponse>("create", new provider.CreateRequest().setUrn(URN).setProperties(checked.getInputs()));
  // The resource's id is the import id, so that an `import` option left in a program matches it (importId.ts).
  expect(created.getId()).toBe(`${INSTANCE_ID}/${ORG_ID}`);
  const outputs = created.getProperties()?.toJavaScript() as Record<string, unknown>;
  expect((outputs.name as Record<string, unknown>)[SECRET_SIG_KEY]).toBeDefined();
  expect(outputs.limits).toMatchObject({ device: 700 });
  expect(emulator.requests.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([orgPath()]);

  const imported = await call<provider.ReadResponse>("read", new provider.ReadRequest().setUrn(URN).setId(`${INSTANCE_ID}/${ORG_ID}`));
  expect(imported.getId()).toBe(`${INSTANCE_ID}/${ORG_ID}`);
  expect(imported.getInputs()?.toJavaScript()).toMatchObject({
    instanceId: INSTANCE_ID,
    orgId: ORG_ID,
    name: "Secret Acme",
    limits: expect.objectContaining({ device: 700 }),
  });
  await expect(call<provider.ReadResponse>("read", new provider.ReadRequest().setUrn(URN).setId(ORG_ID))).rejects.toThrow(/<instanceId>\/<orgId>/);
  // A refresh of state written when the id was the bare orgId answers with the id in the import form.
  const refreshed = await call<provider.ReadResponse>("read", new provider.ReadRequest().setUrn(URN).setId(ORG_ID).setProperties(created.getProperties()));
  expect(refreshed.getId()).toBe(`${INSTANCE_ID}/${ORG_ID}`);
});

test("a PATCH that fails after the org was read returns it as ErrorResourceInitFailed, secrets still wrapped, so the engine keeps it", async () => {
  emulator.faults.configure({ rules: [{ kind: "status", status: 400, method: "PATCH", times: 1 }] });
  const inputs = struct({ instanceId: INSTANCE_ID, orgId: ORG_ID, name: secret("Refused Name") });
  const failure = await call<provider.CreateResponse>("create", new provider.CreateRequest().setUrn(URN).setProperties(inputs)).then(
    () => undefined,
    (error: grpcTypes.ServiceError) => error,
  );
  emulator.faults.reset();
  expect(failure?.message).toContain("400");
  const [details] = failure?.metadata.get("grpc-status-details-bin") ?? [];
  const detail = status.Status.deserializeBinary(details as Uint8Array).getDetailsList()[0];
  const initFailed = provider.ErrorResourceInitFailed.deserializeBinary(detail!.getValue_asU8());
  expect(initFailed.getId()).toBe(`${INSTANCE_ID}/${ORG_ID}`);
  const outputs = initFailed.getProperties()?.toJavaScript() as Record<string, Record<string, unknown>>;
  expect(outputs.name?.[SECRET_SIG_KEY]).toBeDefined();
  expect(outputs.limits).toMatchObject({ device: 700 });
});

test("getInstanceOrgs is served as an invoke: the instance's orgs, one list request", async () => {
  emulator.resetRequests();
  const request = new provider.InvokeRequest().setTok("losant:index:getInstanceOrgs").setArgs(struct({ instanceId: INSTANCE_ID }));
  const response = await call<provider.InvokeResponse>("invoke", request);
  expect(response.getFailuresList()).toEqual([]);
  const { orgs } = response.getReturn()?.toJavaScript() as { orgs: Array<Record<string, unknown>> };
  expect(orgs.map((org) => org.orgId)).toEqual([ORG_ID]);
  expect(orgs[0]?.limits).toMatchObject({ device: 700 });
  expect(emulator.requests.map((r) => r.method)).toEqual(["GET"]);
});

test("the plugin exits once the engine's end of its stdin closes (the engine is gone)", async () => {
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  fs.closeSync(engineEnd);
  expect(await exited).toBe(0);
});
