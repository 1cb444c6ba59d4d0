// acnn-block-constants: a constant whose every read is a vector of fb
// columns, or of a multiple of fb, at a column that is a multiple of its
// width is stored column block by column block ([cols / fb, rows..., fb]),
// so each register tile's operand is one contiguous stream. A conv filter
// read 32 output channels at a time from a [3, 3, 1024, 1024] layout touched
// a new 4 KiB page at every input channel (9216 pages a block, past the TLB
// and the prefetchers).
//
// Reads of several widths (a matmul's remainder rows take wider register
// tiles than its main rows, over the same weights) block at the narrowest if
// it is whole vectors and divides the others, which read one block at a
// time; a conv's narrow remainder channels (1 or 4 of them) leave its filter
// as it is.
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
/// at a column that is a multiple of its width; the narrowest width `fb`,
/// less than the columns, and where widths differ a multiple of the
/// target's `lanes` that divides every other (else nothing changes).
std::optional<int64_t> columnBlock(arith::ConstantOp cst, int64_t lanes) {
  auto type = cast<RankedTensorType>(cst.getType());
  const int64_t rank = type.getRank(), columns = type.getShape().back();
  SmallVector<int64_t> widths;
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
    widths.push_back(width);
  }
  if (widths.empty())
    return std::nullopt;
  const int64_t fb = *llvm::min_element(widths);
  const bool mixed = llvm::any_of(widths, [&](int64_t w) { return w != fb; });
  if (fb >= columns ||
      (mixed && (fb % lanes || llvm::any_of(widths, [&](int64_t w) { return w % fb; }))))
    return std::nullopt;
  return fb;
}

/// Replaces `cst` by its column blocks and rewrites its reads.
void block(arith::ConstantOp cst, int64_t fb) {
  std::optional<SmallVector<float>> data = constantData(cst.getResult());
  auto type = cast<RankedTensorType>(cst.getType());
  if (!data || static_cast<int64_t>(data->size()) != type.getNumElements())
    return;
  const int64_t columns = type.getShape().back(), rows = type.getNumElements() / columns;
  // Columns past the last whole block (a row's padding) are never read.
  const int64_t blocks = columns / fb;
  SmallVector<float> packed(blocks * rows * fb);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t r = 0; r < rows; ++r)
      std::copy_n(data->data() + r * columns + b * fb, fb, packed.data() + (b * rows + r) * fb);
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
    SmallVector<std::pair<arith::ConstantOp, int64_t>> todo;
    getOperation().walk([&](arith::ConstantOp cst) {
      auto type = dyn_cast<RankedTensorType>(cst.getType());
      if (!type || type.getRank() < 2 || !type.hasStaticShape() || !type.getElementType().isF32() ||
          isa<SplatElementsAttr>(cst.getValue()))
        return;
      if (std::optional<int64_t> fb = columnBlock(cst, target->lanes()))
        todo.push_back({cst, *fb});
    });
    for (auto [cst, fb] : todo)
      block(cst, fb);
  }
};

} // namespace
} // namespace acnn
