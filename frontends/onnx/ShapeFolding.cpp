#include "frontends/onnx/ShapeFolding.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Traits.h"

using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

llvm::Error error(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

// Calls fn with every multi-index of `shape`, in row-major order.
void forEachIndex(ArrayRef<int64_t> shape, llvm::function_ref<void(ArrayRef<int64_t>)> fn) {
  if (product(shape) == 0)
    return;
  SmallVector<int64_t> index(shape.size(), 0);
  while (true) {
    fn(index);
    int64_t axis = int64_t(shape.size()) - 1;
    for (; axis >= 0; --axis) {
      if (++index[axis] < shape[axis])
        break;
      index[axis] = 0;
    }
    if (axis < 0)
      return;
  }
}

// Every operation here is a gather: element i of the result is element
// source[i] of `t`.
KnownTensor select(const KnownTensor &t, ArrayRef<int64_t> shape, ArrayRef<int64_t> source) {
  KnownTensor r;
  r.shape.assign(shape.begin(), shape.end());
  r.isFloat = t.isFloat;
  for (int64_t s : source) {
    if (t.isFloat)
      r.floats.push_back(t.floats[s]);
    else
      r.ints.push_back(t.ints[s]);
  }
  return r;
}

// Source offsets of `from` broadcast to `to` (a broadcast of it, checked by the caller).
SmallVector<int64_t> broadcastSources(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  SmallVector<int64_t> strides = rowMajorStrides(from);
  size_t lead = to.size() - from.size();
  SmallVector<int64_t> source;
  forEachIndex(to, [&](ArrayRef<int64_t> index) {
    int64_t offset = 0;
    for (size_t j = 0; j < from.size(); ++j)
      if (from[j] != 1)
        offset += index[lead + j] * strides[j];
    source.push_back(offset);
  });
  return source;
}

Expected<SmallVector<int64_t>> broadcastShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  SmallVector<int64_t> shape;
  if (!mlir::OpTrait::util::getBroadcastedShape(a, b, shape))
    return error("shapes " + formatShape(a) + " and " + formatShape(b) + " do not broadcast");
  return shape;
}

// A result larger than its operands (a broadcast, a gather) is refused
// before it is built.
llvm::Error checkResultSize(ArrayRef<int64_t> shape) {
  std::optional<int64_t> n = checkedProduct(shape);
  if (!n || *n > kMaxKnownElements)
    return error("a result of shape " + formatShape(shape) +
                 " is too large to evaluate at import (more than 2^27 elements)");
  return llvm::Error::success();
}

} // namespace

KnownTensor KnownTensor::ofInts(ArrayRef<int64_t> shape, std::vector<int64_t> data) {
  KnownTensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.ints = std::move(data);
  return t;
}

KnownTensor KnownTensor::ofFloats(ArrayRef<int64_t> shape, std::vector<float> data) {
  KnownTensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.isFloat = true;
  t.floats = std::move(data);
  return t;
}

KnownTensor KnownTensor::asInts() const {
  if (!isFloat)
    return *this;
  return ofInts(shape, std::vector<int64_t>(floats.begin(), floats.end()));
}

KnownTensor KnownTensor::asFloats() const {
  if (isFloat)
    return *this;
  return ofFloats(shape, std::vector<float>(ints.begin(), ints.end()));
}

Expected<KnownTensor> KnownTensor::reshaped(ArrayRef<int64_t> newShape) const {
  if (checkedProduct(newShape) != int64_t(size()))
    return error("cannot reshape " + formatShape(shape) + " to " + formatShape(newShape));
  KnownTensor t = *this;
  t.shape.assign(newShape.begin(), newShape.end());
  return t;
}

Expected<KnownTensor> transposeKnown(const KnownTensor &t, ArrayRef<int64_t> perm) {
  if (!isPermutation(perm, t.shape.size()))
    return error("perm is not a permutation of " + llvm::Twine(t.shape.size()) + " axes");
  SmallVector<int64_t> strides = rowMajorStrides(t.shape), shape;
  for (int64_t p : perm)
    shape.push_back(t.shape[p]);
  SmallVector<int64_t> source;
  forEachIndex(shape, [&](ArrayRef<int64_t> index) {
    int64_t offset = 0;
    for (size_t i = 0; i < perm.size(); ++i)
      offset += index[i] * strides[perm[i]];
    source.push_back(offset);
  });
  return select(t, shape, source);
}

