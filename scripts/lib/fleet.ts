/**
 * A fleet of N orgs in the emulator and a Pulumi stack that manages them, for the benchmark, the
 * rate-limit test and the fault matrix. Contenders differ only in the program that runs.
 */
import fs from "fs";
import path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator } from "../../emulator/server";
import { seedFleet } from "../../emulator/seed";
import { createStack, pathWithPulumi, prepareProgram, REPO_ROOT } from "./workspace";
import { isYamlProgram, writeYamlFleetProgram } from "./yamlFleet";

export type PulumiContender = "ours" | "native" | "engineFloor" | "handwritten";

const PROGRAM_DIRS: Record<PulumiContender, string> = {
  ours: "examples/fleet",
  native: "bench/programs/native-yaml",
  engineFloor: "bench/programs/engine-floor",
  handwritten: "bench/programs/handwritten",
};

export interface FleetFile {
  instanceId: string;
  defaults: { auditLogEnabled?: boolean; mfaMode?: string; limits: Record<string, number> };
  /** Entries without orgId are created by the first up. */
  orgs: Array<{ key: string; orgId?: string; name: string }>;
}

export interface Fleet {
  instanceId: string;
  orgIds: string[];
  file: FleetFile;
}

/** Seeds `size` orgs and describes them the way every contender's program reads them. */
export function seedFleetFile(emulator: Emulator, size: number, deviceLimit = 1000): Fleet {
  const { instanceId, orgIds } = seedFleet(emulator, size);
  return {
    instanceId,
    orgIds,
    file: {
      instanceId,
      defaults: { auditLogEnabled: true, mfaMode: "adminRequired", limits: { device: deviceLimit, member: 50 } },
      orgs: orgIds.map((orgId, i) => ({ key: `org-${String(i + 1).padStart(3, "0")}`, orgId, name: `Customer ${i + 1}` })),
    },
  };
}

/**
 * Adds `count` entries without orgId: orgs the first up creates ("New customer 1", ...). Appended,
 * or with `interleave` the i-th one right after the i-th existing entry, so that the file's order
 * alone does not put every creation after every adoption (the engine's start order still varies
 * from run to run).
 */
export function addNewOrgs(fleet: Fleet, count: number, options: { interleave?: boolean } = {}): string[] {
  const entries = Array.from({ length: count }, (_, i) => ({ key: `new-${String(i + 1).padStart(3, "0")}`, name: `New customer ${i + 1}` }));
  if (options.interleave) {
    const existing = fleet.file.orgs;
    const mixed: FleetFile["orgs"] = [];
    for (let i = 0; i < Math.max(existing.length, entries.length); i++) mixed.push(...existing.slice(i, i + 1), ...entries.slice(i, i + 1));
    fleet.file.orgs = mixed;
  } else fleet.file.orgs.push(...entries);
  return entries.map((entry) => entry.name);
}

/** Writes orgs.json, and renders a YAML program's resources from it (YAML cannot read the file itself). */
export function writeFleetFile(workDir: string, file: FleetFile): void {
  fs.writeFileSync(path.join(workDir, "orgs.json"), JSON.stringify(file, null, 2));
  if (isYamlProgram(workDir)) writeYamlFleetProgram(workDir, file);
}

export interface FleetStack {
  stack: Stack;
  workDir: string;
  backendDir: string;
}

export async function fleetStack(
  contender: PulumiContender,
  emulator: Emulator,
  fleet: Fleet,
  token: string,
  options: { backendDir: string; env?: Record<string, string>; config?: Record<string, string> },
): Promise<FleetStack> {
  const workDir = prepareProgram({ dir: path.join(REPO_ROOT, PROGRAM_DIRS[contender]) });
  writeFleetFile(workDir, fleet.file);
  const config: Record<string, string> = contender === "handwritten" ? { apiUrl: emulator.url, apiToken: token } : { "losant:apiUrl": emulator.url };
  const secrets: Record<string, string> = contender === "ours" || contender === "native" ? { "losant:apiToken": token } : {};
  // The native plugin is found as an installed package puts it: node_modules/.bin first on PATH (docs/native-plugin.md).
  const pluginPath: Record<string, string> =
    contender === "native" ? { PATH: [path.join(workDir, "node_modules", ".bin"), pathWithPulumi()].join(path.delimiter) } : {};
  const env = { ...pluginPath, ...(options.env ?? {}) };
  const stack = await createStack({ workDir, backendDir: options.backendDir, config: { ...config, ...(options.config ?? {}) }, secrets, env });
  return { stack, workDir, backendDir: options.backendDir };
}
