import fc from "fast-check";
import type { Schema } from "../../losant/schemaTypes";

export const isoDate = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());

/**
 * Values that satisfy a rule of the field list, kept small. A field that its test arbitrary does
 * not tune by hand gets these, so a field added to the list is fuzzed without another edit.
 */
export function validValueOf(schema: Schema): fc.Arbitrary<unknown> {
  if ("oneOf" in schema) return fc.oneof(...schema.oneOf.map(validValueOf));
  switch (schema.type) {
    case "string":
      if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
      if (schema.format === "date-time") return isoDate;
      if (schema.format === "email") return fc.emailAddress();
      if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case "integer":
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? (schema.minimum ?? 0) + 1000 });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return schema.enum !== undefined ? fc.constantFrom(...schema.enum) : fc.boolean();
    case "array":
      return fc.array(validValueOf(schema.items), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case "object": {
      const properties = Object.fromEntries(Object.entries(schema.properties).map(([key, rule]) => [key, validValueOf(rule)]));
      return fc.record(properties, { requiredKeys: [...(schema.required ?? [])] });
    }
  }
}
