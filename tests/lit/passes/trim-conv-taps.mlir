// RUN: acnn-opt %s -split-input-file -acnn-trim-conv-taps | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-trim-conv-taps -acnn-fold-constants | FileCheck %s --check-prefix=FOLDED

// ASPP's widest branch: 3x3 taps 12 apart on an 8x8 map read only padding
// but for the centre one, so the conv is its centre tap, a 1x1 conv without
// padding; the bias and epilogue stay.
// CHECK-LABEL: func @dilated_past_the_map
// CHECK: %[[W:.*]] = acnn.slice %{{.*}} {ends = array<i64: 4, 2, 2, 2>, starts = array<i64: 0, 0, 1, 1>, steps = array<i64: 1, 1, 1, 1>} : (tensor<4x2x3x3xf32>) -> tensor<4x2x1x1xf32>
// CHECK: acnn.conv2d %arg0, %[[W]], %{{.*}} {activation = "relu", dilations = array<i64: 12, 12>} :
// FOLDED-LABEL: func @dilated_past_the_map
// FOLDED: %[[W:.*]] = acnn.constant dense<{{.*}}> : tensor<4x2x1x1xf32>
// FOLDED: acnn.conv2d %arg0, %[[W]]
func.func @dilated_past_the_map(%x: tensor<1x2x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %b = acnn.constant dense<0.25> : tensor<4xf32>
  %y = acnn.conv2d %x, %w, %b {activation = "relu", dilations = array<i64: 12, 12>, pads = array<i64: 12, 12, 12, 12>} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Dilation 6 on a 6-row, 10-column map: along the rows only the centre tap
// reads the map; along the columns every tap does, so they and their padding
// stay. Runs without a constant weight too.
// CHECK-LABEL: func @rows_only
// CHECK: %[[W:.*]] = acnn.slice %arg1 {ends = array<i64: 3, 2, 2, 3>, starts = array<i64: 0, 0, 1, 0>, steps = array<i64: 1, 1, 1, 1>} : (tensor<3x2x3x3xf32>) -> tensor<3x2x1x3xf32>
// CHECK: acnn.conv2d %arg0, %[[W]] {dilations = array<i64: 6, 6>, pads = array<i64: 0, 6, 0, 6>}
func.func @rows_only(%x: tensor<1x2x6x10xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x10xf32> {
  %y = acnn.conv2d %x, %w {dilations = array<i64: 6, 6>, pads = array<i64: 6, 6, 6, 6>} : (tensor<1x2x6x10xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x10xf32>
  return %y : tensor<1x3x6x10xf32>
}

// -----

// A 3x3 conv with padding 1 on a 1x1 map (a small input's last stage):
// only the centre tap reads the pixel.
// CHECK-LABEL: func @one_pixel
// CHECK: %[[W:.*]] = acnn.slice {{.*}} -> tensor<8x4x1x1xf32>
// CHECK: acnn.conv2d %arg0, %[[W]] : (
func.func @one_pixel(%x: tensor<1x4x1x1xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x1x1xf32> {
  %y = acnn.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x1x1xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x1x1xf32>
  return %y : tensor<1x8x1x1xf32>
}

// -----

// A conv with padding 1 on a 2x2 map: tap 0 reads input -1 (padding) at
// output 0 only, so every tap is live and the conv stays. So does one whose
// dropped taps would leave negative padding: tap 0 of dilation 2 with padding
// 1 and stride 2 reads only the padding, but tap 1 reads input 1, past the
// first row.
// CHECK-LABEL: func @kept
// CHECK-NOT: acnn.slice
// CHECK: acnn.conv2d %arg0, %arg1 {pads = array<i64: 1, 1, 1, 1>} :
// CHECK: acnn.conv2d %arg2, %arg3 {dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>}
func.func @kept(%x: tensor<1x2x2x2xf32>, %w: tensor<2x2x3x3xf32>, %u: tensor<1x1x3x3xf32>, %v: tensor<1x1x2x2xf32>)
    -> (tensor<1x2x2x2xf32>, tensor<1x1x1x1xf32>) {
  %y = acnn.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
  %z = acnn.conv2d %u, %v {dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  return %y, %z : tensor<1x2x2x2xf32>, tensor<1x1x1x1xf32>
}
