/** Checks of query parameters that several handlers share; each refusal is a 400. */
import { SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
import { paramError } from "./http";

/**
 * `summaryInclude`, a plain string in the endpoint table: the framework does not check it, so an
 * unknown field is refused by the handler, after the token (the refusal itself is assumed).
 */
export function parseSummaryInclude(query: Readonly<Record<string, string>>): string[] | undefined {
  if (query.summaryInclude === undefined || query.summaryInclude === "") return undefined;
  const fields = query.summaryInclude.split(",").map((f) => f.trim());
  const unknown = fields.filter((f) => !SUMMARY_FIELDS.includes(f));
  if (unknown.length > 0) throw paramError("summaryInclude", `has unknown fields: ${unknown.join(", ")}`);
  return fields;
}
