// Kernels of the fused ops the graph passes make: conv / linear / matmul
// epilogues, squeeze-excite, CBAM channel and spatial attention, and scaled
// dot-product attention. Each computes what its unfused graph computes, in
// double where it accumulates, so pass numerics tests compare like with like.
#include "compiler/interpreter/Indexing.h"
#include "compiler/interpreter/OpKernels.h"

#include <limits>

using namespace mlir;

namespace acnn {

static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

UnaryFn activationFunction(llvm::StringRef name) {
  if (name == "relu")
    return [](double x) { return x < 0 ? 0.0 : x; };
  if (name == "relu6")
    return [](double x) { return std::min(std::max(x, 0.0), 6.0); };
  if (name == "sigmoid")
    return sigmoid;
  if (name == "tanh")
    return [](double x) { return std::tanh(x); };
  if (name == "silu")
    return [](double x) { return x * sigmoid(x); };
  if (name == "gelu")
    return [](double x) { return 0.5 * x * (1.0 + std::erf(x / M_SQRT2)); };
  if (name == "gelu_tanh")
    return [](double x) {
      const double k = std::sqrt(2.0 / M_PI);
      return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
    };
  if (name == "hard_swish")
    return [](double x) { return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0; };
  return UnaryFn(); // "none"
}

void applyEpilogue(Tensor &result, const Tensor *residual, llvm::StringRef activation) {
  if (residual)
    result = mapBinary(result, *residual, result.shape,
                       [](double a, double b) { return a + b; });
  if (UnaryFn f = activationFunction(activation))
    result = mapUnary(result, f);
}

namespace {

/// fc2(act(fc1(p))) for each row of p [N, C]: the shared channel MLP.
std::vector<double> channelMlp(const std::vector<double> &pooled, int64_t n, int64_t c,
                               const Tensor &w1, const Tensor &b1, const Tensor &w2,
                               const Tensor &b2, const UnaryFn &act) {
  const int64_t r = w1.shape[0];
  std::vector<double> out(n * c), hidden(r);
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t j = 0; j < r; ++j) {
      double acc = b1.data[j];
      for (int64_t i = 0; i < c; ++i)
        acc += w1.data[j * c + i] * pooled[b * c + i];
      // Rounded to f32 as the unfused graph's intermediate tensor is.
      hidden[j] = float(act ? act(acc) : acc);
    }
    for (int64_t i = 0; i < c; ++i) {
      double acc = b2.data[i];
      for (int64_t j = 0; j < r; ++j)
        acc += w2.data[i * r + j] * hidden[j];
      out[b * c + i] = float(acc);
    }
  }
  return out;
}

/// Per (n, c) statistics over the trailing axes of [N, C, ...].
std::vector<double> poolChannels(const Tensor &x, bool max) {
  const int64_t planes = x.shape[0] * x.shape[1], size = x.numel() / planes;
  std::vector<double> out(planes);
  for (int64_t p = 0; p < planes; ++p) {
    double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int64_t i = 0; i < size; ++i) {
      double v = x.data[p * size + i];
      acc = max ? nanMax(acc, v) : acc + v;
    }
    out[p] = float(max ? acc : acc / size);
  }
  return out;
}

/// x * gate[n, c] over every spatial element.
Tensor scaleChannels(const Tensor &x, const std::vector<double> &gate) {
  const int64_t planes = x.shape[0] * x.shape[1], size = x.numel() / planes;
  Tensor out{x.shape, std::vector<float>(x.data.size())};
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < size; ++i)
      out.data[p * size + i] = float(double(x.data[p * size + i]) * float(gate[p]));
  return out;
}

} // namespace

Tensor squeezeExcite(SqueezeExciteOp op, const Tensor &x, const Tensor &w1, const Tensor &b1,
                     const Tensor &w2, const Tensor &b2) {
  const int64_t n = x.shape[0], c = x.shape[1];
  std::vector<double> gate = channelMlp(poolChannels(x, /*max=*/false), n, c, w1, b1, w2, b2,
                                        activationFunction(op.getActivation()));
  for (double &g : gate)
    g = op.getGate() == "sigmoid" ? sigmoid(g) : std::min(std::max(g / 6.0 + 0.5, 0.0), 1.0);
  return scaleChannels(x, gate);
}

