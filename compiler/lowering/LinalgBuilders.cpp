#include "compiler/lowering/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;

namespace acnn {

RankedTensorType f32TensorType(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

Value f32Constant(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(float(value)));
}

Value ScalarBuilder::constant(double value) const { return f32Constant(b, loc, value); }
Value ScalarBuilder::add(Value x, Value y) const { return arith::AddFOp::create(b, loc, x, y); }
Value ScalarBuilder::sub(Value x, Value y) const { return arith::SubFOp::create(b, loc, x, y); }
Value ScalarBuilder::mul(Value x, Value y) const { return arith::MulFOp::create(b, loc, x, y); }
Value ScalarBuilder::div(Value x, Value y) const { return arith::DivFOp::create(b, loc, x, y); }
Value ScalarBuilder::max(Value x, Value y) const { return arith::MaximumFOp::create(b, loc, x, y); }
Value ScalarBuilder::maxNum(Value x, Value y) const {
  return arith::MaxNumFOp::create(b, loc, x, y);
}
Value ScalarBuilder::min(Value x, Value y) const { return arith::MinimumFOp::create(b, loc, x, y); }
Value ScalarBuilder::exp(Value x) const { return math::ExpOp::create(b, loc, x); }
Value ScalarBuilder::sqrt(Value x) const { return math::SqrtOp::create(b, loc, x); }
Value ScalarBuilder::logistic(Value numerator, Value x) const {
  // e^t, t = -x, as 2^n e^r: n = round(t / ln 2), r = t - n ln 2 in two
  // parts (n ln2High exact), e^r by its Taylor polynomial of degree 7 (|r| <=
  // ln 2 / 2: error below 2^-27), 2^n put in the exponent bits. 21 vector
  // ops with the division, where math.exp's expansion took 31 (its clamps
  // and range checks): SiLU was a fifth of EfficientNet's time, and most of
  // its depthwise convs'. t is clamped to [-88, 88] (NaN passes and
  // propagates through r), so n is in [-127, 127] and 1 + e^t finite; 2^-127
  // comes out as 0. n is rounded by adding 1.5 x 2^23, whose last bits then
  // hold it. Constants are made in a fixed order, as in clamp.
  Value t = clamp(arith::NegFOp::create(b, loc, x), -88.0, 88.0);
  constexpr float kRound = 12582912.0f; // 1.5 x 2^23
  auto fma = [&](Value p, Value q, Value r) { return math::FmaOp::create(b, loc, p, q, r); };
  Value log2e = constant(M_LOG2E), round = constant(kRound);
  Value shifted = fma(t, log2e, round);
  Value n = sub(shifted, round);
  constexpr double kLn2High = 0.693359375, kLn2Low = M_LN2 - kLn2High;
  Value ln2High = constant(-kLn2High), ln2Low = constant(-kLn2Low);
  Value r = fma(n, ln2Low, fma(n, ln2High, t));
  Value p = constant(1.0 / 5040.0);
  for (double factorial : {720.0, 120.0, 24.0, 6.0, 2.0, 1.0, 1.0}) {
    Value c = constant(1.0 / factorial);
    p = fma(p, r, c);
  }
  Type i32 = b.getI32Type();
  Value bits = arith::BitcastOp::create(b, loc, i32, shifted);
  Value bias =
      arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(127 - llvm::bit_cast<int32_t>(kRound)));
  Value exponent = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(23));
  Value twoToN = arith::BitcastOp::create(
      b, loc, b.getF32Type(),
      arith::ShLIOp::create(b, loc, arith::AddIOp::create(b, loc, bits, bias), exponent));
  Value one = constant(1.0);
  return div(numerator, add(one, mul(p, twoToN)));
}
Value ScalarBuilder::clamp(Value x, double lo, double hi) const {
  // Constants made first, in a fixed order (not the compiler's order of
  // evaluating arguments).
  Value high = constant(hi), low = constant(lo);
  return min(max(x, low), high);
}

