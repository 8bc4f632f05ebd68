/*
 * SDR labelling in C: the stacked DRG's parents (bucket sampling on ChaCha8, expander parents through the
 * Feistel permutation) and the labels of a range of nodes per call. The TypeScript code in src/proofs/graph
 * and src/proofs/sdr/label.ts is the reference; every function here must give the same bytes.
 *
 * The graph is described by the caller: the 28-byte DRG seed, and the Feistel permutation of [0, n) as its
 * round-function table (3 × 2^half_bits u32, built once per graph in TypeScript) — so no BLAKE2b here.
 */
#include <string.h>
#include "petal.h"
#include "sha256.h"

#define BASE_DEGREE 6
#define EXP_DEGREE 8
#define DEGREE (BASE_DEGREE + EXP_DEGREE)
#define FEISTEL_ROUNDS 3
/* 64-byte prefix + 37 parent labels; 20 compressions with the padding. */
#define LABEL_MESSAGE_BYTES (64 + 37 * 32)

struct graph {
  uint32_t key[8]; /* ChaCha8 key: the seed's seven LE words, the node index last */
  const uint32_t *table;
  uint32_t half_bits;
  uint64_t n;
};

#define ROTL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                                                                                        \
  a += b; d ^= a; d = ROTL32(d, 16);                                                                          \
  c += d; b ^= c; b = ROTL32(b, 12);                                                                          \
  a += b; d ^= a; d = ROTL32(d, 8);                                                                           \
  c += d; b ^= c; b = ROTL32(b, 7);

/* Keystream block `counter` of ChaCha with 8 rounds, zero stream id (rand_chacha's ChaCha8Rng layout). */
static void chacha8_block(const uint32_t key[8], uint64_t counter, uint32_t out[16]) {
  uint32_t in[16] = {
    0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
    key[4], key[5], key[6], key[7], (uint32_t)counter, (uint32_t)(counter >> 32), 0, 0,
  };
  uint32_t x[16];
  memcpy(x, in, sizeof x);
  for (int r = 0; r < 8; r += 2) {
    QR(x[0], x[4], x[8], x[12]) QR(x[1], x[5], x[9], x[13]) QR(x[2], x[6], x[10], x[14]) QR(x[3], x[7], x[11], x[15])
    QR(x[0], x[5], x[10], x[15]) QR(x[1], x[6], x[11], x[12]) QR(x[2], x[7], x[8], x[13]) QR(x[3], x[4], x[9], x[14])
  }
  for (int i = 0; i < 16; i++) out[i] = x[i] + in[i];
}

/* ⌈log2(x)⌉ for x ≥ 1. */
static inline uint32_t ceil_log2(uint64_t x) {
  return x <= 1 ? 0 : (uint32_t)(64 - __builtin_clzll(x - 1));
}

/* The six base parents of `node` (graph/bucket-graph.ts BucketSampler.parents). */
static void base_parents(struct graph *g, uint64_t node, uint32_t out[BASE_DEGREE]) {
  if (node < 2) {
    for (int i = 0; i < BASE_DEGREE; i++) out[i] = 0;
    return;
  }
  uint32_t w[32];
  g->key[7] = (uint32_t)node;
  chacha8_block(g->key, 0, w);
  chacha8_block(g->key, 1, w + 16);
  const uint64_t m = BASE_DEGREE - 1;
  const uint64_t meta = node * m;
  const uint64_t buckets = ceil_log2(meta);
  out[0] = (uint32_t)(node - 1);
  for (int p = 1, at = 0; p <= (int)m; p++, at += 4) {
    uint64_t r0 = (uint64_t)w[at] | ((uint64_t)w[at + 1] << 32);
    uint64_t r1 = (uint64_t)w[at + 2] | ((uint64_t)w[at + 3] << 32);
    uint64_t bucket = r0 % buckets + 1;
    uint64_t largest = bucket >= 63 ? meta : (meta < (1ull << bucket) ? meta : (1ull << bucket));
    uint64_t smallest = largest / 2 > 2 ? largest / 2 : 2;
    uint64_t distance = smallest + r1 % (largest - smallest + 1);
    uint64_t mapped = (meta - distance) / m;
    out[p] = (uint32_t)(mapped == node ? node - 1 : mapped);
  }
}

