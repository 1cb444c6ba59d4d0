#ifndef ACNN_COMPILER_CODEGEN_CHANNELPOOLS_H
#define ACNN_COMPILER_CODEGEN_CHANNELPOOLS_H
// Pools over H and W of an NHWC map (squeeze-excite's mean, CBAM's mean and
// max), computed a block of rows at a time inside the loop that makes the
// map: each block pools into its own row of partial results, which are
// merged after the loop.
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace acnn {

/// A generic reducing [N, H, W, C] `z` over H and W into [N, C] with one
/// associative, commutative op, from the neutral value `identity`.
struct ChannelPool {
  mlir::linalg::GenericOp op;
  mlir::Value identity;
};

std::optional<ChannelPool> asChannelPool(mlir::linalg::GenericOp op, mlir::Value z);

/// The pools of `z` among its readers, in the order they come.
llvm::SmallVector<ChannelPool> channelPoolsOf(mlir::Value z);

/// [N, blocks, C] partial results, each the pool's identity.
mlir::Value partialPools(mlir::OpBuilder &b, mlir::Location loc, ChannelPool pool, int64_t blocks);

/// `pool` of `block` (a block of rows of its map) into `init` ([N, C]).
mlir::Value poolBlock(mlir::OpBuilder &b, ChannelPool pool, mlir::Value block, mlir::Value init);

/// Replaces `pool` by the merge over blocks of `partials` ([N, blocks, C]).
void mergePartialPools(ChannelPool pool, mlir::Value partials);

} // namespace acnn

#endif
