// ONNX Einsum, for the spellings attention is written with (bhqd,bhkd->bhqk,
// bhqk,bhkd->bhqd, bqhd,bkhd->bhqk, ...): one or two operands, each label at
// most once per operand, "..." allowed. A label that only one operand has
// and the output lacks is summed away first; two operands then become one
// batched acnn.matmul between transposes and reshapes, each left out when it
// would not move anything.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;

namespace acnn {

namespace {

// A label is a letter, or for the k-th of the dims "..." stands for (counted
// from the right, so broadcast dims line up) the code k + 1.
using Labels = SmallVector<int>;

std::string labelName(int label) {
  return label < 'A' ? "...#" + std::to_string(label) : std::string(1, char(label));
}

// The labels of one term: letters and at most one "..." covering `rank` dims
// in all (for the output term, rank is the longest ellipsis plus its letters).
Expected<Labels> parseTerm(NodeContext &ctx, StringRef term, int64_t rank) {
  size_t dots = term.find("...");
  StringRef before = term.substr(0, dots);
  StringRef after = dots == StringRef::npos ? "" : term.substr(dots + 3);
  int64_t letters = before.size() + after.size();
  int64_t ellipsis = dots == StringRef::npos ? 0 : rank - letters;
  if (ellipsis < 0 || (dots == StringRef::npos && letters != rank))
    return ctx.fail("term '" + term + "' does not match an operand of rank " + llvm::Twine(rank));
  Labels labels;
  auto addLetters = [&](StringRef part) -> llvm::Error {
    for (char c : part) {
      if (!llvm::isAlpha(c))
        return ctx.fail("term '" + term + "' has '" + std::string(1, c) + "', not a letter");
      if (llvm::is_contained(labels, c))
        return ctx.fail("label '" + std::string(1, c) +
                        "' repeats in one operand; diagonals are not supported");
      labels.push_back(c);
    }
    return llvm::Error::success();
  };
  if (llvm::Error e = addLetters(before))
    return std::move(e);
  for (int64_t k = ellipsis; k > 0; --k)
    labels.push_back(int(k));
  if (llvm::Error e = addLetters(after))
    return std::move(e);
  return labels;
}

class Einsum {
public:
  explicit Einsum(NodeContext &ctx) : ctx(ctx) {}

  llvm::Error run() {
    Expected<std::string> equation = ctx.attrString("equation", "");
    if (!equation)
      return equation.takeError();
    std::string eq;
    for (char c : *equation)
      if (c != ' ')
        eq.push_back(c);
    if (llvm::Error e = parse(eq))
      return e;
    for (unsigned i = 0; i < ctx.numInputs(); ++i)
      if (llvm::Error e = sumAlone(i))
        return e;
    Labels resultLabels = labels[0];
    Expected<Value> result = ctx.numInputs() == 1 ? operands[0] : contract(resultLabels);
    if (!result)
      return result.takeError();
    Expected<Value> ordered = permute(*result, resultLabels, output);
    if (!ordered)
      return ordered.takeError();
    ctx.setOutput(0, *ordered);
    return llvm::Error::success();
  }

private:
  llvm::Error parse(StringRef eq) {
    auto [inputs, out] = eq.split("->");
    SmallVector<StringRef> terms;
    inputs.split(terms, ',');
    if (terms.size() != ctx.numInputs() || ctx.numInputs() > 2)
      return ctx.fail("equation '" + eq + "' needs " + llvm::Twine(terms.size()) +
                      " operands; acnn takes one or two, and the node has " +
                      llvm::Twine(ctx.numInputs()));
    int64_t ellipsis = 0;
    std::map<int, int> count;
    for (unsigned i = 0; i < terms.size(); ++i) {
      Expected<Labels> l = parseTerm(ctx, terms[i], ctx.shape(i).size());
      if (!l)
        return l.takeError();
      for (auto [label, extent] : llvm::zip(*l, ctx.shape(i))) {
        auto [it, fresh] = extents.insert({label, extent});
        if (!fresh && it->second != extent)
          return ctx.fail("label " + labelName(label) + " has extents " + llvm::Twine(it->second) +
                          " and " + llvm::Twine(extent));
        ++count[label];
        if (label < 'A')
          ellipsis = std::max<int64_t>(ellipsis, label);
      }
      labels.push_back(*l);
      operands.push_back(ctx.value(i));
    }
    if (!eq.contains("->")) {
      // Implicit output: the ellipsis, then the letters used once, sorted.
      for (auto [label, n] : count)
        if (label < 'A')
          output.insert(output.begin(), label);
        else if (n == 1)
          output.push_back(label);
      return llvm::Error::success();
    }
    size_t letters = llvm::count_if(out, [](char c) { return c != '.'; });
    Expected<Labels> o = parseTerm(ctx, out, letters + (out.contains("...") ? ellipsis : 0));
    if (!o)
      return o.takeError();
    for (int label : *o)
      if (!extents.count(label))
        return ctx.fail("output label " + labelName(label) + " is in no operand");
    output = *o;
    return llvm::Error::success();
  }

