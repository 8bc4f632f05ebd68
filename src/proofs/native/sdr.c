/*
 * SDR labelling in C: the stacked DRG's parents (bucket sampling on ChaCha8, expander parents through the
 * Feistel permutation) and the labels of a range of nodes per call. The TypeScript code in src/proofs/graph
 * and src/proofs/sdr/label.ts is the reference; every function here must give the same bytes.
 *
 * The graph is described by the caller: the 28-byte DRG seed, and the Feistel permutation of [0, n) as its
 * round-function table (3 × 2^half_bits u32, built once per graph in TypeScript) — so no BLAKE2b here.
 */
#include <pthread.h>
#include <stdlib.h>
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

/* Nodes whose parents are computed per batch; the helper thread works two batches ahead at most. */
#define BATCH 4096
/* Nodes ahead whose parent labels are prefetched. */
#define PREFETCH_AHEAD 6
/* Ranges shorter than this are labelled on the calling thread alone. */
#define THREAD_MIN_NODES (4 * BATCH)

struct labeller {
  uint8_t prefix[64];
  uint8_t last[64];
  uint8_t node0_pad[64];
  uint8_t *labels;
  const uint8_t *prev;
};

static void labeller_init(struct labeller *c, const uint8_t *replica_id, uint32_t layer, uint8_t *labels, const uint8_t *prev) {
  memcpy(c->prefix, replica_id, 32);
  memset(c->prefix + 32, 0, 32);
  c->prefix[32] = (uint8_t)(layer >> 24);
  c->prefix[33] = (uint8_t)(layer >> 16);
  c->prefix[34] = (uint8_t)(layer >> 8);
  c->prefix[35] = (uint8_t)layer;
  memset(c->last, 0, 64);
  c->last[32] = 0x80;
  const uint64_t bits = (uint64_t)LABEL_MESSAGE_BYTES * 8;
  for (int i = 0; i < 8; i++) c->last[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  memset(c->node0_pad, 0, 64);
  c->node0_pad[0] = 0x80;
  c->node0_pad[62] = 0x02; /* 512 bits */
  c->labels = labels;
  c->prev = prev;
}

static inline void prefetch_parents(const struct labeller *c, const uint32_t *p) {
  for (int k = 1; k < BASE_DEGREE; k++) __builtin_prefetch(c->labels + 32 * (uint64_t)p[k]);
  if (c->prev)
    for (int k = BASE_DEGREE; k < DEGREE; k++) __builtin_prefetch(c->prev + 32 * (uint64_t)p[k]);
}

/*
 * Labels nodes [first, first + n) given their parent rows (14 u32 each). The message is never assembled:
 * the 64-byte prefix block, then the parents' labels (gathered once) compressed in the repeated order, then
 * one final block holding the last repeated parent and the padding.
 */
static void label_nodes(struct labeller *c, const uint32_t *rows, uint64_t first, uint64_t n) {
  uint8_t gathered[DEGREE * 32];
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t node = first + i;
    const uint32_t *p = rows + DEGREE * i;
    if (i + PREFETCH_AHEAD < n) prefetch_parents(c, p + DEGREE * PREFETCH_AHEAD);
    for (int b = 0; b < 8; b++) c->prefix[36 + b] = (uint8_t)(node >> (56 - 8 * b));
    uint32_t s[8];
    memcpy(s, petal_sha256_iv, sizeof s);
    petal_sha256_compress(s, c->prefix, 1);
    if (node == 0) {
      petal_sha256_compress(s, c->node0_pad, 1);
    } else if (c->prev) {
      for (int k = 0; k < BASE_DEGREE; k++) memcpy(gathered + 32 * k, c->labels + 32 * (uint64_t)p[k], 32);
      for (int k = BASE_DEGREE; k < DEGREE; k++) memcpy(gathered + 32 * k, c->prev + 32 * (uint64_t)p[k], 32);
      /* parents 0..13, 0..13, 0..8: 7 + 7 + 4 blocks, then parent 8 with the padding */
      petal_sha256_compress(s, gathered, 7);
      petal_sha256_compress(s, gathered, 7);
      petal_sha256_compress(s, gathered, 4);
      memcpy(c->last, gathered + 32 * 8, 32);
      petal_sha256_compress(s, c->last, 1);
    } else {
      for (int k = 0; k < BASE_DEGREE; k++) memcpy(gathered + 32 * k, c->labels + 32 * (uint64_t)p[k], 32);
      /* parents 0..5 six times (6 × 3 blocks), then parent 0 with the padding */
      for (int r = 0; r < 6; r++) petal_sha256_compress(s, gathered, 3);
      memcpy(c->last, gathered, 32);
      petal_sha256_compress(s, c->last, 1);
    }
    store_label(c->labels + 32 * node, s);
  }
}

