/**
 * Free loopback ports, asked of the kernel (listen on 127.0.0.1:0, read, close), never fixed numbers
 * (TESTBED.md §3.1).
 */
import net from 'node:net';

/** Ports of services that run on the machines; never handed out even if momentarily free. */
const RESERVED = new Set([3306, 4222, 5432, 5672, 6222, 6379, 8222, 15672, 25672]);

/** Ports handed out by this process, so two callers do not receive the same one before binding it. */
const handedOut = new Set<number>();

function onePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Returns `count` distinct free ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count; attempts++) {
    if (attempts > 100 * count) throw new Error('could not find free loopback ports');
    const port = await onePort();
    if (port === 0 || RESERVED.has(port) || handedOut.has(port) || ports.includes(port)) continue;
    ports.push(port);
  }
  for (const p of ports) handedOut.add(p);
  return ports;
}
