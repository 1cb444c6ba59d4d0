// acnn-block-constants: a constant whose every read is a vector of fb
// columns, or of a multiple of fb, at a column that is a multiple of its
// width is stored column block by column block ([cols / fb, rows..., fb]),
// so each register tile's operand is one contiguous stream. A conv filter
// read 32 output channels at a time from a [3, 3, 1024, 1024] layout touched
// a new 4 KiB page at every input channel (9216 pages a block, past the TLB
// and the prefetchers).
//
// Reads of several widths (a matmul's remainder rows take wider register
// tiles than its main rows, over the same weights) block at the narrowest
// that is whole vectors and divides the wider ones, which read one block at a
// time. Reads narrower than that (the remainder columns split off a register
// tile) read within one block, the last block partial where they need it: a
// 1000-class head on AVX-512 reads 992 columns 32 at a time and 8 apart, and
// left unblocked for the 8 it read its weights a 4 KB row per input channel
// at 2.3x the time blocked (EfficientNet-B0's 1280 -> 1000 Gemm, Zen 4).
#include "compiler/codegen/ConstantData.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace acnn {

#define GEN_PASS_DEF_BLOCKCONSTANTS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

bool isMultipleOf(Value v, int64_t fb, int depth = 0);

bool isMultipleOf(OpFoldResult r, int64_t fb, int depth) {
  if (std::optional<int64_t> c = getConstantIntValue(r))
    return *c % fb == 0;
  return isMultipleOf(cast<Value>(r), fb, depth);
}

bool isMultipleOf(AffineExpr e, ValueRange dims, ValueRange symbols, int64_t fb, int depth) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue() % fb == 0;
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return isMultipleOf(dims[d.getPosition()], fb, depth);
  if (auto s = dyn_cast<AffineSymbolExpr>(e))
    return isMultipleOf(symbols[s.getPosition()], fb, depth);
  auto bin = cast<AffineBinaryOpExpr>(e);
  auto lhs = [&] { return isMultipleOf(bin.getLHS(), dims, symbols, fb, depth); };
  auto rhs = [&] { return isMultipleOf(bin.getRHS(), dims, symbols, fb, depth); };
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return lhs() && rhs();
  case AffineExprKind::Mul:
    return lhs() || rhs();
  default: // floordiv, ceildiv, mod: not followed
    return false;
  }
}

/// Whether `v` is provably a multiple of `fb`: constants, loop induction
/// variables whose bounds and steps are, and sums and products of them.
bool isMultipleOf(Value v, int64_t fb, int depth) {
  if (depth > 16)
    return false;
  ++depth;
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c % fb == 0;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *parent = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(parent))
      return arg == loop.getInductionVar() && isMultipleOf(loop.getLowerBound(), fb, depth) &&
             isMultipleOf(loop.getStep(), fb, depth);
    if (auto loop = dyn_cast<scf::ForallOp>(parent)) {
      unsigned i = arg.getArgNumber();
      if (i >= loop.getRank())
        return false;
      return isMultipleOf(loop.getMixedLowerBound()[i], fb, depth) &&
             isMultipleOf(loop.getMixedStep()[i], fb, depth);
    }
    return false;
  }
  Operation *def = v.getDefiningOp();
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def)) {
    AffineMap map = apply.getAffineMap();
    return isMultipleOf(map.getResult(0), apply.getDimOperands(), apply.getSymbolOperands(), fb,
                        depth);
  }
  if (isa<arith::AddIOp, arith::SubIOp>(def))
    return isMultipleOf(def->getOperand(0), fb, depth) &&
           isMultipleOf(def->getOperand(1), fb, depth);
  if (isa<arith::MulIOp>(def))
    return isMultipleOf(def->getOperand(0), fb, depth) ||
           isMultipleOf(def->getOperand(1), fb, depth);
  return false;
}

