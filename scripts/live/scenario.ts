/**
 * The live check: adopt, update, refresh and destroy a scratch org through the package's provider
 * functions, checking each step with direct reads. The scratch org is removed in `finally`, whatever
 * failed, and found again by name if the POST's answer was lost.
 */
import { create, diff, read, remove, update } from "../../provider/lifecycle";
import type { InstanceOrgInputs } from "../../provider/shared/resourceTypes";
import { fromState, type StoredOutputs } from "../../provider/server/outputs";
import type { LiveEnv } from "./env";
import { RawLosant, RawOrg } from "./rawApi";

export type Log = (line: string) => void;

export const SCRATCH_PREFIX = "pulumi-losant-instance-org live check";

export function scratchName(at: Date): string {
  return `${SCRATCH_PREFIX} ${at.toISOString()} (safe to delete)`;
}

/** diff takes plain records, as Pulumi passes them. */
const record = (value: object): Record<string, unknown> => ({ ...value });

function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

async function step<T>(log: Log, title: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await run();
  log(`  ok  ${title} (${Date.now() - started} ms)`);
  return result;
}

/** Limits other than `key`, to show an update of one limit leaves the others as they were. */
function otherLimits(org: RawOrg, key: string): Record<string, number> {
  const { [key]: _changed, ...rest } = org.limits ?? {};
  return rest;
}

export async function runLiveCheck(env: LiveEnv, log: Log, now: () => Date = () => new Date()): Promise<void> {
  const raw = new RawLosant(env);
  const startedAt = now();
  // Losant's clock and ours may differ a little; look a minute back for the org a lost POST made.
  const lookBack = new Date(startedAt.getTime() - 60_000);
  const name = scratchName(startedAt);
  let orgId: string | undefined;
  log(`live check against ${env.apiUrl}, instance ${env.instanceId}; scratch org "${name}"`);
  let failure: unknown;
  try {
    const created = await step(log, "create the scratch org with a direct POST", async () => {
      try {
        return await raw.createOrg({ name, description: "Made by `npm run test:live` of pulumi-losant-instance-org; removed when the check ends." });
      } catch (error) {
        const found = await raw.findOrgs(name, lookBack).catch(() => []);
        if (found.length > 0) orgId = found[0].id;
        throw error;
      }
    });
    orgId = created.id;

    const declared: InstanceOrgInputs = { instanceId: env.instanceId, orgId, name };
    const adopted = await step(log, "adopt it (provider create)", async () => {
      const result = await create(declared);
      expectThat(result.id === orgId, `create returned id ${result.id}, expected ${orgId}`);
      expectThat(result.outs.name === name, "the adopted outputs do not carry the org's name");
      expectThat((await diff(orgId!, result.outs, record(declared))).changes === false, "a diff right after adopt shows changes");
      return fromState(result.outs as StoredOutputs);
    });

    const before = await raw.getOrg(orgId);
    expectThat(before !== undefined, "the scratch org is missing after adopt");
    const deviceLimit = (before!.limits?.device ?? 0) === 7 ? 8 : 7;
    const auditLogEnabled = before!.auditLogEnabled !== true;
    const changed: InstanceOrgInputs = { ...declared, auditLogEnabled, limits: { device: deviceLimit } };
    const updated = await step(log, `update a setting and a limit (auditLogEnabled=${auditLogEnabled}, limits.device=${deviceLimit})`, async () => {
      expectThat((await diff(orgId!, record(adopted), record(changed))).changes === true, "diff does not see the declared change");
      const result = await update(orgId!, adopted, changed);
      const after = await raw.getOrg(orgId!);
      expectThat(after?.auditLogEnabled === auditLogEnabled, `auditLogEnabled is ${after?.auditLogEnabled} in Losant, expected ${auditLogEnabled}`);
      expectThat(after?.limits?.device === deviceLimit, `limits.device is ${after?.limits?.device} in Losant, expected ${deviceLimit}`);
      const kept = JSON.stringify(otherLimits(after!, "device")) === JSON.stringify(otherLimits(before!, "device"));
      expectThat(kept, "the update changed limits it did not declare");
      return fromState(result.outs as StoredOutputs);
    });

    await step(log, "refresh (provider read) finds the values and no change to make", async () => {
      const refreshed = await read(orgId!, updated);
      expectThat(refreshed.id === orgId, `read returned id "${refreshed.id}", expected ${orgId}`);
      const props = fromState(refreshed.props as StoredOutputs);
      expectThat(props.auditLogEnabled === auditLogEnabled && props.limits.device === deviceLimit, "read does not report the updated values");
      expectThat((await diff(orgId!, record(props), record(changed))).changes === false, "a diff after refresh shows changes");
    });

    await step(log, "destroy (provider delete) removes the org", async () => {
      await remove(orgId!, updated);
      expectThat((await raw.getOrg(orgId!)) === undefined, "the org still answers after destroy");
      const refreshed = await read(orgId!, updated);
      expectThat(refreshed.id === "", "refresh after destroy does not drop the org");
    });
  } catch (error) {
    failure = error;
  }
  const cleaned = await cleanUp(raw, log, name, lookBack, orgId);
  if (failure !== undefined) throw failure;
  if (!cleaned) throw new Error(`the scratch org "${name}" could not be removed`);
}

/** Removes the scratch org if anything left it behind; false (after saying so) when it could not. */
async function cleanUp(raw: RawLosant, log: Log, name: string, since: Date, orgId: string | undefined): Promise<boolean> {
  try {
    const ids = orgId ? [orgId] : (await raw.findOrgs(name, since)).map((org) => org.id);
    const removed: string[] = [];
    for (const id of ids) if (await raw.deleteOrg(id)) removed.push(id);
    if (removed.length > 0) log(`  cleanup: removed scratch org ${removed.join(", ")}`);
    for (const id of ids) {
      if ((await raw.getOrg(id)) !== undefined) throw new Error(`scratch org ${id} still exists`);
    }
    return true;
  } catch (error) {
    log(`  cleanup FAILED: ${(error as Error).message}; delete the org named "${name}" by hand`);
    return false;
  }
}
