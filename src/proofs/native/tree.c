/*
 * Tree building and column hashing for sealing: the parents of a whole batch of tree nodes per call (any
 * power-of-two arity: tree_d and CommR are binary, tree_c and tree_r_last oct-trees), and the column hashes
 * of tree_c's leaves. Every node is SHA-256 of its children with the top two bits of the last byte cleared
 * (src/proofs/kernels/typescript.ts is the reference).
 */
#include <string.h>
#include "petal.h"
#include "sha256.h"

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
  petal_sha256_groups(out, in, arity / 2, (size_t)n);
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
