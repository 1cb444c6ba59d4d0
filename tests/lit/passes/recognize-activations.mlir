// RUN: acnn-opt %s -split-input-file -acnn-recognize-activations -canonicalize | FileCheck %s

// GELU as torch.onnx exports nn.GELU: Div, Erf, Add, Mul by x, Mul by 0.5.
// CHECK-LABEL: func @gelu_exported
// CHECK-NEXT: %[[G:.*]] = acnn.gelu %arg0 : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_exported(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = acnn.constant dense<1.41421354> : tensor<f32>
  %one = acnn.constant dense<1.0> : tensor<f32>
  %half = acnn.constant dense<0.5> : tensor<f32>
  %d = acnn.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = acnn.erf %d : tensor<2x8xf32>
  %a = acnn.add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = acnn.mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = acnn.mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// The other grouping: (0.5 * x) * (1 + erf(x * (1 / sqrt 2))).
// CHECK-LABEL: func @gelu_regrouped
// CHECK-NEXT: %[[G:.*]] = acnn.gelu %arg0 : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_regrouped(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %rsqrt2 = acnn.constant dense<0.707106769> : tensor<1xf32>
  %one = acnn.constant dense<1.0> : tensor<f32>
  %half = acnn.constant dense<0.5> : tensor<f32>
  %h = acnn.mul %half, %x : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %d = acnn.mul %x, %rsqrt2 : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %e = acnn.erf %d : tensor<2x8xf32>
  %a = acnn.add %one, %e : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = acnn.mul %h, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// A wrong constant is not GELU.
// CHECK-LABEL: func @not_gelu
// CHECK-NOT: acnn.gelu
// CHECK: acnn.erf
func.func @not_gelu(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = acnn.constant dense<1.5> : tensor<f32>
  %one = acnn.constant dense<1.0> : tensor<f32>
  %half = acnn.constant dense<0.5> : tensor<f32>
  %d = acnn.div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = acnn.erf %d : tensor<2x8xf32>
  %a = acnn.add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = acnn.mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = acnn.mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// SiLU / swish: x * sigmoid(x), either operand order.
// CHECK-LABEL: func @silu
// CHECK-NEXT: %[[A:.*]] = acnn.silu %arg0 : tensor<1x4x3x3xf32>
// CHECK-NEXT: %[[B:.*]] = acnn.silu %[[A]] : tensor<1x4x3x3xf32>
// CHECK-NEXT: return %[[B]]
func.func @silu(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %s = acnn.sigmoid %x : tensor<1x4x3x3xf32>
  %y = acnn.mul %x, %s : (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %t = acnn.sigmoid %y : tensor<1x4x3x3xf32>
  %z = acnn.mul %t, %y : (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %z : tensor<1x4x3x3xf32>
}
