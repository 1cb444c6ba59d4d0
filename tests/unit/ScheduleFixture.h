#ifndef ACNN_TESTS_UNIT_SCHEDULEFIXTURE_H
#define ACNN_TESTS_UNIT_SCHEDULEFIXTURE_H
// The kernels (linalg ops on tensors, as the layout passes leave them) and
// the fixture the schedule generator's and the search space's tests share.
#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/TargetDescription.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace acnn::test {

using namespace mlir;

constexpr const char *kConv = R"mlir(
func.func @f(%x: tensor<1x58x58x64xf32>, %w: tensor<3x3x64x64xf32>, %o: tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %r : tensor<1x56x56x64xf32>
})mlir";

// SE-ResNet's widest conv: 3 x 3 x 256 input channels of filter per block
// of 16 output channels (144 KiB).
constexpr const char *kWideConv = R"mlir(
func.func @f(%x: tensor<1x30x30x256xf32>, %w: tensor<3x3x256x256xf32>, %o: tensor<1x28x28x256xf32>) -> tensor<1x28x28x256xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x30x30x256xf32>, tensor<3x3x256x256xf32>) outs(%o : tensor<1x28x28x256xf32>) -> tensor<1x28x28x256xf32>
  return %r : tensor<1x28x28x256xf32>
})mlir";

// FCN's head conv, shrunk: 3 x 3 x 2048 input channels of filter per block
// of output channels, past L2.
constexpr const char *kConvPastL2 = R"mlir(
func.func @f(%x: tensor<1x16x16x2048xf32>, %w: tensor<3x3x2048x64xf32>, %o: tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x16x16x2048xf32>, tensor<3x3x2048x64xf32>) outs(%o : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  return %r : tensor<1x14x14x64xf32>
})mlir";

// A classifier as a conv over the whole 7x7 map (timm's VGG pre-logits,
// 512 -> 4096 channels): the output map is one pixel.
constexpr const char *kConvOverWholeMap = R"mlir(
func.func @f(%x: tensor<1x7x7x512xf32>, %w: tensor<7x7x512x4096xf32>, %o: tensor<1x1x1x4096xf32>) -> tensor<1x1x1x4096xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x7x512xf32>, tensor<7x7x512x4096xf32>) outs(%o : tensor<1x1x1x4096xf32>) -> tensor<1x1x1x4096xf32>
  return %r : tensor<1x1x1x4096xf32>
})mlir";

// A remainder piece of a 56-wide conv: its last 2 output columns.
constexpr const char *kNarrowConv = R"mlir(
func.func @f(%x: tensor<1x58x4x64xf32>, %w: tensor<3x3x64x128xf32>, %o: tensor<1x56x2x128xf32>) -> tensor<1x56x2x128xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x4x64xf32>, tensor<3x3x64x128xf32>) outs(%o : tensor<1x56x2x128xf32>) -> tensor<1x56x2x128xf32>
  return %r : tensor<1x56x2x128xf32>
})mlir";

constexpr const char *kMatmul = R"mlir(
func.func @f(%a: tensor<197x192xf32>, %b: tensor<192x768xf32>, %c: tensor<197x768xf32>) -> tensor<197x768xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<197x192xf32>, tensor<192x768xf32>) outs(%c : tensor<197x768xf32>) -> tensor<197x768xf32>
  return %r : tensor<197x768xf32>
})mlir";

constexpr const char *kRowMax = R"mlir(
func.func @f(%x: tensor<3x197x197xf32>, %init: tensor<3x197xf32>) -> tensor<3x197xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
    ins(%x : tensor<3x197x197xf32>) outs(%init : tensor<3x197xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<3x197xf32>
  return %r : tensor<3x197xf32>
})mlir";

// A layer norm's variance: the row and its mean, sum((x - mean)^2).
constexpr const char *kVariance = R"mlir(
func.func @f(%x: tensor<197x192xf32>, %mean: tensor<197xf32>, %init: tensor<197xf32>) -> tensor<197xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
    ins(%x, %mean : tensor<197x192xf32>, tensor<197xf32>) outs(%init : tensor<197xf32>) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %d = arith.subf %a, %m : f32
    %sq = arith.mulf %d, %d : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  } -> tensor<197xf32>
  return %r : tensor<197xf32>
})mlir";

constexpr const char *kAdd = R"mlir(
func.func @f(%x: tensor<1x64x56x56xf32>, %y: tensor<1x64x56x56xf32>, %o: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %r = linalg.add ins(%x, %y : tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) outs(%o : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
})mlir";

constexpr const char *kPool = R"mlir(
func.func @f(%x: tensor<1x8x18x18xf32>, %w: tensor<3x3xf32>, %o: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x8x18x18xf32>, tensor<3x3xf32>) outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
})mlir";

constexpr const char *kPoolNhwc = R"mlir(
func.func @f(%x: tensor<1x113x113x64xf32>, %w: tensor<3x3xf32>, %o: tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32> {
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x113x113x64xf32>, tensor<3x3xf32>) outs(%o : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %r : tensor<1x56x56x64xf32>
})mlir";

// MobileNetV2's depthwise 3x3 on 56x56 x 144 channels, stride 1.
constexpr const char *kDepthwise = R"mlir(
func.func @f(%x: tensor<1x58x58x144xf32>, %w: tensor<3x3x144xf32>, %o: tensor<1x56x56x144xf32>) -> tensor<1x56x56x144xf32> {
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x58x144xf32>, tensor<3x3x144xf32>) outs(%o : tensor<1x56x56x144xf32>) -> tensor<1x56x56x144xf32>
  return %r : tensor<1x56x56x144xf32>
})mlir";

