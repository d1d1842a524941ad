/**
 * The bench's native contender declares the fleet in Pulumi YAML (scripts/lib/yamlFleet.ts): the rendered
 * program must hold one InstanceOrg per entry with exactly the inputs the TypeScript fleet gives it.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { parse } from "yaml";
import { fleetMembers, parseFleet } from "../../provider/program/fleetSpec";
import type { FleetFile } from "../../scripts/lib/fleet";
import { isYamlProgram, writeYamlFleetProgram, yamlFleetResources } from "../../scripts/lib/yamlFleet";

const file: FleetFile = {
  instanceId: "5f0c1a2b3c4d5e6f7a8b9c0d",
  defaults: { auditLogEnabled: true, mfaMode: "adminRequired", limits: { device: 1000, member: 50 } },
  orgs: [
    { key: "org-001", orgId: "6a0c1a2b3c4d5e6f7a8b9c01", name: "Customer 1" },
    // YAML would read these unquoted as a number, a boolean, a comment and a mapping.
    { key: "org-002", orgId: "6a0c1a2b3c4d5e6f7a8b9c02", name: "0012" },
    { key: "org-003", orgId: "6a0c1a2b3c4d5e6f7a8b9c03", name: "yes" },
    { key: "org-004", orgId: "6a0c1a2b3c4d5e6f7a8b9c04", name: "# not a comment: {x}" },
    { key: "new-001", name: "New customer 1" },
  ],
};

test("each entry is an InstanceOrg with the inputs InstanceOrgFleet gives it", () => {
  const resources = parse(yamlFleetResources(file)).resources as Record<string, { type: string; properties: unknown }>;
  expect(Object.keys(resources)).toEqual(file.orgs.map((o) => o.key));
  for (const { key, inputs } of fleetMembers(parseFleet(file))) expect(resources[key]).toEqual({ type: "losant:index:InstanceOrg", properties: inputs });
});

test("rewriting the program replaces its resources and keeps the rest of Pulumi.yaml", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-fleet-"));
  try {
    const head = "name: p\nruntime: yaml\ndescription: d\n";
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), head);
    expect(isYamlProgram(dir)).toBe(true);
    writeYamlFleetProgram(dir, file);
    writeYamlFleetProgram(dir, { ...file, orgs: file.orgs.slice(0, 1) });
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
    expect(project).toMatchObject({ name: "p", runtime: "yaml", description: "d" });
    expect(Object.keys(project.resources)).toEqual(["org-001"]);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime:\n  name: nodejs\n");
    expect(isYamlProgram(dir)).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