Expected<KnownTensor> sliceKnown(const KnownTensor &t, ArrayRef<int64_t> starts,
                                 ArrayRef<int64_t> ends, ArrayRef<int64_t> steps) {
  size_t rank = t.shape.size();
  if (starts.size() != rank || ends.size() != rank || steps.size() != rank)
    return error("slice needs one start, end and step per axis");
  SmallVector<int64_t> shape;
  for (size_t i = 0; i < rank; ++i) {
    std::optional<int64_t> n = sliceExtent(t.shape[i], starts[i], ends[i], steps[i]);
    if (!n)
      return error("axis " + llvm::Twine(i) + ": invalid slice of extent " +
                   llvm::Twine(t.shape[i]));
    shape.push_back(*n);
  }
  SmallVector<int64_t> strides = rowMajorStrides(t.shape), source;
  forEachIndex(shape, [&](ArrayRef<int64_t> index) {
    int64_t offset = 0;
    for (size_t i = 0; i < rank; ++i)
      offset += (starts[i] + index[i] * steps[i]) * strides[i];
    source.push_back(offset);
  });
  return select(t, shape, source);
}

Expected<KnownTensor> concatKnown(ArrayRef<const KnownTensor *> parts, int64_t axis) {
  if (parts.empty())
    return error("concat needs at least one input");
  const KnownTensor &first = *parts.front();
  std::optional<int64_t> a = normalizeAxis(axis, first.shape.size());
  if (!a)
    return error("axis " + llvm::Twine(axis) + " is out of range");
  SmallVector<int64_t> shape = first.shape;
  shape[*a] = 0;
  for (const KnownTensor *p : parts) {
    bool ok = p->isFloat == first.isFloat && p->shape.size() == first.shape.size();
    for (size_t i = 0; ok && i < p->shape.size(); ++i)
      ok = int64_t(i) == *a || p->shape[i] == first.shape[i];
    if (!ok)
      return error("input " + formatShape(p->shape) + " does not match " +
                   formatShape(first.shape) + " outside axis " + llvm::Twine(*a));
    shape[*a] += p->shape[*a];
  }
  // Row-major: the result is, for each outer index, each part's block in turn.
  int64_t outer = product(ArrayRef<int64_t>(shape).take_front(*a));
  KnownTensor r = first.isFloat ? KnownTensor::ofFloats(shape, {}) : KnownTensor::ofInts(shape, {});
  for (int64_t o = 0; o < outer; ++o)
    for (const KnownTensor *p : parts) {
      int64_t block = product(ArrayRef<int64_t>(p->shape).drop_front(*a));
      if (p->isFloat)
        r.floats.insert(r.floats.end(), p->floats.begin() + o * block,
                        p->floats.begin() + (o + 1) * block);
      else
        r.ints.insert(r.ints.end(), p->ints.begin() + o * block, p->ints.begin() + (o + 1) * block);
    }
  return r;
}

Expected<KnownTensor> gatherKnown(const KnownTensor &t, const KnownTensor &indices, int64_t axis) {
  std::optional<int64_t> a = normalizeAxis(axis, t.shape.size());
  if (!a)
    return error("axis " + llvm::Twine(axis) + " is out of range");
  if (indices.isFloat)
    return error("indices must be integers");
  int64_t extent = t.shape[*a];
  for (int64_t i : indices.ints)
    if (i < -extent || i >= extent)
      return error("index " + llvm::Twine(i) + " is out of range for extent " +
                   llvm::Twine(extent));
  ArrayRef<int64_t> in = t.shape;
  SmallVector<int64_t> shape(in.take_front(*a));
  llvm::append_range(shape, indices.shape);
  llvm::append_range(shape, in.drop_front(*a + 1));
  if (llvm::Error e = checkResultSize(shape))
    return std::move(e);
  // Result = [outer, indices..., inner]; each index picks an [inner] block.
  int64_t outer = product(in.take_front(*a)), inner = product(in.drop_front(*a + 1));
  SmallVector<int64_t> source;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : indices.ints)
      for (int64_t k = 0; k < inner; ++k)
        source.push_back((o * extent + (i < 0 ? i + extent : i)) * inner + k);
  return select(t, shape, source);
}

Expected<KnownTensor> expandKnown(const KnownTensor &t, ArrayRef<int64_t> shape) {
  Expected<SmallVector<int64_t>> to = broadcastShape(t.shape, shape);
  if (!to)
    return to.takeError();
  int64_t elements = 1;
  for (int64_t d : *to) {
    if (d < 0 || (d > 0 && elements > kMaxKnownElements / d))
      return error("expanding to " + formatShape(*to) + " is out of range");
    elements *= d;
  }
  return select(t, *to, broadcastSources(t.shape, *to));
}

