// Replaced by the output of `pulumi-losant-instance-org generate --format ts` before each run.
export {};