static void fill_rows(struct graph *g, uint64_t first, uint64_t n, uint32_t *rows) {
  for (uint64_t i = 0; i < n; i++) {
    base_parents(g, first + i, rows + DEGREE * i);
    expander_parents(g, first + i, rows + DEGREE * i + BASE_DEGREE);
  }
}

/*
 * The two-thread path. A helper thread works one batch ahead of the hashing thread: it computes the batch's
 * parents and gathers the parents' labels into a staging area laid out as the message needs them (14 × 32
 * bytes per node, 6 × 32 in layer 1), so the hashing thread reads one sequential stream instead of waiting
 * on random reads. Expander parents live in the previous layer, which is complete, so the helper gathers
 * all of them. Base parents live in the layer being written: the helper gathers those below a threshold
 * every node of which is labelled already, and marks the rest (recent nodes, still in cache) for the
 * hashing thread to copy in. Two slots alternate; a mutex and condition variable hand them over, which also
 * orders the label writes of the hashing thread before the helper's reads of them.
 */
struct stage_slot {
  uint8_t *labels; /* DEGREE × 32 bytes per node */
  uint8_t *todo;   /* per node: bit k set when base parent k is left to the hashing thread */
  uint32_t *rows;  /* DEGREE parents per node */
};

struct parent_feed {
  struct graph g; /* the helper's own copy (the sampler writes its key) */
  const uint8_t *labels, *prev;
  uint64_t start, count;
  struct stage_slot slot[2];
  int ready[2];
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

static void stage_batch(struct parent_feed *f, const struct stage_slot *s, uint64_t first, uint64_t n, uint64_t labelled) {
  fill_rows(&f->g, first, n, s->rows);
  const int degree = f->prev ? DEGREE : BASE_DEGREE;
  for (uint64_t i = 0; i < n; i++) {
    const uint32_t *p = s->rows + DEGREE * i;
    uint8_t *out = s->labels + (uint64_t)DEGREE * 32 * i;
    uint8_t todo = 0;
    for (int k = 0; k < BASE_DEGREE; k++) {
      if (p[k] < labelled) memcpy(out + 32 * k, f->labels + 32 * (uint64_t)p[k], 32);
      else todo |= (uint8_t)(1u << k);
    }
    for (int k = BASE_DEGREE; k < degree; k++) memcpy(out + 32 * k, f->prev + 32 * (uint64_t)p[k], 32);
    s->todo[i] = todo;
  }
}

static void *feed_main(void *arg) {
  struct parent_feed *f = arg;
  for (uint64_t at = 0, k = 0; at < f->count; at += BATCH, k++) {
    const int slot = (int)(k & 1);
    pthread_mutex_lock(&f->mu);
    while (f->ready[slot]) pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    /* The slot came back after batch k − 2 was hashed: every node before batch k − 1 is labelled. */
    const uint64_t first = f->start + at;
    const uint64_t labelled = at >= BATCH ? first - BATCH : f->start;
    const uint64_t n = f->count - at < BATCH ? f->count - at : BATCH;
    stage_batch(f, &f->slot[slot], first, n, labelled);
    pthread_mutex_lock(&f->mu);
    f->ready[slot] = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
  }
  return NULL;
}

/* Hashes a staged batch: the missing base parents are copied in place, then the same blocks as label_nodes. */
static void label_staged(struct labeller *c, const struct stage_slot *s, uint64_t first, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t node = first + i;
    const uint32_t *p = s->rows + DEGREE * i;
    uint8_t *gathered = s->labels + (uint64_t)DEGREE * 32 * i;
    for (uint8_t todo = s->todo[i]; todo; todo &= (uint8_t)(todo - 1)) {
      const int k = __builtin_ctz(todo);
      memcpy(gathered + 32 * k, c->labels + 32 * (uint64_t)p[k], 32);
    }
    for (int b = 0; b < 8; b++) c->prefix[36 + b] = (uint8_t)(node >> (56 - 8 * b));
    uint32_t st[8];
    memcpy(st, petal_sha256_iv, sizeof st);
    petal_sha256_compress(st, c->prefix, 1);
    if (node == 0) {
      petal_sha256_compress(st, c->node0_pad, 1);
    } else if (c->prev) {
      petal_sha256_compress(st, gathered, 7);
      petal_sha256_compress(st, gathered, 7);
      petal_sha256_compress(st, gathered, 4);
      memcpy(c->last, gathered + 32 * 8, 32);
      petal_sha256_compress(st, c->last, 1);
    } else {
      for (int r = 0; r < 6; r++) petal_sha256_compress(st, gathered, 3);
      memcpy(c->last, gathered, 32);
      petal_sha256_compress(st, c->last, 1);
    }
    store_label(c->labels + 32 * node, st);
  }
}