static inline uint64_t feistel_encode(const struct graph *g, uint64_t index) {
  const uint64_t half = 1ull << g->half_bits, mask = half - 1;
  uint64_t left = index >> g->half_bits, right = index & mask;
  for (int round = 0; round < FEISTEL_ROUNDS; round++) {
    uint64_t next = left ^ g->table[(uint64_t)round * half + right];
    left = right;
    right = next;
  }
  return (left << g->half_bits) | right;
}

/* The eight expander parents of `node`: ⌊π(8·node + i) / 8⌋ with cycle walking into [0, n). */
static void expander_parents(const struct graph *g, uint64_t node, uint32_t out[EXP_DEGREE]) {
  for (uint64_t i = 0; i < EXP_DEGREE; i++) {
    uint64_t u = feistel_encode(g, node * EXP_DEGREE + i);
    while (u >= g->n) u = feistel_encode(g, u);
    out[i] = (uint32_t)(u / EXP_DEGREE);
  }
}

static int graph_init(struct graph *g, const uint8_t *seed28, const uint32_t *table, uint32_t half_bits, uint64_t n) {
  if (!seed28 || !table || half_bits == 0 || half_bits > 31 || n == 0 || n > (1ull << (2 * half_bits))) return -1;
  for (int i = 0; i < 7; i++) {
    const uint8_t *p = seed28 + 4 * i;
    g->key[i] = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
  }
  g->key[7] = 0;
  g->table = table;
  g->half_bits = half_bits;
  g->n = n;
  return 0;
}

/*
 * The 14 parents (six base, eight expander) of nodes [start, start + count) into out (14 × count u32), the
 * row layout of Filecoin's parent cache. n is the Feistel domain, 8 × nodes.
 */
PETAL_API int32_t petal_sdr_parents(const uint8_t *seed28, const uint32_t *table, uint32_t half_bits, uint64_t n,
                                    uint64_t start, uint64_t count, uint32_t *out) {
  struct graph g;
  if (graph_init(&g, seed28, table, half_bits, n) != 0 || (!out && count)) return PETAL_EINVAL;
  if (start + count > n / EXP_DEGREE) return PETAL_EINVAL;
  for (uint64_t i = 0; i < count; i++) {
    base_parents(&g, start + i, out + DEGREE * i);
    expander_parents(&g, start + i, out + DEGREE * i + BASE_DEGREE);
  }
  return PETAL_OK;
}

static inline void store_label(uint8_t *out, const uint32_t s[8]) {
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s[i] >> 8);
    out[4 * i + 3] = (uint8_t)s[i];
  }
  out[31] &= 0x3f;
}

static inline void prefetch_parents(const uint8_t *labels, const uint8_t *prev, const uint32_t *p) {
  for (int k = 1; k < BASE_DEGREE; k++) __builtin_prefetch(labels + 32 * (uint64_t)p[k]);
  if (prev)
    for (int k = BASE_DEGREE; k < DEGREE; k++) __builtin_prefetch(prev + 32 * (uint64_t)p[k]);
}

/*
 * Labels nodes [start, start + count) of `layer` (from 1) into `labels`, the whole layer (32 × nodes bytes)
 * in which nodes before `start` are already labelled; `prev` is the previous layer (required from layer 2,
 * ignored in layer 1). label = trunc254(SHA-256(replica_id ‖ u32_BE(layer) ‖ u64_BE(node) ‖ 0^20 ‖
 * parents)), with the parents repeated to 37 nodes as src/proofs/sdr/label.ts describes. The message is
 * never assembled: the 64-byte prefix block, then the parents' labels (gathered once) compressed in the
 * repeated order, then one final block holding the last parent and the padding.
 */
