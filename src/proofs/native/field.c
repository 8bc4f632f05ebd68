/*
 * Node-wise arithmetic in the BLS12-381 scalar field Fr over buffers of 32-byte little-endian nodes: the
 * replica encoding (replica = data + key), its decoding, and the replica-update maps key + data·rho,
 * (replica − key)·rho⁻¹ and replica − data·rho with rho picked by a node's high index bits. The reference is
 * src/proofs/field/nodes.ts (addition, subtraction, exact for every 256-bit input) and
 * src/proofs/kernels/typescript.ts (the update maps, which reduce their inputs mod r first and always return
 * canonical values). Products use Montgomery multiplication on four 64-bit limbs; its constants are derived
 * from r at first use rather than written out.
 */
#include <string.h>
#include "petal.h"

typedef unsigned __int128 u128;

/* r, little-endian 64-bit limbs. */
static const uint64_t R[4] = {0xffffffff00000001ull, 0x53bda402fffe5bfeull, 0x3339d80809a1d805ull, 0x73eda753299d7d48ull};

static uint64_t r_inv;  /* −r⁻¹ mod 2^64 */
static uint64_t r2[4];  /* 2^512 mod r */
static int ready;

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static inline void store64(uint8_t *p, uint64_t v) {
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  memcpy(p, &v, 8);
}

static inline void load(uint64_t x[4], const uint8_t *p) {
  for (int i = 0; i < 4; i++) x[i] = load64(p + 8 * i);
}

static inline void store(uint8_t *p, const uint64_t x[4]) {
  for (int i = 0; i < 4; i++) store64(p + 8 * i, x[i]);
}

/* x ≥ r */
static inline int ge_r(const uint64_t x[4]) {
  for (int i = 3; i >= 0; i--)
    if (x[i] != R[i]) return x[i] > R[i];
  return 1;
}

/* x −= r (mod 2^256) */
static inline void sub_r(uint64_t x[4]) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)x[i] - R[i] - borrow;
    x[i] = (uint64_t)d;
    borrow = (uint64_t)(d >> 64) & 1;
  }
}

/* x += r (mod 2^256) */
static inline void add_r(uint64_t x[4]) {
  uint64_t carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)x[i] + R[i] + carry;
    x[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
}

/* a + b with nodes.ts semantics: minus r once when the sum carries out of 256 bits or is ≥ r. */
static inline void add_mod(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 s = (u128)a[i] + b[i] + carry;
    out[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
  if (carry || ge_r(out)) sub_r(out);
}

/* a − b with nodes.ts semantics: plus r (mod 2^256) when it borrows. */
static inline void sub_mod(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a[i] - b[i] - borrow;
    out[i] = (uint64_t)d;
    borrow = (uint64_t)(d >> 64) & 1;
  }
  if (borrow) add_r(out);
}

/* Any 256-bit value reduced below r (2^256 < 3r, so at most two subtractions). */
static inline void reduce(uint64_t x[4]) {
  while (ge_r(x)) sub_r(x);
}

/* a·b·2^−256 mod r for a, b < r (CIOS Montgomery multiplication); the result is below r. */
static void mont_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 s = (u128)a[j] * b[i] + t[j] + carry;
      t[j] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
    u128 s = (u128)t[4] + carry;
    t[4] = (uint64_t)s;
    t[5] = (uint64_t)(s >> 64);
    const uint64_t m = t[0] * r_inv;
    s = (u128)m * R[0] + t[0];
    carry = (uint64_t)(s >> 64);
    for (int j = 1; j < 4; j++) {
      s = (u128)m * R[j] + t[j] + carry;
      t[j - 1] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
    s = (u128)t[4] + carry;
    t[3] = (uint64_t)s;
    t[4] = t[5] + (uint64_t)(s >> 64);
  }
  uint64_t x[4] = {t[0], t[1], t[2], t[3]};
  if (t[4] || ge_r(x)) sub_r(x);
  memcpy(out, x, sizeof x);
}

