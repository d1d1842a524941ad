/**
 * The InstanceOrg provider's implementation. The serialized provider in each resource's state only
 * loads this module at run time (see providerObject.ts), so one copy of it, with one request gate
 * and one connection pool, serves every InstanceOrg in the dynamic-provider process.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { LosantClient } from "../client/losantClient";
import { LosantApiError, OrgRef } from "../client/errors";
import { LosantOrgNotFoundError, LosantUnconfirmedNotFoundError, OrgAction } from "./server/orgErrors";
import { confirmNotFound, readOrgProven } from "./server/notFound";
import { OrgReadBatcher } from "../client/orgBatcher";
import { retryPolicyWith } from "../client/retryPolicy";
import { checkInputs, normalizeInputs } from "./shared/check";
import { processWatchdog, runningAsProviderProcess, WatchedGate } from "./server/engineWatchdog";
import { withRotationHint } from "./server/rotationHint";
import { declaredSettings, diffInstanceOrg, planPatch, sameList } from "./server/plan";
import { fromState, keptOutputs, refreshedInputs, refreshedOutputs, toOutputs, toState, type StoredOutputs } from "./server/outputs";
import {
  RawSettings,
  readConfig,
  resolveSettings,
  resolveToken,
  settingsProblem,
  tokenSource,
  DEFAULT_MAX_CONCURRENCY,
  withSettingsAdvice,
} from "./shared/settings";
import type { LosantInstanceOrg, OrgSettings } from "../losant/types";
import type { InstanceOrgInputs, InstanceOrgOutputs } from "./shared/resourceTypes";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./shared/version";
import { createOrg } from "./server/createOrg";
import { importedSettings } from "./server/plan";
import { listOrgs } from "../client/orgList";

let configured: RawSettings = {};
const watchdog = processWatchdog();
const gate = new WatchedGate(DEFAULT_MAX_CONCURRENCY, watchdog);
/** Like the gate, one per process: the GETs of concurrent operations go out together as list requests. */
const reads = new OrgReadBatcher();

/**
 * Pulumi calls this once per process with the stack's config; explicit config wins over env. It
 * must not throw: the host caches the provider before configuring it, so after a throw every later
 * call would run unconfigured. Bad settings are reported by check (at preview) and by each operation.
 */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  configureWith((key) => req.config.get(key));
}

/** The same for any source of `losant:*` config: the native plugin reads its ConfigureRequest. */
export function configureWith(get: (key: string) => string | undefined): void {
  configured = readConfig(get);
  reads.forgetListings();
  if (runningAsProviderProcess()) watchdog.start();
}

function client(): LosantClient {
  const settings = resolveSettings(configured);
  const apiToken = resolveToken(configured);
  gate.setMaxConcurrency(settings.maxConcurrency);
  return new LosantClient({
    apiUrl: settings.apiUrl,
    apiToken,
    timeoutMs: settings.requestTimeoutMs,
    userAgent: `${PACKAGE_NAME}/${PACKAGE_VERSION} (node ${process.version})`,
    gate,
    retryPolicy: retryPolicyWith(settings.retryTimeoutSeconds * 1000),
  });
}

function refOf(inputs: { instanceId: string; orgId: string }): OrgRef {
  return { instanceId: inputs.instanceId, orgId: inputs.orgId };
}

/** Without `orgId` the org is the one created earlier: its id is in the state. */
function refFor(news: InstanceOrgInputs, olds: InstanceOrgOutputs, id: string): OrgRef {
  return { instanceId: news.instanceId, orgId: news.orgId ?? olds.orgId ?? id };
}

/** A failure after the org was adopted: Pulumi keeps the resource in state and retries on the next up. */
function partialFailure(error: unknown, outputs: InstanceOrgOutputs): Error {
  withSettingsAdvice(error);
  const failure = error instanceof Error ? error : new Error(String(error));
  return Object.assign(failure, { id: outputs.orgId, properties: toState(outputs), reasons: [failure.message] });
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
  const outcome = diffInstanceOrg(fromState(olds), news);
  return { changes: outcome.changes, replaces: outcome.replaces, deleteBeforeReplace: false };
}

