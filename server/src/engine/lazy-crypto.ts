import { createRequire } from 'node:module';

/**
 * node:crypto, loaded on first use. Loading it costs ~3 ms of every CLI start, and a plain
 * lint run never hashes anything (only --cache, baselines, sharding and --fix do).
 */
type Crypto = typeof import('node:crypto');

let crypto: Crypto | undefined;

function load(): Crypto {
  return (crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto);
}

export function createHash(algorithm: string): ReturnType<Crypto['createHash']> {
  return load().createHash(algorithm);
}

export function randomBytes(size: number): Buffer {
  return load().randomBytes(size);
}
