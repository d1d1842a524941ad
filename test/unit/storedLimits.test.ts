import { LIMIT_KEYS } from "../../losant/instanceOrgSchema";
import { limitsFromState, STORED_LIMIT_ORDER, storedLimits } from "../../provider/shared/storedLimits";
import type { OrgLimits } from "../../losant/types";

const EVERY_LIMIT: OrgLimits = Object.fromEntries(LIMIT_KEYS.map((key, i) => [key, key === "dataTTL" ? 2592000 : i * 7])) as OrgLimits;

describe("the stored limits string", () => {
  test("holds every limit key, each once: a key added to LIMIT_KEYS must be appended here", () => {
    expect([...STORED_LIMIT_ORDER].sort()).toEqual([...LIMIT_KEYS].sort());
    expect(new Set(STORED_LIMIT_ORDER).size).toBe(STORED_LIMIT_ORDER.length);
  });

  test("keeps the positions state was written with (append only)", () => {
    // A copy of the order as first released: moving a key would misread every state already written.
    const released =
      "apitoken application applicationcertificate applicationcertificateauthority applicationkey credential dashboard datatable device devicerecipe " +
      "experiencedomain experienceendpoint experiencegroup experienceslug experienceuser experienceversion experienceview file flow integration notebook " +
      "privatefile resourcejob webhook dataTTL member payload storage notebookMinutesPerRun notebookMinutesPerMonth notebookInParallel " +
      "experienceFlowSlots applicationFlowSlots systemInterval";
    expect(STORED_LIMIT_ORDER.slice(0, 34)).toEqual(released.split(" "));
  });

  test.each<[string, OrgLimits, string]>([
    ["every key", { ...EVERY_LIMIT }, STORED_LIMIT_ORDER.map((key) => String((EVERY_LIMIT as Record<string, number>)[key])).join(",")],
    ["keys missing in the middle", { apitoken: 1, datatable: 0, systemInterval: 60 }, "1,,,,,,,0" + ",".repeat(26) + "60"],
    ["trailing missing keys dropped", { apitoken: 5, application: 9 }, "5,9"],
    ["no limits", {}, ""],
    ["largest exact whole number", { device: Number.MAX_SAFE_INTEGER }, ",,,,,,,," + String(Number.MAX_SAFE_INTEGER)],
  ])("%s: stored as %#, read back the same", (_name, limits, text) => {
    expect(storedLimits(limits)).toBe(text);
    expect(limitsFromState(storedLimits(limits))).toEqual(limits);
  });

  test.each<[string, Record<string, unknown>]>([
    ["a fraction", { device: 1.5 }],
    ["a negative number", { device: -1 }],
    ["a number too large to be exact", { device: 2 ** 60 }],
    ["a string", { device: "10" }],
    ["null", { device: null }],
    ["a key the order does not know", { device: 1, futureLimit: 3 }],
  ])("limits with %s stay an object, nothing lost", (_name, limits) => {
    expect(storedLimits(limits as OrgLimits)).toBe(limits);
    expect(limitsFromState(storedLimits(limits as OrgLimits))).toEqual(limits);
  });

  test("reads state of earlier versions (an object) as it is, and anything else as no limits", () => {
    expect(limitsFromState({ device: 3 })).toEqual({ device: 3 });
    expect(limitsFromState(undefined)).toEqual({});
    expect(limitsFromState([1, 2])).toEqual({});
    expect(limitsFromState(42)).toEqual({});
  });

  test("ignores positions past the end, which a newer version wrote for a key this one does not know", () => {
    const newer = `${storedLimits(EVERY_LIMIT)},77`;
    expect(limitsFromState(newer)).toEqual(EVERY_LIMIT);
  });

  test("is far smaller than the object it replaces", () => {
    const typical = Object.fromEntries(LIMIT_KEYS.map((key) => [key, 100])) as OrgLimits;
    const stringBytes = JSON.stringify({ limits: storedLimits(typical) }).length;
    const objectBytes = JSON.stringify({ limits: typical }).length;
    expect(stringBytes).toBeLessThan(objectBytes / 4);
  });
});
