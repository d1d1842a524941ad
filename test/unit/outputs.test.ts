import { refreshedInputs, toOutputs } from "../../provider/outputs";
import type { LosantInstanceOrg } from "../../losant/types";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const org: LosantInstanceOrg = {
  id: ORG_ID,
  orgId: ORG_ID,
  instanceId: INSTANCE_ID,
  name: "Acme",
  limits: { device: 10, flow: 5 },
  auditLogEnabled: true,
  summary: { deviceCount: 2 },
  creationDate: "2026-01-01T00:00:00.000Z",
  lastUpdated: "2026-01-02T00:00:00.000Z",
  planId: "enterprise",
  subscriptionStatus: "active",
};

test("outputs carry the whole org, billing fields grouped, and what the resource manages", () => {
  const outputs = toOutputs(org, { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", limits: { device: 10 } });
  expect(outputs).toEqual({
    orgId: ORG_ID,
    instanceId: INSTANCE_ID,
    name: "Acme",
    limits: { device: 10, flow: 5 },
    auditLogEnabled: true,
    summary: { deviceCount: 2 },
    creationDate: "2026-01-01T00:00:00.000Z",
    lastUpdated: "2026-01-02T00:00:00.000Z",
    billing: { planId: "enterprise", subscriptionStatus: "active" },
    managedFields: ["name", "limits.device"],
  });
  expect(Object.values(outputs)).not.toContain(undefined);
});

test("no billing output when Losant returns no billing field", () => {
  const { planId: _p, subscriptionStatus: _s, ...plain } = org;
  expect(toOutputs(plain, { instanceId: INSTANCE_ID, orgId: ORG_ID })).not.toHaveProperty("billing");
});

test("refreshed inputs hold identity and the managed values only, as Losant has them now", () => {
  const outputs = toOutputs({ ...org, name: "Drifted", limits: { device: 99, flow: 5 } }, { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", limits: { device: 10 }, summaryInclude: ["deviceCount"] });
  expect(refreshedInputs(outputs)).toEqual({ instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Drifted", limits: { device: 99 }, summaryInclude: ["deviceCount"] });
});
