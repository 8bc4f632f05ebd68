/*
 * SHA-256: constants, the portable compression, the padding-block shortcut for 64-byte messages, and the
 * runtime choice between the portable code and the CPU's SHA extensions.
 */
#include <string.h>
#include "sha256.h"

const uint32_t petal_sha256_iv[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

const uint32_t petal_sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Computed from the message schedule of the block 0x80 ‖ 0^55 ‖ be64(512); test/proofs checks the digests. */
const uint32_t petal_sha256_kw_pad64[64] = {
  0xc28a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf374,
  0x649b69c1, 0xf0fe4786, 0x0fe1edc6, 0x240cf254, 0x4fe9346f, 0x6cc984be, 0x61b9411e, 0x16f988fa,
  0xf2c65152, 0xa88e5a6d, 0xb019fc65, 0xb9d99ec7, 0x9a1231c3, 0xe70eeaa0, 0xfdb1232b, 0xc7353eb0,
  0x3069bad5, 0xcb976d5f, 0x5a0f118f, 0xdc1eeefd, 0x0a35b689, 0xde0b7a04, 0x58f4ca9d, 0xe15d5b16,
  0x007f3e86, 0x37088980, 0xa507ea32, 0x6fab9537, 0x17406110, 0x0d8cd6f1, 0xcdaa3b6d, 0xc0bbbe37,
  0x83613bda, 0xdb48a363, 0x0b02e931, 0x6fd15ca7, 0x521afaca, 0x31338431, 0x6ed41a95, 0x6d437890,
  0xc39c91f2, 0x9eccabbd, 0xb5c9a0e6, 0x532fb63c, 0xd2c741c6, 0x07237ea3, 0xa4954b68, 0x4c191d76,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) (((e) & (f)) ^ (~(e) & (g)))
#define MAJ(a, b, c) (((a) & (b)) ^ ((a) & (c)) ^ ((b) & (c)))

static inline uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* 64 rounds over s with kw[t] = K[t] + W[t] already summed. */
static inline void rounds(uint32_t s[8], const uint32_t kw[64]) {
  uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + kw[t];
    uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
  s[4] += e;
  s[5] += f;
  s[6] += g;
  s[7] += h;
}

static inline void schedule(uint32_t kw[64], const uint8_t *block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; t++) w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
  for (int t = 0; t < 64; t++) kw[t] = w[t] + petal_sha256_k[t];
}

void petal_sha256_compress_portable(uint32_t state[8], const uint8_t *blocks, size_t nblocks) {
  uint32_t kw[64];
  for (size_t i = 0; i < nblocks; i++) {
    schedule(kw, blocks + 64 * i);
    rounds(state, kw);
  }
}

void petal_sha256_kw_pad(uint32_t kw[64], uint64_t bytes) {
  uint8_t block[64] = {0};
  block[0] = 0x80;
  const uint64_t bits = bytes * 8;
  for (int i = 0; i < 8; i++) block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
  schedule(kw, block);
}

void petal_sha256_groups_portable(uint8_t *out, const uint8_t *in, size_t blocks, size_t n) {
  uint32_t kwp[64];
  petal_sha256_kw_pad(kwp, 64 * (uint64_t)blocks);
  for (size_t i = 0; i < n; i++) {
    uint32_t s[8];
    memcpy(s, petal_sha256_iv, sizeof s);
    petal_sha256_compress_portable(s, in + 64 * blocks * i, blocks);
    rounds(s, kwp);
    uint8_t *o = out + 32 * i;
    for (int j = 0; j < 8; j++) store_be32(o + 4 * j, s[j]);
    o[31] &= 0x3f;
  }
}

void petal_sha256_nodes_portable(uint8_t *out, const uint8_t *in, size_t n) {
  uint32_t kw[64];
  for (size_t i = 0; i < n; i++) {
    uint32_t s[8];
    memcpy(s, petal_sha256_iv, sizeof s);
    schedule(kw, in + 64 * i);
    rounds(s, kw);
    rounds(s, petal_sha256_kw_pad64);
    uint8_t *o = out + 32 * i;
    for (int j = 0; j < 8; j++) store_be32(o + 4 * j, s[j]);
    o[31] &= 0x3f;
  }
}

/* -1: not chosen yet. Threads that race here compute the same answer, so a relaxed store is enough. */
static int active_impl = -1;

static int detect(void) {
#if defined(__x86_64__) || defined(__i386__)
  if (petal_x86_has_sha()) return PETAL_SHA_NI;
#endif
  return PETAL_SHA_PORTABLE;
}

enum petal_sha_impl petal_sha256_impl_active(void) {
  int impl = __atomic_load_n(&active_impl, __ATOMIC_RELAXED);
  if (impl < 0) {
    impl = detect();
    __atomic_store_n(&active_impl, impl, __ATOMIC_RELAXED);
  }
  return (enum petal_sha_impl)impl;
}

int petal_sha256_impl_set(enum petal_sha_impl impl) {
  if (impl == PETAL_SHA_NI && detect() != PETAL_SHA_NI) return -1;
  if (impl != PETAL_SHA_NI && impl != PETAL_SHA_PORTABLE) return -1;
  __atomic_store_n(&active_impl, (int)impl, __ATOMIC_RELAXED);
  return 0;
}

void petal_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t nblocks) {
#if defined(__x86_64__) || defined(__i386__)
  if (petal_sha256_impl_active() == PETAL_SHA_NI) {
    petal_sha256_compress_shani(state, blocks, nblocks);
    return;
  }
#endif
  petal_sha256_compress_portable(state, blocks, nblocks);
}

void petal_sha256_nodes(uint8_t *out, const uint8_t *in, size_t n) {
#if defined(__x86_64__) || defined(__i386__)
  if (petal_sha256_impl_active() == PETAL_SHA_NI) {
    petal_sha256_nodes_shani(out, in, n);
    return;
  }
#endif
  petal_sha256_nodes_portable(out, in, n);
}

void petal_sha256_groups(uint8_t *out, const uint8_t *in, size_t blocks, size_t n) {
#if defined(__x86_64__) || defined(__i386__)
  if (petal_sha256_impl_active() == PETAL_SHA_NI) {
    petal_sha256_groups_shani(out, in, blocks, n);
    return;
  }
#endif
  petal_sha256_groups_portable(out, in, blocks, n);
}

void petal_sha256_node(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint8_t msg[64];
  memcpy(msg, left, 32);
  memcpy(msg + 32, right, 32);
  petal_sha256_nodes(out, msg, 1);
}

void petal_sha256_digest(uint8_t out[32], const uint8_t *data, size_t len) {
  uint32_t s[8];
  memcpy(s, petal_sha256_iv, sizeof s);
  size_t whole = len / 64;
  petal_sha256_compress(s, data, whole);
  uint8_t tail[128] = {0};
  size_t rest = len - whole * 64;
  memcpy(tail, data + whole * 64, rest);
  tail[rest] = 0x80;
  size_t tail_blocks = rest + 9 <= 64 ? 1 : 2;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) tail[tail_blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
  petal_sha256_compress(s, tail, tail_blocks);
  for (int j = 0; j < 8; j++) store_be32(out + 4 * j, s[j]);
}
