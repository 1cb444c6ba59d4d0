// RUN: acnn-opt %s -acnn-fold-batch-norm -acnn-fuse-epilogues -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s
// RUN: acnn-opt %s -acnn-fold-batch-norm -acnn-fuse-epilogues -acnn-mark-kernels -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=KERNEL

// A fused op's location lists the ops it absorbed, each with its op name, the
// one whose name it takes first; fusing again appends to the list.
// CHECK: acnn.conv2d {{.*}} loc(fused[fused<"acnn.batch_norm">["bn"], fused<"acnn.conv2d">["conv"], fused<"acnn.relu">["relu"]])
// The kernel is still named after the first node.
// KERNEL: acnn.conv2d {{.*}} loc(fused<{acnn.kernel_name = "bn/conv2d_1x2x5x5_4x2x3x3"}>
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %v = acnn.constant dense<1.0> : tensor<4xf32>
  %c = acnn.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32> loc("conv")
  %y = acnn.batch_norm %c, %v, %v, %v, %v : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32> loc("bn")
  %r = acnn.relu %y : tensor<1x4x5x5xf32> loc("relu")
  return %r : tensor<1x4x5x5xf32>
}