Value activationScalar(const ScalarBuilder &s, StringRef activation, Value x) {
  if (activation == "relu")
    return s.max(x, s.constant(0.0));
  if (activation == "relu6")
    return s.clamp(x, 0.0, 6.0);
  if (activation == "sigmoid")
    return s.logistic(s.constant(1.0), x);
  if (activation == "tanh")
    return math::TanhOp::create(s.b, s.loc, x);
  if (activation == "silu")
    return s.logistic(x, x);
  if (activation == "gelu" || activation == "gelu_tanh") {
    Value phi;
    if (activation == "gelu_tanh") {
      Value cube = s.mul(s.mul(x, x), x);
      Value inner =
          s.mul(s.constant(std::sqrt(2.0 / M_PI)), s.add(x, s.mul(s.constant(0.044715), cube)));
      phi = math::TanhOp::create(s.b, s.loc, inner);
    } else {
      phi = math::ErfOp::create(s.b, s.loc, s.mul(x, s.constant(M_SQRT1_2)));
    }
    return s.mul(s.mul(s.constant(0.5), x), s.add(s.constant(1.0), phi));
  }
  if (activation == "hard_swish")
    return s.div(s.mul(x, s.clamp(s.add(x, s.constant(3.0)), 0.0, 6.0)), s.constant(6.0));
  return x;
}

Value buildEpilogue(OpBuilder &b, Location loc, Value result, Value residual,
                    StringRef activation) {
  if (!residual && activation == "none")
    return result;
  auto type = llvm::cast<RankedTensorType>(result.getType());
  SmallVector<Value> inputs = {result};
  if (residual)
    inputs.push_back(residual);
  return buildBroadcastParallel(b, loc, type, inputs, [&](OpBuilder &nb, Location l, ValueRange x) {
    ScalarBuilder s{nb, l};
    Value v = residual ? s.add(x[0], x[1]) : x[0];
    return activationScalar(s, activation, v);
  });
}

Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, ValueRange{f32Constant(b, loc, value)}, ValueRange{empty})
      .getResult(0);
}

Value accumulatorInit(OpBuilder &b, Location loc, Value bias, ArrayRef<int64_t> shape,
                      ArrayRef<int64_t> broadcastDims) {
  if (!bias)
    return filledTensor(b, loc, shape, 0.0);
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  return linalg::BroadcastOp::create(b, loc, bias, empty, broadcastDims).getResult()[0];
}

BroadcastOperand broadcastOperand(OpBuilder &b, Location loc, Value operand,
                                  ArrayRef<int64_t> loopShape) {
  ArrayRef<int64_t> shape = llvm::cast<RankedTensorType>(operand.getType()).getShape();
  const size_t lead = loopShape.size() - shape.size();
  SmallVector<int64_t> kept;
  SmallVector<AffineExpr> results;
  for (auto [i, extent] : llvm::enumerate(shape)) {
    if (extent == 1 && loopShape[lead + i] != 1)
      continue;
    kept.push_back(extent);
    results.push_back(b.getAffineDimExpr(lead + i));
  }
  return {reshapeTo(b, loc, operand, kept),
          AffineMap::get(loopShape.size(), 0, results, b.getContext())};
}

AffineMap keptDimsMap(MLIRContext *ctx, ArrayRef<bool> dropped) {
  SmallVector<AffineExpr> results;
  for (auto [i, drop] : llvm::enumerate(dropped))
    if (!drop)
      results.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(dropped.size(), 0, results, ctx);
}

/// The generic every builder below produces: `body` becomes its region,
/// yielding one value.
static Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                          ArrayRef<AffineMap> inputMaps, AffineMap outputMap,
                          ArrayRef<utils::IteratorType> iterators, ScalarBody body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value buildParallel(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                    ArrayRef<AffineMap> maps, ScalarBody body) {
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), b.getF32Type());
  unsigned rank = resultType.getRank();
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return buildGeneric(b, loc, inputs, init, maps,
                      AffineMap::getMultiDimIdentityMap(rank, b.getContext()), iterators, body);
}

