import { providerService } from "./service";
import { grpc, services } from "./sdk";

/** Pulumi's own limit: state and schemas of large stacks exceed gRPC's default 4 MB. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * Serves the provider protocol on a loopback port and prints the port, the first line the engine
 * reads from a plugin's stdout. The gRPC server keeps the process alive until the engine ends it
 * (or the engine watchdog sees the engine gone).
 */
export async function serve(): Promise<number> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_MESSAGE_BYTES });
  server.addService(services.ResourceProviderService, providerService());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
  return port;
}
