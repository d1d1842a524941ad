import fs from "fs";
import { randomBytes } from "crypto";
import { LIMIT_KEYS, SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
import type { LosantInstanceOrg, OrgLimits, OrgSettings } from "../losant/types";
import { DEFAULT_MODES, EmulatorModes } from "./modes";
import { patchedBanner, patchedLimits, storedEmailDomains, storedTags } from "./patchSemantics";

/** Limits a new org gets from its instance, as in Losant. */
export const DEFAULT_INSTANCE_LIMITS: Required<OrgLimits> = Object.fromEntries(
  LIMIT_KEYS.map((key) => [key, key === "dataTTL" ? 2_592_000 : key === "systemInterval" ? 60 : 100]),
) as Required<OrgLimits>;

/** A member as the emulator keeps one: enough to answer `memberId` queries and show POST's `members`. */
export interface OrgMember {
  userId: string;
  role: "admin" | "edit" | "collaborate" | "view" | "none";
}

export interface StoredOrg extends OrgSettings {
  id: string;
  instanceId: string;
  name: string;
  limits: Required<OrgLimits>;
  creationDate: string;
  lastUpdated: string;
  /** Absent for orgs seeded directly (and in state files written before members were kept). */
  members?: OrgMember[];
}

interface Snapshot {
  instances: Record<string, { limits: Required<OrgLimits> }>;
  orgs: StoredOrg[];
}

export function newObjectId(): string {
  return randomBytes(12).toString("hex");
}

/** Instances and their orgs, kept in memory and optionally mirrored to a JSON file. */
export class OrgStore {
  private instances = new Map<string, { limits: Required<OrgLimits> }>();
  private orgs = new Map<string, StoredOrg>();
  private clock: () => Date;
  /** The readings of undocumented behaviour in force; the server keeps this in step with its own modes. */
  modes: EmulatorModes = { ...DEFAULT_MODES };

  constructor(
    private readonly persistPath?: string,
    clock: () => Date = () => new Date(),
  ) {
    this.clock = clock;
    if (persistPath && fs.existsSync(persistPath)) {
      const snapshot = JSON.parse(fs.readFileSync(persistPath, "utf8")) as Snapshot;
      for (const [id, instance] of Object.entries(snapshot.instances)) this.instances.set(id, instance);
      for (const org of snapshot.orgs) this.orgs.set(org.id, org);
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private persist(): void {
    if (!this.persistPath) return;
    const snapshot: Snapshot = { instances: Object.fromEntries(this.instances), orgs: [...this.orgs.values()] };
    // Write then rename, so a process killed mid-write never leaves half a file.
    const tmp = `${this.persistPath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(snapshot));
    fs.renameSync(tmp, this.persistPath);
  }

  addInstance(id: string = newObjectId(), limits: Partial<OrgLimits> = {}): string {
    this.instances.set(id, { limits: { ...DEFAULT_INSTANCE_LIMITS, ...limits } as Required<OrgLimits> });
    this.persist();
    return id;
  }

  hasInstance(id: string): boolean {
    return this.instances.has(id);
  }

  createOrg(instanceId: string, settings: OrgSettings & { name: string }, id: string = newObjectId(), members?: OrgMember[]): StoredOrg {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    const now = this.now();
    const org: StoredOrg = {
      auditLogEnabled: false,
      isReadOnly: false,
      disabledAt: false,
      mfaMode: "notRequired",
      whitelistedEmailDomains: [],
      tags: [],
      description: "",
      ...settings,
      id,
      instanceId,
      limits: { ...instance.limits, ...(settings.limits ?? {}) } as Required<OrgLimits>,
      creationDate: now,
      lastUpdated: now,
      ...(members ? { members: structuredClone(members) } : {}),
    };
    org.disabledAt = normalizeDisabledAt(org.disabledAt, now);
    org.tags = storedTags(org.tags ?? [], this.modes);
    org.whitelistedEmailDomains = storedEmailDomains(org.whitelistedEmailDomains ?? [], this.modes);
    this.orgs.set(id, org);
    this.persist();
    return structuredClone(org);
  }

  getOrg(instanceId: string, orgId: string): StoredOrg | undefined {
    const org = this.orgs.get(orgId);
    return org && org.instanceId === instanceId ? structuredClone(org) : undefined;
  }

  listOrgs(instanceId: string): StoredOrg[] {
    return this.orgsOf(instanceId).map((org) => structuredClone(org));
  }

  /**
   * The instance's orgs as stored, not copied: the list endpoint filters thousands of orgs per
   * request, and copying each one cost the bench more CPU than the provider under test (the real
   * server's CPU is not on the client's machine). Callers copy only what they hand out.
   */
  orgsOf(instanceId: string): ReadonlyArray<Readonly<StoredOrg>> {
    return [...this.orgs.values()].filter((org) => org.instanceId === instanceId);
  }

  /**
   * Applies a PATCH body. Top-level fields replace; `limits`, `banner`, `tags` and
   * `whitelistedEmailDomains` follow `modes`. The default for limits, replacing the whole object
   * (a limit left out falls back to the instance's default), is the stricter reading, so a client
   * that is not merge-safe shows up here.
   */
  patchOrg(instanceId: string, orgId: string, body: OrgSettings): StoredOrg | undefined {
    const org = this.orgs.get(orgId);
    if (!org || org.instanceId !== instanceId) return undefined;
    const now = this.now();
    const { limits, banner, tags, whitelistedEmailDomains, ...rest } = structuredClone(body);
    Object.assign(org, rest);
    if (limits !== undefined) org.limits = patchedLimits(org.limits, limits, this.instances.get(instanceId)!.limits, this.modes);
    if (banner !== undefined) org.banner = patchedBanner(org.banner, banner, this.modes);
    if (tags !== undefined) org.tags = storedTags(tags, this.modes);
    if (whitelistedEmailDomains !== undefined) org.whitelistedEmailDomains = storedEmailDomains(whitelistedEmailDomains, this.modes);
    if (body.disabledAt !== undefined) org.disabledAt = normalizeDisabledAt(body.disabledAt, now);
    org.lastUpdated = now;
    this.persist();
    return structuredClone(org);
  }

  deleteOrg(instanceId: string, orgId: string): boolean {
    const org = this.orgs.get(orgId);
    if (!org || org.instanceId !== instanceId) return false;
    this.orgs.delete(orgId);
    this.persist();
    return true;
  }

  /** Removes every org and instance (tests, demo), leaving the store empty; persisted like any change. */
  clear(): void {
    this.instances.clear();
    this.orgs.clear();
    this.persist();
  }
}

function normalizeDisabledAt(value: string | boolean | undefined, now: string): string | false {
  if (value === true) return now;
  if (typeof value === "string") return new Date(value).toISOString();
  return false;
}

/** The Instance Organization object as Losant's GET and PATCH return it. */
export function toApiOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined): LosantInstanceOrg {
  // Members are not part of the Instance Organization object; only POST's reply (an Organization) shows them.
  const { id, instanceId, members: _members, ...fields } = org;
  return { ...fields, id, orgId: id, instanceId, summary: summaryOf(summaryInclude) };
}

const DEFAULT_SUMMARY_FIELDS = SUMMARY_FIELDS.filter((f) => f.endsWith("Count") && f !== "payloadCount");

function summaryOf(summaryInclude: readonly string[] | undefined): Record<string, unknown> {
  const fields = summaryInclude && summaryInclude.length > 0 ? summaryInclude : DEFAULT_SUMMARY_FIELDS;
  const summary: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === "payloadCount") summary.payloadCount = { deviceState: { total: 0 } };
    else if (field === "storageStats") summary.storageStats = { count: 0, size: 0 };
    else if (field === "notebookStats") summary.notebookStats = { awaitingCompletion: 0, minutesThisPeriod: 0, runsThisPeriod: 0 };
    else if (SUMMARY_FIELDS.includes(field)) summary[field] = field === "memberCount" ? 1 : 0;
  }
  return summary;
}
