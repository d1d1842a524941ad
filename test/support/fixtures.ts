export const INSTANCE_ID = "5f1e2d3c4b5a69788796a5b4";
export const ORG_ID = "60a1b2c3d4e5f60718293a4b";
export const OTHER_ORG_ID = "60a1b2c3d4e5f60718293a4c";
/** An instance the seeded emulators also hold, without the org. */
export const OTHER_INSTANCE_ID = "5f1e2d3c4b5a69788796a5b5";
/** An instance no emulator holds. */
export const UNKNOWN_INSTANCE_ID = "5f1e2d3c4b5a69788796a5ff";

/** Valid inputs; each test changes one thing. */
export function validInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", ...overrides };
}
