const { startEmulator } = require("./dist/emulator/server");
const { fleetStack, seedFleetFile } = require("./dist/bench/fleet");
const fs = require("fs");
(async () => {
  for (const contender of (process.argv[2] || "engineFloor,ours").split(",")) {
    const emu = await startEmulator({ tokens: { t: ["all.Instance"] } });
    const fleet = seedFleetFile(emu, 200);
    const { stack } = await fleetStack(contender, emu, fleet, "t", { backendDir: fs.mkdtempSync("/tmp/fl-"), env: process.env.SKIPCP ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {} });
    let t = Date.now();
    const up = await stack.up();
    const first = emu.requests[0] ? (emu.requests[0].at - t) / 1000 : null, last = emu.requests.length ? (emu.requests[emu.requests.length-1].at - t)/1000 : null;
    const state = JSON.stringify((await stack.exportStack()).deployment);
    console.log(contender, "up", (Date.now() - t) / 1000, "first req", first, "last", last, "n", emu.requests.length, "state/resource", Math.round(state.length / 200));
    await emu.close();
  }
})();
