// GridSample: the input read at points a tensor of the model computes (a
// spatial transformer's sampling grid, an optical-flow warp), so unlike
// Resize it cannot become constant gathers at import; it is acnn.grid_sample.
#include "frontends/onnx/NodeContext.h"

using namespace mlir;
using llvm::Expected;

namespace acnn {

namespace {

// Opsets 16-19 name the modes bilinear, nearest and bicubic; 20 renamed them
// linear, nearest and cubic and took grids of any rank.
llvm::Error gridSample(NodeContext &ctx) {
  Expected<std::string> mode = ctx.attrString("mode", ctx.opset() >= 20 ? "linear" : "bilinear");
  if (!mode)
    return mode.takeError();
  Expected<std::string> padding = ctx.attrString("padding_mode", "zeros");
  if (!padding)
    return padding.takeError();
  Expected<int64_t> corners = ctx.attrInt("align_corners", 0);
  if (!corners)
    return corners.takeError();
  const std::string interpolation = *mode == "linear" ? "bilinear" : *mode;
  if (interpolation != "bilinear" && interpolation != "nearest")
    return ctx.fail("mode '" + *mode + "' is not supported: only linear and nearest are");
  if (*padding != "zeros" && *padding != "border")
    return ctx.fail("padding_mode '" + *padding + "' is not supported: only zeros and border are");
  if (ctx.shape(0).size() != 4 || ctx.shape(1).size() != 4)
    return ctx.fail("only a 4-D input [N, C, H, W] and grid [N, Ho, Wo, 2] are supported");
  OpChain chain(ctx);
  return chain.emit(
      chain.op<GridSampleOp>(ctx.value(0), ctx.value(1), interpolation, *padding, *corners != 0));
}

} // namespace

void registerGridSampleOps(OpTable &table) {
  addOp(table, "GridSample", gridSample, 2, 2)
      .opsets(16)
      .note("mode linear (bilinear) or nearest; padding_mode zeros or border; 4-D input and grid");
}

} // namespace acnn
