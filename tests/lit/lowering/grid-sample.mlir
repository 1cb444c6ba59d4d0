// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// Bilinear with zero padding: one generic over [N, C, Ho, Wo] reading the
// grid's x and y, four pixels read at clamped indices, each 0 outside.
// CHECK-LABEL: func @bilinear_zeros
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract
// CHECK-NOT: tensor.extract
// CHECK: arith.select
// CHECK-NOT: acnn.
func.func @bilinear_zeros(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32> {
  %y = acnn.grid_sample %x, %g {mode = "bilinear", padding_mode = "zeros", align_corners = false} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return %y : tensor<1x3x4x5xf32>
}

// -----

// Nearest with border padding: the point clamped to the edge, one pixel read
// at the coordinates rounded half to even.
// CHECK-LABEL: func @nearest_border
// CHECK: linalg.generic
// CHECK: math.roundeven
// CHECK: tensor.extract
// CHECK-NOT: tensor.extract
// CHECK-NOT: math.floor
func.func @nearest_border(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32> {
  %y = acnn.grid_sample %x, %g {mode = "nearest", padding_mode = "border", align_corners = true} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return %y : tensor<1x3x4x5xf32>
}
