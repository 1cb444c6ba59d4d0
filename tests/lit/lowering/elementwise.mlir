// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg | FileCheck %s

// A unary op is one parallel generic over identity maps.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @relu
// CHECK-NOT: acnn.
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x8x4x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x8x4x4xf32>) outs(%[[E]] : tensor<1x8x4x4xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.maximumf %[[X]], %[[Z]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @relu(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = acnn.relu %x : tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// NumPy broadcasting: the rhs's broadcast unit axis is collapsed away, so its
// map is a projected permutation; a missing leading axis is simply not read.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func @add_broadcast
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2]] : tensor<3x1x5xf32> into tensor<3x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RHS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %[[C]] : tensor<2x3x4x5xf32>, tensor<3x5xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%x: tensor<2x3x4x5xf32>, %y: tensor<3x1x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = acnn.add %x, %y : (tensor<2x3x4x5xf32>, tensor<3x1x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// A 0-d operand is read through a map with no results.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func @mul_scalar
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<4x6xf32>, tensor<f32>)
// CHECK: arith.mulf
func.func @mul_scalar(%x: tensor<4x6xf32>, %s: tensor<f32>) -> tensor<4x6xf32> {
  %0 = acnn.mul %x, %s : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func @gelu_exact
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[S:.*]] = arith.constant 0.707106769 : f32
// CHECK-DAG: %[[D:.*]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-DAG: %[[E:.*]] = math.erf %[[D]] : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[P:.*]] = arith.addf %[[ONE]], %[[E]] : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[HX:.*]] = arith.mulf %[[HALF]], %[[X]] : f32
// CHECK: %[[R:.*]] = arith.mulf %[[HX]], %[[P]] : f32
// CHECK: linalg.yield %[[R]]
func.func @gelu_exact(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = acnn.gelu %x : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func @gelu_tanh
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu_tanh(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = acnn.gelu %x {approximate_tanh = true} : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// sigmoid = 1 / (1 + e^-x), e^-x = 2^n e^r inlined: -x clamped to [-88, 88],
// n rounded by adding 1.5 x 2^23, r = -x - n ln 2 in two parts, e^r a
// polynomial of degree 7 (Horner), 2^n from the rounded sum's low bits
// shifted into the exponent.
// CHECK-LABEL: func @sigmoid
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[N:.*]] = arith.negf %[[X]] : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[N]], %{{.*}} : f32
// CHECK: %[[T:.*]] = arith.minimumf %[[LO]], %{{.*}} : f32
// CHECK: %[[S:.*]] = math.fma %[[T]], %{{.*}}, %[[ROUND:.*]] : f32
// CHECK: %[[K:.*]] = arith.subf %[[S]], %[[ROUND]] : f32
// CHECK: %[[R1:.*]] = math.fma %[[K]], %{{.*}}, %[[T]] : f32
// CHECK: %[[R:.*]] = math.fma %[[K]], %{{.*}}, %[[R1]] : f32
// CHECK-COUNT-7: math.fma %{{.*}}, %[[R]], %{{.*}} : f32
// CHECK: %[[BITS:.*]] = arith.bitcast %[[S]] : f32 to i32
// CHECK: %[[B:.*]] = arith.addi %[[BITS]], %{{.*}} : i32
// CHECK: %[[SH:.*]] = arith.shli %[[B]], %{{.*}} : i32
// CHECK: %[[P2:.*]] = arith.bitcast %[[SH]] : i32 to f32
// CHECK: %[[E:.*]] = arith.mulf %{{.*}}, %[[P2]] : f32
// CHECK: %[[D:.*]] = arith.addf %{{.*}}, %[[E]] : f32
// CHECK: %[[Q:.*]] = arith.divf %{{.*}}, %[[D]] : f32
// CHECK: linalg.yield %[[Q]]
func.func @sigmoid(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.sigmoid %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Clamping uses the NaN-propagating maximumf / minimumf.
// CHECK-LABEL: func @hard_sigmoid
// CHECK-DAG: %[[A:.*]] = arith.constant 3.000000e-01 : f32
// CHECK-DAG: %[[B:.*]] = arith.constant 4.000000e-01 : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[AX:.*]] = arith.mulf %[[A]], %{{.*}} : f32
// CHECK-DAG: %[[Y:.*]] = arith.addf %[[AX]], %[[B]] : f32
// CHECK: %[[M:.*]] = arith.maximumf %[[Y]], %[[LO]] : f32
// CHECK: arith.minimumf %[[M]], %[[HI]] : f32
func.func @hard_sigmoid(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.hard_sigmoid %x {alpha = 0.3 : f32, beta = 0.4 : f32} : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func @pow
// CHECK: math.powf
func.func @pow(%x: tensor<8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.pow %x, %y : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A non-zero (or NaN) condition picks on_true.
// CHECK-LABEL: func @where
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<8xf32>, tensor<8xf32>, tensor<f32>)
// CHECK: ^bb0(%[[C:.*]]: f32, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[NZ:.*]] = arith.cmpf une, %[[C]], %{{.*}} : f32
// CHECK: arith.select %[[NZ]], %[[T]], %[[F]] : f32
func.func @where(%c: tensor<8xf32>, %t: tensor<8xf32>, %f: tensor<f32>) -> tensor<8xf32> {
  %0 = acnn.where %c, %t, %f : (tensor<8xf32>, tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Below zero the slope applies; a NaN is not below zero, so it passes through.
// CHECK-LABEL: func @leaky_relu
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[AX:.*]] = arith.mulf %[[ALPHA]], %[[X]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]] : f32
// CHECK: arith.select %[[NEG]], %[[AX]], %[[X]] : f32
func.func @leaky_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.leaky_relu %x {alpha = 0.2 : f32} : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// The slope is a broadcast operand: one per channel here.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func @prelu
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[S]], #[[X]]]
// CHECK: ^bb0(%[[V:.*]]: f32, %[[SLOPE:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SX:.*]] = arith.mulf %[[SLOPE]], %[[V]] : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[V]], %{{.*}} : f32
// CHECK: arith.select %[[NEG]], %[[SX]], %[[V]] : f32
func.func @prelu(%x: tensor<4x3x3xf32>, %slope: tensor<4x1x1xf32>) -> tensor<4x3x3xf32> {
  %0 = acnn.prelu %x, %slope : (tensor<4x3x3xf32>, tensor<4x1x1xf32>) -> tensor<4x3x3xf32>
  return %0 : tensor<4x3x3xf32>
}

// -----

// CHECK-LABEL: func @elu
// CHECK: %[[E:.*]] = math.exp %[[X:.*]] : f32
// CHECK: %[[M1:.*]] = arith.subf %[[E]], %{{.*}} : f32
// CHECK: %[[AE:.*]] = arith.mulf %{{.*}}, %[[M1]] : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : f32
// CHECK: arith.select %[[NEG]], %[[AE]], %[[X]] : f32
func.func @elu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.elu %x {alpha = 1.5 : f32} : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Above 20, softplus is x itself (PyTorch's threshold), not log(1 + e^x).
// CHECK-LABEL: func @softplus_log_abs
// CHECK: %[[E:.*]] = math.exp %[[X:.*]] : f32
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %[[E]] : f32
// CHECK: %[[L:.*]] = math.log %[[S]] : f32
// CHECK: %[[T:.*]] = arith.constant 2.000000e+01 : f32
// CHECK: %[[BIG:.*]] = arith.cmpf ogt, %[[X]], %[[T]] : f32
// CHECK: arith.select %[[BIG]], %[[X]], %[[L]] : f32
// CHECK: math.log
// CHECK: math.absf
func.func @softplus_log_abs(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = acnn.softplus %x : tensor<8xf32>
  %1 = acnn.log %0 : tensor<8xf32>
  %2 = acnn.abs %1 : tensor<8xf32>
  return %2 : tensor<8xf32>
}
