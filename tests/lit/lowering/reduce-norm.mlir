// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// A reduction generic writes the kept axes from a zero fill; the mean divides
// by the count, and keepdims restores the reduced axes as 1.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK-LABEL: func @reduce_mean_keepdims
// CHECK-NOT: acnn.
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4x5xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: arith.addf %[[ACC]], %[[IN]] : f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x4xf32>)
// CHECK: %[[N:.*]] = arith.constant 1.500000e+01 : f32
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
// CHECK: tensor.expand_shape %[[MEAN]] {{\[\[}}0], [1, 2, 3]] output_shape [2, 1, 4, 1] : tensor<2x4xf32> into tensor<2x1x4x1xf32>
func.func @reduce_mean_keepdims(%x: tensor<2x3x4x5xf32>) -> tensor<2x1x4x1xf32> {
  %0 = acnn.reduce_mean %x {axes = array<i64: 1, -1>} : (tensor<2x3x4x5xf32>) -> tensor<2x1x4x1xf32>
  return %0 : tensor<2x1x4x1xf32>
}

// -----

// The maximum starts at -inf and uses the NaN-propagating maximumf.
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func @reduce_max
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<3x5xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KEPT]]], iterator_types = ["reduction", "parallel", "reduction", "parallel"]} ins(%arg0 : tensor<2x3x4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: arith.maximumf
// CHECK-NOT: tensor.expand_shape
func.func @reduce_max(%x: tensor<2x3x4x5xf32>) -> tensor<3x5xf32> {
  %0 = acnn.reduce_max %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Global pooling reduces every axis after N and C.
// CHECK-LABEL: func @global_avg_pool
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<1x8xf32>)
// CHECK: arith.constant 1.600000e+01 : f32
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] output_shape [1, 8, 1, 1]
func.func @global_avg_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  %0 = acnn.global_avg_pool %x : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// CHECK-LABEL: func @global_max_pool
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x7xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 3, 1]
func.func @global_max_pool(%x: tensor<2x3x7xf32>) -> tensor<2x3x1xf32> {
  %0 = acnn.global_max_pool %x : (tensor<2x3x7xf32>) -> tensor<2x3x1xf32>
  return %0 : tensor<2x3x1xf32>
}

// -----

