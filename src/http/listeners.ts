// The server's listening sockets, HTTP and HTTPS alike: one request handler, the same limits on each, and
// one graceful close for all of them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ListenerLimits {
  /** How long a client may take to send a request's headers, in ms. */
  headersTimeoutMs: number;
  /** How long a connection may stall mid-request before it is cut, in ms. */
  idleTimeoutMs: number;
  /** Connections served at once, per listener; undefined: no limit. */
  maxConnections: number | undefined;
  /** Hears of a connection refused for the limit. */
  onDrop: () => void;
}

/** PEM certificate (chain) and private key. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

type Listener = ReturnType<typeof createServer> | ReturnType<typeof createHttpsServer>;

export class Listeners {
  readonly #handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly #limits: ListenerLimits;
  readonly #servers: Listener[] = [];
  readonly #inFlight = new Set<ServerResponse>();
  // Shutting down, a keep-alive connection must not wait out its idle timeout (5 s) once its request
  // is answered: replies not yet started say Connection: close, and each finished one closes what is idle.
  #closing = false;

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void, limits: ListenerLimits) {
    this.#handler = handler;
    this.#limits = limits;
  }

  /** Listens on host:port (0: any free port), over TLS when given its files; resolves with the port. */
  async listen(host: string, port: number, tls?: TlsFiles): Promise<number> {
    // No limit on a whole request (a large upload at a normal pace may take hours), but one on its headers
    // (Node's default is none once requestTimeout is 0), checked often enough to hold to short limits.
    const options = {
      requestTimeout: 0,
      headersTimeout: this.#limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, this.#limits.headersTimeoutMs / 4)),
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => this.#serve(server, req, res);
    const server: Listener = tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, onRequest) : createServer(options, onRequest);
    // Node answers an Expect other than 100-continue with 417 by itself; S3 ignores it (ceph s3-tests send
    // `Expect:` empty and `Expect: 200` and expect the PUT to succeed), and so does this server.
    server.on('checkExpectation', onRequest);
    // `Expect: 100-continue` is answered 100 only once authorization let the request through (http/request.ts goAhead).
    server.on('checkContinue', onRequest);
    // A stalled request (a client that stops sending mid-body, or stops reading a download) is cut, so nothing hangs.
    server.setTimeout(this.#limits.idleTimeoutMs, (socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    // Connections beyond the limit are refused at once, so that those admitted still find descriptors for
    // their files (past the descriptor limit, Node drops new connections without a word).
    if (this.#limits.maxConnections !== undefined) server.maxConnections = this.#limits.maxConnections;
    server.on('drop', this.#limits.onDrop);
    this.#servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  #serve(server: Listener, req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight.add(res);
    res.once('close', () => {
      this.#inFlight.delete(res);
      if (this.#closing) setImmediate(() => server.closeIdleConnections());
    });
    if (this.#closing) res.shouldKeepAlive = false;
    this.#handler(req, res);
  }

  /** Stops accepting and resolves once every request in flight is answered. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const res of this.#inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    await Promise.all(
      this.#servers.map((server) => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        return closed;
      }),
    );
  }
}
