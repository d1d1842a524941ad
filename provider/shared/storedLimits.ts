/**
 * How an org's effective limits are kept in state: one string of values in a fixed key order
 * (`"100,100,...,60"`), not an object of 34 keys.
 *
 * Every byte per org is paid again at each checkpoint of a large fleet, and every property costs the
 * engine work on every operation: as an object the 34 limits were 690 B of a 2.2 KB state entry and
 * 35 struct fields to encode, decode and compare per org per step; as one string they are about
 * 140 B and one value. Programs never see the string: the resource class and the provider decode it,
 * so `org.limits` is the same object as before. An object (state from earlier versions, or values
 * the string cannot hold) is read as it is.
 */
import type { OrgLimits } from "../../losant/types";

/**
 * The position of each limit in the stored string. APPEND ONLY: state already written decodes by
 * these positions, so a key Losant adds goes at the end and no key ever moves or leaves.
 */
export const STORED_LIMIT_ORDER = [
  "apitoken",
  "application",
  "applicationcertificate",
  "applicationcertificateauthority",
  "applicationkey",
  "credential",
  "dashboard",
  "datatable",
  "device",
  "devicerecipe",
  "experiencedomain",
  "experienceendpoint",
  "experiencegroup",
  "experienceslug",
  "experienceuser",
  "experienceversion",
  "experienceview",
  "file",
  "flow",
  "integration",
  "notebook",
  "privatefile",
  "resourcejob",
  "webhook",
  "dataTTL",
  "member",
  "payload",
  "storage",
  "notebookMinutesPerRun",
  "notebookMinutesPerMonth",
  "notebookInParallel",
  "experienceFlowSlots",
  "applicationFlowSlots",
  "systemInterval",
] as const;

const POSITIONS = new Set<string>(STORED_LIMIT_ORDER);

/** What the string can hold exactly: a whole number written in plain digits. */
function storable(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The limits as state keeps them: the string when it holds them exactly, else the object itself, so
 * that nothing Losant returns is ever lost to the encoding.
 */
export function storedLimits(limits: OrgLimits): string | OrgLimits {
  const entries = Object.entries(limits).filter(([, value]) => value !== undefined);
  if (entries.some(([key, value]) => !POSITIONS.has(key) || !storable(value))) return limits;
  const values: Record<string, number | undefined> = limits;
  const text = STORED_LIMIT_ORDER.map((key) => (values[key] === undefined ? "" : String(values[key])));
  // Trailing empty positions carry nothing; dropping them keeps an org with few limits short.
  while (text.length > 0 && text[text.length - 1] === "") text.pop();
  return text.join(",");
}

/**
 * The limits object from what state holds: the string (see `storedLimits`) or an object. Anything
 * else reads as no limits, as a missing value did before.
 */
export function limitsFromState(stored: unknown): OrgLimits {
  if (typeof stored === "object" && stored !== null && !Array.isArray(stored)) return stored as OrgLimits;
  if (typeof stored !== "string" || stored === "") return {};
  const limits: Record<string, number> = {};
  stored.split(",").forEach((text, position) => {
    const key = STORED_LIMIT_ORDER[position];
    // A position past the end was written by a newer version with a key this one does not know.
    if (key !== undefined && text !== "") limits[key] = Number(text);
  });
  return limits as OrgLimits;
}