PETAL_API int32_t petal_sdr_label_range(const uint8_t *seed28, const uint32_t *table, uint32_t half_bits, uint64_t n,
                                        const uint8_t *replica_id, uint32_t layer, uint8_t *labels, const uint8_t *prev,
                                        uint64_t start, uint64_t count) {
  struct graph g;
  if (graph_init(&g, seed28, table, half_bits, n) != 0 || !replica_id || !labels || layer == 0) return PETAL_EINVAL;
  const uint64_t nodes = n / EXP_DEGREE;
  if (start > nodes || count > nodes - start || (layer > 1 && !prev)) return PETAL_EINVAL;
  if (layer == 1) prev = NULL;

  /* block 0: the prefix; then up to 14 parents (448 bytes = 7 blocks); then the final block. */
  uint8_t prefix[64];
  uint8_t gathered[DEGREE * 32];
  uint8_t last[64];
  uint8_t node0_pad[64];
  memcpy(prefix, replica_id, 32);
  memset(prefix + 32, 0, 32);
  prefix[32] = (uint8_t)(layer >> 24);
  prefix[33] = (uint8_t)(layer >> 16);
  prefix[34] = (uint8_t)(layer >> 8);
  prefix[35] = (uint8_t)layer;
  memset(last, 0, sizeof last);
  last[32] = 0x80;
  const uint64_t bits = (uint64_t)LABEL_MESSAGE_BYTES * 8;
  for (int i = 0; i < 8; i++) last[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  memset(node0_pad, 0, sizeof node0_pad);
  node0_pad[0] = 0x80;
  node0_pad[62] = 0x02; /* 512 bits */

  uint32_t parents[2][DEGREE];
  int cur = 0;
  if (count) {
    base_parents(&g, start, parents[cur]);
    expander_parents(&g, start, parents[cur] + BASE_DEGREE);
  }
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t node = start + i;
    const uint32_t *p = parents[cur];
    /* Compute (and prefetch) the next node's parents while this one's are hashed. */
    if (i + 1 < count) {
      uint32_t *q = parents[cur ^ 1];
      base_parents(&g, node + 1, q);
      expander_parents(&g, node + 1, q + BASE_DEGREE);
      prefetch_parents(labels, prev, q);
    }
    for (int b = 0; b < 8; b++) prefix[36 + b] = (uint8_t)(node >> (56 - 8 * b));
    uint32_t s[8];
    memcpy(s, petal_sha256_iv, sizeof s);
    petal_sha256_compress(s, prefix, 1);
    if (node == 0) {
      petal_sha256_compress(s, node0_pad, 1);
    } else if (prev) {
      for (int k = 0; k < BASE_DEGREE; k++) memcpy(gathered + 32 * k, labels + 32 * (uint64_t)p[k], 32);
      for (int k = BASE_DEGREE; k < DEGREE; k++) memcpy(gathered + 32 * k, prev + 32 * (uint64_t)p[k], 32);
      /* parents 0..13, 0..13, 0..8: 7 + 7 + 4 blocks, then parent 8 with the padding */
      petal_sha256_compress(s, gathered, 7);
      petal_sha256_compress(s, gathered, 7);
      petal_sha256_compress(s, gathered, 4);
      memcpy(last, gathered + 32 * 8, 32);
      petal_sha256_compress(s, last, 1);
    } else {
      for (int k = 0; k < BASE_DEGREE; k++) memcpy(gathered + 32 * k, labels + 32 * (uint64_t)p[k], 32);
      /* parents 0..5 six times (6 × 3 blocks), then parent 0 with the padding */
      for (int r = 0; r < 6; r++) petal_sha256_compress(s, gathered, 3);
      memcpy(last, gathered, 32);
      petal_sha256_compress(s, last, 1);
    }
    store_label(labels + 32 * node, s);
    cur ^= 1;
  }
  return PETAL_OK;
}
