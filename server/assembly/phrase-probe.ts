// The prefilter's probe as WebAssembly (AssemblyScript; compiled by scripts/compile-wasm.mjs
// into server/src/engine/phrase-probe-wasm.generated.ts). See server/src/engine/wasm-probe.ts.
//
// It is the JavaScript scanner (engine/word-scan.ts: scanWords) and trie walk (matcher.ts:
// PhraseProbe) written once more, line for line, over a lower-cased text in linear memory. Why
// twice: a CLI run over a template library reads every character through this loop exactly
// once, so V8 runs the JavaScript version mostly before it has optimized it (~50 ms of a
// ~0.35 s run over 3,600 files), while WebAssembly is compiled ahead of its first call. The
// tests run both on the corpus, the fixtures and generated text and require the same answers.
//
// Everything it reads is laid out by wasm-probe.ts, which also grows the trie on demand: a node
// not exported yet is handed to the `expand` import, which writes its edges and flags.
//
// The scanner also runs on its own (`tokens`): the matcher's tokens of a prose region, written
// out as (token id, start, end), the same tokens scanWords gives (the tests compare them).

// What a UTF-16 code unit starts (word-scan.ts KIND), one byte each, at offset 0.
const OTHER: u8 = 0;
const WORD: u8 = 1;
const PLACEHOLDER: u8 = 3;
const NEWLINE: u8 = 4;

// Token ids (wasm-probe.ts): a word no pattern contains, and the placeholder.
const OTHER_ID: i32 = 0;
const PLACEHOLDER_ID: i32 = 1;

// Probe results.
const NO_HIT: i32 = 0;
const HIT: i32 = 1;
/** Out of room (live states or trie nodes): the caller asks the JavaScript probe instead. */
const GIVE_UP: i32 = 2;

// Node info, one i32 per node: bit 0 exported, bit 1 a phrase ends here, bits 2+ the `*` child + 1.
const EXPORTED: i32 = 1;
const PHRASE_ENDS: i32 = 2;

/** Exports `node` (its edges, flags and `*` child); returns false when the node table is full. */
@external("env", "expand")
declare function expandNode(node: i32): bool;

/** Normalizes the word at [start, end) (a contraction); writes its token ids at `scratch`, returns how many (-1: too many). */
@external("env", "contraction")
declare function contraction(start: i32, end: i32): i32;

// Vocabulary slots, 16 bytes each: hash, key offset (bytes), key length (code units; 0 = empty), token id.
let vocab: i32 = 0;
let vocabMask: i32 = 0;
let nodeInfo: i32 = 0;
// Edges, 12 bytes each: node + 1 (0 = empty), token id, child. Moved when it is rehashed.
let edges: i32 = 0;
let edgeMask: i32 = 0;
let live: i32 = 0;
let next: i32 = 0;
let liveCap: i32 = 0;
let scratch: i32 = 0;

let liveCount: i32 = 0;
let nextCount: i32 = 0;
let rootAny: i32 = 0;

export function configure(vocabAt: i32, vocabMaskValue: i32, nodeInfoAt: i32, liveAt: i32, nextAt: i32, liveCapacity: i32, scratchAt: i32): void {
  vocab = vocabAt;
  vocabMask = vocabMaskValue;
  nodeInfo = nodeInfoAt;
  live = liveAt;
  next = nextAt;
  liveCap = liveCapacity;
  scratch = scratchAt;
}

export function setEdges(at: i32, mask: i32): void {
  edges = at;
  edgeMask = mask;
}

/** The hash of an edge's key; wasm-probe.ts computes the same with Math.imul. */
@inline
function edgeHash(node: i32, token: i32): i32 {
  const h = node * <i32>0x9e3779b1 + token * <i32>0x85ebca6b;
  return h ^ (h >>> 15);
}

function edge(node: i32, token: i32): i32 {
  let slot = edgeHash(node, token) & edgeMask;
  while (true) {
    const e = edges + slot * 12;
    const key = load<i32>(e);
    if (key == 0) return -1;
    if (key == node + 1 && load<i32>(e, 4) == token) return load<i32>(e, 8);
    slot = (slot + 1) & edgeMask;
  }
}

@inline
function ch(p: i32, i: i32): i32 {
  return <i32>load<u16>(p + (i << 1));
}

@inline
function kind(c: i32): u8 {
  return load<u8>(c);
}

function find(p: i32, start: i32, end: i32, hash: i32): i32 {
  const length = end - start;
  let slot = hash & vocabMask;
  while (true) {
    const s = vocab + (slot << 4);
    const keyLength = load<i32>(s, 8);
    if (keyLength == 0) return OTHER_ID;
    if (keyLength == length && load<i32>(s) == hash) {
      const key = load<i32>(s, 4);
      let k = 0;
      while (k < length && <i32>load<u16>(key + (k << 1)) == ch(p, start + k)) k++;
      if (k == length) return load<i32>(s, 12);
    }
    slot = (slot + 1) & vocabMask;
  }
}

function enter(node: i32): i32 {
  let info = load<i32>(nodeInfo + (node << 2));
  if ((info & EXPORTED) == 0) {
    if (!expandNode(node)) return GIVE_UP;
    info = load<i32>(nodeInfo + (node << 2));
  }
  if ((info & PHRASE_ENDS) != 0) return HIT;
  if (nextCount >= liveCap) return GIVE_UP;
  store<i32>(next + (nextCount << 2), node);
  nextCount++;
  return NO_HIT;
}