// Softmax along an inner axis: the maximum along the axis, the sum of
// exp(x - max), then one parallel pass exp(x - max) / sum reading both
// statistics without the axis.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func @softmax
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<2x3x5xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %[[MAX]] : tensor<2x3x5xf32>, tensor<2x5xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[D:.*]] = arith.subf %[[X]], %[[M]] : f32
// CHECK: %[[E:.*]] = math.exp %[[D]] : f32
// CHECK: arith.addf %[[ACC]], %[[E]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] : tensor<2x3x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>)
// CHECK: math.exp
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = acnn.softmax %x {axis = 1 : i64} : tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Layer norm over the last axis: in an scf.forall over blocks of rows (16
// rows of 32, in 8 blocks of 2), each block's mean, sum of squared
// deviations and 1 / sqrt(var + eps), then (x - mean) * that * scale + bias
// written into the block's slice of the result. Each row is reduced into 16
// lanes first (whole vectors), then the lanes merged.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[LANES:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[ROW3:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW2:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[PARAM:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @layer_norm
// CHECK: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x8x32xf32> into tensor<16x32xf32>
// CHECK: %[[FORALL:.*]] = scf.forall (%[[I:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<16x32xf32>)
// CHECK: %[[FIRST:.*]] = arith.muli %[[I]], %c2
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[X]][%[[FIRST]], 0] [2, 32] [1, 1]
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[OUT]][%[[FIRST]], 0] [2, 32] [1, 1]
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[ROWS]] {{\[\[}}0], [1, 2]] output_shape [2, 2, 16]
// CHECK: %[[PARTIAL:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[LANES]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[SPLIT]] : tensor<2x2x16xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]]], iterator_types = ["parallel", "reduction"]} ins(%[[PARTIAL]] : tensor<2x16xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.constant 3.200000e+01 : f32
// CHECK: %[[SQP:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]], #[[LANES]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}}, %[[MEAN]] : tensor<2x2x16xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]]], iterator_types = ["parallel", "reduction"]} ins(%[[SQP]] : tensor<2x16xf32>)
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: math.sqrt
// CHECK: %[[NORM:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]], #[[ROW2]], #[[PARAM]], #[[PARAM]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[ROWS]], %[[MEAN]], %[[INV]], %arg1, %arg2 : tensor<2x32xf32>, tensor<2xf32>, tensor<2xf32>, tensor<32xf32>, tensor<32xf32>) outs(%[[DEST]] : tensor<2x32xf32>)
// CHECK: tensor.parallel_insert_slice %[[NORM]] into %[[OUT]][%[[FIRST]], 0] [2, 32] [1, 1]
// CHECK: tensor.expand_shape %[[FORALL]] {{\[\[}}0, 1], [2]] output_shape [2, 8, 32]
func.func @layer_norm(%x: tensor<2x8x32xf32>, %s: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<2x8x32xf32> {
  %0 = acnn.layer_norm %x, %s, %b : (tensor<2x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  return %0 : tensor<2x8x32xf32>
}

// -----

// Softmax over the last axis: row blocks as for layer norm (6 rows of 8, a
// row a block), the maximum reduced into 4 lanes a row first, then
// exp(x - max) written once into the block's slice of the result, its sum
// (again through 4 lanes), 1 / sum a row, and the exponentials scaled by it
// in place.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW2:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax_last_axis
// CHECK: scf.forall (%{{.*}}) in (6)
// CHECK: %[[ROW:.*]] = tensor.extract_slice %{{.*}} [1, 8] [1, 1]
// CHECK: %[[DEST:.*]] = tensor.extract_slice %{{.*}} [1, 8] [1, 1]
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[ROW]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 4]
// CHECK: %[[PMAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[SPLIT]] : tensor<1x2x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[PMAX]] : tensor<1x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[ROW]], %[[MAX]] : tensor<1x8xf32>, tensor<1xf32>) outs(%[[DEST]] : tensor<1x8xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[ESPLIT:.*]] = tensor.expand_shape %[[EXP]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 4]
// CHECK: %[[PSUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[ESPLIT]] : tensor<1x2x4xf32>)
// CHECK-NOT: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[PSUM]] : tensor<1x4xf32>)
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1xf32>)
// CHECK: arith.divf
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ROW2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[INV]] : tensor<1xf32>) outs(%[[EXP]] : tensor<1x8xf32>)
// CHECK: arith.mulf
// CHECK: tensor.parallel_insert_slice %[[OUT]]
func.func @softmax_last_axis(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  %0 = acnn.softmax %x {axis = 2 : i64} : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// A row of 36, which no lane count divides: its first 32 elements are
// reduced into 16 lanes, the last 4 added into the first 4 of them (an
// element-wise step into the lanes' slice), then the lanes merged; so for
// the maximum and for the sum of the exponentials.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW2:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax_tail
// CHECK: %[[ROW:.*]] = tensor.extract_slice %arg0[%{{.*}}, 0] [1, 36] [1, 1]
// CHECK: %[[WHOLE:.*]] = tensor.extract_slice %[[ROW]][0, 0] [1, 32] [1, 1]
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[WHOLE]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 16]
// CHECK: %[[PMAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[SPLIT]] : tensor<1x2x16xf32>)
// CHECK: %[[TAIL:.*]] = tensor.extract_slice %[[ROW]][0, 32] [1, 4] [1, 1]
// CHECK: %[[LANES:.*]] = tensor.extract_slice %[[PMAX]][0, 0] [1, 4] [1, 1]
// CHECK: %[[ADDED:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[TAIL]] : tensor<1x4xf32>) outs(%[[LANES]] : tensor<1x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[ALL:.*]] = tensor.insert_slice %[[ADDED]] into %[[PMAX]][0, 0] [1, 4] [1, 1]
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]]], iterator_types = ["parallel", "reduction"]} ins(%[[ALL]] : tensor<1x16xf32>)
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}} ins(%[[ROW]], %[[MAX]] : tensor<1x36xf32>, tensor<1xf32>)
// CHECK: math.exp
// CHECK: %[[EWHOLE:.*]] = tensor.extract_slice %[[EXP]][0, 0] [1, 32] [1, 1]
// CHECK: tensor.expand_shape %[[EWHOLE]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 16]
// CHECK: %[[ETAIL:.*]] = tensor.extract_slice %[[EXP]][0, 32] [1, 4] [1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[ETAIL]] : tensor<1x4xf32>)
// CHECK: arith.addf
func.func @softmax_tail(%x: tensor<2x36xf32>) -> tensor<2x36xf32> {
  %0 = acnn.softmax %x {axis = 1 : i64} : tensor<2x36xf32>
  return %0 : tensor<2x36xf32>
}