Tensor channelAttention(ChannelAttentionOp op, const Tensor &x, const Tensor &w1,
                        const Tensor &b1, const Tensor &w2, const Tensor &b2) {
  const int64_t n = x.shape[0], c = x.shape[1];
  UnaryFn act = activationFunction(op.getActivation());
  std::vector<double> avg = channelMlp(poolChannels(x, false), n, c, w1, b1, w2, b2, act);
  std::vector<double> max = channelMlp(poolChannels(x, true), n, c, w1, b1, w2, b2, act);
  for (size_t i = 0; i < avg.size(); ++i)
    avg[i] = sigmoid(float(avg[i] + max[i]));
  return scaleChannels(x, avg);
}

Tensor spatialAttention(SpatialAttentionOp op, const Tensor &x, const Tensor &w,
                        const Tensor &bias) {
  const int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t kh = w.shape[2], kw = w.shape[3];
  ArrayRef<int64_t> p = op.getPads();
  // [N, 2, H, W]: the mean and the max over channels.
  std::vector<double> stats(n * 2 * h * wd);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < h * wd; ++i) {
      double sum = 0, max = -std::numeric_limits<double>::infinity();
      for (int64_t ch = 0; ch < c; ++ch) {
        double v = x.data[(b * c + ch) * h * wd + i];
        sum += v;
        max = nanMax(max, v);
      }
      stats[(b * 2) * h * wd + i] = float(sum / c);
      stats[(b * 2 + 1) * h * wd + i] = float(max);
    }
  Tensor out{x.shape, std::vector<float>(x.data.size())};
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t xo = 0; xo < wd; ++xo) {
        double acc = bias.data[0];
        for (int64_t s = 0; s < 2; ++s)
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              int64_t yi = y + i - p[0], xi = xo + j - p[1];
              if (yi < 0 || yi >= h || xi < 0 || xi >= wd)
                continue;
              acc += w.data[(s * kh + i) * kw + j] * stats[((b * 2 + s) * h + yi) * wd + xi];
            }
        const float gate = float(sigmoid(float(acc)));
        for (int64_t ch = 0; ch < c; ++ch) {
          int64_t at = ((b * c + ch) * h + y) * wd + xo;
          out.data[at] = float(double(x.data[at]) * gate);
        }
      }
  return out;
}

Tensor attention(AttentionOp op, const Tensor &q, const Tensor &k, const Tensor &v,
                 const Tensor *bias) {
  ArrayRef<int64_t> outShape = resultShape(op);
  const size_t rank = q.shape.size();
  const int64_t m = q.shape[rank - 2], d = q.shape[rank - 1], nk = k.shape[rank - 2],
                e = v.shape[rank - 1];
  const int64_t batches = product(llvm::ArrayRef(q.shape).drop_back(2));
  const double scale = op.getScale().convertToFloat();
  // The bias read at each [batch..., m, n] of the scores.
  llvm::SmallVector<int64_t> scoresShape(q.shape.begin(), q.shape.end() - 1);
  scoresShape.push_back(nk);
  Tensor biasFull;
  if (bias)
    biasFull = mapBinary(Tensor::filled(scoresShape), *bias, scoresShape,
                         [](double, double b) { return b; });
  Tensor out = Tensor::filled(outShape);
  std::vector<double> scores(nk);
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t i = 0; i < m; ++i) {
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < nk; ++j) {
        double dot = 0;
        for (int64_t t = 0; t < d; ++t)
          dot += double(q.data[(b * m + i) * d + t]) * k.data[(b * nk + j) * d + t];
        double s = float(dot) * scale;
        if (bias)
          s += biasFull.data[(b * m + i) * nk + j];
        scores[j] = s;
        max = nanMax(max, s);
      }
      double sum = 0;
      for (int64_t j = 0; j < nk; ++j)
        sum += scores[j] = std::exp(scores[j] - max);
      for (int64_t c = 0; c < e; ++c) {
        double acc = 0;
        for (int64_t j = 0; j < nk; ++j)
          acc += scores[j] / sum * v.data[(b * nk + j) * e + c];
        out.data[(b * m + i) * e + c] = float(acc);
      }
    }
  return out;
}

} // namespace acnn
