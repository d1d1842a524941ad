import { Schema } from "./schemaTypes";

export interface Violation {
  /** Where the bad value sits, e.g. `limits.dataTTL` or `tags[3].key`; empty for the whole value. */
  path: string;
  reason: string;
}

export interface ValidateOptions {
  /** Values equal to this sentinel are accepted anywhere: the caller's placeholder for a value not known yet (the provider passes its own). */
  unknownSentinel?: string;
  /**
   * Refuse whole numbers beyond 2^53-1. JSON Schema (and so Losant) accepts them, but no JavaScript
   * program can hold one exactly: 9007199254740993 is already 9007199254740992 when the program
   * reads it, so what would be sent is not what was written. The provider's check sets this; the
   * emulator, standing in for Losant, does not.
   */
  safeIntegers?: boolean;
}

/** Length in characters as JSON Schema counts them: code points, so an emoji counts once (UTF-16 counts it twice). */
export function characterCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++, count++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character; a lone surrogate counts as one too.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
}

// Deliberately strict: JavaScript `Date.parse` accepts far more than RFC 3339 date-times.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isInteger(value)) return `the number ${value}`;
  if (typeof value === "string") return value.length > 40 ? `a string of ${characterCount(value)} characters` : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function isValidDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Validates `value` against `schema`; returns one violation per bad leaf, in document order. */
export function validate(schema: Schema, value: unknown, path = "", options: ValidateOptions = {}): Violation[] {
  if (options.unknownSentinel !== undefined && value === options.unknownSentinel) return [];

  if ("oneOf" in schema) {
    const matching = schema.oneOf.filter((s) => validate(s, value, path, options).length === 0);
    if (matching.length === 1) return [];
    const kinds = schema.oneOf.map(summarize).join(" or ");
    return [{ path, reason: `must be ${kinds}, got ${describe(value)}` }];
  }

  switch (schema.type) {
    case "string": {
      if (typeof value !== "string") return [{ path, reason: `must be a string, got ${describe(value)}` }];
      const out: Violation[] = [];
      const length = schema.minLength !== undefined || schema.maxLength !== undefined ? characterCount(value) : 0;
      if (schema.minLength !== undefined && length < schema.minLength) {
        out.push({ path, reason: schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters long (got ${length})` });
      }
      if (schema.maxLength !== undefined && length > schema.maxLength) {
        out.push({ path, reason: `must be at most ${schema.maxLength} characters long (got ${length})` });
      }
      // The u flag, as JSON Schema validators use it: character classes then match characters, not UTF-16 units.
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
        out.push({ path, reason: `must match ${schema.pattern} (got ${describe(value)})` });
      }
      if (schema.enum !== undefined && !schema.enum.includes(value)) {
        out.push({ path, reason: `must be one of ${schema.enum.map((e) => `"${e}"`).join(", ")} (got ${describe(value)})` });
      }
      if (schema.format === "date-time" && !isValidDateTime(value)) {
        out.push({ path, reason: `must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z (got ${describe(value)})` });
      }
      if (schema.format === "email" && !EMAIL.test(value)) {
        out.push({ path, reason: `must be an email address (got ${describe(value)})` });
      }
      return out;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        return [{ path, reason: `must be a whole number, got ${describe(value)}` }];
      }
      if (options.safeIntegers && !Number.isSafeInteger(value)) {
        return [
          {
            path,
            reason: `must be at most ${Number.MAX_SAFE_INTEGER} (2^53-1) in size: beyond that JavaScript numbers skip whole numbers, so ${describeNumber(value)} may not be the number written in the program and could not be sent to Losant exactly`,
          },
        ];
      }
      if (schema.minimum !== undefined && value < schema.minimum) {
        return [
          {
            path,
            reason:
              schema.maximum !== undefined
                ? `must be between ${schema.minimum} and ${schema.maximum} (got ${value})`
                : `must be at least ${schema.minimum} (got ${value})`,
          },
        ];
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        return [
          {
            path,
            reason:
              schema.minimum !== undefined
                ? `must be between ${schema.minimum} and ${schema.maximum} (got ${value})`
                : `must be at most ${schema.maximum} (got ${value})`,
          },
        ];
      }
      return [];
    }
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? [] : [{ path, reason: `must be a number, got ${describe(value)}` }];
    case "boolean": {
      if (typeof value !== "boolean") return [{ path, reason: `must be true or false, got ${describe(value)}` }];
      if (schema.enum !== undefined && !schema.enum.includes(value)) return [{ path, reason: `must be ${schema.enum.join(" or ")}` }];
      return [];
    }
    case "array": {
      if (!Array.isArray(value)) return [{ path, reason: `must be a list, got ${describe(value)}` }];
      const out: Violation[] = [];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        out.push({ path, reason: `must have at most ${schema.maxItems} entries (got ${value.length})` });
      }
      value.forEach((item, i) => out.push(...validate(schema.items, item, join(path, i), options)));
      return out;
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [{ path, reason: `must be an object, got ${describe(value)}` }];
      }
      const record = value as Record<string, unknown>;
      const out: Violation[] = [];
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) out.push({ path: join(path, key), reason: "is required" });
      }
      for (const [key, item] of Object.entries(record)) {
        const propertySchema = schema.properties[key];
        if (propertySchema === undefined) {
          if (schema.additionalProperties === false) {
            const known = Object.keys(schema.properties);
            out.push({ path: join(path, key), reason: `is not a known property; expected one of: ${known.join(", ")}` });
          }
          continue;
        }
        if (item === undefined) continue;
        out.push(...validate(propertySchema, item, join(path, key), options));
      }
      return out;
    }
  }
}

function describeNumber(value: number): string {
  return Math.abs(value) >= 1e21 ? String(value) : BigInt(value).toString();
}

function summarize(schema: Schema): string {
  if ("oneOf" in schema) return schema.oneOf.map(summarize).join(" or ");
  if (schema.type === "string" && schema.format === "date-time") return "a date-time string";
  if (schema.type === "boolean") return "true or false";
  return `a ${schema.type}`;
}
