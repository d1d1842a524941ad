/**
 * How the emulator stores what a client sends, under each reading of what Losant leaves open
 * (EmulatorModes). Pure functions, so each reading can be tested on its own.
 */
import type { OrgBanner, OrgLimits, OrgTag } from "../losant/types";
import type { EmulatorModes } from "./modes";

export function storedTags(tags: readonly OrgTag[], modes: Pick<EmulatorModes, "tagOrder">): OrgTag[] {
  const copy = tags.map((t) => ({ ...t }));
  if (modes.tagOrder === "reversed") return copy.reverse();
  if (modes.tagOrder === "sortedByKey") return copy.sort((a, b) => compare(a.key, b.key) || compare(a.value, b.value));
  return copy;
}

export function storedEmailDomains(domains: readonly string[], modes: Pick<EmulatorModes, "emailDomains">): string[] {
  if (modes.emailDomains === "lowercaseSorted") return domains.map((d) => d.toLowerCase()).sort(compare);
  return [...domains];
}

/** "replace": limits left out fall back to the instance default; "merge": they keep their stored value. */
export function patchedLimits(
  stored: Required<OrgLimits>,
  sent: OrgLimits,
  instanceDefaults: Required<OrgLimits>,
  modes: Pick<EmulatorModes, "limitsPatch">,
): Required<OrgLimits> {
  const base = modes.limitsPatch === "merge" ? stored : instanceDefaults;
  return { ...base, ...sent };
}

/** "replace": the banner becomes what was sent; "merge": the sent keys are written over the stored banner. */
export function patchedBanner(stored: OrgBanner | undefined, sent: OrgBanner, modes: Pick<EmulatorModes, "bannerPatch">): OrgBanner {
  return modes.bannerPatch === "merge" ? { ...(stored ?? {}), ...sent } : { ...sent };
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
