// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// Weights keep their attribute.
// CHECK-LABEL: func @constant
// CHECK-NOT: acnn.
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = acnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func @concat
// CHECK: tensor.concat dim(2) %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<2x3x2xf32>) -> tensor<2x3x6xf32>
func.func @concat(%a: tensor<2x3x4xf32>, %b: tensor<2x3x2xf32>) -> tensor<2x3x6xf32> {
  %0 = acnn.concat %a, %b {axis = -1 : i64} : (tensor<2x3x4xf32>, tensor<2x3x2xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

// CHECK-LABEL: func @split
// CHECK: %[[A:.*]] = tensor.extract_slice %arg0[0, 0, 0] [2, 1, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<2x1x4xf32>
// CHECK: %[[B:.*]] = tensor.extract_slice %arg0[0, 1, 0] [2, 2, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<2x2x4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @split(%a: tensor<2x3x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>) {
  %0:2 = acnn.split %a {axis = 1 : i64, sizes = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>)
  return %0#0, %0#1 : tensor<2x1x4xf32>, tensor<2x2x4xf32>
}

// -----

// CHECK-LABEL: func @slice_forward
// CHECK: tensor.extract_slice %arg0[1, 0, 2] [3, 3, 3] [1, 2, 2] : tensor<5x6x7xf32> to tensor<3x3x3xf32>
func.func @slice_forward(%s: tensor<5x6x7xf32>) -> tensor<3x3x3xf32> {
  %0 = acnn.slice %s {starts = array<i64: 1, 0, 2>, ends = array<i64: 4, 6, 7>, steps = array<i64: 1, 2, 2>} : (tensor<5x6x7xf32>) -> tensor<3x3x3xf32>
  return %0 : tensor<3x3x3xf32>
}

// -----

// Negative steps read backwards: a copy through i -> start + step * i.
// CHECK-DAG: #[[BACK:.*]] = affine_map<(d0, d1, d2) -> (-d0 + 4, d1 * -2 + 5, d2 * 3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @slice_backward
// CHECK: linalg.generic {indexing_maps = [#[[BACK]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<5x6x7xf32>) outs(%{{.*}} : tensor<5x3x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: linalg.yield %[[IN]] : f32
func.func @slice_backward(%s: tensor<5x6x7xf32>) -> tensor<5x3x3xf32> {
  %0 = acnn.slice %s {starts = array<i64: 4, 5, 0>, ends = array<i64: -1, 0, 7>, steps = array<i64: -1, -2, 3>} : (tensor<5x6x7xf32>) -> tensor<5x3x3xf32>
  return %0 : tensor<5x3x3xf32>
}

// -----

// A single index is a one-wide slice; the axis then disappears.
// CHECK-LABEL: func @gather_index
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0, 64, 0] [1, 1, 32] [1, 1, 1] : tensor<1x65x32xf32> to tensor<1x1x32xf32>
// CHECK: tensor.collapse_shape %[[S]] {{\[\[}}0], [1, 2]] : tensor<1x1x32xf32> into tensor<1x32xf32>
func.func @gather_index(%x: tensor<1x65x32xf32>) -> tensor<1x32xf32> {
  %0 = acnn.gather %x {axis = 1 : i64, indices = dense<-1> : tensor<i64>} : (tensor<1x65x32xf32>) -> tensor<1x32xf32>
  return %0 : tensor<1x32xf32>
}

// -----

// Evenly stepping indices are a strided slice, reshaped to the indices' shape.
// CHECK-LABEL: func @gather_strided
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0, 1, 0] [4, 2, 6] [1, 2, 1] : tensor<4x5x6xf32> to tensor<4x2x6xf32>
// CHECK: tensor.expand_shape %[[S]] {{\[\[}}0], [1, 2], [3]] output_shape [4, 1, 2, 6]
func.func @gather_strided(%g: tensor<4x5x6xf32>) -> tensor<4x1x2x6xf32> {
  %0 = acnn.gather %g {axis = 1 : i64, indices = dense<[[1, 3]]> : tensor<1x2xi64>} : (tensor<4x5x6xf32>) -> tensor<4x1x2x6xf32>
  return %0 : tensor<4x1x2x6xf32>
}

