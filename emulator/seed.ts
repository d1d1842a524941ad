import { Emulator } from "./server";
import { newObjectId } from "./store";

export interface SeededFleet {
  instanceId: string;
  orgIds: string[];
}

/** Creates an instance with `count` orgs named `customer-001`, ... (ids random unless given). */
export function seedFleet(emulator: Pick<Emulator, "store">, count: number, instanceId: string = newObjectId()): SeededFleet {
  if (!emulator.store.hasInstance(instanceId)) emulator.store.addInstance(instanceId);
  const orgIds: string[] = [];
  for (let i = 1; i <= count; i++) {
    const org = emulator.store.createOrg(instanceId, { name: `customer-${String(i).padStart(3, "0")}` });
    orgIds.push(org.id);
  }
  return { instanceId, orgIds };
}
