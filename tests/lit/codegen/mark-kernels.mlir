// RUN: acnn-opt %s -acnn-mark-kernels -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s

// Every op but the constants becomes a kernel, its name in its location:
// the node's name (from a NameLoc), then the mnemonic and the shapes of the
// operands of rank >= 2, else of the result. Characters outside
// [A-Za-z0-9_./-] become '_'; the second kernel of the same name gets ".2".
// CHECK-LABEL: func.func @main
// CHECK: acnn.constant {{.*}} loc("w")
// CHECK: acnn.constant {{.*}} loc("b")
// CHECK: acnn.conv2d {{.*}} loc(fused<{acnn.kernel_name = "/layer1/conv_1/Conv/conv2d_1x3x8x8_4x3x3x3"}>["/layer1/conv 1/Conv"])
// CHECK: acnn.relu {{.*}} loc(fused<{acnn.kernel_name = "relu_1x4x8x8"}>["model.mlir":7:3])
// CHECK: acnn.relu {{.*}} loc(fused<{acnn.kernel_name = "relu_1x4x8x8.2"}>["model.mlir":8:3])
// CHECK: acnn.global_avg_pool {{.*}} loc(fused<{acnn.kernel_name = "pool/global_avg_pool_1x4x8x8"}>["pool"("model.mlir":9:3)])
// CHECK: acnn.add {{.*}} loc(fused<{acnn.kernel_name = "add_4"}>[
func.func @main(%x: tensor<1x3x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<4xf32>) {
  %w = acnn.constant dense<0.5> : tensor<4x3x3x3xf32> loc("w")
  %b = acnn.constant dense<0.1> : tensor<4xf32> loc("b")
  %c = acnn.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32> loc("/layer1/conv 1/Conv")
  %r = acnn.relu %c : tensor<1x4x8x8xf32> loc("model.mlir":7:3)
  %s = acnn.relu %r : tensor<1x4x8x8xf32> loc("model.mlir":8:3)
  %p = acnn.global_avg_pool %s : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32> loc("pool"("model.mlir":9:3))
  %v = acnn.add %b, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> loc("model.mlir":10:3)
  return %s, %v : tensor<1x4x8x8xf32>, tensor<4xf32>
}
