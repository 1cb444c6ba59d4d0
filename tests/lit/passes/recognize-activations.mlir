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

// -----

// Hard-swish as Paddle2ONNX and onnx-simplifier outputs write it:
// x * Clip(x + 3, 0, 6) / 6, the division after the product.
// CHECK-LABEL: func @hard_swish_clip_div
// CHECK-NEXT: %[[Y:.*]] = acnn.hard_swish %arg0 : tensor<1x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @hard_swish_clip_div(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %three = acnn.constant dense<3.0> : tensor<f32>
  %six = acnn.constant dense<6.0> : tensor<f32>
  %a = acnn.add %x, %three : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %c = acnn.clip %a {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8xf32>
  %m = acnn.mul %x, %c : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = acnn.div %m, %six : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// ... and as relu6(x + 3) * (1/6) times x, with max / min for the clip.
// CHECK-LABEL: func @hard_swish_min_max
// CHECK-NEXT: %[[Y:.*]] = acnn.hard_swish %arg0 : tensor<1x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @hard_swish_min_max(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %zero = acnn.constant dense<0.0> : tensor<f32>
  %three = acnn.constant dense<3.0> : tensor<f32>
  %six = acnn.constant dense<6.0> : tensor<f32>
  %sixth = acnn.constant dense<0.166666672> : tensor<f32>
  %a = acnn.add %three, %x : (tensor<f32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %lo = acnn.max %a, %zero : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %hi = acnn.min %lo, %six : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %g = acnn.mul %hi, %sixth : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %y = acnn.mul %g, %x : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// Not hard-swish: the clip's upper bound (4) is no hard sigmoid's.
// CHECK-LABEL: func @not_hard_swish
// CHECK-NOT: acnn.hard_swish
func.func @not_hard_swish(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %three = acnn.constant dense<3.0> : tensor<f32>
  %six = acnn.constant dense<6.0> : tensor<f32>
  %a = acnn.add %x, %three : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %c = acnn.clip %a {min = 0.0 : f32, max = 4.0 : f32} : tensor<1x8xf32>
  %m = acnn.mul %x, %c : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = acnn.div %m, %six : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}