/**
 * Without `orgId`: create the org with one POST (see createOrg.ts). With it: adopt, i.e. read the
 * org, then PATCH only the declared values it does not hold yet.
 */
export function create(inputs: InstanceOrgInputs): Promise<dynamic.CreateResult> {
  return reads.holdingASlot(() => createOrAdopt(inputs)).catch(advise);
}

async function createOrAdopt(inputs: InstanceOrgInputs): Promise<dynamic.CreateResult> {
  if (inputs.orgId === undefined) return createByPost(inputs);
  const api = client();
  const ref = refOf({ ...inputs, orgId: inputs.orgId });
  const current = await currentOrg(api, "adopt", ref, inputs.summaryInclude);
  const adopted = toOutputs(current, inputs);
  const plan = planPatch(declaredSettings(inputs), current);
  if (Object.keys(plan.body).length === 0) return { id: adopted.orgId, outs: toState(adopted) };
  try {
    const patched = await patchOrg(api, "adopt", ref, plan.body, inputs.summaryInclude);
    return { id: adopted.orgId, outs: toState(toOutputs(patched, inputs)) };
  } catch (error) {
    throw partialFailure(error, adopted);
  }
}

/**
 * The org a POST made (or an earlier run's, found by its marker) becomes the resource. An org found
 * rather than made may hold other values than declared now: those get one PATCH.
 */
async function createByPost(inputs: InstanceOrgInputs): Promise<dynamic.CreateResult> {
  const api = client();
  const { org } = await createOrg(api, inputs);
  const withId = { ...inputs, orgId: org.id };
  const created = toOutputs(org, withId);
  const plan = planPatch(declaredSettings(inputs), org);
  if (Object.keys(plan.body).length === 0) return { id: created.orgId, outs: toState(created) };
  try {
    const patched = await patchOrg(api, "update", refOf({ instanceId: inputs.instanceId, orgId: org.id }), plan.body, inputs.summaryInclude);
    return { id: created.orgId, outs: toState(toOutputs(patched, withId)) };
  } catch (error) {
    throw partialFailure(error, created);
  }
}

/**
 * One PATCH of the declared values that differ from the last known state. When limits change it
 * first reads the org (within one batch window), so the limits object it sends carries the server's
 * current undeclared limits.
 */
export function update(id: string, stored: StoredOutputs, news: InstanceOrgInputs): Promise<dynamic.UpdateResult> {
  return reads.holdingASlot(() => updateOrg(id, stored, news)).catch(advise);
}

async function updateOrg(_id: string, stored: StoredOutputs, news: InstanceOrgInputs): Promise<dynamic.UpdateResult> {
  const olds = fromState(stored);
  const api = client();
  const ref = refFor(news, olds, _id);
  const declared = declaredSettings(news);
  let plan = planPatch(declared, olds);
  let latest: LosantInstanceOrg | undefined;
  const summaryChanged = !sameList(news.summaryInclude, olds.summaryInclude);
  if (plan.body.limits !== undefined || (Object.keys(plan.body).length === 0 && summaryChanged)) {
    latest = await currentOrg(api, "update", ref, news.summaryInclude);
    plan = planPatch(declared, latest);
  }
  if (Object.keys(plan.body).length > 0) {
    const patched = await patchOrg(api, "update", ref, plan.body, news.summaryInclude);
    return { outs: toState(toOutputs(patched, news)) };
  }
  if (latest !== undefined) return { outs: toState(toOutputs(latest, news)) };
  // Nothing to send: only the set of managed values changed.
  return { outs: toState(keptOutputs(olds, news)) };
}

/** The client's errors say what happened over HTTP; the provider adds which of its settings to change. */
function advise(error: unknown): Promise<never> {
  return Promise.reject(withSettingsAdvice(error));
}

/** Refresh and destroy run with the settings recorded at the last up: a 401 there may mean a rotated token. */
function explainRotation(error: unknown): Promise<never> {
  return Promise.reject(withRotationHint(error, tokenSource(configured)));
}

