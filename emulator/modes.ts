/**
 * Readings of the behaviour Losant leaves undocumented. The emulator can take each reading, so a
 * client can be shown to be right whichever one the real server takes.
 */
export interface EmulatorModes {
  /** PATCH of `limits`: "replace" (limits left out fall back to the instance default; default) or "merge". */
  limitsPatch: "replace" | "merge";
  /** PATCH of `banner`: "replace" (default) or "merge" (sent keys merged into the stored banner). */
  bannerPatch: "replace" | "merge";
  /** How the server stores `tags`: "asSent" (default), "sortedByKey", "reversed". */
  tagOrder: "asSent" | "sortedByKey" | "reversed";
  /** How the server stores `whitelistedEmailDomains`: "asSent" (default) or "lowercaseSorted". */
  emailDomains: "asSent" | "lowercaseSorted";
  /** Replies carry `_type` and `_links` (single orgs and collections, and collection items). Default true. */
  hypermedia: boolean;
  /**
   * A list `perPage` above the largest page: "refuseAbove1000" (400; default) or "capAt100" (pages
   * of at most 100 orgs, whatever was asked, the reply's `perPage` saying 100).
   */
  pageSize: "refuseAbove1000" | "capAt100";
  /**
   * POST's reply: "api1.31" (201 with the `instanceOrg` resource; default) or "api1.30" (200 with the
   * `org` resource, org.json: `members`, `isEnterprise`, `planId`, no `instanceId`, `tags`,
   * `auditLogEnabled` or `referralId`). Also the API version served: 1.31.0 or 1.30.0.
   */
  postReply: "api1.31" | "api1.30";
  /**
   * 404 texts: "perResource" (bravado-core's '{title} was not found': "Instance was not found",
   * "Organization was not found"; default) or "single" (one text for every 404, as the emulator
   * answered before). The titles are assumed; a client must never read the text.
   */
  notFoundText: "perResource" | "single";
  /**
   * `Accept-Version`: "enforced" (a range the served version does not satisfy is 400
   * VersionNotAllowed, as bravado-server on restify 4 answered; default) or "ignored" (restify 7
   * and later drop route versions, so bravado-server today may not check it).
   */
  acceptVersion: "enforced" | "ignored";
}

/** The values each mode takes; the first is the default. */
export const MODE_VALUES: { readonly [K in keyof EmulatorModes]: ReadonlyArray<EmulatorModes[K]> } = {
  limitsPatch: ["replace", "merge"],
  bannerPatch: ["replace", "merge"],
  tagOrder: ["asSent", "sortedByKey", "reversed"],
  emailDomains: ["asSent", "lowercaseSorted"],
  hypermedia: [true, false],
  pageSize: ["refuseAbove1000", "capAt100"],
  postReply: ["api1.31", "api1.30"],
  notFoundText: ["perResource", "single"],
  acceptVersion: ["enforced", "ignored"],
};

const firstOf = <K extends keyof EmulatorModes>(mode: K): EmulatorModes[K] => MODE_VALUES[mode][0];

/** Each mode's first value, so that MODE_VALUES states the defaults once. */
export const DEFAULT_MODES: Readonly<EmulatorModes> = Object.freeze({
  limitsPatch: firstOf("limitsPatch"),
  bannerPatch: firstOf("bannerPatch"),
  tagOrder: firstOf("tagOrder"),
  emailDomains: firstOf("emailDomains"),
  hypermedia: firstOf("hypermedia"),
  pageSize: firstOf("pageSize"),
  postReply: firstOf("postReply"),
  notFoundText: firstOf("notFoundText"),
  acceptVersion: firstOf("acceptVersion"),
});

/**
 * Named mode sets that between them take every value of every mode, so a suite that runs once per
 * entry meets every reading. New readings join existing entries rather than adding one: each entry
 * costs every suite that runs the matrix a full pass.
 */
export const MODE_MATRIX: ReadonlyArray<{ name: string; modes: EmulatorModes }> = Object.freeze([
  { name: "strict", modes: { ...DEFAULT_MODES } },
  { name: "merging", modes: { ...DEFAULT_MODES, limitsPatch: "merge", bannerPatch: "merge", postReply: "api1.30" } },
  {
    name: "normalising",
    modes: { ...DEFAULT_MODES, limitsPatch: "merge", bannerPatch: "merge", tagOrder: "sortedByKey", emailDomains: "lowercaseSorted" },
  },
  { name: "reversing", modes: { ...DEFAULT_MODES, tagOrder: "reversed", notFoundText: "single" } },
  { name: "plain", modes: { ...DEFAULT_MODES, hypermedia: false, pageSize: "capAt100", acceptVersion: "ignored", postReply: "api1.30" } },
]);

/**
 * Checks a partial mode set from outside (control route, CLI, options), so a typo fails loudly
 * instead of leaving a default in force.
 */
export function parseModes(input: unknown): Partial<EmulatorModes> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new Error("modes must be an object");
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(key in MODE_VALUES)) throw new Error(`unknown mode "${key}"; known: ${Object.keys(MODE_VALUES).join(", ")}`);
    const allowed: ReadonlyArray<unknown> = MODE_VALUES[key as keyof EmulatorModes];
    if (!allowed.includes(value)) throw new Error(`mode ${key} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`);
    parsed[key] = value;
  }
  return parsed as Partial<EmulatorModes>;
}
