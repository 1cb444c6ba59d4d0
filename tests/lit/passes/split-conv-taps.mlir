// RUN: acnn-opt %s -split-input-file -acnn-split-conv-taps | FileCheck %s

// ASPP at a low output stride: 3x3 taps 6 apart on an 8x8 map read the map
// at a quarter of their positions. The centre tap is a 1x1 conv over the
// whole map with the bias; each other tap a 1x1 conv over the input region it
// reads, padded back to the map where it lands, and added.
// CHECK-LABEL: func @aspp
// CHECK: %[[W:.*]] = acnn.constant dense<5.000000e-01> : tensor<4x2x3x3xf32>
// CHECK: %[[B:.*]] = acnn.constant dense<2.500000e-01> : tensor<4xf32>
// The top-left tap reads the map's top-left 2x2 for the bottom-right 2x2.
// CHECK: %[[X0:.*]] = acnn.slice %arg0 {ends = array<i64: 1, 2, 2, 2>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[W0:.*]] = acnn.slice %[[W]] {ends = array<i64: 4, 2, 1, 1>, starts = array<i64: 0, 0, 0, 0>
// CHECK: %[[Y0:.*]] = acnn.conv2d %[[X0]], %[[W0]] : (tensor<1x2x2x2xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[P0:.*]] = acnn.pad %[[Y0]] {pads = array<i64: 0, 0, 6, 6, 0, 0, 0, 0>}
// CHECK: %[[WC:.*]] = acnn.slice %[[W]] {ends = array<i64: 4, 2, 2, 2>, starts = array<i64: 0, 0, 1, 1>
// CHECK: %[[C:.*]] = acnn.conv2d %arg0, %[[WC]], %[[B]] : (tensor<1x2x8x8xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK: %[[S:.*]] = acnn.add %[[C]], %[[P0]]
// CHECK-COUNT-7: acnn.add
// CHECK-NOT: acnn.conv2d
// CHECK: return
func.func @aspp(%x: tensor<1x2x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = acnn.constant dense<0.5> : tensor<4x2x3x3xf32>
  %b = acnn.constant dense<0.25> : tensor<4xf32>
  %y = acnn.conv2d %x, %w, %b {dilations = array<i64: 6, 6>, pads = array<i64: 6, 6, 6, 6>} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// A 3x3 conv dilated 4 on a 28x28 map reads the map at 82% of its
// tap-positions (a dilated ResNet's layer 4): one conv is faster than nine.
// CHECK-LABEL: func @mostly_on_the_map
// CHECK: acnn.conv2d %arg0, %arg1 {dilations = array<i64: 4, 4>, pads = array<i64: 4, 4, 4, 4>}
// CHECK-NOT: acnn.pad
func.func @mostly_on_the_map(%x: tensor<1x2x28x28xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x28x28xf32> {
  %y = acnn.conv2d %x, %w {dilations = array<i64: 4, 4>, pads = array<i64: 4, 4, 4, 4>} : (tensor<1x2x28x28xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x28x28xf32>
  return %y : tensor<1x3x28x28xf32>
}

// -----

// Strided, with an epilogue already fused, with no tap covering the whole
// output (the bias would have no home), or not atrous (CBAM's 7x7 spatial
// gate on a 5x5 map, which its fusion must still see): left alone.
// CHECK-LABEL: func @left_alone
// CHECK-COUNT-4: acnn.conv2d
// CHECK-NOT: acnn.add
func.func @left_alone(%x: tensor<1x2x8x8xf32>, %w: tensor<3x2x3x3xf32>, %m: tensor<1x2x5x5xf32>, %g: tensor<1x2x7x7xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x2x2xf32>, tensor<1x1x5x5xf32>) {
  %a = acnn.conv2d %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 6, 6>, pads = array<i64: 6, 6, 6, 6>} : (tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x4x4xf32>
  %b = acnn.conv2d %x, %w {activation = "relu", dilations = array<i64: 6, 6>, pads = array<i64: 6, 6, 6, 6>} : (tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x8x8xf32>
  %c = acnn.conv2d %x, %w {dilations = array<i64: 3, 3>} : (tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x2x2xf32>
  %d = acnn.conv2d %m, %g {pads = array<i64: 3, 3, 3, 3>} : (tensor<1x2x5x5xf32>, tensor<1x2x7x7xf32>) -> tensor<1x1x5x5xf32>
  return %a, %b, %c, %d : tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>, tensor<1x3x2x2xf32>, tensor<1x1x5x5xf32>
}
