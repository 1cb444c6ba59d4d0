#ifndef ACNN_FRONTENDS_TEXT_WEIGHTSOURCE_H
#define ACNN_FRONTENDS_TEXT_WEIGHTSOURCE_H

// Where a hand-described model's weights come from: a .safetensors file, or
// values drawn from a seeded generator.

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace acnn {

class WeightSource {
public:
  virtual ~WeightSource() = default;
  /// The weight `name`, whose shape must be `shape`; an error names the
  /// weight and the reason (missing, wrong shape, unsupported dtype).
  virtual llvm::Expected<std::vector<float>> get(llvm::StringRef name,
                                                 llvm::ArrayRef<int64_t> shape) = 0;
};

/// Reads a .safetensors file (F32, F16, BF16 and F64 tensors are converted to f32).
llvm::Expected<std::unique_ptr<WeightSource>> openSafetensors(llvm::StringRef path);

/// Deterministic weights: uniform in +-1/sqrt(fan_in) (fan_in = product of all
/// dims but the first), drawn from a generator seeded with `seed` and the name,
/// so adding a weight does not change the others.
std::unique_ptr<WeightSource> seededWeights(uint64_t seed);

} // namespace acnn

#endif
