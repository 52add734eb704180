import { PHRASE_PROBE_WASM } from './phrase-probe-wasm.generated.js';
import { BARRIER_TOKEN, normalizeCached, PLACEHOLDER_TOKEN, type Tokens } from './tokenize.js';
import { KIND, OTHER_WORD, hashWord, type Vocabulary } from './word-scan.js';

/**
 * The prefilter's probe — "could any phrase occur in this text?" — run as WebAssembly
 * (server/assembly/phrase-probe.ts, the same scanner and trie walk as word-scan.ts and
 * matcher.ts's PhraseProbe, line for line).
 *
 * Why: the probe reads every character of a template library once. In a CLI run V8 executes
 * the JavaScript version mostly before its optimizing compiler has caught up (on the 3.6 MB
 * benchmark corpus the probe was ~50 ms of a ~0.36 s run; the same loop warmed up takes ~30),
 * and its optimizing compiles queue in front of everything else the run needs. WebAssembly is
 * compiled before its first call, in about a millisecond for this 1.5 KB module.
 *
 * The trie stays the one lazy trie of PhraseMatcher: a node reaches WebAssembly memory the
 * first time the probe enters it (the `expand` import writes its edges and flags), so a run
 * exports only the nodes its text walks through. The answers are the JavaScript probe's: the
 * tests compare both on the corpus, the fixtures and generated text, and the JavaScript probe
 * still answers where this one cannot (no WebAssembly, a lower-casing that changes the length,
 * more live states or trie nodes than the tables hold).
 *
 * The same module also gives the matcher its tokens of a prose region (`tokens`: the scanner
 * alone, writing each token's id and offsets), for the same reason: scanWords would otherwise
 * run, and be optimized, in every CLI run that finds a phrase.
 */

/** What the WebAssembly probe answers. */
export const enum ProbeResult {
  NoHit = 0,
  Hit = 1,
  /** Out of room: ask the JavaScript probe. */
  GiveUp = 2,
}

/** The parts of a trie node the probe reads (matcher.ts TrieNode). */
export interface ProbeNode {
  readonly next: Map<string, ProbeNode>;
  any: ProbeNode | undefined;
  phraseEnds: boolean;
}

interface ProbeExports {
  memory: WebAssembly.Memory;
  configure(vocab: number, vocabMask: number, nodeInfo: number, live: number, next: number, liveCapacity: number, scratch: number): void;
  setEdges(at: number, mask: number): void;
  probe(text: number, length: number): ProbeResult;
  tokens(text: number, length: number, at: number, capacity: number): number;
}

// Token ids shared with phrase-probe.ts.
const OTHER_ID = 0;
const PLACEHOLDER_ID = 1;
const BARRIER_ID = -1;
/**
 * Regions up to this many characters are tokenized here; longer ones by scanWords. The tokens
 * take 12 bytes each in memory that never shrinks, and a long region warms the JavaScript
 * scanner up by itself.
 */
export const TOKENS_MAX_LENGTH = 1 << 16;
// Node info bits (phrase-probe.ts).
const EXPORTED = 1;
const PHRASE_ENDS = 2;

/** The tables' sizes, read when a probe is made (the tests shrink them). */
export const PROBE_LIMITS = {
  /** Trie nodes; a rule set whose text walks past this many is probed by JavaScript from then on. */
  nodes: 1 << 18,
  /** Live trie states at once (the JavaScript probe has no limit: a text that needs more is handed to it). */
  liveStates: 4096,
};
const SCRATCH_CAPACITY = 256;
const INITIAL_EDGE_CAPACITY = 1 << 14;
const PAGE = 65536;

let compiledModule: WebAssembly.Module | null | undefined;

function probeModule(): WebAssembly.Module | null {
  if (compiledModule === undefined) {
    try {
      compiledModule = typeof WebAssembly === 'object' ? new WebAssembly.Module(Buffer.from(PHRASE_PROBE_WASM, 'base64')) : null;
    } catch {
      compiledModule = null; // WebAssembly disabled (--jitless): the JavaScript probe answers
    }
  }
  return compiledModule;
}

export class WasmPhraseProbe {
  private readonly exports: ProbeExports;
  private bytes!: Buffer;
  private words!: Int32Array;
  private readonly nodes: ProbeNode[] = [];
  private readonly nodeIds = new Map<ProbeNode, number>();
  private readonly tokenIds = new Map<string, number>([
    [OTHER_WORD, OTHER_ID],
    [PLACEHOLDER_TOKEN, PLACEHOLDER_ID],
  ]);
  /** tokenIds the other way round. */
  private readonly tokenOfId: string[] = [OTHER_WORD, PLACEHOLDER_TOKEN];
  private readonly nodeCapacity = PROBE_LIMITS.nodes;
  private readonly nodeInfo: number;
  private readonly scratch: number;
  private edges = 0;
  private edgeCapacity = 0;
  private edgeCount = 0;
  /** Where free memory starts: the text of a probe goes here, new edge tables too. */
  private heapTop = 0;
  /** During a probe: the text (for contractions) and where it ends in memory. */
  private text = '';
  private textEnd = 0;
  /** A node did not fit: this probe is done, the JavaScript one answers from now on. */
  private full = false;

