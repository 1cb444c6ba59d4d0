// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// Zero padding [top, left, bottom, right] = [1, 0, 2, 1]: the windows of the
// 5x7 output reach only one row and one column past the input, so that is
// all the high side gets. The bias, broadcast over N, H and W, is the
// accumulator's initial value.
// CHECK-LABEL: func @conv_bias_padded
// CHECK-NOT: acnn.
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x4x9x10xf32> to tensor<1x4x11x11xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x6x5x7xf32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%arg2 : tensor<6xf32>) outs(%[[E]] : tensor<1x6x5x7xf32>) dimensions = [0, 2, 3]
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<1x4x11x11xf32>, tensor<6x4x3x3xf32>) outs(%[[B]] : tensor<1x6x5x7xf32>)
// CHECK: return %[[C]]
func.func @conv_bias_padded(%x: tensor<1x4x9x10xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x5x7xf32> {
  %0 = acnn.conv2d %x, %w, %b {pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>} : (tensor<1x4x9x10xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x5x7xf32>
  return %0 : tensor<1x6x5x7xf32>
}

// -----

// Without padding or bias: no tensor.pad, a zero-filled accumulator.
// CHECK-LABEL: func @conv_plain
// CHECK-NOT: tensor.pad
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4x7x7xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%arg0, %arg1 : tensor<2x3x7x7xf32>, tensor<4x3x1x1xf32>) outs(%[[F]] : tensor<2x4x7x7xf32>)
func.func @conv_plain(%x: tensor<2x3x7x7xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<2x4x7x7xf32> {
  %0 = acnn.conv2d %x, %w : (tensor<2x3x7x7xf32>, tensor<4x3x1x1xf32>) -> tensor<2x4x7x7xf32>
  return %0 : tensor<2x4x7x7xf32>
}

// -----

// One filter per channel: the depthwise op on the [C, KH, KW] weight.
// CHECK-LABEL: func @conv_depthwise
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : tensor<1x4x9x9xf32>, tensor<4x3x3xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>)
func.func @conv_depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = acnn.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Groups split the channel axes of input, weight and accumulator into
// [groups, per group].
// CHECK-LABEL: func @conv_grouped
// CHECK-DAG: %[[X:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6] : tensor<1x4x6x6xf32> into tensor<1x2x2x6x6xf32>
// CHECK-DAG: %[[W:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK-DAG: %[[I:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 3, 4, 4] : tensor<1x6x4x4xf32> into tensor<1x2x3x4x4xf32>
// CHECK: %[[C:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%[[I]] : tensor<1x2x3x4x4xf32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @conv_grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = acnn.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Max pooling pads with -inf, which never wins; ceil_mode's extra window
// needs one more column of it than the pads give.
// CHECK-LABEL: func @max_pool_ceil
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 2]
// CHECK: tensor.yield %[[NEG_INF]] : f32
// CHECK: } : tensor<1x2x7x8xf32> to tensor<1x2x9x11xf32>
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x4x5xf32>)
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WIN]] : tensor<1x2x9x11xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x4x5xf32>)
func.func @max_pool_ceil(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x4x5xf32> {
  %0 = acnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<1x2x7x8xf32>) -> tensor<1x2x4x5xf32>
  return %0 : tensor<1x2x4x5xf32>
}

// -----

// Without count_include_pad, edge windows count only the elements inside the
// input: the sum pool is divided by a constant [OH, OW] table.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[HW:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func @avg_pool_edges
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 2]
// CHECK: tensor.yield %{{.*}} : f32
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: %[[DIV:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 6.000000e+00, 6.000000e+00, 2.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 9.000000e+00, 3.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 9.000000e+00, 3.000000e+00], [4.000000e+00, 6.000000e+00, 6.000000e+00, 6.000000e+00, 2.000000e+00]]> : tensor<4x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[HW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUM]], %[[DIV]] : tensor<1x2x4x5xf32>, tensor<4x5xf32>)
// CHECK: arith.divf
func.func @avg_pool_edges(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x4x5xf32> {
  %0 = acnn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<1x2x7x8xf32>) -> tensor<1x2x4x5xf32>
  return %0 : tensor<1x2x4x5xf32>
}

// -----

// With count_include_pad the padded 5x5 input's 2x2 windows all count 4.
// CHECK-LABEL: func @avg_pool_uniform
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<2x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x1x3x3xf32>)
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: arith.divf %{{.*}}, %[[FOUR]] : f32
func.func @avg_pool_uniform(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = acnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, count_include_pad = true} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}
