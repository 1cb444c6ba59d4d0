// Unary and binary element-wise ops. Scalars are computed in double and
// rounded once, so each result is the correctly rounded f32 of the formula.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace acnn {

static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

UnaryFn unaryFunction(Operation *op) {
  return llvm::TypeSwitch<Operation *, UnaryFn>(op)
      // `x < 0 ? 0 : x` rather than max(x, 0) so NaN passes through, as in PyTorch.
      .Case([](ReluOp) { return [](double x) { return x < 0 ? 0.0 : x; }; })
      .Case([](SigmoidOp) { return sigmoid; })
      .Case([](TanhOp) { return [](double x) { return std::tanh(x); }; })
      .Case([](SiluOp) { return [](double x) { return x * sigmoid(x); }; })
      .Case([](HardSwishOp) {
        return [](double x) { return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0; };
      })
      .Case([](ErfOp) { return [](double x) { return std::erf(x); }; })
      .Case([](SqrtOp) { return [](double x) { return std::sqrt(x); }; })
      .Case([](ExpOp) { return [](double x) { return std::exp(x); }; })
      .Case([](NegOp) { return [](double x) { return -x; }; })
      .Case([](ReciprocalOp) { return [](double x) { return 1.0 / x; }; })
      .Case([](AbsOp) { return [](double x) { return std::fabs(x); }; })
      .Case([](LogOp) { return [](double x) { return std::log(x); }; })
      .Case([](SoftplusOp) {
        return [](double x) { return x > 20 ? x : std::log1p(std::exp(x)); };
      })
      .Case([](LeakyReluOp op) {
        double alpha = op.getAlpha().convertToFloat();
        return [=](double x) { return x < 0 ? alpha * x : x; };
      })
      .Case([](EluOp op) {
        double alpha = op.getAlpha().convertToFloat();
        return [=](double x) { return x < 0 ? alpha * std::expm1(x) : x; };
      })
      .Case([](GeluOp op) -> UnaryFn {
        if (op.getApproximateTanh()) // PyTorch's approximate='tanh'
          return [](double x) {
            const double k = std::sqrt(2.0 / M_PI);
            return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
          };
        return [](double x) { return 0.5 * x * (1.0 + std::erf(x / M_SQRT2)); };
      })
      .Case([](HardSigmoidOp op) {
        double alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
        return [=](double x) { return std::min(std::max(alpha * x + beta, 0.0), 1.0); };
      })
      .Case([](ClipOp op) {
        double lo = op.getMin().convertToFloat(), hi = op.getMax().convertToFloat();
        // Comparisons keep NaN, as torch.clamp does.
        return [=](double x) { return x < lo ? lo : (x > hi ? hi : x); };
      })
      .Default([](Operation *) { return UnaryFn(); });
}

BinaryFn binaryFunction(Operation *op) {
  return llvm::TypeSwitch<Operation *, BinaryFn>(op)
      .Case([](AddOp) { return [](double a, double b) { return a + b; }; })
      .Case([](SubOp) { return [](double a, double b) { return a - b; }; })
      .Case([](MulOp) { return [](double a, double b) { return a * b; }; })
      .Case([](DivOp) { return [](double a, double b) { return a / b; }; })
      .Case([](PowOp) { return [](double a, double b) { return std::pow(a, b); }; })
      .Case([](MaxOp) { return nanMax<double>; })
      .Case([](MinOp) { return nanMin<double>; })
      .Case([](PReluOp) { return [](double x, double slope) { return x < 0 ? slope * x : x; }; })
      .Default([](Operation *) { return BinaryFn(); });
}

Tensor mapUnary(const Tensor &x, const UnaryFn &f) {
  Tensor out{x.shape, std::vector<float>(x.data.size())};
  for (size_t i = 0; i < x.data.size(); ++i)
    out.data[i] = float(f(x.data[i]));
  return out;
}

Tensor mapBinary(const Tensor &a, const Tensor &b, llvm::ArrayRef<int64_t> shape,
                 const BinaryFn &f) {
  Tensor out = Tensor::filled(shape);
  llvm::SmallVector<int64_t> aStrides = broadcastStrides(a.shape, shape);
  llvm::SmallVector<int64_t> bStrides = broadcastStrides(b.shape, shape);
  int64_t i = 0;
  walkStrided<2>(shape, {0, 0}, {aStrides, bStrides}, [&](const std::array<int64_t, 2> &o) {
    out.data[i++] = float(f(a.data[o[0]], b.data[o[1]]));
  });
  return out;
}

Tensor where(WhereOp op, const Tensor &cond, const Tensor &onTrue, const Tensor &onFalse) {
  ArrayRef<int64_t> shape = resultShape(op);
  Tensor out = Tensor::filled(shape);
  llvm::SmallVector<int64_t> c = broadcastStrides(cond.shape, shape);
  llvm::SmallVector<int64_t> t = broadcastStrides(onTrue.shape, shape);
  llvm::SmallVector<int64_t> f = broadcastStrides(onFalse.shape, shape);
  int64_t i = 0;
  walkStrided<3>(shape, {0, 0, 0}, {c, t, f}, [&](const std::array<int64_t, 3> &o) {
    out.data[i++] = cond.data[o[0]] != 0.0f ? onTrue.data[o[1]] : onFalse.data[o[2]];
  });
  return out;
}

} // namespace acnn