  /** A probe over `root`'s trie, or undefined where WebAssembly is not available. */
  static create(root: ProbeNode, expand: (node: ProbeNode) => void, vocabulary: Vocabulary): WasmPhraseProbe | undefined {
    const module = probeModule();
    if (!module) return undefined;
    try {
      return new WasmPhraseProbe(module, root, expand, vocabulary);
    } catch {
      return undefined; // no memory for the tables: the JavaScript probe answers
    }
  }

  private constructor(
    module: WebAssembly.Module,
    root: ProbeNode,
    private readonly expand: (node: ProbeNode) => void,
    private readonly vocabulary: Vocabulary,
  ) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        expand: (node: number) => (this.exportNode(node) ? 1 : 0),
        contraction: (start: number, end: number) => this.contraction(start, end),
      },
    });
    this.exports = instance.exports as unknown as ProbeExports;
    this.refreshViews();

    // Layout: the character kinds, the vocabulary's slots and keys, node info, the live-state
    // arrays, the scratch ids, then the edge table and, after it, each probe's text.
    let at = 0;
    const kinds = at;
    at += KIND.length;
    // The vocabulary's slots as the JavaScript table has them (same hash, same probing), so
    // nothing is probed again; the keys follow, as one string of UTF-16.
    const slots = vocabulary.slotCount;
    const vocab = at;
    at += slots * 16;
    const keys = at;
    let keyText = '';
    vocabulary.forEachSlot((_slot, written) => (keyText += written));
    at = align(keys + keyText.length * 2);
    this.nodeInfo = at;
    at += this.nodeCapacity * 4;
    const liveStates = PROBE_LIMITS.liveStates;
    const live = at;
    at += liveStates * 4;
    const next = at;
    at += liveStates * 4;
    this.scratch = at;
    at += SCRATCH_CAPACITY * 4;
    this.heapTop = at;
    this.ensure(at);

    this.bytes.set(KIND, kinds);
    this.bytes.write(keyText, keys, 'utf16le');
    let keyAt = keys;
    vocabulary.forEachSlot((slot, written, token) => {
      const s = (vocab >> 2) + slot * 4;
      this.words[s] = hashWord(written, 0, written.length);
      this.words[s + 1] = keyAt;
      this.words[s + 2] = written.length;
      this.words[s + 3] = this.tokenId(token);
      keyAt += written.length * 2;
    });
    this.exports.configure(vocab, slots - 1, this.nodeInfo, live, next, liveStates, this.scratch);
    this.newEdgeTable(INITIAL_EDGE_CAPACITY);
    this.idOf(root);
    if (!this.exportNode(0)) throw new Error('the trie root does not fit');
  }

  /** Could any phrase occur in `lower` (lower-cased, as for scanWords)? */
  probe(lower: string): ProbeResult {
    if (this.full) return ProbeResult.GiveUp;
    try {
      const at = this.placeText(lower, 0);
      return this.exports.probe(at, lower.length);
    } catch {
      // Memory would not grow (here or in an import, which may have left a node half
      // exported): this probe is done, the JavaScript one answers from now on.
      this.full = true;
      return ProbeResult.GiveUp;
    } finally {
      this.text = '';
    }
  }

  /**
   * The tokens of `lower` (lower-cased, as for scanWords), as scanWords would stream them into
   * a collector; undefined when the WebAssembly scan cannot give them (too long a text, too
   * many parts in a contraction, no memory): the caller then runs scanWords.
   */
  tokens(lower: string): Tokens | undefined {
    if (this.full || lower.length > TOKENS_MAX_LENGTH) return undefined;
    try {
      // Room for one token per character and a few more: contractions give two or three
      // tokens for several characters, and a text with more tokens than that is handed back.
      const capacity = lower.length + 16;
      const at = this.placeText(lower, capacity * 12);
      const out = align(at + lower.length * 2);
      const count = this.exports.tokens(at, lower.length, out, capacity);
      if (count < 0) return undefined;
      // Filled by push, as the collector does: packed arrays, not holey ones.
      const norm: string[] = [];
      const start: number[] = [];
      const end: number[] = [];
      const words = this.words;
      const tokenOfId = this.tokenOfId;
      for (let k = 0, w = out >> 2; k < count; k++, w += 3) {
        const id = words[w];
        norm.push(id === BARRIER_ID ? BARRIER_TOKEN : tokenOfId[id]);
        start.push(words[w + 1]);
        end.push(words[w + 2]);
      }
      return { norm, start, end };
    } catch {
      // As in probe: memory would not grow. The JavaScript scanner answers from now on.
      this.full = true;
      return undefined;
    } finally {
      this.text = '';
    }
  }

  /**
   * Writes `text` into memory after everything in use, with `extra` bytes of room after it
   * (aligned), and keeps it for the `contraction` import; returns where it starts.
   */
  private placeText(text: string, extra: number): number {
    const at = this.heapTop;
    this.text = text;
    this.textEnd = align(at + text.length * 2) + extra;
    this.ensure(this.textEnd);
    this.bytes.write(text, at, 'utf16le');
    return at;
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.tokenIds.size;
      this.tokenIds.set(token, id);
      this.tokenOfId.push(token);
    }
    return id;
  }

  /** The node's id in the tables, given on first sight; -1 when the tables are full. */
  private idOf(node: ProbeNode): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) {
      if (this.nodes.length >= this.nodeCapacity) return -1;
      id = this.nodes.length;
      this.nodes.push(node);
      this.nodeIds.set(node, id);
    }
    return id;
  }

  /** The `expand` import: writes a node's edges, `*` child and flags. False when the tables are full. */
  private exportNode(id: number): boolean {
    const node = this.nodes[id];
    this.expand(node);
    for (const [token, child] of node.next) {
      const childId = this.idOf(child);
      if (childId < 0) return this.giveUp();
      this.addEdge(id, this.tokenId(token), childId);
    }
    let any = 0;
    if (node.any) {
      const anyId = this.idOf(node.any);
      if (anyId < 0) return this.giveUp();
      any = anyId + 1;
    }
    this.words[(this.nodeInfo >> 2) + id] = EXPORTED | (node.phraseEnds ? PHRASE_ENDS : 0) | (any << 2);
    return true;
  }

  private giveUp(): boolean {
    this.full = true;
    return false;
  }

  /** The `contraction` import: the token ids of the word at [start, end) into scratch memory. */
  private contraction(start: number, end: number): number {
    const parts = normalizeCached(this.text.slice(start, end));
    if (parts.length > SCRATCH_CAPACITY) return -1;
    const base = this.scratch >> 2;
    for (let k = 0; k < parts.length; k++) this.words[base + k] = this.tokenId(this.vocabulary.get(parts[k]));
    return parts.length;
  }

  private addEdge(node: number, token: number, child: number): void {
    if ((this.edgeCount + 1) * 2 > this.edgeCapacity) this.rehash();
    this.putEdge(node, token, child);
    this.edgeCount++;
  }

  private putEdge(node: number, token: number, child: number): void {
    const mask = this.edgeCapacity - 1;
    let slot = edgeHash(node, token) & mask;
    const base = this.edges >> 2;
    while (this.words[base + slot * 3] !== 0) slot = (slot + 1) & mask;
    this.words[base + slot * 3] = node + 1;
    this.words[base + slot * 3 + 1] = token;
    this.words[base + slot * 3 + 2] = child;
  }

  /** A table twice the size, after everything in use (the text being probed included). */
  private rehash(): void {
    const old = this.edges;
    const oldCapacity = this.edgeCapacity;
    this.newEdgeTable(oldCapacity * 2);
    const base = old >> 2;
    for (let slot = 0; slot < oldCapacity; slot++) {
      const key = this.words[base + slot * 3];
      if (key !== 0) this.putEdge(key - 1, this.words[base + slot * 3 + 1], this.words[base + slot * 3 + 2]);
    }
  }

  private newEdgeTable(capacity: number): void {
    const at = align(Math.max(this.heapTop, this.textEnd));
    this.ensure(at + capacity * 12);
    this.words.fill(0, at >> 2, (at >> 2) + capacity * 3);
    this.edges = at;
    this.edgeCapacity = capacity;
    this.heapTop = at + capacity * 12;
    this.exports.setEdges(at, capacity - 1);
  }

  /** Grows memory to hold `end` bytes. */
  private ensure(end: number): void {
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    if (this.bytes?.buffer !== memory.buffer) this.refreshViews();
  }

  private refreshViews(): void {
    const buffer = this.exports.memory.buffer;
    this.bytes = Buffer.from(buffer);
    this.words = new Int32Array(buffer);
  }
}

/** phrase-probe.ts edgeHash. */
function edgeHash(node: number, token: number): number {
  const h = (Math.imul(node, 0x9e3779b1) + Math.imul(token, 0x85ebca6b)) | 0;
  return h ^ (h >>> 15);
}

function align(n: number): number {
  return (n + 15) & ~15;
}