// -----

// Batch norm reads its four parameters along the channel axis.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %arg1, %arg2, %arg3, %arg4 :
// CHECK: math.sqrt
// CHECK: arith.divf
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %scale: tensor<3xf32>, %bias: tensor<3xf32>, %mean: tensor<3xf32>, %var: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = acnn.batch_norm %x, %scale, %bias, %mean, %var : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// argmax: the NaN-propagating maximum, then the smallest index whose element
// equals it or is a NaN (none matches: the axis' length), in i64.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func @argmax
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<2x3x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[NONE:.*]] = arith.constant 3 : i64
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NONE]] : i64) outs(%{{.*}} : tensor<2x4xi64>)
// CHECK: %[[IDX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %[[MAX]] : tensor<2x3x4xf32>, tensor<2x4xf32>) outs(%[[INIT]] : tensor<2x4xi64>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[M:.*]]: f32, %[[ACC:.*]]: i64):
// CHECK: %[[K:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[EQ:.*]] = arith.cmpf oeq, %[[IN]], %[[M]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK: %[[HIT:.*]] = arith.ori %[[EQ]], %[[NAN]] : i1
// CHECK: %[[CAND:.*]] = arith.select %[[HIT]], %[[K]], %{{.*}} : i64
// CHECK: arith.minsi %[[ACC]], %[[CAND]] : i64
// CHECK: tensor.expand_shape %[[IDX]] {{\[\[}}0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xi64> into tensor<2x1x4xi64>
func.func @argmax(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xi64> {
  %0 = acnn.argmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  return %0 : tensor<2x1x4xi64>
}

// -----

// select_last_index takes the largest matching index, from -1; f32 indices
// (a Cast to FLOAT in the model) accumulate as floats.
// CHECK-LABEL: func @argmax_last_f32
// CHECK: %[[NONE:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[NONE]] : f32) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[K:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[CAND:.*]] = arith.select %{{.*}}, %[[K]], %{{.*}} : f32
// CHECK: arith.maximumf %{{.*}}, %[[CAND]] : f32
// CHECK-NOT: tensor.expand_shape
func.func @argmax_last_f32(%x: tensor<2x3x4xf32>) -> tensor<2x3xf32> {
  %0 = acnn.argmax %x {axis = -1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Group norm, 4 channels in 2 groups: each channel summed over H, W, those
// sums summed per group (18 elements a group) into the mean, repeated for the
// group's channels; the same for the squared deviations from it; then
// 1 / sqrt(var + eps) per group times the channel's scale, and
// (x - mean) * factor + bias over x with one mean and factor per channel, so
// the normalisation is element-wise and the layout passes may permute it.
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-DAG: #[[C4:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @group_norm
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[NC4]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x3x3xf32>)
// CHECK: tensor.expand_shape %[[SUM]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 2]
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.constant 1.800000e+01 : f32
// CHECK: %[[MEAN:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<1x2x2xf32> into tensor<1x4xf32>
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[NC4]], #[[NC4]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0, %[[MEAN]] : tensor<1x4x3x3xf32>, tensor<1x4xf32>)
// CHECK: tensor.expand_shape %[[SQ]]
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.sqrt
// CHECK: %[[INV:.*]] = tensor.collapse_shape
// CHECK: %[[FACTOR:.*]] = linalg.generic {{.*}} ins(%[[INV]], %arg1 : tensor<1x4xf32>, tensor<4xf32>)
// CHECK: arith.mulf
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[NC4]], #[[NC4]], #[[C4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[FACTOR]], %arg2 : tensor<1x4x3x3xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<4xf32>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @group_norm(%x: tensor<1x4x3x3xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %0 = acnn.group_norm %x, %s, %b {groups = 2 : i64, epsilon = 1.0e-3 : f32} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}
