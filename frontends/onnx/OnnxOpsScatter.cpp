// ScatterND. On known tensors it is evaluated at import (tables computed from
// constants). On a computed tensor, it is what PyTorch exports for a slice
// assignment (`attn[:, :, 1:, 1:] = attn[:, :, 1:, 1:] + rel`, MViTv2's
// relative positions; `x[:, 0] = cls`): known indices that enumerate a box of
// the data, which becomes the data's slices around the updates, concatenated
// axis by axis, so the graph passes see plain data movement.
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

llvm::Error scatterND(NodeContext &ctx) {
  Expected<std::string> reduction = ctx.attrString("reduction", "none");
  if (!reduction)
    return reduction.takeError();
  static const llvm::StringMap<double (*)(double, double)> combines = {
      {"add", [](double a, double b) { return a + b; }},
      {"mul", [](double a, double b) { return a * b; }},
      {"max", [](double a, double b) { return std::max(a, b); }},
      {"min", [](double a, double b) { return std::min(a, b); }}};
  std::optional<FloatBinaryFn> combine;
  if (*reduction != "none") {
    auto it = combines.find(*reduction);
    if (it == combines.end())
      return ctx.fail("reduction '" + *reduction + "' is not supported");
    combine = it->second;
  }
  const KnownTensor &indices = *ctx.known(1);
  if (ctx.allKnown())
    return ctx.emitKnown(0, scatterNDKnown(*ctx.known(0), indices, *ctx.known(2), combine));
  if (indices.isFloat || indices.shape.empty())
    return ctx.fail("indices must be integers of rank >= 1");
  if (combine)
    return ctx.fail("reduction '" + *reduction + "' into a computed tensor is not supported");
  ArrayRef<int64_t> dataShape = ctx.shape(0);
  std::optional<Box> box = boxOf(indices, dataShape);
  if (!box)
    return ctx.fail("into a computed tensor, only a slice assignment is supported: indices " +
                    formatShape(indices.shape) +
                    " must enumerate a box of the data in order, one index per axis");
  SmallVector<int64_t> updatesShape(box->size);
  llvm::append_range(updatesShape, dataShape.drop_front(box->size.size()));
  if (ctx.shape(2) != ArrayRef<int64_t>(updatesShape))
    return ctx.fail("updates " + formatShape(ctx.shape(2)) + " should be " +
                    formatShape(updatesShape));

  // From the box's last axis out: the box so far between the data before and
  // after it along that axis, sliced to the box on the axes before it.
  OpChain chain(ctx);
  ChainValue data = chain.input(0), part = chain.input(2);
  int64_t rank = dataShape.size();
  for (int64_t j = box->size.size() - 1; j >= 0; --j) {
    SmallVector<int64_t> starts(rank, 0), ends(dataShape), steps(rank, 1);
    for (int64_t i = 0; i < j; ++i) {
      starts[i] = box->start[i];
      ends[i] = box->start[i] + box->size[i];
    }
    SmallVector<Value> parts;
    int64_t end = box->start[j] + box->size[j];
    if (box->start[j] > 0) {
      ends[j] = box->start[j];
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
  return chain.emit(chain.value(part));
}

} // namespace

void registerScatterOps(OpTable &table) {
  addOp(table, "ScatterND", scatterND, 3, 3)
      .opsets(11)
      .known({1})
      .note("into a computed tensor, only a slice assignment (indices enumerating a box of "
            "it) without reduction");
}

} // namespace acnn