/// The column block of `cst`'s reads: every user a vector.transfer_read,
/// unmasked, whose vector's last dim walks the tensor's last one, in bounds,
/// at a column that is a multiple of its width. All of one width `fb`, less
/// than the columns: blocks of fb. Of several widths: fb is the narrowest
/// that is whole vectors of the target's `lanes`, and divides every wider
/// one; a narrower read (a remainder split off a register tile: 1000
/// classes as 992 + 8 on AVX-512) must lie within one block, at a constant
/// column or at one that is a multiple of fb (else nothing changes).
struct ColumnBlock {
  int64_t fb;
  bool narrowReads; // some read is narrower than fb
};

std::optional<ColumnBlock> columnBlock(arith::ConstantOp cst, int64_t lanes) {
  auto type = cast<RankedTensorType>(cst.getType());
  const int64_t rank = type.getRank(), columns = type.getShape().back();
  SmallVector<std::pair<int64_t, Value>> reads; // width, column
  for (Operation *user : cst->getUsers()) {
    auto read = dyn_cast<vector::TransferReadOp>(user);
    if (!read || read.getBase() != cst.getResult() || read.getMask())
      return std::nullopt;
    AffineMap map = read.getPermutationMap();
    auto last = map.getNumResults() ? dyn_cast<AffineDimExpr>(map.getResults().back()) : nullptr;
    if (!last || last.getPosition() != rank - 1 || !read.isDimInBounds(map.getNumResults() - 1))
      return std::nullopt;
    const int64_t width = read.getVectorType().getShape().back();
    if (!isMultipleOf(read.getIndices().back(), width))
      return std::nullopt;
    reads.push_back({width, read.getIndices().back()});
  }
  if (reads.empty())
    return std::nullopt;
  auto widths = llvm::make_first_range(reads);
  int64_t fb = *llvm::min_element(widths);
  if (llvm::any_of(widths, [&](int64_t w) { return w != fb; })) {
    std::optional<int64_t> whole;
    for (int64_t w : widths)
      if (w % lanes == 0 && (!whole || w < *whole))
        whole = w;
    if (!whole)
      return std::nullopt;
    fb = *whole;
  }
  if (fb >= columns)
    return std::nullopt;
  bool narrowReads = false;
  for (auto [width, column] : reads) {
    if (width >= fb) {
      if (width % fb)
        return std::nullopt;
      continue;
    }
    narrowReads = true;
    std::optional<int64_t> c = getConstantIntValue(column);
    if (c ? *c % fb + width > fb : !isMultipleOf(column, fb))
      return std::nullopt;
  }
  return ColumnBlock{fb, narrowReads};
}