/* Labels with the staging helper thread; returns -1 (nothing labelled) when it cannot start. */
static int label_threaded(struct labeller *c, const struct graph *g, uint64_t start, uint64_t count) {
  struct parent_feed f;
  memset(&f, 0, sizeof f);
  f.g = *g;
  f.labels = c->labels;
  f.prev = c->prev;
  f.start = start;
  f.count = count;
  const size_t per_slot = (size_t)BATCH * (DEGREE * 32 + 1 + DEGREE * sizeof(uint32_t));
  uint8_t *memory = malloc(2 * per_slot);
  if (!memory) return -1;
  for (int i = 0; i < 2; i++) {
    uint8_t *base = memory + per_slot * (size_t)i;
    f.slot[i].rows = (uint32_t *)base;
    f.slot[i].labels = base + (size_t)BATCH * DEGREE * sizeof(uint32_t);
    f.slot[i].todo = f.slot[i].labels + (size_t)BATCH * DEGREE * 32;
  }
  if (pthread_mutex_init(&f.mu, NULL) != 0) {
    free(memory);
    return -1;
  }
  if (pthread_cond_init(&f.cv, NULL) != 0) {
    pthread_mutex_destroy(&f.mu);
    free(memory);
    return -1;
  }
  pthread_t helper;
  int rc = pthread_create(&helper, NULL, feed_main, &f);
  if (rc == 0) {
    for (uint64_t at = 0, k = 0; at < count; at += BATCH, k++) {
      const int slot = (int)(k & 1);
      pthread_mutex_lock(&f.mu);
      while (!f.ready[slot]) pthread_cond_wait(&f.cv, &f.mu);
      pthread_mutex_unlock(&f.mu);
      const uint64_t n = count - at < BATCH ? count - at : BATCH;
      label_staged(c, &f.slot[slot], start + at, n);
      pthread_mutex_lock(&f.mu);
      f.ready[slot] = 0;
      pthread_cond_broadcast(&f.cv);
      pthread_mutex_unlock(&f.mu);
    }
    pthread_join(helper, NULL);
  }
  pthread_cond_destroy(&f.cv);
  pthread_mutex_destroy(&f.mu);
  free(memory);
  return rc == 0 ? 0 : -1;
}

/*
 * Labels nodes [start, start + count) of `layer` (from 1) into `labels`, the whole layer (32 × nodes bytes)
 * in which nodes before `start` are already labelled; `prev` is the previous layer (required from layer 2,
 * ignored in layer 1). label = trunc254(SHA-256(replica_id ‖ u32_BE(layer) ‖ u64_BE(node) ‖ 0^20 ‖
 * parents)), with the parents repeated to 37 nodes as src/proofs/sdr/label.ts describes. With `threads` ≥ 2
 * and a long range, a helper thread computes the parents and gathers their labels one batch ahead of the
 * hashing (the labels are a chain, so hashing itself stays on one thread); with 1 everything runs on the
 * calling thread. Same bytes either way.
 */
PETAL_API int32_t petal_sdr_label_range(const uint8_t *seed28, const uint32_t *table, uint32_t half_bits, uint64_t n,
                                        const uint8_t *replica_id, uint32_t layer, uint8_t *labels, const uint8_t *prev,
                                        uint64_t start, uint64_t count, uint32_t threads) {
  struct graph g;
  if (graph_init(&g, seed28, table, half_bits, n) != 0 || !replica_id || !labels || layer == 0) return PETAL_EINVAL;
  const uint64_t nodes = n / EXP_DEGREE;
  if (start > nodes || count > nodes - start || (layer > 1 && !prev)) return PETAL_EINVAL;
  struct labeller c;
  labeller_init(&c, replica_id, layer, labels, layer > 1 ? prev : NULL);
  if (threads >= 2 && count >= THREAD_MIN_NODES && label_threaded(&c, &g, start, count) == 0) return PETAL_OK;
  uint32_t rows[DEGREE * 256];
  for (uint64_t at = 0; at < count; at += 256) {
    const uint64_t m = count - at < 256 ? count - at : 256;
    fill_rows(&g, start + at, m, rows);
    label_nodes(&c, rows, start + at, m);
  }
  return PETAL_OK;
}
