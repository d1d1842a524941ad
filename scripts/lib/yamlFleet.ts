/**
 * The fleet as a Pulumi YAML program for the native plugin: one `losant:index:InstanceOrg` per entry
 * of the fleet file, with the inputs InstanceOrgFleet gives the same entry (fleetMembers), so the
 * native contender of the bench declares exactly what the TypeScript fleet declares. YAML has no loops
 * or file reads, so the program is rendered from the fleet file each time the file changes.
 */
import fs from "fs";
import path from "path";
import { fleetMembers, parseFleet } from "../../provider/program/fleetSpec";
import type { FleetFile } from "./fleet";

/** Whether the program in `workDir` is a YAML one (its Pulumi.yaml says `runtime: yaml`). */
export function isYamlProgram(workDir: string): boolean {
  const project = path.join(workDir, "Pulumi.yaml");
  return fs.existsSync(project) && /^runtime:\s*yaml\s*$/m.test(fs.readFileSync(project, "utf8"));
}

/**
 * The `resources:` section for the fleet. Each value is JSON, which is YAML (a flow mapping), so no
 * quoting rule of YAML can change a name. Entries without orgId are created, as in the TypeScript fleet.
 */
export function yamlFleetResources(file: FleetFile): string {
  const lines = ["resources:"];
  for (const { key, inputs } of fleetMembers(parseFleet(file))) {
    lines.push(`  ${JSON.stringify(key)}:`, "    type: losant:index:InstanceOrg", `    properties: ${JSON.stringify(inputs)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Rewrites the program's resources for the fleet, keeping the rest of its Pulumi.yaml (name, runtime, plugins). */
export function writeYamlFleetProgram(workDir: string, file: FleetFile): void {
  const project = path.join(workDir, "Pulumi.yaml");
  const head = fs.readFileSync(project, "utf8").split(/^resources:/m)[0];
  fs.writeFileSync(project, `${head.trimEnd()}\n${yamlFleetResources(file)}`);
}
