#ifndef ACNN_COMPILER_CODEGEN_RESULTTILES_H
#define ACNN_COMPILER_CODEGEN_RESULTTILES_H
// Chains of ops computed a tile at a time: each op of a chain recomputed for
// one tile of its result, reading the tile its producer made for it instead
// of a slice of the producer's whole result.
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LogicalResult.h"

#include <optional>
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

/// An NHWC conv (depthwise or not) on tensors, the op starting its
/// accumulator and the element-wise generic reading its result, computed
/// together a tile of rows at a time.
struct ConvChain {
  mlir::linalg::LinalgOp conv;
  /// A bias broadcast or fill that only the conv reads, all-parallel and not
  /// reading its own init; null where the accumulator starts otherwise.
  mlir::linalg::LinalgOp start;
  /// Null where the conv's result is `z` itself.
  mlir::linalg::GenericOp epilogue;
};

/// The chain producing `z`: an NHWC conv's result, or that of an element-wise
/// generic (identity maps, the conv's result its only conv input, read by
/// nothing else) reading it.
std::optional<ConvChain> convChainProducing(mlir::Value z);

/// The map `conv`'s chain would end in: the result of the generic that alone
/// reads `conv`'s result, else that result itself.
mlir::Value convChainEnd(mlir::Operation *conv);

} // namespace acnn

#endif