Value buildBroadcastParallel(OpBuilder &b, Location loc, RankedTensorType resultType,
                             ValueRange inputs, ScalarBody body) {
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    BroadcastOperand operand = broadcastOperand(b, loc, input, resultType.getShape());
    operands.push_back(operand.value);
    maps.push_back(operand.map);
  }
  return buildParallel(b, loc, resultType, operands, maps, body);
}

Value buildReduction(OpBuilder &b, Location loc, ArrayRef<int64_t> loopShape,
                     ArrayRef<bool> reduced, ValueRange inputs, ArrayRef<AffineMap> maps,
                     double init, ScalarBody body) {
  SmallVector<int64_t> kept;
  SmallVector<utils::IteratorType> iterators;
  for (auto [extent, isReduced] : llvm::zip_equal(loopShape, reduced)) {
    if (!isReduced)
      kept.push_back(extent);
    iterators.push_back(isReduced ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  }
  return buildGeneric(b, loc, inputs, filledTensor(b, loc, kept, init), maps,
                      keptDimsMap(b.getContext(), reduced), iterators, body);
}

Value reduceInnermost(OpBuilder &b, Location loc, Value x, ValueRange rowInputs, Value init,
                      double neutral, ScalarBody step, ScalarBody merge) {
  ArrayRef<int64_t> shape = llvm::cast<RankedTensorType>(x.getType()).getShape();
  MLIRContext *ctx = b.getContext();
  const unsigned rank = shape.size();
  const int64_t width = shape.back();
  // 16 or 8 lanes where they divide the row; else, once a row holds two
  // vectors of 16, 16 lanes and whatever is left over (a 196-token row: 12
  // vectors and 4) a tail added into the first lanes; else 4 lanes where
  // they divide it. A tail step costs more than 8-lane vectors save.
  constexpr int64_t kWideLanes = 16;
  int64_t lanes = 1;
  for (int64_t l : {16, 8})
    if (lanes == 1 && width % l == 0 && width > l)
      lanes = l;
  if (lanes == 1 && width >= 2 * kWideLanes)
    lanes = kWideLanes;
  if (lanes == 1 && width % 4 == 0 && width > 4)
    lanes = 4;
  const int64_t tail = width % lanes, whole = width - tail;
  // Maps over `loops` loops reading the rows (the first rank - 1 loops),
  // plus the loop `extra` if given.
  auto rowsMap = [&](unsigned loops, std::optional<unsigned> extra) {
    SmallVector<unsigned> dims = llvm::to_vector(llvm::seq<unsigned>(0, rank - 1));
    if (extra)
      dims.push_back(*extra);
    return loopsMap(ctx, loops, dims);
  };
  // `in` combined into `into` by `body`, reducing along the row (loop
  // rank - 1) unless `alongRow` is false.
  auto reduceInto = [&](Value in, ValueRange rows, Value into, unsigned loops,
                        std::optional<unsigned> lane, ScalarBody body, bool alongRow = true) {
    SmallVector<Value> inputs = {in};
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(loops, ctx)};
    for (Value row : rows) {
      inputs.push_back(row);
      maps.push_back(rowsMap(loops, std::nullopt));
    }
    maps.push_back(rowsMap(loops, lane));
    SmallVector<bool> reduced(loops, false);
    reduced[rank - 1] = alongRow;
    return buildGeneric(b, loc, inputs, into, maps, iteratorKinds(reduced), body);
  };
  if (lanes == 1)
    return reduceInto(x, rowInputs, init, rank, std::nullopt, step);
  // The slice of `of` that keeps every axis but the last, `size` long from `offset`.
  auto lastAxisSlice = [&](Value of, int64_t offset, int64_t size) {
    ArrayRef<int64_t> full = llvm::cast<RankedTensorType>(of.getType()).getShape();
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes,
        strides(rank, b.getIndexAttr(1));
    for (int64_t extent : full.drop_back())
      sizes.push_back(b.getIndexAttr(extent));
    offsets.back() = b.getIndexAttr(offset);
    sizes.push_back(b.getIndexAttr(size));
    return std::make_tuple(offsets, sizes, strides);
  };
  auto slice = [&](Value of, int64_t offset, int64_t size) -> Value {
    auto [offsets, sizes, strides] = lastAxisSlice(of, offset, size);
    return tensor::ExtractSliceOp::create(b, loc, of, offsets, sizes, strides);
  };
  SmallVector<int64_t> split(shape.drop_back());
  split.append({whole / lanes, lanes});
  SmallVector<int64_t> partialShape(shape.drop_back());
  partialShape.push_back(lanes);
  Value partial = reduceInto(reshapeTo(b, loc, tail ? slice(x, 0, whole) : x, split), rowInputs,
                             filledTensor(b, loc, partialShape, neutral), rank + 1, rank, step);
  if (tail) {
    // The tail's elements, each into a lane of its own: element-wise.
    Value rest = slice(x, whole, tail), lanesOfRest = slice(partial, 0, tail);
    Value added =
        reduceInto(rest, rowInputs, lanesOfRest, rank, rank - 1, step, /*alongRow=*/false);
    auto [offsets, sizes, strides] = lastAxisSlice(partial, 0, tail);
    partial = tensor::InsertSliceOp::create(b, loc, added, partial, offsets, sizes, strides);
  }
  return reduceInto(partial, {}, init, rank, std::nullopt, merge);
}