// -----

// Other indices (negatives taken from the end) come from a constant table
// read along the gathered axes, each element then extracted from the input.
// CHECK-DAG: #[[TABLE:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @gather_table
// CHECK: %[[T:.*]] = arith.constant dense<[3, 0, 1]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[TABLE]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[T]] : tensor<3xi64>) outs(%{{.*}} : tensor<4x3x6xf32>)
// CHECK: ^bb0(%[[IDX:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[I0:.*]] = linalg.index 0 : index
// CHECK: %[[I1:.*]] = arith.index_cast %[[IDX]] : i64 to index
// CHECK: %[[I2:.*]] = linalg.index 2 : index
// CHECK: %[[E:.*]] = tensor.extract %arg0[%[[I0]], %[[I1]], %[[I2]]] : tensor<4x5x6xf32>
// CHECK: linalg.yield %[[E]] : f32
func.func @gather_table(%g: tensor<4x5x6xf32>) -> tensor<4x3x6xf32> {
  %0 = acnn.gather %g {axis = 1 : i64, indices = dense<[3, 0, -4]> : tensor<3xi64>} : (tensor<4x5x6xf32>) -> tensor<4x3x6xf32>
  return %0 : tensor<4x3x6xf32>
}

// -----

// Reshapes that only group axes are one collapse or expand; others go
// through 1-D.
// CHECK-LABEL: func @reshape
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[B:.*]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: return %[[A]], %[[B]]
func.func @reshape(%a: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<4x6xf32>) {
  %0 = acnn.reshape %a : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = acnn.reshape %a : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0, %1 : tensor<6x4xf32>, tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func @flatten
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2, 3]] : tensor<1x64x1x1xf32> into tensor<1x64xf32>
func.func @flatten(%x: tensor<1x64x1x1xf32>) -> tensor<1x64xf32> {
  %0 = acnn.flatten %x : (tensor<1x64x1x1xf32>) -> tensor<1x64xf32>
  return %0 : tensor<1x64xf32>
}

// -----

// CHECK-LABEL: func @transpose
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x1x4x65x8xf32>
// CHECK: linalg.transpose ins(%arg0 : tensor<1x65x3x4x8xf32>) outs(%[[E]] : tensor<3x1x4x65x8xf32>) permutation = [2, 0, 3, 1, 4]
func.func @transpose(%x: tensor<1x65x3x4x8xf32>) -> tensor<3x1x4x65x8xf32> {
  %0 = acnn.transpose %x {perm = array<i64: 2, 0, 3, 1, 4>} : (tensor<1x65x3x4x8xf32>) -> tensor<3x1x4x65x8xf32>
  return %0 : tensor<3x1x4x65x8xf32>
}

// -----

// A transpose that moves only axes of extent 1 keeps the elements in order:
// a reshape, no copy.
// CHECK-LABEL: func @transpose_unit_axes
// CHECK-NOT: linalg.transpose
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{.*}} output_shape [5, 1, 8]
// CHECK: return %[[E]]
func.func @transpose_unit_axes(%x: tensor<1x5x8xf32>) -> tensor<5x1x8xf32> {
  %0 = acnn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<1x5x8xf32>) -> tensor<5x1x8xf32>
  return %0 : tensor<5x1x8xf32>
}

// -----

// ONNX pads [begin..., end...] with the op's value.
// CHECK-LABEL: func @pad
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %arg0 low[0, 1] high[1, 3]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<2x3xf32> to tensor<3x7xf32>
func.func @pad(%x: tensor<2x3xf32>) -> tensor<3x7xf32> {
  %0 = acnn.pad %x {pads = array<i64: 0, 1, 1, 3>, value = 1.5 : f32} : (tensor<2x3xf32>) -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// expand is a broadcasting copy.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func @expand
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<3x1xf32> into tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[C]] : tensor<3xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = acnn.expand %x {shape = array<i64: 2, 3, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
