/**
 * Issue 12, "Safe with skipped checkpoints", for a fleet that both adopts and creates orgs, through
 * the real CLI: `pulumi up` with PULUMI_SKIP_CHECKPOINTS=true is SIGKILLed (its whole process group)
 * after it has sent some of its POSTs and some of its PATCHes, so the state records none of them; then the
 * documented recovery (`pulumi cancel`, a plain `pulumi up`). Creation must recognise the orgs the
 * killed run made by their creation marker (provider/server/createOrg.ts), so the fleet converges with
 * exactly one org per declared name, every POST sent once over both runs, no undeclared value
 * changed, each org once in state, nothing pending, and an empty preview.
 */
import type { RecordedRequest } from "../../emulator/recording";
import { CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";
import { describeWithPulumi } from "../support/e2eHarness";
import { fleetSetup, interruptedRunResources, killUpMidRun, sleep, waitFor } from "../support/interruptHarness";

jest.setTimeout(400_000);

const ADOPTED = 30;
const CREATED = 30;
const LATENCY_MS = 150;
/**
 * When to kill: once the up has sent this many POSTs and as many PATCHes. The up runs with
 * `--parallel` above the fleet's size, so the engine starts every org at once and the provider's
 * request queue sets the order (the order in which the engine starts orgs varies from run to run:
 * with its default parallelism a run may start with a dozen creations, or with most adoptions). As
 * a safeguard, the kill also comes when either kind gets within KEEP_FOR_RECOVERY of its end and
 * the other has begun.
 */
const EACH_BEFORE_KILL = 4;
const KEEP_FOR_RECOVERY = 6;
/**
 * Requests in flight at once, and which marker lookups answer late. The provider's request queue is
 * first asked, first served, and a POST is asked for only once its marker lookup is answered, while
 * one list request reads every adopted org (its reads gather while they keep coming). One request at
 * a time (the default of fleetSetup), a run whose first requests were the adoptions' reads queued all
 * their PATCHes ahead of every POST but the first. Ten at a time, when the engine started every
 * creation first, every marker lookup was answered before the adoptions' read, so all 30 POSTs were
 * asked for before any PATCH (CI, Node 24). So the last LATE_LOOKUPS lookups answer LATE_LOOKUP_MS
 * later: their POSTs are asked for after the PATCHes in every order, and both kinds are under way
 * together.
 */
const MAX_CONCURRENCY = "10";
const LATE_LOOKUPS = 5;
const LATE_LOOKUP_MS = 1_000;
const PARALLEL = String(2 * (ADOPTED + CREATED));

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === "POST");
const patchedPaths = (requests: RecordedRequest[]) => requests.filter((r) => r.method === "PATCH").map((r) => r.path);
/** The list requests that look for a creation marker before a POST (rule 1 of the POST-safety rules). */
const markerLookups = (requests: RecordedRequest[]) => requests.filter(isMarkerLookup);
const isMarkerLookup = (r: RecordedRequest) => r.method === "GET" && (r.query.query ?? "").includes(CREATION_MARKER_KEY);
/** The order of a run's requests in one letter each (L marker lookup, G other read, C POST, U PATCH), for the log. */
const shape = (requests: RecordedRequest[]) =>
  requests.map((r) => (r.method === "POST" ? "C" : r.method === "PATCH" ? "U" : isMarkerLookup(r) ? "L" : r.method === "GET" ? "G" : "?")).join("");

