/**
 * The subset of JSON Schema (draft-07) that Losant's Instance Org schemas use. Keeping our own
 * rules in this shape lets one validator serve both the provider's `check` and the emulator, and
 * lets a conformance test compare them against Losant's published files.
 */
export type Schema = StringSchema | IntegerSchema | NumberSchema | BooleanSchema | ArraySchema | ObjectSchema | OneOfSchema;

export interface StringSchema {
  type: "string";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: readonly string[];
  format?: "date-time" | "email";
}

export interface IntegerSchema {
  type: "integer";
  minimum?: number;
  maximum?: number;
}

export interface NumberSchema {
  type: "number";
}

export interface BooleanSchema {
  type: "boolean";
  enum?: readonly boolean[];
}

export interface ArraySchema {
  type: "array";
  items: Schema;
  maxItems?: number;
}

export interface ObjectSchema {
  type: "object";
  properties: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: false;
}

export interface OneOfSchema {
  oneOf: readonly Schema[];
}
