/**
 * `GET /instances/{id}/orgs`: its query parameters (apiInfo-instanceOrgs.json) and the page they
 * select. Each malformed parameter is a 400, as Losant documents "Error if malformed request".
 */
import { validationError } from "./http";
import { OrgQuery, parseOrgQuery } from "./orgQuery";
import { matchesOrgQuery } from "./orgQueryMatch";
import type { StoredOrg } from "./store";

export const SORT_FIELDS = ["name", "id", "creationDate", "lastUpdated"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const DEFAULT_PER_PAGE = 100;
/** Losant documents no maximum; by default the emulator refuses more than this (an assumption, docs/emulator.md). */
export const MAX_PER_PAGE = 1000;
/** The largest page under mode `pageSize: "capAt100"`, whatever `perPage` asks for. */
export const CAPPED_PER_PAGE = 100;

export interface ListParams {
  page: number;
  perPage: number;
  sortField: SortField;
  sortDirection: "asc" | "desc";
  /** Set only when both filterField and filter are given and `query` is not. */
  nameFilter?: string;
  query?: OrgQuery;
}

/** A parameter left out or sent blank takes its default, as Losant's endpoint table says of the filters. */
const given = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value);

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (given(text) === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validationError(`${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}`);
  }
  return value;
}

export function parseListParams(query: Readonly<Record<string, string>>, pageSize: "refuseAbove1000" | "capAt100" = "refuseAbove1000"): ListParams {
  const sortField = given(query.sortField) ?? "name";
  if (!SORT_FIELDS.includes(sortField as SortField)) throw validationError(`sortField must be one of ${SORT_FIELDS.join(", ")}`);
  const sortDirection = (given(query.sortDirection) ?? "asc").toLowerCase();
  if (sortDirection !== "asc" && sortDirection !== "desc") throw validationError("sortDirection must be asc or desc");
  const filterField = given(query.filterField);
  if (filterField !== undefined && filterField !== "name") throw validationError("filterField must be name");
  const params: ListParams = {
    page: wholeNumber("page", query.page, 0, 0),
    perPage:
      pageSize === "capAt100"
        ? Math.min(CAPPED_PER_PAGE, wholeNumber("perPage", query.perPage, DEFAULT_PER_PAGE, 1))
        : wholeNumber("perPage", query.perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    sortField: sortField as SortField,
    sortDirection,
  };
  if (given(query.query) !== undefined) {
    try {
      params.query = parseOrgQuery(query.query);
    } catch (error) {
      throw validationError((error as Error).message);
    }
  } else if (filterField !== undefined && given(query.filter) !== undefined) {
    params.nameFilter = query.filter;
  }
  return params;
}

/** Losant's filter "supports globbing": `*` stands for any run of characters; the whole name must match, ignoring case. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`, "i");
}

function compare(a: Readonly<StoredOrg>, b: Readonly<StoredOrg>, field: SortField): number {
  const x = field === "id" ? a.id.toLowerCase() : a[field];
  const y = field === "id" ? b.id.toLowerCase() : b[field];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The orgs that match, sorted (ties broken by id, so pages never overlap), and the page asked for.
 * Only the page is copied, so a request for 8 ids among 2,000 orgs copies 8.
 */
export function selectPage(orgs: ReadonlyArray<Readonly<StoredOrg>>, params: ListParams): { items: StoredOrg[]; totalCount: number } {
  const pattern = params.nameFilter !== undefined ? globToRegExp(params.nameFilter) : undefined;
  const query = params.query;
  const matching = orgs.filter((org) => (query ? matchesOrgQuery(org, query) : pattern ? pattern.test(org.name) : true));
  const sign = params.sortDirection === "desc" ? -1 : 1;
  matching.sort((a, b) => sign * (compare(a, b, params.sortField) || compare(a, b, "id")));
  const start = params.page * params.perPage;
  return { items: matching.slice(start, start + params.perPage).map((org) => structuredClone(org)), totalCount: matching.length };
}
