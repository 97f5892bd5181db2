/* prelude.h: prepended to every kernel source so one file compiles as OpenCL C 1.2 and as CUDA C
   (NVRTC). It also holds the counter-based generator, identical to Random/CounterRng.cs. */
#ifdef __OPENCL_VERSION__
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
/* Sums must be plain IEEE adds in the canonical order on every backend. */
#pragma OPENCL FP_CONTRACT OFF
#define KERNEL __kernel
#define GLOBAL __global
#define GLOBAL_ID ((ulong)get_global_id(0))
#define GLOBAL_SIZE ((ulong)get_global_size(0))
#define INLINE inline
typedef ulong u64;
typedef uint u32;
typedef long i64;
#else
#define KERNEL extern "C" __global__
#define GLOBAL
#define GLOBAL_ID ((u64)blockIdx.x * blockDim.x + threadIdx.x)
#define GLOBAL_SIZE ((u64)gridDim.x * blockDim.x)
#define INLINE __device__ __forceinline__
typedef unsigned long long u64;
typedef unsigned int u32;
typedef long long i64;
#endif

INLINE u64 mix64(u64 x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9UL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBUL;
    return x ^ (x >> 31);
}

INLINE u32 mix32(u32 x)
{
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    return x ^ (x >> 16);
}

/* The two keys of resample r of (seed, stream). */
INLINE u64 resample_key(u64 seed, u64 stream, u64 r)
{
    return mix64(seed ^ mix64(stream + 0x632BE59BD9B4E019UL) ^ mix64(r + 0x8CB92BA72F3D8DD7UL));
}

INLINE u32 word32(u32 k1, u32 k2, u32 index)
{
    return mix32(mix32(k1 + index * 0x9E3779B9u) ^ k2);
}

/* Bootstrap draws: one round over the keyed Weyl sequence (CounterRng.DrawWord). */
INLINE u32 draw32(u32 k1, u32 k2, u32 index)
{
    return mix32((k1 + index * 0x9E3779B9u) ^ k2);
}

INLINE u32 below(u32 word, u32 n)
{
    return (u32)(((u64)word * n) >> 32);
}