describeWithPulumi("skipped checkpoints with a fleet that adopts and creates orgs", () => {
  const { emulators, leftovers, notes } = interruptedRunResources("skipped checkpoints, mixed fleet");

  test(`SIGKILL of \`pulumi up\` with PULUMI_SKIP_CHECKPOINTS=true (${ADOPTED} adopted + ${CREATED} created orgs) mid-run (POSTs and PATCHes sent); cancel, then a plain up converges with no duplicate`, async () => {
    const started = Date.now();
    const fleet = await fleetSetup(ADOPTED, emulators, {
      env: { PULUMI_SKIP_CHECKPOINTS: "true" },
      creates: CREATED,
      config: { "losant:maxConcurrency": MAX_CONCURRENCY },
    });
    const { emulator, workDir } = fleet;

    emulator.faults.configure({
      latencyMs: LATENCY_MS,
      rules: [{ kind: "delay", delayMs: LATE_LOOKUP_MS, pathEndsWith: "/orgs", queryIncludes: CREATION_MARKER_KEY, skip: CREATED - LATE_LOOKUPS }],
    });
    const up = fleet.startUp(["--parallel", PARALLEL]);
    const timeToKill = () => {
      const posted = posts(emulator.requests).length;
      const patched = patchedPaths(emulator.requests).length;
      const nearEnd = posted >= CREATED - KEEP_FOR_RECOVERY || patched >= ADOPTED - KEEP_FOR_RECOVERY;
      return (posted >= EACH_BEFORE_KILL && patched >= EACH_BEFORE_KILL) || (nearEnd && posted > 0 && patched > 0);
    };
    await waitFor(timeToKill, 240_000, "the up to send its POSTs and PATCHes");
    const requestsAtKill = emulator.requests.length;
    leftovers.push(...(await killUpMidRun(up, workDir)));
    // Its provider exited only once every request it had sent was answered; a short margin before counting them.
    await sleep(500);
    emulator.faults.configure({ latencyMs: 0, rules: [] });
    const killedRun = emulator.requests.slice();
    const postedBeforeKill = posts(killedRun).length;
    const patchedBeforeKill = new Set(patchedPaths(killedRun));
    // The killed run did work of both kinds and left work of both kinds, or the test proves less than it says.
    const killed = `${postedBeforeKill} POSTs, ${patchedBeforeKill.size} PATCHes: ${shape(killedRun)}`;
    expect({ killed, postsSentAndLeft: postedBeforeKill > 0 && postedBeforeKill < CREATED }).toEqual({ killed, postsSentAndLeft: true });
    expect({ killed, patchesSentAndLeft: patchedBeforeKill.size > 0 && patchedBeforeKill.size < ADOPTED }).toEqual({ killed, patchesSentAndLeft: true });
    // Each POST of the killed run made one org, which the state does not know.
    const { instanceId } = fleet.fleet;
    expect(emulator.store.listOrgs(instanceId)).toHaveLength(ADOPTED + postedBeforeKill);

    // With checkpoints skipped the engine had written nothing yet (a first up: not even a resource list), only its lock.
    const { upMs, previewMs, requests: recovery } = await fleet.recoverKilledFirstUp();

    // Every created entry looked for its marker before any POST (the state knew none of them), and
    // POSTed only when the killed run had not: one POST per created org over both runs.
    expect(markerLookups(recovery)).toHaveLength(CREATED);
    expect(posts(recovery)).toHaveLength(CREATED - postedBeforeKill);
    expect(posts(emulator.requests)).toHaveLength(CREATED);
    // An org the killed run PATCHed (or made with every declared value) already holds them: no PATCH now.
    const patchedInRecovery = patchedPaths(recovery);
    expect(patchedInRecovery.filter((p) => patchedBeforeKill.has(p))).toEqual([]);
    expect(patchedInRecovery).toHaveLength(ADOPTED - patchedBeforeKill.size);

    notes.push(
      `SIGKILL after ${requestsAtKill} requests (${LATENCY_MS} ms latency): the killed run sent ${killedRun.length} requests (${shape(killedRun)}), ` +
        `${postedBeforeKill} of ${CREATED} POSTs and ${patchedBeforeKill.size} of ${ADOPTED} PATCHes; ` +
        `recovery up ${upMs} ms: ${recovery.length} requests (${markerLookups(recovery).length} marker lookups, ` +
        `${posts(recovery).length} POSTs, ${patchedInRecovery.length} PATCHes); preview ${previewMs} ms; test ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
