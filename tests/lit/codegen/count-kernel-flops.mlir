// RUN: acnn-opt %s -acnn-count-kernel-flops -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s

// A kernel's name gains its FLOPs, summed over its linalg ops: the
// float-valued ops of a body (not the yield, not constants) once per point
// of the iteration space and per trip of the loops around the op.
//   conv:    fill 0 + conv 2 (mulf, addf) x 1*4*6*6 x 3*3*3 = 7776
//   sigmoid: 4 (negf, exp, addf, divf) x 1*4*6*6 = 576
//   reshape: no linalg op, 0
//   stream:  a 2-point add in a loop of 3 trips, 6
//   blocks:  a 2-point add in an scf.forall of 2 x 3 iterations, 12
// CHECK-LABEL: func.func @main
// CHECK: tensor.empty() {{.*}} loc(fused<{acnn.kernel_name = "conv_flops7776"}>["c"])
// CHECK: linalg.fill {{.*}} loc(fused<{acnn.kernel_name = "conv_flops7776"}>["c"])
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} loc(fused<{acnn.kernel_name = "conv_flops7776"}>["c"])
// CHECK: } -> tensor<1x4x6x6xf32> loc(fused<{acnn.kernel_name = "sigmoid_flops576"}>["s"])
// CHECK: tensor.collapse_shape {{.*}} loc(fused<{acnn.kernel_name = "reshape_flops0"}>["r"])
// CHECK: } -> tensor<2xf32> loc(fused<{acnn.kernel_name = "stream_flops6"}>["t"])
// CHECK: } loc(fused<{acnn.kernel_name = "stream_flops6"}>["t"])
// CHECK: } -> tensor<2xf32> loc(fused<{acnn.kernel_name = "blocks_flops12"}>["b"])
#conv = loc(fused<{acnn.kernel_name = "conv"}>["c"])
#sigmoid = loc(fused<{acnn.kernel_name = "sigmoid"}>["s"])
#reshape = loc(fused<{acnn.kernel_name = "reshape"}>["r"])
#stream = loc(fused<{acnn.kernel_name = "stream"}>["t"])
#blocks = loc(fused<{acnn.kernel_name = "blocks"}>["b"])
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#id1 = affine_map<(i) -> (i)>
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %v: tensor<2xf32>) -> (tensor<144xf32>, tensor<2xf32>, tensor<2x3x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x6x6xf32> loc(#conv)
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#conv)
  %c = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>)
                                outs(%f : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> loc(#conv)
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %one = arith.constant 1.0 : f32
    %neg = arith.negf %in : f32
    %exp = math.exp %neg : f32
    %den = arith.addf %exp, %one : f32
    %sig = arith.divf %one, %den : f32
    linalg.yield %sig : f32
  } -> tensor<1x4x6x6xf32> loc(#sigmoid)
  %r = tensor.collapse_shape %s [[0, 1, 2, 3]] : tensor<1x4x6x6xf32> into tensor<144xf32> loc(#reshape)
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %v) -> tensor<2xf32> {
    %sum = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
        ins(%v : tensor<2xf32>) outs(%acc : tensor<2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %add = arith.addf %in, %out : f32
      linalg.yield %add : f32
    } -> tensor<2xf32> loc(#stream)
    scf.yield %sum : tensor<2xf32>
  } loc(#stream)
  %e6 = tensor.empty() : tensor<2x3x2xf32>
  %u = scf.forall (%i, %j) in (2, 3) shared_outs(%o = %e6) -> tensor<2x3x2xf32> {
    %sum = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
        ins(%v : tensor<2xf32>) outs(%v : tensor<2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %add = arith.addf %in, %out : f32
      linalg.yield %add : f32
    } -> tensor<2xf32> loc(#blocks)
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %sum into %o[%i, %j, 0] [1, 1, 2] [1, 1, 1] : tensor<2xf32> into tensor<2x3x2xf32>
    }
  }
  return %r, %t, %u : tensor<144xf32>, tensor<2xf32>, tensor<2x3x2xf32>
}
