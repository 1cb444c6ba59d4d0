// 2-D convolution and pooling over NCHW tensors. Padding is [top, left,
// bottom, right]; output extents come from the verified result type, which
// already applied ceil_mode.
#include "compiler/interpreter/OpKernels.h"

#include <limits>

using namespace mlir;

namespace acnn {

namespace {

int64_t floorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

/// The outputs o in [begin, end) whose input coordinate o * stride + offset
/// lies in [0, extent): the loop bounds that skip padding without a branch.
std::pair<int64_t, int64_t> validRange(int64_t offset, int64_t stride, int64_t extent,
                                       int64_t outExtent) {
  int64_t begin = std::max<int64_t>(0, ceilDiv(-offset, stride));
  int64_t end = std::min(outExtent, floorDiv(extent - 1 - offset, stride) + 1);
  return {begin, std::max(begin, end)};
}

} // namespace

Tensor conv2d(Conv2dOp op, const Tensor &x, const Tensor &w, const Tensor *bias) {
  const int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t o = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  ArrayRef<int64_t> outShape = resultShape(op);
  const int64_t oh = outShape[2], ow = outShape[3];
  ArrayRef<int64_t> s = op.getStrides(), p = op.getPads(), d = op.getDilations();
  const int64_t og = o / int64_t(op.getGroups());

  Tensor out = Tensor::filled(outShape);
  // One output plane is accumulated in double, a weight tap at a time, so the
  // innermost loop runs along a contiguous output row.
  std::vector<double> plane(oh * ow);
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t oc = 0; oc < o; ++oc) {
      std::fill(plane.begin(), plane.end(), bias ? bias->data[oc] : 0.0);
      const int64_t g = oc / og;
      for (int64_t ic = 0; ic < cg; ++ic) {
        const float *in = &x.data[((b * c) + g * cg + ic) * h * wd];
        const float *filter = &w.data[(oc * cg + ic) * kh * kw];
        for (int64_t i = 0; i < kh; ++i) {
          auto [y0, y1] = validRange(i * d[0] - p[0], s[0], h, oh);
          for (int64_t j = 0; j < kw; ++j) {
            const int64_t dx = j * d[1] - p[1];
            auto [x0, x1] = validRange(dx, s[1], wd, ow);
            const double tap = filter[i * kw + j];
            for (int64_t y = y0; y < y1; ++y) {
              const float *row = in + (y * s[0] + i * d[0] - p[0]) * wd;
              double *acc = &plane[y * ow];
              for (int64_t xo = x0; xo < x1; ++xo)
                acc[xo] += tap * row[xo * s[1] + dx];
            }
          }
        }
      }
      std::copy(plane.begin(), plane.end(), &out.data[(b * o + oc) * oh * ow]);
    }
  }
  return out;
}

Tensor maxPool2d(MaxPool2dOp op, const Tensor &x) {
  const int64_t h = x.shape[2], wd = x.shape[3];
  ArrayRef<int64_t> outShape = resultShape(op);
  const int64_t oh = outShape[2], ow = outShape[3];
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(), p = op.getPads(),
                    d = op.getDilations();
  // Padding is -inf: positions outside the input never win.
  Tensor out = Tensor::filled(outShape, -std::numeric_limits<float>::infinity());
  for (int64_t plane = 0; plane < outShape[0] * outShape[1]; ++plane) {
    const float *in = &x.data[plane * h * wd];
    float *res = &out.data[plane * oh * ow];
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo)
        for (int64_t i = 0; i < k[0]; ++i) {
          int64_t iy = y * s[0] - p[0] + i * d[0];
          if (iy < 0 || iy >= h)
            continue;
          for (int64_t j = 0; j < k[1]; ++j) {
            int64_t ix = xo * s[1] - p[1] + j * d[1];
            if (ix >= 0 && ix < wd)
              res[y * ow + xo] = nanMax(res[y * ow + xo], in[iy * wd + ix]);
          }
        }
  }
  return out;
}

Tensor avgPool2d(AvgPool2dOp op, const Tensor &x) {
  const int64_t h = x.shape[2], wd = x.shape[3];
  ArrayRef<int64_t> outShape = resultShape(op);
  const int64_t oh = outShape[2], ow = outShape[3];
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(), p = op.getPads();
  const bool includePad = op.getCountIncludePad();
  Tensor out = Tensor::filled(outShape);
  for (int64_t plane = 0; plane < outShape[0] * outShape[1]; ++plane) {
    const float *in = &x.data[plane * h * wd];
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        // Window in padded coordinates, cut at the far padding edge: the part
        // that ceil_mode adds past the padding never counts (ONNX, PyTorch).
        int64_t y0 = y * s[0] - p[0], y1 = std::min(y0 + k[0], h + p[2]);
        int64_t x0 = xo * s[1] - p[1], x1 = std::min(x0 + k[1], wd + p[3]);
        int64_t padded = (y1 - y0) * (x1 - x0);
        y0 = std::max<int64_t>(y0, 0);
        y1 = std::min(y1, h);
        x0 = std::max<int64_t>(x0, 0);
        x1 = std::min(x1, wd);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix)
            sum += in[iy * wd + ix];
        int64_t count = includePad ? padded : (y1 - y0) * (x1 - x0);
        out.data[(plane * oh + y) * ow + xo] = float(sum / count);
      }
  }
  return out;
}

} // namespace acnn
