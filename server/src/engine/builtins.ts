/**
 * Built-in modules loaded on first use. Loading node:crypto costs ~3 ms of every CLI start, and
 * a plain lint run never hashes anything (only --cache, baselines, sharding and --fix do); the
 * same goes for node:worker_threads (cli/workers.ts). Loaded without node:module (whose
 * createRequire would otherwise be one more module in every start).
 */
export function loadBuiltin<T>(id: string): T {
  // process.getBuiltinModule: Node 20.16+; the bundle is CommonJS and has `require` otherwise.
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return (get ? get(id) : require(id)) as T;
}

type Crypto = typeof import('node:crypto');

let crypto: Crypto | undefined;

function load(): Crypto {
  return (crypto ??= loadBuiltin<Crypto>('node:crypto'));
}

export function createHash(algorithm: string): ReturnType<Crypto['createHash']> {
  return load().createHash(algorithm);
}

export function randomBytes(size: number): Buffer {
  return load().randomBytes(size);
}