/** PhraseProbe.push for a word or placeholder token. */
function push(t: i32): i32 {
  if (t == OTHER_ID && liveCount == 0 && rootAny == 0) return NO_HIT;
  const word = t != PLACEHOLDER_ID;
  const start = word ? edge(0, t) : -1;
  if (liveCount == 0 && start < 0 && (rootAny == 0 || !word)) return NO_HIT;
  nextCount = 0;
  for (let k = 0; k < liveCount; k++) {
    const node = load<i32>(live + (k << 2));
    const child = edge(node, t);
    if (child >= 0) {
      const r = enter(child);
      if (r != NO_HIT) return r;
    }
    if (word) {
      const any = load<i32>(nodeInfo + (node << 2)) >>> 2;
      if (any != 0) {
        const r = enter(any - 1);
        if (r != NO_HIT) return r;
      }
    }
  }
  if (start >= 0) {
    const r = enter(start);
    if (r != NO_HIT) return r;
  }
  if (word && rootAny != 0) {
    const r = enter(rootAny - 1);
    if (r != NO_HIT) return r;
  }
  const swap = live;
  live = next;
  next = swap;
  liveCount = nextCount;
  return NO_HIT;
}

@inline
function isCannot(p: i32, start: i32): bool {
  return ch(p, start) == 99 && ch(p, start + 1) == 97 && ch(p, start + 2) == 110 && ch(p, start + 3) == 110 && ch(p, start + 4) == 111 && ch(p, start + 5) == 116;
}

// What a scan does with its tokens: the probe walks them through the trie; `tokens` writes them
// out for the matcher (matcher.ts tokens()), which is the same scanner's other use in word-scan.ts.
const PROBE_MODE: i32 = 0;
const TOKENS_MODE: i32 = 1;
let mode: i32 = PROBE_MODE;
/** Tokens mode: where the tokens go (12 bytes each: token id, start, end), how many fit, how many so far. */
let out: i32 = 0;
let outCapacity: i32 = 0;
let outCount: i32 = 0;
/** A barrier in the tokens written out (the probe has no id for it: it ends every live state). */
const BARRIER_ID: i32 = -1;

/** One token of the text at [start, end): walked through the trie, or written out. */
@inline
function emit(t: i32, start: i32, end: i32): i32 {
  if (mode == PROBE_MODE) return push(t);
  if (outCount >= outCapacity) return GIVE_UP;
  const o = out + outCount * 12;
  store<i32>(o, t);
  store<i32>(o, start, 4);
  store<i32>(o, end, 8);
  outCount++;
  return NO_HIT;
}

/** A barrier at `i`: no phrase runs across it. */
@inline
function barrier(i: i32): i32 {
  if (mode == PROBE_MODE) {
    liveCount = 0;
    return NO_HIT;
  }
  return emit(BARRIER_ID, i, i);
}

/** Could any phrase occur in the lower-cased UTF-16 text of `n` code units at `p`? NO_HIT, HIT or GIVE_UP. */
export function probe(p: i32, n: i32): i32 {
  mode = PROBE_MODE;
  liveCount = 0;
  rootAny = load<i32>(nodeInfo) >>> 2;
  return scan(p, n);
}

/**
 * The tokens of the lower-cased text at `p` (word-scan.ts scanWords, token for token), written
 * at `at` as (token id, start, end) triples, at most `capacity` of them. Returns how many, or -1
 * when they do not fit or a contraction has too many parts (the caller then scans in JavaScript).
 */
export function tokens(p: i32, n: i32, at: i32, capacity: i32): i32 {
  mode = TOKENS_MODE;
  out = at;
  outCapacity = capacity;
  outCount = 0;
  const r = scan(p, n);
  mode = PROBE_MODE;
  return r == GIVE_UP ? -1 : outCount;
}

/** The scanner: word-scan.ts scanWords over the text at `p`, each token handed to `emit`. */
function scan(p: i32, n: i32): i32 {
  let i = 0;
  while (i < n) {
    const c = ch(p, i);
    const k = kind(c);
    if (k == OTHER) {
      i++;
      continue;
    }
    if (k == WORD) {
      // A run of word characters, joined by inner apostrophes ("we're", "customer's").
      const start = i;
      let hash = c;
      let plain = true;
      i++;
      while (true) {
        while (i < n) {
          const d = ch(p, i);
          if (kind(d) != WORD) break;
          if (d == 0x2bc) plain = false;
          hash = hash * 31 + d;
          i++;
        }
        if (i + 1 < n) {
          const d = ch(p, i);
          if ((d == 39 || d == 0x2019 || d == 0x2018) && kind(ch(p, i + 1)) == WORD) {
            plain = false;
            i++;
            continue;
          }
        }
        break;
      }
      if (plain && !(i - start == 6 && isCannot(p, start))) {
        const r = emit(find(p, start, i, hash), start, i);
        if (r != NO_HIT) return r;
      } else {
        const count = contraction(start, i);
        if (count < 0) return GIVE_UP;
        for (let t = 0; t < count; t++) {
          const r = emit(load<i32>(scratch + (t << 2)), start, i);
          if (r != NO_HIT) return r;
        }
      }
      continue;
    }
    if (k == PLACEHOLDER) {
      const r = emit(PLACEHOLDER_ID, i, i + 1);
      if (r != NO_HIT) return r;
    } else if (k == NEWLINE) {
      // A blank line: "\n", spaces or tabs, "\n".
      let j = i + 1;
      while (j < n) {
        const d = ch(p, j);
        if (d != 32 && d != 9 && d != 13 && d != 0xa0) break;
        j++;
      }
      if (j < n && ch(p, j) == 10) {
        const r = barrier(i);
        if (r != NO_HIT) return r;
        i = j + 1;
        continue;
      }
    } else {
      const r = barrier(i);
      if (r != NO_HIT) return r;
    }
    i++;
  }
  return NO_HIT;
}
