/**
 * A local S3-compatible server for the pipeline tests: moto's server (PyPI `moto[server]`), started
 * on a free loopback port and stopped by the test. Pulumi's S3 backend (Go CDK's s3blob) talks to it
 * as to S3; state, history, backups and locks land in its bucket.
 *
 * moto rather than s3rver or MinIO: it implements the S3 API from AWS's own service models, in
 * the request forms the AWS SDKs send (Pulumi's is the Go SDK v2), and `.ci/run` installs it with one pip line;
 * MinIO is closer to a real server but would be built from Go modules in CI, minutes for every run.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";

export interface S3Server {
  port: number;
  bucket: string;
  /** PULUMI_BACKEND_URL for the bucket. */
  backendUrl: string;
  /** Dummy credentials: moto accepts any. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  /** The keys in the bucket under `prefix`. */
  keys(prefix?: string): Promise<string[]>;
  /** `key etag` for every object in the bucket: what changes when anything is written. */
  objects(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Whether `moto_server` is on PATH; CI installs it (.ci/run), elsewhere the suite says how to get it. */
export function findMotoServer(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`moto_server did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with ${code}:\n${output}`));
    });
  });
}

export async function startS3Server(bucket = "state"): Promise<S3Server> {
  const moto = findMotoServer();
  if (!moto) throw new Error("moto_server not found: pip install 'moto[server]'");
  const child = spawn(moto, ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const port = await waitForPort(child);
  const base = `http://127.0.0.1:${port}`;
  // moto accepts unsigned requests: an anonymous PUT creates the bucket.
  const made = await fetch(`${base}/${bucket}`, { method: "PUT" });
  if (!made.ok) throw new Error(`creating bucket ${bucket} on moto: HTTP ${made.status}`);
  return {
    port,
    bucket,
    backendUrl: `s3://${bucket}?endpoint=127.0.0.1:${port}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1`,
    env: { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" },
    async keys(prefix = "") {
      const listed = await (await fetch(`${base}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`)).text();
      return [...listed.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
    },
    async objects() {
      const listed = await (await fetch(`${base}/${bucket}?list-type=2`)).text();
      return [...listed.matchAll(/<Contents>[\s\S]*?<Key>([^<]+)<\/Key>[\s\S]*?<ETag>([^<]+)<\/ETag>[\s\S]*?<\/Contents>/g)].map((m) => `${m[1]} ${m[2]}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
