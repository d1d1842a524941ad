/**
 * The tag a created org carries so that creation can recognise its own earlier work: a POST whose
 * answer was lost, or one whose result never reached the state (the pipeline was killed, or the
 * engine skipped checkpoints). Losant stores tags and its org list can filter on a tag's key and
 * value (advancedInstanceOrgQuery.json `tags`), which `name`, `description` or `iconColor` could not
 * offer together; `referralId` could, but it is the user's own field (billing referrals), so it is
 * left alone.
 */
import { createHash } from "crypto";
import type { OrgTag } from "../../losant/types";

/** Tag keys match ^[0-9a-zA-Z_-]{1,255}: no colon, so the package name is the key. */
export const CREATION_MARKER_KEY = "pulumi-losant-instance-org";
const MAX_TAG_VALUE = 255;

/**
 * `project/stack/resource name`: the same on every run of the same program, different for every
 * resource of a stack (names are unique per type). A longer text is hashed to fit a tag value.
 */
export function creationMarkerFor(project: string, stack: string, name: string): string {
  const marker = `${project}/${stack}/${name}`;
  return marker.length <= MAX_TAG_VALUE ? marker : `sha256:${createHash("sha256").update(marker).digest("hex")}`;
}

export function markerTag(marker: string): OrgTag {
  return { key: CREATION_MARKER_KEY, value: marker };
}

/** The org's tags without the marker: it is the provider's, never part of what a program declares. */
export function withoutMarker<T>(tags: T): T {
  return (Array.isArray(tags) ? tags.filter((tag: { key?: unknown }) => tag?.key !== CREATION_MARKER_KEY) : tags) as T;
}

/** The list query that finds orgs carrying `marker`. */
export function markerQuery(marker: string): Record<string, unknown> {
  return { tags: { [CREATION_MARKER_KEY]: marker } };
}
