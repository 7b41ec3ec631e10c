// Bun's TCP sockets are callback-based (Bun.connect with handlers); request() wants a
// { readable, writable } pair of Web streams. This wraps one into the other, with back-pressure
// both ways: reading pauses the socket while the readable's queue is full, writing waits for
// 'drain' when the socket took only part of a chunk.
import type { SocketPair } from './client.js';

export interface BunConnectOptions {
  hostname: string;
  port: number;
  /** TLS options as Bun.connect takes them (true for defaults). */
  tls?: unknown;
}

/** The parts of Bun's Socket used here. */
interface BunSocket {
  write(data: Uint8Array): number;
  end(): void;
  terminate?(): void;
  pause?(): void;
  resume?(): void;
}

interface BunLike {
  connect(options: {
    hostname: string;
    port: number;
    tls?: unknown;
    socket: {
      open(socket: BunSocket): void;
      data(socket: BunSocket, data: Uint8Array): void;
      drain(socket: BunSocket): void;
      end(socket: BunSocket): void;
      close(socket: BunSocket, error?: Error): void;
      error(socket: BunSocket, error: Error): void;
      connectError?(socket: BunSocket, error: Error): void;
    };
  }): Promise<BunSocket>;
}

/** Bytes the readable queues before the socket is paused. */
const READ_HIGH_WATER = 64 * 1024;

/**
 * Connects with Bun.connect and gives the socket as Web streams, for request(). `close()` ends
 * the socket. Pass `bun` where the global `Bun` is not the one to use.
 */
export async function connectBun(
  options: BunConnectOptions,
  bun: BunLike = (globalThis as unknown as { Bun: BunLike }).Bun,
): Promise<SocketPair & { close(): void }> {
  if (!bun || typeof bun.connect !== 'function') throw new TypeError('wirehttp: connectBun needs Bun.connect');
  let reading!: ReadableStreamDefaultController<Uint8Array>;
  let drained: (() => void) | undefined;
  let closedError: Error | undefined;
  let ended = false;
  let paused = false;
  const finishReading = (error?: Error) => {
    if (ended) return;
    ended = true;
    if (error) reading.error(error);
    else reading.close();
  };
  const readable = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        reading = controller;
      },
      pull() {
        if (paused) {
          paused = false;
          socket?.resume?.();
        }
      },
      cancel() {
        ended = true;
        socket?.end();
      },
    },
    { highWaterMark: READ_HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
  let socket: BunSocket | undefined = undefined;
  socket = await bun.connect({
    hostname: options.hostname,
    port: options.port,
    tls: options.tls,
    socket: {
      open() {},
      data(s, data) {
        if (ended) return;
        reading.enqueue(new Uint8Array(data)); // a copy: Bun may reuse its read buffer
        if ((reading.desiredSize ?? 1) <= 0 && s.pause) {
          paused = true;
          s.pause();
        }
      },
      drain() {
        drained?.();
      },
      end() {
        finishReading();
      },
      close(_s, error) {
        closedError = error ?? new Error('wirehttp: the socket closed');
        finishReading(error);
        drained?.();
      },
      error(_s, error) {
        closedError = error;
        finishReading(error);
        drained?.();
      },
    },
  });
  const connected: BunSocket = socket;
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      let at = 0;
      while (at < chunk.length) {
        if (closedError) throw closedError;
        const wrote = connected.write(at === 0 ? chunk : chunk.subarray(at));
        if (wrote < 0) throw closedError ?? new Error('wirehttp: the socket is closed');
        at += wrote;
        if (at < chunk.length) await new Promise<void>((resolve) => (drained = resolve));
      }
    },
    close() {
      connected.end();
    },
    abort() {
      (connected.terminate ?? connected.end).call(connected);
    },
  });
  return { readable, writable, close: () => connected.end() };
}