Value divideBy(OpBuilder &b, Location loc, Value value, double divisor) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  return buildBroadcastParallel(b, loc, type, value,
                                [&](OpBuilder &nb, Location l, ValueRange args) {
                                  ScalarBuilder s{nb, l};
                                  return s.div(args[0], s.constant(divisor));
                                });
}

Value reshapeTo(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> shape) {
  auto source = llvm::cast<RankedTensorType>(value.getType());
  RankedTensorType target = source.clone(shape);
  if (source == target)
    return value;
  auto regroup = [&](Value v, RankedTensorType to, ArrayRef<ReassociationIndices> groups) -> Value {
    auto from = llvm::cast<RankedTensorType>(v.getType());
    if (from.getRank() > to.getRank())
      return tensor::CollapseShapeOp::create(b, loc, to, v, groups);
    return tensor::ExpandShapeOp::create(b, loc, to, v, groups);
  };
  if (source.getRank() != target.getRank())
    if (std::optional<SmallVector<ReassociationIndices>> groups =
            getReassociationIndicesForReshape(source, target))
      return regroup(value, target, *groups);
  // No grouping relates the two shapes (e.g. [2, 3] -> [3, 2]): go through 1-D.
  RankedTensorType flat = source.clone({source.getNumElements()});
  auto whole = [](int64_t rank) {
    SmallVector<ReassociationIndices> groups;
    if (rank > 0)
      groups.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    return groups;
  };
  Value flattened = source.getRank() == 1 ? value : regroup(value, flat, whole(source.getRank()));
  return target.getRank() == 1 ? flattened : regroup(flattened, target, whole(target.getRank()));
}

AffineMap loopsMap(MLIRContext *ctx, unsigned loops, ArrayRef<unsigned> which) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : which)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(loops, 0, exprs, ctx);
}

SmallVector<utils::IteratorType> iteratorKinds(ArrayRef<bool> reduced) {
  return llvm::to_vector(llvm::map_range(reduced, [](bool r) {
    return r ? utils::IteratorType::reduction : utils::IteratorType::parallel;
  }));
}

Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                   ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
                   ScalarBody body) {
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
                                   maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, body(nb, l, args));
                                   })
      .getResult(0);
}

} // namespace acnn