/// Replaces `cst` by its column blocks and rewrites its reads.
void block(arith::ConstantOp cst, ColumnBlock layout) {
  const int64_t fb = layout.fb;
  std::optional<SmallVector<float>> data = constantData(cst.getResult());
  auto type = cast<RankedTensorType>(cst.getType());
  if (!data || static_cast<int64_t>(data->size()) != type.getNumElements())
    return;
  const int64_t columns = type.getShape().back(), rows = type.getNumElements() / columns;
  // Columns past the last whole block are a row's padding, never read,
  // unless a narrow read reads them: then the last block is partial, its
  // missing columns zeros.
  const int64_t blocks = layout.narrowReads ? llvm::divideCeil(columns, fb) : columns / fb;
  SmallVector<float> packed(blocks * rows * fb, 0.0f);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t r = 0; r < rows; ++r)
      std::copy_n(data->data() + r * columns + b * fb, std::min(fb, columns - b * fb),
                  packed.data() + (b * rows + r) * fb);
  SmallVector<int64_t> shape = {blocks};
  llvm::append_range(shape, type.getShape().drop_back());
  shape.push_back(fb);
  auto packedType = RankedTensorType::get(shape, type.getElementType());
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(packed));
  auto attr = DenseF32ResourceElementsAttr::get(packedType, "acnn_blocked", std::move(blob));
  OpBuilder b(cst);
  auto blocked = arith::ConstantOp::create(b, cst.getLoc(), packedType, cast<TypedAttr>(attr));

  MLIRContext *ctx = cst.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx);
  for (Operation *user : llvm::make_early_inc_range(cst->getUsers())) {
    auto read = cast<vector::TransferReadOp>(user);
    b.setInsertionPoint(read);
    Location loc = read.getLoc();
    OpFoldResult column = read.getIndices().back();
    // The block's axis is new and outermost: every map result moves up one.
    AffineMap map = read.getPermutationMap().shiftDims(1);
    VectorType type = read.getVectorType();
    if (type.getShape().back() < fb) {
      // A narrow read lies within its block, at the column's offset there.
      auto at = [&](AffineExpr e) {
        return getValueOrCreateConstantIndexOp(
            b, loc, affine::makeComposedFoldedAffineApply(b, loc, e, ArrayRef{column}));
      };
      SmallVector<Value> indices = {at(d0.floorDiv(fb))};
      llvm::append_range(indices, read.getIndices().drop_back());
      indices.push_back(at(d0 % fb));
      Value piece = vector::TransferReadOp::create(b, loc, type, blocked, indices,
                                                   AffineMapAttr::get(map), read.getPadding(),
                                                   /*mask=*/Value(), read.getInBoundsAttr());
      read.replaceAllUsesWith(piece);
      read.erase();
      continue;
    }
    SmallVector<int64_t> pieceShape(type.getShape());
    pieceShape.back() = fb;
    auto pieceType = VectorType::get(pieceShape, type.getElementType());
    // One read a block the vector spans, put side by side.
    const int64_t pieces = type.getShape().back() / fb;
    Value result =
        pieces > 1 ? arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type)) : Value();
    for (int64_t i = 0; i < pieces; ++i) {
      Value blockIndex = getValueOrCreateConstantIndexOp(
          b, loc,
          affine::makeComposedFoldedAffineApply(b, loc, (d0 + i * fb).floorDiv(fb),
                                                ArrayRef{column}));
      SmallVector<Value> indices = {blockIndex};
      llvm::append_range(indices, read.getIndices().drop_back());
      indices.push_back(arith::ConstantIndexOp::create(b, loc, 0));
      Value piece = vector::TransferReadOp::create(b, loc, pieceType, blocked, indices,
                                                   AffineMapAttr::get(map), read.getPadding(),
                                                   /*mask=*/Value(), read.getInBoundsAttr());
      if (pieces == 1) {
        result = piece;
        break;
      }
      SmallVector<int64_t> offsets(pieceShape.size(), 0), strides(pieceShape.size(), 1);
      offsets.back() = i * fb;
      result = vector::InsertStridedSliceOp::create(b, loc, piece, result, offsets, strides);
    }
    read.replaceAllUsesWith(result);
    read.erase();
  }
  cst.erase();
}

struct BlockConstants : impl::BlockConstantsBase<BlockConstants> {
  void runOnOperation() override {
    FailureOr<ScheduleTarget> target = ScheduleTarget::of(getOperation(), "");
    if (failed(target))
      return signalPassFailure();
    SmallVector<std::pair<arith::ConstantOp, ColumnBlock>> todo;
    getOperation().walk([&](arith::ConstantOp cst) {
      auto type = dyn_cast<RankedTensorType>(cst.getType());
      if (!type || type.getRank() < 2 || !type.hasStaticShape() || !type.getElementType().isF32() ||
          isa<SplatElementsAttr>(cst.getValue()))
        return;
      if (std::optional<ColumnBlock> layout = columnBlock(cst, target->lanes()))
        todo.push_back({cst, *layout});
    });
    for (auto [cst, layout] : todo)
      block(cst, layout);
  }
};

} // namespace
} // namespace acnn