export function read(id: string, props: StoredOutputs): Promise<dynamic.ReadResult> {
  return reads.holdingASlot(() => readOrg(id, fromState(props))).catch(explainRotation);
}

export function remove(id: string, props: StoredOutputs): Promise<void> {
  return reads.holdingASlot(() => removeOrg(id, fromState(props))).catch(explainRotation);
}

/**
 * An org brought under management by import (the native plugin's `pulumi import` and `import`
 * option): every patchable value it holds that is not empty becomes a declared input, so the code
 * the CLI generates from these inputs previews with no change.
 */
export async function importOrg(ref: OrgRef): Promise<dynamic.ReadResult> {
  const org = await currentOrg(client(), "refresh", ref).catch(explainRotation);
  const inputs: InstanceOrgInputs = { ...importedSettings(org), ...ref };
  const outputs = toOutputs(org, inputs);
  return { id: outputs.orgId, props: toState(outputs), inputs };
}

/** The read-only lookup `getInstanceOrgs`, served by the native plugin: every org of the instance matching `filter`. */
export async function listInstanceOrgs(request: { instanceId: string; filter?: string; summaryInclude?: string[] }): Promise<InstanceOrgOutputs[]> {
  const { instanceId, filter, summaryInclude } = request;
  const orgs = await listOrgs(client(), { instanceId, nameFilter: filter, summaryInclude }).catch(advise);
  return orgs.map((org) => toOutputs(org, { instanceId, orgId: org.id, ...(summaryInclude === undefined ? {} : { summaryInclude }) }, []));
}

async function readOrg(id: string, props: InstanceOrgOutputs): Promise<dynamic.ReadResult> {
  const api = client();
  const ref = { instanceId: props.instanceId, orgId: props.orgId ?? id };
  // A refresh may be answered from a listing of the instance walked moments before (readAhead.ts).
  const verdict = await readOrgProven(reads, api, "refresh", ref, props.summaryInclude, { fromListing: true });
  if (verdict.gone) return { id: "" };
  const org = verdict.org;
  const outputs = refreshedOutputs(org, props, ref);
  return { id: outputs.orgId, props: toState(outputs), inputs: refreshedInputs(outputs) };
}

async function removeOrg(id: string, props: InstanceOrgOutputs): Promise<void> {
  const api = client();
  const ref = { instanceId: props.instanceId, orgId: props.orgId ?? id };
  if (await api.deleteOrg(ref)) return;
  // A 404 counts as deleted only once the instance answers without the org.
  const verdict = await confirmNotFound(api, "delete", "delete", ref);
  if (!verdict.gone) throw new LosantUnconfirmedNotFoundError({ action: "delete", operation: "delete", ref, reason: "orgListed" });
}

/** Read the org (alone or in a batch); proven absent fails, and so does an instance that does not answer, each saying which. */
async function currentOrg(api: LosantClient, action: OrgAction, ref: OrgRef, summaryInclude?: string[]): Promise<LosantInstanceOrg> {
  const verdict = await readOrgProven(reads, api, action, ref, summaryInclude);
  if (verdict.gone) throw new LosantOrgNotFoundError({ action, ref });
  return verdict.org;
}

/** PATCH the org; a 404 is explained (gone, or instance not accessible) with one more request. */
async function patchOrg(api: LosantClient, action: OrgAction, ref: OrgRef, body: OrgSettings, summaryInclude?: string[]): Promise<LosantInstanceOrg> {
  try {
    return await api.patchOrg(ref, body, summaryInclude);
  } catch (error) {
    if (!(error instanceof LosantApiError && error.status === 404)) throw error;
    const verdict = await confirmNotFound(api, action, "patch", ref, summaryInclude);
    if (verdict.gone) throw new LosantOrgNotFoundError({ action, ref, cause: error });
    throw new LosantUnconfirmedNotFoundError({ action, operation: "patch", ref, reason: "orgListed", cause: error });
  }
}
