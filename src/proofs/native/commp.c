/*
 * commP subtrees: the root of the fr32 tree over 127 × 2^k payload bytes, in one call, so crossing the FFI
 * boundary costs once per chunk rather than once per node. Works 64 quads (8 KiB of leaves) at a time: pad,
 * hash the layers in place, and fold the block roots through a stack of pending nodes.
 */
#include <string.h>
#include "fr32.h"
#include "petal.h"
#include "sha256.h"

#define BLOCK_QUADS 64

static int log2u64(uint64_t n) {
  int l = 0;
  while (n >>= 1) l++;
  return l;
}

PETAL_API int32_t petal_commp_subtree(const uint8_t *payload, uint64_t nquads, uint8_t *out) {
  if (!payload || !out || nquads == 0 || (nquads & (nquads - 1)) != 0 || nquads > (1ULL << 40)) return PETAL_EINVAL;
  uint8_t buf[BLOCK_QUADS * 128] __attribute__((aligned(64)));
  uint8_t stack[64][32];
  uint64_t pending = 0; /* bit l set: stack[l] holds a left sibling at level l */
  uint64_t block = nquads < BLOCK_QUADS ? nquads : BLOCK_QUADS;
  int block_level = log2u64(block) + 2;
  for (uint64_t q = 0; q < nquads; q += block) {
    for (uint64_t i = 0; i < block; i++) petal_fr32_pad_quad(payload + 127 * (q + i), buf + 128 * i);
    for (uint64_t nodes = block * 4; nodes > 1; nodes >>= 1) petal_sha256_nodes(buf, buf, nodes / 2);
    int level = block_level;
    uint8_t node[32];
    memcpy(node, buf, 32);
    while (pending & (1ULL << level)) {
      petal_sha256_node(node, stack[level], node);
      pending &= ~(1ULL << level);
      level++;
    }
    memcpy(stack[level], node, 32);
    pending |= 1ULL << level;
  }
  memcpy(out, stack[log2u64(nquads) + 2], 32);
  return PETAL_OK;
}
