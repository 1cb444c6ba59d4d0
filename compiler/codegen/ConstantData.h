#ifndef ACNN_COMPILER_CODEGEN_CONSTANTDATA_H
#define ACNN_COMPILER_CODEGEN_CONSTANTDATA_H
// The data of constant weights, which codegen passes store in other layouts
// at compile time.
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace acnn {

/// The elements of `v` when it is an f32 constant whose data can be read (a
/// dense attribute, splat or not, or a dense resource), in row-major order.
std::optional<llvm::SmallVector<float>> constantData(mlir::Value v);

} // namespace acnn

#endif
