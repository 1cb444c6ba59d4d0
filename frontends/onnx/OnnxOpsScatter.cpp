// ScatterND. On known tensors it is evaluated at import (tables computed from
// constants). Into a computed tensor (or of computed updates), with known
// indices: what PyTorch exports for a slice assignment (`attn[:, :, 1:, 1:] =
// attn[:, :, 1:, 1:] + rel`, MViTv2's relative positions; `x[:, 0] = cls`),
// indices that enumerate a box of the data, becomes the data's slices around
// the updates, concatenated axis by axis, so the graph passes see plain data
// movement; any other indices become a gather of the updates into the data's
// shape and a select of it where the indices write (the reduction's op between
// data and updates first; a gather and select per update of the elements
// written most often).
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

#include <optional>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

/// Where a scatter writes: from `start` on, `size` elements along each of the
/// data's first axes (the rest whole).
struct Box {
  SmallVector<int64_t> start, size;
};

/// The box `indices` ([..., k] integers) covers when its leading axes are the
/// data's first k axes in order and the tuple at grid position p is start + p
/// (negative indices count from the end); nullopt for any other pattern.
std::optional<Box> boxOf(const KnownTensor &indices, ArrayRef<int64_t> dataShape) {
  ArrayRef<int64_t> grid = ArrayRef<int64_t>(indices.shape).drop_back();
  size_t k = indices.shape.back();
  if (grid.size() != k || k > dataShape.size() || product(grid) == 0)
    return std::nullopt;
  auto at = [&](int64_t tuple, size_t axis) {
    int64_t i = indices.ints[tuple * k + axis];
    return i < 0 ? i + dataShape[axis] : i;
  };
  Box box;
  for (size_t j = 0; j < k; ++j) {
    box.start.push_back(at(0, j));
    box.size.push_back(grid[j]);
    if (box.start[j] < 0 || box.start[j] + grid[j] > dataShape[j])
      return std::nullopt;
  }
  SmallVector<int64_t> strides = rowMajorStrides(grid);
  for (int64_t u = 0, n = product(grid); u < n; ++u)
    for (size_t j = 0; j < k; ++j)
      if (at(u, j) != box.start[j] + u / strides[j] % grid[j])
        return std::nullopt;
  return box;
}

/// The data with `box` replaced by `part` (the updates): from the box's last
/// axis out, the box so far between the data before and after it along that
/// axis, sliced to the box on the axes before it.
ChainValue assignBox(OpChain &chain, const ChainValue &data, ChainValue part, const Box &box,
                     ArrayRef<int64_t> dataShape) {
  int64_t rank = dataShape.size();
  for (int64_t j = box.size.size() - 1; j >= 0; --j) {
    SmallVector<int64_t> starts(rank, 0), ends(dataShape), steps(rank, 1);
    for (int64_t i = 0; i < j; ++i) {
      starts[i] = box.start[i];
      ends[i] = box.start[i] + box.size[i];
    }
    SmallVector<Value> parts;
    int64_t end = box.start[j] + box.size[j];
    if (box.start[j] > 0) {
      ends[j] = box.start[j];
      parts.push_back(chain.value(chain.slice(data, starts, ends, steps)));
    }
    parts.push_back(chain.value(part));
    if (end < dataShape[j]) {
      starts[j] = end;
      ends[j] = dataShape[j];
      parts.push_back(chain.value(chain.slice(data, starts, ends, steps)));
    }
    if (parts.size() > 1)
      part = chain.op<ConcatOp>(ValueRange(parts), j);
  }
  return part;
}

/// A reduction of data and updates: on known tensors, and as an acnn op.
struct Reduction {
  double (*known)(double, double);
  Value (*op)(OpChain &, Value, Value);
};

template <typename OpTy> Value combineWith(OpChain &chain, Value a, Value b) {
  return chain.op<OpTy>(a, b);
}

