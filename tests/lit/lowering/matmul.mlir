// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// CHECK-LABEL: func @matmul_2d
// CHECK-NOT: acnn.
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x6xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%arg0, %arg1 : tensor<4x5xf32>, tensor<5x6xf32>) outs(%[[INIT]] : tensor<4x6xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<4x5xf32>, %b: tensor<5x6xf32>) -> tensor<4x6xf32> {
  %0 = acnn.matmul %a, %b : (tensor<4x5xf32>, tensor<5x6xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// One rhs matrix for a batch of lhs matrices: their rows stack into one matmul.
// CHECK-LABEL: func @matmul_shared_rhs
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2], [3]] : tensor<2x3x4x5xf32> into tensor<24x5xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A]], %arg1 : tensor<24x5xf32>, tensor<5x6xf32>) outs(%{{.*}} : tensor<24x6xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1, 2], [3]] output_shape [2, 3, 4, 6] : tensor<24x6xf32> into tensor<2x3x4x6xf32>
func.func @matmul_shared_rhs(%a: tensor<2x3x4x5xf32>, %b: tensor<5x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = acnn.matmul %a, %b : (tensor<2x3x4x5xf32>, tensor<5x6xf32>) -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// -----

// Equal batch axes collapse into the one batch axis of batch_matmul.
// CHECK-LABEL: func @matmul_batched
// CHECK-DAG: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<1x4x65x8xf32> into tensor<4x65x8xf32>
// CHECK-DAG: %[[B:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<1x4x8x65xf32> into tensor<4x8x65xf32>
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<4x65x8xf32>, tensor<4x8x65xf32>) outs(%{{.*}} : tensor<4x65x65xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 4, 65, 65]
func.func @matmul_batched(%a: tensor<1x4x65x8xf32>, %b: tensor<1x4x8x65xf32>) -> tensor<1x4x65x65xf32> {
  %0 = acnn.matmul %a, %b : (tensor<1x4x65x8xf32>, tensor<1x4x8x65xf32>) -> tensor<1x4x65x65xf32>
  return %0 : tensor<1x4x65x65xf32>
}

// -----

// Batch axes that broadcast against each other: a contraction generic over
// (b0, b1, m, n, k) reading each operand through its own batch axes.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @matmul_broadcast
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2], [3]] : tensor<2x1x4x5xf32> into tensor<2x4x5xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x4x6xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[A]], %arg1 : tensor<2x4x5xf32>, tensor<3x5x6xf32>) outs(%[[INIT]] : tensor<2x3x4x6xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK: arith.addf %[[ACC]], %[[P]] : f32
func.func @matmul_broadcast(%a: tensor<2x1x4x5xf32>, %b: tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = acnn.matmul %a, %b : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// -----

// linear: a matmul with the weight read transposed, accumulating onto the
// bias broadcast over the rows.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[WT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @linear
// CHECK: %[[E:.*]] = tensor.empty() : tensor<6x7xf32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%arg2 : tensor<7xf32>) outs(%[[E]] : tensor<6x7xf32>) dimensions = [0]
// CHECK: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x5xf32> into tensor<6x5xf32>
// CHECK: %[[M:.*]] = linalg.matmul indexing_maps = [#[[A]], #[[WT]], #[[C]]] ins(%[[X]], %arg1 : tensor<6x5xf32>, tensor<7x5xf32>) outs(%[[B]] : tensor<6x7xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 7]
func.func @linear(%x: tensor<2x3x5xf32>, %w: tensor<7x5xf32>, %b: tensor<7xf32>) -> tensor<2x3x7xf32> {
  %0 = acnn.linear %x, %w, %b : (tensor<2x3x5xf32>, tensor<7x5xf32>, tensor<7xf32>) -> tensor<2x3x7xf32>
  return %0 : tensor<2x3x7xf32>
}

// -----

// CHECK-LABEL: func @linear_no_bias
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x10xf32>)
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%arg0, %arg1 : tensor<1x32xf32>, tensor<10x32xf32>) outs(%[[INIT]] : tensor<1x10xf32>)
func.func @linear_no_bias(%x: tensor<1x32xf32>, %w: tensor<10x32xf32>) -> tensor<1x10xf32> {
  %0 = acnn.linear %x, %w : (tensor<1x32xf32>, tensor<10x32xf32>) -> tensor<1x10xf32>
  return %0 : tensor<1x10xf32>
}

// -----

// A linear over [N, tokens, K] is a matmul on its rows; its epilogue (the
// residual add and GELU) reads the [rows, N] matmul directly, before the
// reshape back, so acnn-group-epilogues can put both in one kernel.
// CHECK-LABEL: func @linear_epilogue_on_rows
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} -> tensor<6x7xf32>
// CHECK: %[[RES:.*]] = tensor.collapse_shape %arg3 {{\[\[}}0, 1], [2]] : tensor<2x3x7xf32> into tensor<6x7xf32>
// CHECK: %[[EPI:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[RES]] : tensor<6x7xf32>, tensor<6x7xf32>)
// CHECK: math.erf
// CHECK: tensor.expand_shape %[[EPI]] {{\[\[}}0, 1], [2]] {{.*}} : tensor<6x7xf32> into tensor<2x3x7xf32>
func.func @linear_epilogue_on_rows(%x: tensor<2x3x5xf32>, %w: tensor<7x5xf32>, %b: tensor<7xf32>, %r: tensor<2x3x7xf32>) -> tensor<2x3x7xf32> {
  %0 = acnn.linear %x, %w, %b residual(%r) {activation = "gelu"} : (tensor<2x3x5xf32>, tensor<7x5xf32>, tensor<7xf32>, tensor<2x3x7xf32>) -> tensor<2x3x7xf32>
  return %0 : tensor<2x3x7xf32>
}
