#ifndef ACNN_COMPILER_CODEGEN_ARENAPLAN_H
#define ACNN_COMPILER_CODEGEN_ARENAPLAN_H

// Offsets in one arena for buffers of known sizes and live ranges, such that
// buffers live at the same time never overlap.

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace acnn {

/// `bytes` live from step `first` to step `last`, both included.
struct ArenaBuffer {
  int64_t bytes, first, last;
};

struct ArenaPlan {
  llvm::SmallVector<int64_t> offsets; // one per buffer, in order
  int64_t bytes = 0;                  // the arena's size
};

/// Greedy: buffers placed one by one, each at the lowest offset (a multiple
/// of `alignment`) clear of every placed buffer live at the same time; the
/// smaller of two orders. Largest first packs a few big activations tightly
/// and lets the many small ones fill the gaps; in order of first use does
/// better where big buffers follow one another along a chain of layers.
ArenaPlan planArena(llvm::ArrayRef<ArenaBuffer> buffers, int64_t alignment);

} // namespace acnn

#endif