llvm::Error scatterND(NodeContext &ctx) {
  Expected<std::string> name = ctx.attrString("reduction", "none");
  if (!name)
    return name.takeError();
  static const llvm::StringMap<Reduction> reductions = {
      {"add", {[](double a, double b) { return a + b; }, combineWith<AddOp>}},
      {"mul", {[](double a, double b) { return a * b; }, combineWith<MulOp>}},
      {"max", {[](double a, double b) { return std::max(a, b); }, combineWith<MaxOp>}},
      {"min", {[](double a, double b) { return std::min(a, b); }, combineWith<MinOp>}}};
  const Reduction *reduction = nullptr;
  if (*name != "none") {
    auto it = reductions.find(*name);
    if (it == reductions.end())
      return ctx.fail("reduction '" + *name + "' is not supported");
    reduction = &it->second;
  }
  const KnownTensor &indices = *ctx.known(1);
  if (ctx.allKnown())
    return ctx.emitKnown(
        0,
        scatterNDKnown(*ctx.known(0), indices, *ctx.known(2),
                       reduction ? std::optional<FloatBinaryFn>(reduction->known) : std::nullopt));
  if (indices.isFloat || indices.shape.empty())
    return ctx.fail("indices must be integers of rank >= 1");
  ArrayRef<int64_t> dataShape = ctx.shape(0);
  const size_t k = indices.shape.back();
  if (k > dataShape.size())
    return ctx.fail("index tuples of " + llvm::Twine(k) + " values for data of rank " +
                    llvm::Twine(dataShape.size()));
  SmallVector<int64_t> updatesShape(ArrayRef<int64_t>(indices.shape).drop_back());
  llvm::append_range(updatesShape, dataShape.drop_front(k));
  if (ctx.shape(2) != ArrayRef<int64_t>(updatesShape))
    return ctx.fail("updates " + formatShape(ctx.shape(2)) + " should be " +
                    formatShape(updatesShape));
  OpChain chain(ctx);
  ChainValue data = chain.input(0), updates = chain.input(2);
  if (std::optional<Box> box = boxOf(indices, dataShape); box && !reduction)
    return chain.emit(chain.value(assignBox(chain, data, updates, *box, dataShape)));

  // The update elements each data element takes, in order: without a
  // reduction the last wins; with one, the r-th of each element is round r's
  // gather, combined into the result in turn.
  const int64_t block = product(dataShape.drop_front(k));
  SmallVector<int64_t> strides = rowMajorStrides(dataShape);
  std::vector<SmallVector<int64_t, 1>> sources(product(dataShape));
  for (int64_t u = 0, n = product(ArrayRef<int64_t>(indices.shape).drop_back()); u < n; ++u) {
    int64_t offset = 0;
    for (size_t j = 0; j < k; ++j) {
      int64_t i = indices.ints[u * k + j], extent = dataShape[j];
      if (i < -extent || i >= extent)
        return ctx.fail("index " + llvm::Twine(i) + " is out of range for extent " +
                        llvm::Twine(extent));
      offset += (i < 0 ? i + extent : i) * strides[j];
    }
    for (int64_t e = 0; e < block; ++e) {
      if (!reduction)
        sources[offset + e].clear();
      sources[offset + e].push_back(u * block + e);
    }
  }
  size_t rounds = 0;
  for (const auto &s : sources)
    rounds = std::max(rounds, s.size());
  Value flat = chain.value(chain.reshape(updates, {product(updatesShape)}));
  auto type = RankedTensorType::get(dataShape, ctx.builder().getI64Type());
  Value result = chain.value(data);
  for (size_t r = 0; r < rounds; ++r) {
    SmallVector<int64_t> source(sources.size(), 0);
    std::vector<float> written(sources.size(), 0.0f);
    for (size_t i = 0; i < sources.size(); ++i)
      if (r < sources[i].size()) {
        source[i] = sources[i][r];
        written[i] = 1.0f;
      }
    Value value = chain.op<GatherOp>(flat, DenseIntElementsAttr::get(type, ArrayRef(source)), 0);
    if (reduction)
      value = reduction->op(chain, result, value);
    Value mask = ctx.graph().constant(dataShape, written, ctx.loc());
    result = chain.op<WhereOp>(mask, value, result);
  }
  return chain.emit(result);
}

} // namespace

void registerScatterOps(OpTable &table) {
  addOp(table, "ScatterND", scatterND, 3, 3).opsets(11).known({1});
}

} // namespace acnn