// A large-kernel depthwise conv (RepLKNet's 31x31) on 28x28 x 256 channels.
constexpr const char *kDepthwise31 = R"mlir(
func.func @f(%x: tensor<1x58x58x256xf32>, %w: tensor<31x31x256xf32>, %o: tensor<1x28x28x256xf32>) -> tensor<1x28x28x256xf32> {
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x58x256xf32>, tensor<31x31x256xf32>) outs(%o : tensor<1x28x28x256xf32>) -> tensor<1x28x28x256xf32>
  return %r : tensor<1x28x28x256xf32>
})mlir";

// A 1x1 conv to 24 channels (MobileNetV2's projection on 56x56).
constexpr const char *kConvTo24 = R"mlir(
func.func @f(%x: tensor<1x56x56x96xf32>, %w: tensor<1x1x96x24xf32>, %o: tensor<1x56x56x24xf32>) -> tensor<1x56x56x24xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x56x56x96xf32>, tensor<1x1x96x24xf32>) outs(%o : tensor<1x56x56x24xf32>) -> tensor<1x56x56x24xf32>
  return %r : tensor<1x56x56x24xf32>
})mlir";

// A 1x1 conv on a 7x7 map to 1152 channels (EfficientNet's last stage).
constexpr const char *kConv7x7To1152 = R"mlir(
func.func @f(%x: tensor<1x7x7x192xf32>, %w: tensor<1x1x192x1152xf32>, %o: tensor<1x7x7x1152xf32>) -> tensor<1x7x7x1152xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x7x192xf32>, tensor<1x1x192x1152xf32>) outs(%o : tensor<1x7x7x1152xf32>) -> tensor<1x7x7x1152xf32>
  return %r : tensor<1x7x7x1152xf32>
})mlir";

// Attention's p * v as a generic: batch b, m i, n j, k c.
constexpr const char *kContraction = R"mlir(
func.func @f(%p: tensor<4x196x49xf32>, %v: tensor<4x49x32xf32>, %o: tensor<4x196x32xf32>) -> tensor<4x196x32xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, i, j, c) -> (b, i, c)>, affine_map<(b, i, j, c) -> (b, c, j)>, affine_map<(b, i, j, c) -> (b, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
    ins(%p, %v : tensor<4x196x49xf32>, tensor<4x49x32xf32>) outs(%o : tensor<4x196x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x196x32xf32>
  return %r : tensor<4x196x32xf32>
})mlir";

// A 1x1 conv from 16 to 96 channels on 112x112 and its SiLU epilogue
// (EfficientNet's first expansion).
constexpr const char *kConvSilu = R"mlir(
func.func @f(%x: tensor<1x112x112x16xf32>, %w: tensor<1x1x16x96xf32>, %o: tensor<1x112x112x96xf32>) -> tensor<1x112x112x96xf32> {
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x112x112x16xf32>, tensor<1x1x16x96xf32>) outs(%o : tensor<1x112x112x96xf32>) -> tensor<1x112x112x96xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c : tensor<1x112x112x96xf32>) outs(%o : tensor<1x112x112x96xf32>) {
  ^bb0(%v: f32, %out: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %s = arith.divf %v, %d : f32
    linalg.yield %s : f32
  } -> tensor<1x112x112x96xf32>
  return %r : tensor<1x112x112x96xf32>
})mlir";

class ScheduleTest : public ::testing::Test {
protected:
  ScheduleTest() {
    ctx.loadDialect<acnn::AcnnDialect, func::FuncDialect, linalg::LinalgDialect,
                    tensor::TensorDialect, arith::ArithDialect, math::MathDialect>();
  }

  /// The linalg ops of `source`, parsed into `module`.
  SmallVector<linalg::LinalgOp> parse(const char *source) {
    module = parseSourceString<ModuleOp>(source, &ctx);
    EXPECT_TRUE(module);
    SmallVector<linalg::LinalgOp> ops;
    if (module)
      module->walk([&](linalg::LinalgOp found) { ops.push_back(found); });
    return ops;
  }

  /// The schedule of `source`'s last linalg op.
  acnn::Schedule schedule(const char *source, const acnn::ScheduleTarget &target) {
    SmallVector<linalg::LinalgOp> ops = parse(source);
    EXPECT_FALSE(ops.empty());
    return ops.empty() ? acnn::Schedule() : acnn::generateSchedule(ops.back(), target);
  }

  /// The schedule of `source`'s first linalg op with its last as epilogue.
  acnn::Schedule scheduleWithEpilogue(const char *source, const acnn::ScheduleTarget &target) {
    SmallVector<linalg::LinalgOp> ops = parse(source);
    EXPECT_EQ(ops.size(), 2u);
    return ops.size() < 2 ? acnn::Schedule()
                          : acnn::generateSchedule(ops.front(), target, ops.back());
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

inline acnn::ScheduleTarget avx2() { return *acnn::ScheduleTarget::parse("avx2"); }
inline acnn::ScheduleTarget avx512() { return *acnn::ScheduleTarget::parse("avx512"); }

/// The #acnn.target acnnc makes for the LLVM CPU `cpu` (its family's caches,
/// not this machine's).
inline acnn::TargetAttr describe(MLIRContext &ctx, llvm::StringRef cpu) {
  auto machine = acnn::createTargetMachine(acnn::CpuTarget{cpu.str()});
  if (!machine) {
    ADD_FAILURE() << llvm::toString(machine.takeError());
    return {};
  }
  return acnn::describeTarget(&ctx, **machine, /*host=*/false, /*threads=*/4);
}

using Tile = llvm::SmallVector<int64_t>;

} // namespace acnn::test

#endif
