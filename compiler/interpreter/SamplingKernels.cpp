// Sampling: reads of an input at computed, fractional positions.
#include "compiler/interpreter/OpKernels.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace acnn {

Tensor gridSample(GridSampleOp op, const Tensor &x, const Tensor &grid) {
  ArrayRef<int64_t> shape = resultShape(op);
  const int64_t n = shape[0], c = shape[1], ho = shape[2], wo = shape[3];
  const int64_t h = x.shape[2], w = x.shape[3];
  const bool corners = op.getAlignCorners(), border = op.getPaddingMode() == "border",
             nearest = op.getMode() == "nearest";
  // -1..1 to pixel coordinates: the outer pixels' centres with
  // align_corners, their outer edges without; "border" clamps to the edge.
  auto unnormalize = [&](float g, int64_t size) {
    float p = corners ? (g + 1) / 2 * static_cast<float>(size - 1)
                      : ((g + 1) * static_cast<float>(size) - 1) / 2;
    return border ? std::clamp(p, 0.0f, static_cast<float>(size - 1)) : p;
  };
  Tensor out = Tensor::filled(shape);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < ho; ++i)
      for (int64_t j = 0; j < wo; ++j) {
        const float *g = &grid.data[((b * ho + i) * wo + j) * 2];
        const float px = unnormalize(g[0], w), py = unnormalize(g[1], h);
        for (int64_t ch = 0; ch < c; ++ch) {
          const float *plane = &x.data[(b * c + ch) * h * w];
          // The pixel at integral (y, x), 0 outside the input (and for NaN,
          // whose weights make the result NaN).
          auto at = [&](float y, float xx) {
            if (!(y >= 0 && y <= static_cast<float>(h - 1) && xx >= 0 &&
                  xx <= static_cast<float>(w - 1)))
              return 0.0f;
            return plane[static_cast<int64_t>(y) * w + static_cast<int64_t>(xx)];
          };
          float v;
          if (nearest) {
            v = at(std::nearbyint(py), std::nearbyint(px));
          } else {
            const float x0 = std::floor(px), y0 = std::floor(py), ax = px - x0, ay = py - y0;
            v = (1 - ay) * ((1 - ax) * at(y0, x0) + ax * at(y0, x0 + 1)) +
                ay * ((1 - ax) * at(y0 + 1, x0) + ax * at(y0 + 1, x0 + 1));
          }
          out.data[((b * c + ch) * ho + i) * wo + j] = v;
        }
      }
  return out;
}

} // namespace acnn
