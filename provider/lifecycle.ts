/**
 * The InstanceOrg provider's implementation. The serialized provider in each resource's state only
 * loads this module at run time (see dynamicProvider.ts), so one copy of it, with one request gate
 * and one connection pool, serves every InstanceOrg in the dynamic-provider process.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { LosantClient } from "../client/losantClient";
import { OrgRef } from "../client/errors";
import { checkInputs, normalizeInputs } from "./check";
import { processWatchdog, runningAsDynamicProvider, WatchedGate } from "./engineWatchdog";
import { withRotationHint } from "./rotationHint";
import { declaredSettings, diffInstanceOrg, planPatch, sameList } from "./plan";
import { refreshedInputs, toOutputs } from "./outputs";
import { RawSettings, readConfig, resolveSettings, resolveToken, settingsProblem, tokenSource, DEFAULT_MAX_CONCURRENCY } from "./settings";
import type { InstanceOrgInputs, InstanceOrgOutputs, LosantInstanceOrg } from "../losant/types";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version";

let configured: RawSettings = {};
const watchdog = processWatchdog();
const gate = new WatchedGate(DEFAULT_MAX_CONCURRENCY, watchdog);

/**
 * Pulumi calls this once per process with the stack's config; explicit config wins over env. It
 * must not throw: the host caches the provider before configuring it, so after a throw every later
 * call would run unconfigured. Bad settings are reported by check (at preview) and by each operation.
 */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  configured = readConfig((key) => req.config.get(key));
  if (runningAsDynamicProvider()) watchdog.start();
}

function client(): LosantClient {
  const settings = resolveSettings(configured);
  const apiToken = resolveToken(configured);
  if (gate.limit !== settings.maxConcurrency) gate.setMaxConcurrency(settings.maxConcurrency);
  return new LosantClient({
    apiUrl: settings.apiUrl,
    apiToken,
    timeoutMs: settings.requestTimeoutMs,
    userAgent: `${PACKAGE_NAME}/${PACKAGE_VERSION} (node ${process.version})`,
    gate,
  });
}

function refOf(inputs: { instanceId: string; orgId: string }): OrgRef {
  return { instanceId: inputs.instanceId, orgId: inputs.orgId };
}

/** A failure after the org was adopted: Pulumi keeps the resource in state and retries on the next up. */
function partialFailure(error: unknown, outputs: InstanceOrgOutputs): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  return Object.assign(failure, { id: outputs.orgId, properties: outputs, reasons: [failure.message] });
}

/**
 * Settings and inputs are both checked here, so `pulumi preview` fails on either with no request
 * sent. A settings problem is a failure without a property: the engine prints it as the resource's
 * problem, without the stack trace a thrown error would add.
 */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  const problem = settingsProblem(configured);
  const failures = problem ? [{ property: "", reason: problem.message }] : [];
  return { inputs: normalizeInputs(news), failures: [...failures, ...checkInputs(news)] };
}

export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  const outcome = diffInstanceOrg(olds, news);
  return { changes: outcome.changes, replaces: outcome.replaces, deleteBeforeReplace: false };
}

function notFound(ref: OrgRef): Error {
  return new Error(
    `Losant org ${ref.orgId} does not exist in instance ${ref.instanceId} (GET answered 404). ` +
      "InstanceOrg adopts and manages orgs that already exist; it does not create them. " +
      "Check orgId and instanceId, or create the org in Losant first.",
  );
}

/** Adopt: read the org, then PATCH only the declared values it does not hold yet. */
export async function create(inputs: InstanceOrgInputs): Promise<dynamic.CreateResult> {
  const api = client();
  const ref = refOf(inputs);
  const current = await api.getOrg(ref, inputs.summaryInclude);
  if (current === undefined) throw notFound(ref);
  const adopted = toOutputs(current, inputs);
  const plan = planPatch(declaredSettings(inputs as unknown as Record<string, unknown>), current);
  if (Object.keys(plan.body).length === 0) return { id: adopted.orgId, outs: adopted };
  try {
    const patched = await api.patchOrg(ref, plan.body, inputs.summaryInclude);
    return { id: adopted.orgId, outs: toOutputs(patched, inputs) };
  } catch (error) {
    throw partialFailure(error, adopted);
  }
}

/**
 * One PATCH of the declared values that differ from the last known state. When limits change it
 * first GETs the org, so the limits object it sends carries the server's current undeclared limits.
 */
export async function update(_id: string, olds: InstanceOrgOutputs, news: InstanceOrgInputs): Promise<dynamic.UpdateResult> {
  const api = client();
  const ref = refOf(news);
  const declared = declaredSettings(news as unknown as Record<string, unknown>);
  let plan = planPatch(declared, olds);
  let latest: LosantInstanceOrg | undefined;
  const summaryChanged = !sameList(news.summaryInclude, olds.summaryInclude);
  if (plan.body.limits !== undefined || (Object.keys(plan.body).length === 0 && summaryChanged)) {
    latest = await api.getOrg(ref, news.summaryInclude);
    if (latest === undefined) throw notFound(ref);
    plan = planPatch(declared, latest);
  }
  if (Object.keys(plan.body).length > 0) {
    const patched = await api.patchOrg(ref, plan.body, news.summaryInclude);
    return { outs: toOutputs(patched, news) };
  }
  if (latest !== undefined) return { outs: toOutputs(latest, news) };
  // Nothing to send: only the set of managed values changed.
  const { managedFields: _previous, ...rest } = olds;
  return { outs: toOutputs({ ...rest, id: olds.orgId } as LosantInstanceOrg, news) };
}

export async function read(id: string, props: InstanceOrgOutputs): Promise<dynamic.ReadResult> {
  const ref = { instanceId: props.instanceId, orgId: props.orgId ?? id };
  const org = await client()
    .getOrg(ref, props.summaryInclude)
    .catch((error: unknown) => Promise.reject(withRotationHint(error, tokenSource(configured))));
  if (org === undefined) return { id: "" };
  const outputs = { ...toOutputs(org, { ...ref, summaryInclude: props.summaryInclude }), managedFields: props.managedFields ?? [] };
  return { id: outputs.orgId, props: outputs, inputs: refreshedInputs(outputs) };
}

export async function remove(id: string, props: InstanceOrgOutputs): Promise<void> {
  // A 404 means the org is already gone, which is what delete wants.
  await client()
    .deleteOrg({ instanceId: props.instanceId, orgId: props.orgId ?? id })
    .catch((error: unknown) => Promise.reject(withRotationHint(error, tokenSource(configured))));
}
