// A port nothing uses now, from the kernel (listen on port 0, read it, release it). A server a
// test starts while others run must not take a fixed port in the ephemeral range (32768-60999 on
// Linux): any client connection of the run may hold it as its source port (seen: the offline
// demo's 54392 held by a connection to the test database, and its server could not bind).
import net from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
