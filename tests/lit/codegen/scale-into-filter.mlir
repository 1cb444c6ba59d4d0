// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-scale-into-filter))" | FileCheck %s

// Squeeze-excite's gate before a 1x1 projection on an 8x8 map: the filter's
// 1 x 1 x 4 output channels are fewer than the map's 64 pixels, so the gate
// scales the filter's input channels and the conv reads the map unscaled.
// CHECK-LABEL: func @gate_into_filter
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x16xf32>, %[[G:.*]]: tensor<1x16xf32>, %[[W:.*]]: tensor<1x1x16x4xf32>
// CHECK: %[[ROW:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1]] : tensor<1x16xf32> into tensor<16xf32>
// CHECK: %[[WS:.*]] = linalg.generic {indexing_maps = [#[[ID:.*]], #[[C:.*]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[W]], %[[ROW]] : tensor<1x1x16x4xf32>, tensor<16xf32>)
// CHECK: arith.mulf
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %[[WS]] : tensor<1x8x8x16xf32>, tensor<1x1x16x4xf32>)
// CHECK-NOT: linalg.generic
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bc = affine_map<(n, h, w, c) -> (n, c)>
func.func @gate_into_filter(%x: tensor<1x8x8x16xf32>, %g: tensor<1x16xf32>, %w: tensor<1x1x16x4xf32>, %acc: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %e = tensor.empty() : tensor<1x8x8x16xf32>
  %s = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %g : tensor<1x8x8x16xf32>, tensor<1x16xf32>) outs(%e : tensor<1x8x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s, %w : tensor<1x8x8x16xf32>, tensor<1x1x16x4xf32>) outs(%acc : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// CHECK-DAG: #[[ID]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[C]] = affine_map<(d0, d1, d2, d3) -> (d2)>

// -----

// The gate as the generic's first input works the same; a 3x3 filter
// scales all its taps.
// CHECK-LABEL: func @gate_first_3x3
// CHECK: tensor.collapse_shape
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x3x16x4xf32>, tensor<16xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%arg0, %{{.*}} : tensor<1x10x10x16xf32>, tensor<3x3x16x4xf32>)
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bc = affine_map<(n, h, w, c) -> (n, c)>
func.func @gate_first_3x3(%x: tensor<1x10x10x16xf32>, %g: tensor<1x16xf32>, %w: tensor<3x3x16x4xf32>, %acc: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %e = tensor.empty() : tensor<1x10x10x16xf32>
  %s = linalg.generic {indexing_maps = [#bc, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%g, %x : tensor<1x16xf32>, tensor<1x10x10x16xf32>) outs(%e : tensor<1x10x10x16xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %r = arith.mulf %b, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x10x10x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x4xf32>) outs(%acc : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// Left alone: a filter bigger than the map (1 x 1 x 128 output channels
// against 4 x 4 pixels), a scaled map something else reads too, a batch of
// 2 (a gate row per image), and a product of the map with itself.
// CHECK-LABEL: func @unchanged
// CHECK-NOT: tensor.collapse_shape
// CHECK: return
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bc = affine_map<(n, h, w, c) -> (n, c)>
func.func @unchanged(%x: tensor<1x4x4x16xf32>, %g: tensor<1x16xf32>, %w: tensor<1x1x16x128xf32>, %acc: tensor<1x4x4x128xf32>,
                     %x2: tensor<2x8x8x16xf32>, %g2: tensor<2x16xf32>, %w2: tensor<1x1x16x4xf32>, %acc2: tensor<2x8x8x4xf32>,
                     %x3: tensor<1x8x8x16xf32>, %g3: tensor<1x16xf32>, %acc3: tensor<1x8x8x4xf32>)
    -> (tensor<1x4x4x128xf32>, tensor<2x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>) {
  %e = tensor.empty() : tensor<1x4x4x16xf32>
  %s = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %g : tensor<1x4x4x16xf32>, tensor<1x16xf32>) outs(%e : tensor<1x4x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s, %w : tensor<1x4x4x16xf32>, tensor<1x1x16x128xf32>) outs(%acc : tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32>
  %e2 = tensor.empty() : tensor<2x8x8x16xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x2, %g2 : tensor<2x8x8x16xf32>, tensor<2x16xf32>) outs(%e2 : tensor<2x8x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x8x8x16xf32>
  %y2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s2, %w2 : tensor<2x8x8x16xf32>, tensor<1x1x16x4xf32>) outs(%acc2 : tensor<2x8x8x4xf32>) -> tensor<2x8x8x4xf32>
  %e3 = tensor.empty() : tensor<1x8x8x16xf32>
  %s3 = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x3, %g3 : tensor<1x8x8x16xf32>, tensor<1x16xf32>) outs(%e3 : tensor<1x8x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x16xf32>
  %y3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s3, %w2 : tensor<1x8x8x16xf32>, tensor<1x1x16x4xf32>) outs(%acc3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %s4 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x3, %x3 : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) outs(%e3 : tensor<1x8x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x16xf32>
  %y4 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%s4, %w2 : tensor<1x8x8x16xf32>, tensor<1x1x16x4xf32>) outs(%acc3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return %y, %y2, %y3, %s3, %y4 : tensor<1x4x4x128xf32>, tensor<2x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>
}
