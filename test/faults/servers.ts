/**
 * Raw loopback servers for the fault suite: node:http for answers that are wrong in HTTP terms,
 * node:net for ones that are wrong below it. Each tracks its connections so a scenario can check
 * the client left none open, and `close()` drops whatever is still connected.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface RawServer {
  readonly url: string;
  /** Requests (http) or connections (net) received so far. */
  readonly received: () => number;
  /** Connections open right now. */
  readonly open: () => number;
  close(): Promise<void>;
}

/** An http server; the handler gets the request index (0-based) and the full request body. */
export function httpServer(handler: (request: IncomingMessage, response: ServerResponse, index: number, body: string) => void): Promise<RawServer> {
  let count = 0;
  const server = createHttpServer((request, response) => {
    const index = count++;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handler(request, response, index, Buffer.concat(chunks).toString("utf8")));
  });
  return track(server, () => count);
}

/** `httpServer` for a suite: every server it starts is closed after each test. Call it in a `describe` body. */
export function httpServersClosedAfterEach(): (...args: Parameters<typeof httpServer>) => Promise<RawServer> {
  const servers: RawServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers.length = 0;
  });
  return async (...args) => {
    const server = await httpServer(...args);
    servers.push(server);
    return server;
  };
}

/** A TCP server that hands each connection to `onConnection` and otherwise does nothing. */
export function netServer(onConnection: (socket: Socket) => void = () => {}): Promise<RawServer> {
  let count = 0;
  const server = createNetServer((socket) => {
    count++;
    socket.on("error", () => {});
    onConnection(socket);
  });
  return track(server, () => count);
}

async function track(server: Server, received: () => number): Promise<RawServer> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once `check` holds, polling every few ms; rejects with `what` after `withinMs`. */
export async function eventually(check: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** JSON answer with a status. */
export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers }).end(text);
}

/** Active timers in this process, from Node's own list of what keeps the event loop alive. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}
