// RUN: acnn-opt %s -split-input-file -acnn-fuse-cbam -canonicalize | FileCheck %s

// CBAM as exported from PyTorch: a shared 1x1-conv MLP on the average and
// the (whole-map max_pool2d) maximum, then mean / max over channels into a
// 7x7 conv.
// CHECK-LABEL: func @cbam
// CHECK: %[[W1:.*]] = acnn.reshape %{{.*}} : (tensor<2x8x1x1xf32>) -> tensor<2x8xf32>
// CHECK: %[[W2:.*]] = acnn.reshape %{{.*}} : (tensor<8x2x1x1xf32>) -> tensor<8x2xf32>
// CHECK: %[[CA:.*]] = acnn.channel_attention %arg0, %[[W1]], %{{.*}}, %[[W2]], %{{.*}} : (tensor<1x8x6x6xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<8x2xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK: %[[SA:.*]] = acnn.spatial_attention %[[CA]], %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>}
// CHECK-NEXT: return %[[SA]]
func.func @cbam(%x: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w1 = acnn.constant dense<0.3> : tensor<2x8x1x1xf32>
  %w2 = acnn.constant dense<0.1> : tensor<8x2x1x1xf32>
  %ws = acnn.constant dense<0.05> : tensor<1x2x7x7xf32>
  %avg = acnn.global_avg_pool %x : (tensor<1x8x6x6xf32>) -> tensor<1x8x1x1xf32>
  %a1 = acnn.conv2d %avg, %w1 : (tensor<1x8x1x1xf32>, tensor<2x8x1x1xf32>) -> tensor<1x2x1x1xf32>
  %a2 = acnn.relu %a1 : tensor<1x2x1x1xf32>
  %a3 = acnn.conv2d %a2, %w2 : (tensor<1x2x1x1xf32>, tensor<8x2x1x1xf32>) -> tensor<1x8x1x1xf32>
  %max = acnn.max_pool2d %x {kernel = array<i64: 6, 6>, strides = array<i64: 6, 6>} : (tensor<1x8x6x6xf32>) -> tensor<1x8x1x1xf32>
  %m1 = acnn.conv2d %max, %w1 : (tensor<1x8x1x1xf32>, tensor<2x8x1x1xf32>) -> tensor<1x2x1x1xf32>
  %m2 = acnn.relu %m1 : tensor<1x2x1x1xf32>
  %m3 = acnn.conv2d %m2, %w2 : (tensor<1x2x1x1xf32>, tensor<8x2x1x1xf32>) -> tensor<1x8x1x1xf32>
  %sum = acnn.add %a3, %m3 : (tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %g = acnn.sigmoid %sum : tensor<1x8x1x1xf32>
  %c = acnn.mul %x, %g : (tensor<1x8x6x6xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x6x6xf32>
  %mean_c = acnn.reduce_mean %c {axes = array<i64: 1>} : (tensor<1x8x6x6xf32>) -> tensor<1x1x6x6xf32>
  %max_c = acnn.reduce_max %c {axes = array<i64: 1>} : (tensor<1x8x6x6xf32>) -> tensor<1x1x6x6xf32>
  %cat = acnn.concat %mean_c, %max_c {axis = 1 : i64} : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x2x6x6xf32>
  %s = acnn.conv2d %cat, %ws {pads = array<i64: 3, 3, 3, 3>} : (tensor<1x2x6x6xf32>, tensor<1x2x7x7xf32>) -> tensor<1x1x6x6xf32>
  %sg = acnn.sigmoid %s : tensor<1x1x6x6xf32>
  %y = acnn.mul %c, %sg : (tensor<1x8x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// Max before mean in the concat: the fused op's weight has its channels swapped.
// CHECK-LABEL: func @max_first
// CHECK: %[[W:.*]] = acnn.gather %{{.*}} {axis = 1 : i64, indices = dense<[1, 0]> : tensor<2xi64>}
// CHECK: acnn.spatial_attention %arg0, %[[W]], %{{.*}} {pads = array<i64: 1, 1, 1, 1>}
func.func @max_first(%x: tensor<2x4x5x5xf32>) -> tensor<2x4x5x5xf32> {
  %ws = acnn.constant dense<0.05> : tensor<1x2x3x3xf32>
  %b = acnn.constant dense<0.5> : tensor<1xf32>
  %mean_c = acnn.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x4x5x5xf32>) -> tensor<2x1x5x5xf32>
  %max_c = acnn.reduce_max %x {axes = array<i64: -3>} : (tensor<2x4x5x5xf32>) -> tensor<2x1x5x5xf32>
  %cat = acnn.concat %max_c, %mean_c {axis = 1 : i64} : (tensor<2x1x5x5xf32>, tensor<2x1x5x5xf32>) -> tensor<2x2x5x5xf32>
  %s = acnn.conv2d %cat, %ws, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<2x2x5x5xf32>, tensor<1x2x3x3xf32>, tensor<1xf32>) -> tensor<2x1x5x5xf32>
  %sg = acnn.sigmoid %s : tensor<2x1x5x5xf32>
  %y = acnn.mul %sg, %x : (tensor<2x1x5x5xf32>, tensor<2x4x5x5xf32>) -> tensor<2x4x5x5xf32>
  return %y : tensor<2x4x5x5xf32>
}
