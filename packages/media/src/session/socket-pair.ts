import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { type RtpPortPool } from './port-pool.ts';
import { RtpSessionError } from './session-error.ts';

/** An RTP socket on an even port and its RTCP socket on the next one (RFC 3550 §11). */
export interface RtpSocketPair {
  readonly port: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

/**
 * Binds the next free pair of the pool. A pair some other process holds (EADDRINUSE,
 * EACCES) is skipped and the next one tried, so the range is only "exhausted" when no
 * pair in it could be bound at all.
 */
export async function bindRtpSocketPair(
  pool: RtpPortPool,
  address: string,
): Promise<RtpSocketPair> {
  for (let attempt = 0; attempt < pool.capacity; attempt++) {
    const port = pool.reserve();
    if (port === null) break;
    let rtp: Socket | null = null;
    try {
      rtp = await bindSocket(address, port);
      const rtcp = await bindSocket(address, port + 1);
      return { port, rtp, rtcp };
    } catch (error) {
      if (rtp !== null) await closeSocket(rtp);
      pool.release(port);
      if (!isPortTaken(error)) {
        throw new RtpSessionError('bind_failed', `cannot bind ${address}:${port}`, {
          cause: error,
        });
      }
    }
  }
  throw new RtpSessionError(
    'ports_exhausted',
    `no free RTP port pair in ${pool.range.min}-${pool.range.max}`,
  );
}

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

function bindSocket(address: string, port: number): Promise<Socket> {
  const socket = createSocket({ type: isIP(address) === 6 ? 'udp6' : 'udp4' });
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', fail);
    socket.bind(port, address, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

function isPortTaken(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'EADDRINUSE' || error.code === 'EACCES')
  );
}
