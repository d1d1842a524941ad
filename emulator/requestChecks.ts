/** Checks of ids, bodies and query parameters that several routes share; each refusal is a 400. */
import { OBJECT_ID_PATTERN, SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
import { ObjectSchema } from "../losant/schemaTypes";
import { validate } from "../losant/validate";
import { validationError } from "./http";

export function requireId(kind: string, id: string): void {
  if (!OBJECT_ID_PATTERN.test(id)) throw validationError(`${kind} must be a 24-character hex id`);
}

export function validateBody(schema: ObjectSchema, body: unknown): void {
  const violations = validate(schema, body ?? {});
  if (violations.length > 0) {
    const text = violations.map((v) => `${v.path || "body"} ${v.reason}`).join("; ");
    throw validationError(`Validation failed: ${text}`);
  }
}

export function parseSummaryInclude(query: Readonly<Record<string, string>>): string[] | undefined {
  if (query.summaryInclude === undefined || query.summaryInclude === "") return undefined;
  const fields = query.summaryInclude.split(",").map((f) => f.trim());
  const unknown = fields.filter((f) => !SUMMARY_FIELDS.includes(f));
  if (unknown.length > 0) throw validationError(`summaryInclude has unknown fields: ${unknown.join(", ")}`);
  return fields;
}
