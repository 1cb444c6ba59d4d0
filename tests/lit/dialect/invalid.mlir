// RUN: acnn-opt %s -split-input-file -verify-diagnostics
// Each shape error names the op and the reason; the verifier then adds that
// inference failed.

func.func @conv_channels(%x: tensor<1x8x16x16xf32>, %w: tensor<16x4x3x3xf32>) {
  // expected-error @+2 {{'acnn.conv2d' input has 8 channels but weight expects 4 per group x 1 groups}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.conv2d %x, %w : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x14x14xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x8x16x16xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{'acnn.conv2d' groups 4 must divide input channels 8 and filters 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.conv2d %x, %w {groups = 4 : i64} : (tensor<1x8x16x16xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x14x14xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x8x2x2xf32>, %w: tensor<8x8x3x3xf32>) {
  // expected-error @+2 {{'acnn.conv2d' window of 3 (stride 1, dilation 1) does not fit input extent 2 with its padding}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.conv2d %x, %w : (tensor<1x8x2x2xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @+2 {{'acnn.conv2d' op inferred type(s) 'tensor<1x16x14x14xf32>' are incompatible with return type(s) of operation 'tensor<1x16x16x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.conv2d %x, %w : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<1x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+2 {{'acnn.add' operand shapes [1, 3] and [1, 4] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.add %a, %b : (tensor<1x3xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'acnn.matmul' contraction mismatch: [2, 3] x [4, 5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @linear(%a: tensor<2x3xf32>, %w: tensor<5x4xf32>) {
  // expected-error @+2 {{'acnn.linear' input [2, 3] does not match weight [5, 4] ([out, in])}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.linear %a, %w : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @reshape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.reshape' op cannot reshape [2, 3] (6 elements) to [7] (7 elements)}}
  %c = acnn.reshape %a : (tensor<2x3xf32>) -> tensor<7xf32>
  return
}

// -----

func.func @transpose(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'acnn.transpose' perm is not a permutation of 2 axes}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.transpose %a {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @reduce(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'acnn.reduce_mean' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.reduce_mean %a {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat(%a: tensor<1x3x4xf32>, %b: tensor<1x3x5xf32>) {
  // expected-error @+2 {{'acnn.concat' input [1, 3, 5] does not match [1, 3, 4] outside axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.concat %a, %b {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x3x5xf32>) -> tensor<1x6x4xf32>
  return
}

// -----

func.func @split(%a: tensor<1x6xf32>) {
  // expected-error @+2 {{'acnn.split' sizes add up to 5 but axis 1 has 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %c:2 = acnn.split %a {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<1x6xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>)
  return
}

// -----

func.func @slice(%a: tensor<4xf32>) {
  // expected-error @+2 {{'acnn.slice' axis 0: start 0, end 9, step 1 is not a valid slice of extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.slice %a {starts = array<i64: 0>, ends = array<i64: 9>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @gather(%a: tensor<4x2xf32>) {
  // expected-error @+2 {{'acnn.gather' index 4 is out of range for extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.gather %a {indices = dense<[4]> : tensor<1xi64>, axis = 0 : i64} : (tensor<4x2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @batch_norm(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) {
  // expected-error @+2 {{'acnn.batch_norm' parameters must have shape [4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @layer_norm(%x: tensor<1x4x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+2 {{'acnn.layer_norm' scale and bias must have the normalised shape (the input's trailing 1 dims)}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.layer_norm %x, %g : (tensor<1x4x8xf32>, tensor<4xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

func.func @softmax(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.softmax' op axis 2 is out of range for rank 2}}
  %c = acnn.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @clip(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.clip' op min 6.000000e+00 exceeds max 0.000000e+00}}
  %c = acnn.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<2x3xf32>
  return
}

// -----

func.func @pool(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'acnn.max_pool2d' expects 2 kernel, stride and dilation values and 4 pads}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.max_pool2d %x {kernel = array<i64: 3>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'acnn.relu' op operand #0 must be statically shaped tensor of 32-bit float values}}
  %c = acnn.relu %x : tensor<?x4xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'acnn.max_pool2d' padding 2 must be smaller than the kernel 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.max_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x4xf32>
  return
}

// -----

func.func @expand_shape(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'acnn.expand' input [2, 3] does not broadcast to [4, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %e = acnn.expand %x {shape = array<i64: 4, 3>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @where_broadcast(%c: tensor<2xf32>, %x: tensor<3xf32>) {
  // expected-error @+2 {{'acnn.where' condition [2] and values [3], [3] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = acnn.where %c, %x, %x : (tensor<2xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @grid_sample_grid(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x3xf32>) {
  // expected-error @+2 {{'acnn.grid_sample' needs an input [N, C, H, W] and a grid [N, Ho, Wo, 2], got [1, 3, 8, 8] and [1, 4, 5, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = acnn.grid_sample %x, %g {mode = "bilinear", padding_mode = "zeros", align_corners = false} : (tensor<1x3x8x8xf32>, tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  return
}

// -----

func.func @grid_sample_padding(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) {
  // expected-error @+2 {{'acnn.grid_sample' padding mode must be zeros or border, got 'reflection'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = acnn.grid_sample %x, %g {mode = "bilinear", padding_mode = "reflection", align_corners = false} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'acnn.pad' needs 4 pads for rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %p = acnn.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'acnn.pad' pads must be non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %p = acnn.pad %x {pads = array<i64: 1, -1, 0, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @argmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.argmax' op axis 2 is out of range for rank 2}}
  %i = acnn.argmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @argmax_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.argmax' op result shape [2] should be [2, 1]}}
  %i = acnn.argmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  return
}

// -----

func.func @argmax_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'acnn.argmax' op result #0 must be statically shaped tensor of 64-bit signless integer or 32-bit float values}}
  %i = acnn.argmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi32>
  return
}

// -----

func.func @group_norm_groups(%x: tensor<1x6x4x4xf32>, %g: tensor<6xf32>) {
  // expected-error @+2 {{'acnn.group_norm' 6 channels do not split into 4 groups}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.group_norm %x, %g {groups = 4 : i64} : (tensor<1x6x4x4xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return
}

// -----

func.func @group_norm_scale(%x: tensor<1x6x4x4xf32>, %g: tensor<3xf32>) {
  // expected-error @+2 {{'acnn.group_norm' scale and bias must have one value per channel ([6])}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = acnn.group_norm %x, %g {groups = 3 : i64} : (tensor<1x6x4x4xf32>, tensor<3xf32>) -> tensor<1x6x4x4xf32>
  return
}