static void init(void) {
  if (ready) return;
  /* −r⁻¹ mod 2^64 by Newton's iteration (r is odd): each step doubles the correct low bits. */
  uint64_t inv = 1;
  for (int i = 0; i < 7; i++) inv *= 2 - R[0] * inv;
  r_inv = (uint64_t)0 - inv;
  /* 2^512 mod r: 1 doubled 512 times. */
  uint64_t x[4] = {1, 0, 0, 0};
  for (int i = 0; i < 512; i++) add_mod(x, x, x);
  memcpy(r2, x, sizeof x);
  ready = 1;
}

/* out = a + b mod r node by node (replica = data + key); out may alias a or b. */
PETAL_API int32_t petal_fr_add_nodes(const uint8_t *a, const uint8_t *b, uint8_t *out, uint64_t n) {
  if (n && (!a || !b || !out)) return PETAL_EINVAL;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t x[4], y[4], z[4];
    load(x, a + 32 * i);
    load(y, b + 32 * i);
    add_mod(z, x, y);
    store(out + 32 * i, z);
  }
  return PETAL_OK;
}

/* out = a − b mod r node by node (data = replica − key); out may alias a or b. */
PETAL_API int32_t petal_fr_sub_nodes(const uint8_t *a, const uint8_t *b, uint8_t *out, uint64_t n) {
  if (n && (!a || !b || !out)) return PETAL_EINVAL;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t x[4], y[4], z[4];
    load(x, a + 32 * i);
    load(y, b + 32 * i);
    sub_mod(z, x, y);
    store(out + 32 * i, z);
  }
  return PETAL_OK;
}

#define UPDATE_ENCODE 0 /* out = a + b·rho          (a = sector key, b = data)    */
#define UPDATE_DECODE 1 /* out = (a − b)·rho        (a = replica, b = key, rho⁻¹) */
#define UPDATE_REMOVE 2 /* out = a − b·rho          (a = replica, b = data)       */

/*
 * The replica-update maps over nodes [first, first + n): rho for node i is rhos[i >> shift] (32-byte LE
 * values, `buckets` of them). Inputs are reduced mod r first; outputs are canonical. out may alias a or b.
 */
PETAL_API int32_t petal_fr_update_nodes(uint32_t op, const uint8_t *a, const uint8_t *b, uint8_t *out, uint64_t n,
                                        const uint8_t *rhos, uint64_t buckets, uint32_t shift, uint64_t first) {
  if (op > UPDATE_REMOVE || shift > 63) return PETAL_EINVAL;
  if (n == 0) return PETAL_OK;
  if (!a || !b || !out || !rhos || buckets == 0) return PETAL_EINVAL;
  if (((first + n - 1) >> shift) >= buckets) return PETAL_EINVAL;
  init();
  uint64_t bucket = UINT64_MAX;
  uint64_t rho_m[4] = {0, 0, 0, 0}; /* rho·2^256 mod r: mont_mul(x, rho_m) = x·rho */
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t node = first + i;
    if ((node >> shift) != bucket) {
      bucket = node >> shift;
      uint64_t rho[4];
      load(rho, rhos + 32 * bucket);
      reduce(rho);
      mont_mul(rho_m, rho, r2);
    }
    uint64_t x[4], y[4], z[4];
    load(x, a + 32 * i);
    load(y, b + 32 * i);
    reduce(x);
    reduce(y);
    if (op == UPDATE_ENCODE) {
      mont_mul(z, y, rho_m);
      add_mod(z, x, z);
    } else if (op == UPDATE_DECODE) {
      sub_mod(z, x, y);
      mont_mul(z, z, rho_m);
    } else {
      mont_mul(z, y, rho_m);
      sub_mod(z, x, z);
    }
    store(out + 32 * i, z);
  }
  return PETAL_OK;
}
