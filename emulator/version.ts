/**
 * `Accept-Version`, as Losant's framework routes it: bravado-server (Losant/bravado-server
 * `lib/index.js`) mounts every route with `version: api.info.version`, and restify 4's router
 * (restify/node-restify v4.3.4 `lib/router.js`) picks the route with `semver.maxSatisfying(versions,
 * req.version())`, the header defaulting to `*`. No match (an invalid range included) is an
 * InvalidVersionError, which bravado-server answers 400 `{"type":"VersionNotAllowed"}` with
 * restify's text '%s is not supported by %s %s'.
 */
import { HttpError } from "./http";
import type { EmulatorModes } from "./modes";

/** The API version the emulator serves in each POST mode (API 1.31 changed POST's reply). */
export const SERVED_VERSIONS: Readonly<Record<EmulatorModes["postReply"], string>> = { "api1.31": "1.31.0", "api1.30": "1.30.0" };

type Version = [number, number, number];
type Comparator = { op: "<" | "<=" | ">" | ">=" | "="; version: Version };

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** The numbers given, up to the first wildcard; undefined when the text is no version at all. */
function partial(text: string): number[] | undefined {
  const match = PARTIAL.exec(text);
  if (!match) return undefined;
  const parts: number[] = [];
  for (const part of match.slice(1)) {
    if (part === undefined || /^[xX*]$/.test(part)) break;
    parts.push(Number(part));
  }
  return parts;
}

const pad = (parts: number[]): Version => [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];

/** The version just above every version `parts` stands for (1.31 -> 1.32.0; 1 -> 2.0.0). */
function nextAfter(parts: number[]): Version {
  const bumped = [...parts];
  bumped[bumped.length - 1] += 1;
  return pad(bumped);
}

/** One space-separated term of a range, as comparators; undefined when it cannot be read. */
function term(text: string): Comparator[] | undefined {
  if (text === "" || text === "*" || /^[xX]$/.test(text)) return [];
  const op = /^(\^|~>?|>=|<=|>|<|=)?\s*(.*)$/.exec(text)!;
  const parts = partial(op[2]);
  if (parts === undefined) return undefined;
  const floor: Comparator = { op: ">=", version: pad(parts) };
  if (parts.length === 0) return op[1] === "<" || op[1] === ">" ? [{ op: "<", version: [0, 0, 0] }] : [];
  switch (op[1]) {
    case "^": {
      const significant = parts.findIndex((n) => n !== 0);
      const upTo = significant === -1 || significant >= parts.length ? parts : parts.slice(0, significant + 1);
      return [floor, { op: "<", version: nextAfter(upTo) }];
    }
    case "~":
    case "~>":
      return [floor, { op: "<", version: nextAfter(parts.length > 1 ? parts.slice(0, 2) : parts) }];
    case ">=":
    case "<":
      return [{ op: op[1], version: pad(parts) }];
    case ">":
      return parts.length === 3 ? [{ op: ">", version: pad(parts) }] : [{ op: ">=", version: nextAfter(parts) }];
    case "<=":
      return parts.length === 3 ? [{ op: "<=", version: pad(parts) }] : [{ op: "<", version: nextAfter(parts) }];
    default:
      return parts.length === 3 ? [{ op: "=", version: pad(parts) }] : [floor, { op: "<", version: nextAfter(parts) }];
  }
}

function holds(version: Version, { op, version: bound }: Comparator): boolean {
  const c = compare(version, bound);
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : op === ">=" ? c >= 0 : c === 0;
}

/**
 * Whether `version` satisfies the semver `range`, for the forms node-semver reads: `*`, exact and
 * partial versions, x-ranges, `^`, `~`, comparators, hyphen ranges and `||`. An unreadable range
 * satisfies nothing, as `semver.maxSatisfying` returns null for it. Prerelease tags are not read
 * (the emulator serves none), so a range naming one is unreadable.
 */
export function satisfies(version: string, range: string): boolean {
  const served = partial(version);
  if (served === undefined || served.length !== 3) return false;
  return range.split("||").some((alternative) => {
    const text = alternative.trim().replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, "$1");
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const terms = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/\s+/);
    const comparators = terms.map(term);
    if (comparators.some((c) => c === undefined)) return false;
    return comparators.flat().every((c) => holds(served as Version, c!));
  });
}

/**
 * Refuses a request whose `Accept-Version` the served version does not satisfy (mode
 * `acceptVersion: "enforced"`); no header stands for `*`, as restify reads it.
 */
export function checkAcceptVersion(header: string | undefined, modes: Pick<EmulatorModes, "acceptVersion" | "postReply">, method: string, path: string): void {
  if (modes.acceptVersion === "ignored") return;
  const range = header ?? "*";
  if (!satisfies(SERVED_VERSIONS[modes.postReply], range)) {
    throw new HttpError(400, "VersionNotAllowed", `${range} is not supported by ${method} ${path}`);
  }
}