  bool inOutput(int label) const { return llvm::is_contained(output, label); }
  SmallVector<int64_t> extentsOf(ArrayRef<int> ls) const {
    SmallVector<int64_t> r;
    for (int l : ls)
      r.push_back(extents.at(l));
    return r;
  }

  // Sums the labels of operand i that neither the output nor the other
  // operand has.
  llvm::Error sumAlone(unsigned i) {
    SmallVector<int64_t> axes;
    Labels kept;
    for (auto [axis, label] : llvm::enumerate(labels[i])) {
      bool shared = labels.size() == 2 && llvm::is_contained(labels[1 - i], label);
      if (inOutput(label) || shared)
        kept.push_back(label);
      else
        axes.push_back(axis);
    }
    if (axes.empty())
      return llvm::Error::success();
    Expected<ReduceSumOp> sum = ctx.create<ReduceSumOp>(operands[i], axes, false);
    if (!sum)
      return sum.takeError();
    operands[i] = *sum;
    labels[i] = kept;
    return llvm::Error::success();
  }

  // `v`, labelled `from`, with its axes in the order of `to`.
  Expected<Value> permute(Value v, ArrayRef<int> from, ArrayRef<int> to) {
    SmallVector<int64_t> perm;
    for (int label : to)
      perm.push_back(llvm::find(from, label) - from.begin());
    if (llvm::equal(perm, llvm::seq<int64_t>(0, int64_t(perm.size()))))
      return v;
    Expected<TransposeOp> t = ctx.create<TransposeOp>(v, perm);
    if (!t)
      return t.takeError();
    return t->getResult();
  }

  Expected<Value> reshape(Value v, ArrayRef<int64_t> shape) {
    if (cast<RankedTensorType>(v.getType()).getShape() == shape)
      return v;
    return ctx.reshape(v, shape);
  }

  // [batch, left, contracted] x [batch, contracted, right] -> [batch, left,
  // right], which `resultLabels` is set to.
  Expected<Value> contract(Labels &resultLabels) {
    Labels batch, left, right, contracted;
    for (int label : output) {
      bool a = llvm::is_contained(labels[0], label), b = llvm::is_contained(labels[1], label);
      (a && b ? batch : a ? left : right).push_back(label);
    }
    for (int label : labels[0])
      if (!inOutput(label))
        contracted.push_back(label);
    int64_t m = product(extentsOf(left)), k = product(extentsOf(contracted)),
            n = product(extentsOf(right));
    SmallVector<int64_t> batchShape = extentsOf(batch);
    auto side = [&](unsigned i, const Labels &first, const Labels &second, int64_t rows,
                    int64_t cols) -> Expected<Value> {
      Labels order = batch;
      llvm::append_range(order, first);
      llvm::append_range(order, second);
      Expected<Value> p = permute(operands[i], labels[i], order);
      if (!p)
        return p.takeError();
      SmallVector<int64_t> shape = batchShape;
      shape.append({rows, cols});
      return reshape(*p, shape);
    };
    Expected<Value> lhs = side(0, left, contracted, m, k);
    if (!lhs)
      return lhs.takeError();
    Expected<Value> rhs = side(1, contracted, right, k, n);
    if (!rhs)
      return rhs.takeError();
    Expected<MatmulOp> product = ctx.create<MatmulOp>(*lhs, *rhs);
    if (!product)
      return product.takeError();
    resultLabels = batch;
    llvm::append_range(resultLabels, left);
    llvm::append_range(resultLabels, right);
    return reshape(*product, extentsOf(resultLabels));
  }

  NodeContext &ctx;
  SmallVector<Labels> labels; // per operand
  SmallVector<Value> operands;
  Labels output;
  std::map<int, int64_t> extents;
};

llvm::Error einsum(NodeContext &ctx) { return Einsum(ctx).run(); }

} // namespace

void registerEinsum(OpTable &table) {
  addOp(table, "Einsum", einsum, 1, 2)
      .opsets(12)
      .note("one or two operands; no label repeated within an operand (diagonals)");
}

} // namespace acnn
