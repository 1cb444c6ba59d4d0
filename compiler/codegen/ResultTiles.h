#ifndef ACNN_COMPILER_CODEGEN_RESULTTILES_H
#define ACNN_COMPILER_CODEGEN_RESULTTILES_H
// Chains of ops computed a tile at a time: each op of a chain recomputed for
// one tile of its result, reading the tile its producer made for it instead
// of a slice of the producer's whole result.
#include "mlir/IR/Builders.h"
#include "mlir/Support/LogicalResult.h"

#include <utility>

namespace acnn {

/// The tile [offsets, sizes) of result 0 of `op` (a TilingInterface op),
/// computed by a tiled clone of `op` at `b`'s insertion point. Where the
/// clone reads a slice of a value `from` in `replaced`, it reads the paired
/// value `to` instead (the tile of `from` already computed for this one).
mlir::FailureOr<mlir::Value>
tileOfResult(mlir::OpBuilder &b, mlir::Operation *op, llvm::ArrayRef<mlir::OpFoldResult> offsets,
             llvm::ArrayRef<mlir::OpFoldResult> sizes,
             llvm::ArrayRef<std::pair<mlir::Value, mlir::Value>> replaced);

} // namespace acnn

#endif
