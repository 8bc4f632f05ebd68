/*
 * Tree building and column hashing for sealing: the parents of a whole batch of tree nodes per call (any
 * power-of-two arity: tree_d and CommR are binary, tree_c and tree_r_last oct-trees), and the column hashes
 * of tree_c's leaves. Every node is SHA-256 of its children with the top two bits of the last byte cleared
 * (src/proofs/kernels/typescript.ts is the reference).
 */
#include <string.h>
#include "petal.h"
#include "sha256.h"

static inline void store_node(uint8_t *out, const uint32_t s[8]) {
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s[i] >> 8);
    out[4 * i + 3] = (uint8_t)s[i];
  }
  out[31] &= 0x3f;
}

/* The padding block of a message of `bytes` bytes that is a whole number of blocks. */
static void pad_block(uint8_t block[64], uint64_t bytes) {
  memset(block, 0, 64);
  block[0] = 0x80;
  const uint64_t bits = bytes * 8;
  for (int i = 0; i < 8; i++) block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
}

/*
 * out[32i..) = trunc254(SHA-256(in[32·arity·i .. 32·arity·(i+1)))) for i < n: n parents from their children.
 * arity is a power of two from 2 to 256. out may equal in (each parent is written after its children are
 * read, and parent i never lies past child group i).
 */
PETAL_API int32_t petal_tree_hash_groups(const uint8_t *in, uint32_t arity, uint8_t *out, uint64_t n) {
  if (arity < 2 || arity > 256 || (arity & (arity - 1)) != 0) return PETAL_EINVAL;
  if (n == 0) return PETAL_OK;
  if (!in || !out) return PETAL_EINVAL;
  if (arity == 2) {
    petal_sha256_nodes(out, in, (size_t)n);
    return PETAL_OK;
  }
  const uint64_t group = 32ull * arity;
  uint8_t pad[64];
  pad_block(pad, group);
  for (uint64_t i = 0; i < n; i++) {
    uint32_t s[8];
    memcpy(s, petal_sha256_iv, sizeof s);
    petal_sha256_compress(s, in + group * i, arity / 2);
    petal_sha256_compress(s, pad, 1);
    store_node(out + 32 * i, s);
  }
  return PETAL_OK;
}

/*
 * Column hashes: out[32i..) = trunc254(SHA-256(layer_0[i] ‖ … ‖ layer_{L−1}[i])) for i < n, where
 * `layers` holds L pointers (as u64) to the layers' 32-byte nodes. L is 1 to 64.
 */
PETAL_API int32_t petal_tree_hash_columns(const uint64_t *layers, uint32_t count, uint8_t *out, uint64_t n) {
  if (count == 0 || count > 64 || !layers) return PETAL_EINVAL;
  if (n == 0) return PETAL_OK;
  if (!out) return PETAL_EINVAL;
  const uint8_t *src[64];
  for (uint32_t l = 0; l < count; l++) {
    src[l] = (const uint8_t *)(uintptr_t)layers[l];
    if (!src[l]) return PETAL_EINVAL;
  }
  if (count == 2) {
    /* 64-byte messages: interleave a batch and use the tree-node hasher (its padding is precomputed). */
    uint8_t pairs[64 * 256];
    for (uint64_t i = 0; i < n; i += 256) {
      const uint64_t m = n - i < 256 ? n - i : 256;
      for (uint64_t j = 0; j < m; j++) {
        memcpy(pairs + 64 * j, src[0] + 32 * (i + j), 32);
        memcpy(pairs + 64 * j + 32, src[1] + 32 * (i + j), 32);
      }
      petal_sha256_nodes(out + 32 * i, pairs, (size_t)m);
    }
    return PETAL_OK;
  }
  uint8_t column[64 * 32];
  for (uint64_t i = 0; i < n; i++) {
    for (uint32_t l = 0; l < count; l++) memcpy(column + 32 * l, src[l] + 32 * i, 32);
    petal_sha256_digest(out + 32 * i, column, 32ull * count);
    out[32 * i + 31] &= 0x3f;
  }
  return PETAL_OK;
}
