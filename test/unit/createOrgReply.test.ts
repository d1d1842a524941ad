/**
 * Create's outputs come from what the instance holds, whichever reply POST gives: API 1.31's 201 with
 * the instance org is used as it is; API 1.30's 200 with the `org` resource (org.json: no
 * `instanceId`, `tags`, `auditLogEnabled`, `referralId`) costs one GET of the new org.
 */
import { createOrg } from "../../provider/server/createOrg";
import type { LosantClient } from "../../client/losantClient";
import type { LosantInstanceOrg } from "../../losant/types";

const INSTANCE = "5f1e2d3c4b5a69788796a5b4";
const ORG = "60a1b2c3d4e5f60718293a4b";
const held = { id: ORG, orgId: ORG, instanceId: INSTANCE, name: "Acme", tags: [{ key: "k", value: "v" }], auditLogEnabled: false } as LosantInstanceOrg;
const orgResource = { id: ORG, orgId: ORG, name: "Acme", members: [], isEnterprise: false } as unknown as LosantInstanceOrg;

function api(reply: LosantInstanceOrg, stored: LosantInstanceOrg | undefined) {
  const calls: string[] = [];
  const client = {
    createOrg: async () => (calls.push("POST"), reply),
    getOrg: async () => (calls.push("GET"), stored),
    listOrgsPage: async () => (calls.push("list"), { items: [], totalCount: 0 }),
  } as unknown as LosantClient;
  return { client, calls };
}

test.each([
  { name: "API 1.31: the reply is the instance org, used as it is", reply: held, stored: held, calls: ["POST"], org: held },
  { name: "API 1.30: the org resource, so the new org is read", reply: orgResource, stored: held, calls: ["POST", "GET"], org: held },
  {
    name: "API 1.30, and the read finds nothing: the reply, with the instance it was posted to",
    reply: orgResource,
    stored: undefined,
    calls: ["POST", "GET"],
    org: { ...orgResource, instanceId: INSTANCE },
  },
])("$name", async ({ reply, stored, calls, org }) => {
  const { client, calls: made } = api(reply, stored);
  const created = await createOrg(client, { instanceId: INSTANCE, name: "Acme" });
  expect(created).toEqual({ org, how: "posted", posts: 1 });
  expect(made).toEqual(calls);
});

test("with a creation marker, the marker lookup goes first; the reply without tags still gets the org's tags by its read", async () => {
  const { client, calls } = api(orgResource, held);
  const created = await createOrg(client, { instanceId: INSTANCE, name: "Acme", creationMarker: "p/s/acme" });
  expect(created.org.tags).toEqual(held.tags);
  expect(calls).toEqual(["list", "POST", "GET"]);
});
