/** Read-only lookups for programs: orgs read into the program without being managed. */
import * as pulumi from "@pulumi/pulumi";
import { listOrgs } from "../../client/orgList";
import { readConfig, withSettingsAdvice } from "../shared/settings";
import { standaloneClient } from "./standaloneClient";
import type { LosantInstanceOrg } from "../../losant/types";

export interface GetInstanceOrgsArgs {
  instanceId: string;
  /** A name glob, as Losant's list filter takes it: `acme*` (case-insensitive, the whole name). */
  filter?: string;
  /** Summary fields to include in each org's `summary`. */
  summaryInclude?: string[];
}

/** The stack's `losant:*` config, as the provider reads it (the environment fills in the rest). */
function stackConfig(key: string): string | undefined {
  const [namespace, name] = key.split(":");
  try {
    return new pulumi.Config(namespace).get(name);
  } catch {
    // Outside a Pulumi program there is no stack config: the environment alone counts.
    return undefined;
  }
}

/**
 * Every org of the instance (matching `filter`), read 100 a request, as Losant returns them
 * (hypermedia left out). Runs when the program runs, on preview too; it manages nothing.
 */
export async function getInstanceOrgs(args: GetInstanceOrgsArgs): Promise<LosantInstanceOrg[]> {
  const api = standaloneClient(readConfig(stackConfig));
  return listOrgs(api, { instanceId: args.instanceId, nameFilter: args.filter, summaryInclude: args.summaryInclude }).catch((error) =>
    Promise.reject(withSettingsAdvice(error)),
  );
}
