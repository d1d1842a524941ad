/**
 * `pulumi-losant-instance-org/emulator`: a local stand-in for Losant's Instance Org API, for
 * testing Pulumi programs without a Losant account (docs/emulator.md describes what it serves).
 */
export { startEmulator, DEFAULT_TOKEN } from "./server";
export type { Emulator, EmulatorOptions } from "./server";
export { seedFleet } from "./seed";
export { DEFAULT_MODES, MODE_MATRIX } from "./modes";
export type { EmulatorModes } from "./modes";
export type { FaultConfig, FaultRule, FaultSettings } from "./faults";
export type { RecordedRequest } from "./recording";
export { DEFAULT_INSTANCE_LIMITS } from "./store";
export type { StoredOrg } from "./store";
