#include "compiler/codegen/ArenaPlan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace acnn {

namespace {

/// Places the buffers one by one in `order`, each at the lowest aligned
/// offset clear of the placed buffers live at the same time.
ArenaPlan placeInOrder(llvm::ArrayRef<ArenaBuffer> buffers, llvm::ArrayRef<size_t> order,
                       int64_t alignment) {
  ArenaPlan plan;
  plan.offsets.assign(buffers.size(), 0);
  llvm::SmallVector<size_t> placed;
  for (size_t i : order) {
    const ArenaBuffer &buffer = buffers[i];
    // Address ranges [begin, end) of the placed buffers live along with it.
    llvm::SmallVector<std::pair<int64_t, int64_t>> taken;
    for (size_t j : placed)
      if (buffers[j].first <= buffer.last && buffer.first <= buffers[j].last)
        taken.push_back({plan.offsets[j], plan.offsets[j] + buffers[j].bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + buffer.bytes <= begin)
        break;
      offset = std::max(offset, int64_t(llvm::alignTo(end, alignment)));
    }
    plan.offsets[i] = offset;
    plan.bytes = std::max(plan.bytes, offset + buffer.bytes);
    placed.push_back(i);
  }
  return plan;
}

} // namespace

ArenaPlan planArena(llvm::ArrayRef<ArenaBuffer> buffers, int64_t alignment) {
  auto bySize = llvm::to_vector(llvm::seq<size_t>(0, buffers.size()));
  llvm::stable_sort(bySize,
                    [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  auto byStart = llvm::to_vector(llvm::seq<size_t>(0, buffers.size()));
  llvm::stable_sort(byStart,
                    [&](size_t a, size_t b) { return buffers[a].first < buffers[b].first; });
  ArenaPlan sized = placeInOrder(buffers, bySize, alignment);
  ArenaPlan started = placeInOrder(buffers, byStart, alignment);
  return started.bytes < sized.bytes ? started : sized;
}

} // namespace acnn
