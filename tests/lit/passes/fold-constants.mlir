// RUN: acnn-opt %s -split-input-file -acnn-fold-constants | FileCheck %s
// RUN: acnn-opt %s -split-input-file -acnn-fold-constants -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// A weight transposed, then reshaped, becomes one constant holding the result.
// CHECK-LABEL: func @transpose_reshape
// CHECK-NEXT: %[[W:.*]] = acnn.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 2.000000e+00, 5.000000e+00, 3.000000e+00, 6.000000e+00]]> : tensor<1x6xf32>
// CHECK-NEXT: %[[Y:.*]] = acnn.linear %arg0, %[[W]]
// CHECK-NEXT: return %[[Y]]
// The folded constant keeps the location of the op that produced it first,
// then those of the values it was computed from.
// LOC-LABEL: func @transpose_reshape
// LOC: acnn.constant {{.*}} loc(fused["reshape", "transpose", "w"])
func.func @transpose_reshape(%x: tensor<2x6xf32>) -> tensor<2x1xf32> {
  %w = acnn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32> loc("w")
  %t = acnn.transpose %w {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32> loc("transpose")
  %r = acnn.reshape %t : (tensor<3x2xf32>) -> tensor<1x6xf32> loc("reshape")
  %y = acnn.linear %x, %r : (tensor<2x6xf32>, tensor<1x6xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// An op with a non-constant operand is left alone, and so is its constant.
// CHECK-LABEL: func @activation_operand
// CHECK-NEXT: %[[C:.*]] = acnn.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[Y:.*]] = acnn.mul %arg0, %[[C]]
// CHECK-NEXT: return %[[Y]]
func.func @activation_operand(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = acnn.constant dense<2.0> : tensor<4xf32>
  %y = acnn.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Every result of a multi-result op folds; a constant still used elsewhere stays.
// CHECK-LABEL: func @split
// CHECK-DAG: %[[W:.*]] = acnn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK-DAG: %[[A:.*]] = acnn.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-DAG: %[[B:.*]] = acnn.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NOT: acnn.split
// CHECK: return %[[A]], %[[B]], %[[W]]
func.func @split() -> (tensor<1xf32>, tensor<2xf32>, tensor<3xf32>) {
  %w = acnn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %a, %b = acnn.split %w {axis = 0 : i64, sizes = array<i64: 1, 2>} : (tensor<3xf32>) -> (tensor<1xf32>, tensor<2xf32>)
  return %a, %b, %w : tensor<1xf32>, tensor<2xf32>, tensor<3xf32>
}

// -----

// A broadcast that would turn 1024 constant elements into 262144 is not
// worth storing: the add stays.
// CHECK-LABEL: func @broadcast_too_large
// CHECK: acnn.add
func.func @broadcast_too_large() -> tensor<512x512xf32> {
  %a = acnn.constant dense<1.0> : tensor<512x1xf32>
  %b = acnn.constant dense<2.0> : tensor<1x512xf32>
  %y = acnn.add %a, %b : (tensor<512x1xf32>, tensor<1x512xf32>) -> tensor<512x512xf32>
  return %y : tensor<512x512xf32>
}

// -----

// A result up to twice its inputs' size folds: 65536 x 3 positions projected
// to 4 heads (ConViT's positional scores) is a constant.
// CHECK-LABEL: func @projection_grows
// CHECK-NEXT: acnn.constant dense<6.000000e+00> : tensor<65536x4xf32>
// CHECK-NEXT: return
func.func @projection_grows() -> tensor<65536x4xf32> {
  %x = acnn.constant dense<1.0> : tensor<65536x3xf32>
  %w = acnn.constant dense<2.0> : tensor<3x4xf32>
  %y = acnn.matmul %x, %w : (tensor<65536x3xf32>, tensor<3x4xf32>) -> tensor<65536x4xf32>
  return %y : tensor<65536x4xf32>
}

// -----

// Weights kept in a resource blob fold too (the blob holds 1.0 and 2.0).
// CHECK-LABEL: func @resource_weight
// CHECK-NEXT: acnn.constant dense<{{\[\[}}1.000000e+00], [2.000000e+00]]> : tensor<2x1xf32>
// CHECK-NEXT: return
func.func @resource_weight() -> tensor<2x1xf32> {
  %w = acnn.constant dense_resource<w> : tensor<1x2xf32>
  %t = acnn.transpose %w {perm = array<i64: 1, 0>} : (tensor<1x2xf32>) -> tensor<2x1xf32>
  return %t : tensor<2x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