Expected<KnownTensor> binaryKnown(const KnownTensor &a, const KnownTensor &b, IntBinaryFn ints,
                                  FloatBinaryFn floats) {
  Expected<SmallVector<int64_t>> shape = broadcastShape(a.shape, b.shape);
  if (!shape)
    return shape.takeError();
  if (llvm::Error e = checkResultSize(*shape))
    return std::move(e);
  SmallVector<int64_t> sa = broadcastSources(a.shape, *shape);
  SmallVector<int64_t> sb = broadcastSources(b.shape, *shape);
  if (a.isFloat || b.isFloat) {
    KnownTensor fa = a.asFloats(), fb = b.asFloats();
    std::vector<float> data;
    for (size_t i = 0; i < sa.size(); ++i)
      data.push_back(float(floats(fa.floats[sa[i]], fb.floats[sb[i]])));
    return KnownTensor::ofFloats(*shape, std::move(data));
  }
  std::vector<int64_t> data;
  for (size_t i = 0; i < sa.size(); ++i) {
    std::optional<int64_t> v = ints(a.ints[sa[i]], b.ints[sb[i]]);
    if (!v)
      return error("undefined result for " + llvm::Twine(a.ints[sa[i]]) + " and " +
                   llvm::Twine(b.ints[sb[i]]));
    data.push_back(*v);
  }
  return KnownTensor::ofInts(*shape, std::move(data));
}

KnownTensor unaryKnown(const KnownTensor &t, IntUnaryFn ints, FloatUnaryFn floats) {
  if (!t.isFloat && ints) {
    KnownTensor r = t;
    for (int64_t &v : r.ints)
      v = ints(v);
    return r;
  }
  KnownTensor r = t.asFloats();
  for (float &v : r.floats)
    v = float(floats(v));
  return r;
}

Expected<KnownTensor> whereKnown(const KnownTensor &cond, const KnownTensor &a,
                                 const KnownTensor &b) {
  if (cond.isFloat || a.isFloat != b.isFloat)
    return error("needs a boolean condition and two values of the same type");
  Expected<SmallVector<int64_t>> ab = broadcastShape(a.shape, b.shape);
  if (!ab)
    return ab.takeError();
  Expected<SmallVector<int64_t>> shape = broadcastShape(cond.shape, *ab);
  if (!shape)
    return shape.takeError();
  if (llvm::Error e = checkResultSize(*shape))
    return std::move(e);
  SmallVector<int64_t> sc = broadcastSources(cond.shape, *shape);
  SmallVector<int64_t> sa = broadcastSources(a.shape, *shape);
  SmallVector<int64_t> sb = broadcastSources(b.shape, *shape);
  KnownTensor r = a.isFloat ? KnownTensor::ofFloats(*shape, {}) : KnownTensor::ofInts(*shape, {});
  for (size_t i = 0; i < sc.size(); ++i) {
    bool pick = cond.ints[sc[i]] != 0;
    if (a.isFloat)
      r.floats.push_back(pick ? a.floats[sa[i]] : b.floats[sb[i]]);
    else
      r.ints.push_back(pick ? a.ints[sa[i]] : b.ints[sb[i]]);
  }
  return r;
}

Expected<KnownTensor> scatterNDKnown(const KnownTensor &data, const KnownTensor &indices,
                                     const KnownTensor &updates,
                                     std::optional<FloatBinaryFn> combine) {
  if (indices.isFloat || indices.shape.empty())
    return error("indices must be integers of rank >= 1");
  if (updates.isFloat != data.isFloat)
    return error("updates and data differ in type");
  ArrayRef<int64_t> idxShape = indices.shape, dataShape = data.shape;
  size_t k = idxShape.back();
  if (k > dataShape.size())
    return error("index tuples of " + llvm::Twine(k) + " values for data of rank " +
                 llvm::Twine(dataShape.size()));
  // updates = indices.shape[:-1] + data.shape[k:]
  SmallVector<int64_t> expected(idxShape.drop_back());
  llvm::append_range(expected, dataShape.drop_front(k));
  if (ArrayRef<int64_t>(updates.shape) != ArrayRef<int64_t>(expected))
    return error("updates " + formatShape(updates.shape) + " should be " + formatShape(expected));
  SmallVector<int64_t> strides = rowMajorStrides(dataShape);
  int64_t block = product(dataShape.drop_front(k));
  KnownTensor r = data;
  for (int64_t u = 0, n = product(idxShape.drop_back()); u < n; ++u) {
    int64_t offset = 0;
    for (size_t j = 0; j < k; ++j) {
      int64_t i = indices.ints[u * k + j], extent = dataShape[j];
      if (i < -extent || i >= extent)
        return error("index " + llvm::Twine(i) + " is out of range for extent " +
                     llvm::Twine(extent));
      offset += (i < 0 ? i + extent : i) * strides[j];
    }
    for (int64_t e = 0; e < block; ++e) {
      if (r.isFloat)
        r.floats[offset + e] =
            combine ? float((*combine)(r.floats[offset + e], updates.floats[u * block + e]))
                    : updates.floats[u * block + e];
      else
        r.ints[offset + e] = combine ? int64_t((*combine)(double(r.ints[offset + e]),
                                                          double(updates.ints[u * block + e])))
                                     : updates.ints[u * block + e];
    }
  }
  return r;
}

} // namespace acnn
