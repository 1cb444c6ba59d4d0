// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-kernel-layouts))" -mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// An NCHW conv becomes an NHWC/HWCF one between transposes; the constant
// filter is transposed at compile time, the bias broadcast rebuilt in NHWC.
// CHECK-LABEL: func @conv
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<acnn_transposed> : tensor<2x2x1x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x1x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x1xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>) dimensions = [0, 1, 2]
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %[[W]] : tensor<1x4x4x1xf32>, tensor<2x2x1x2xf32>) outs(%[[INIT]] : tensor<1x3x3x2xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[C]] : tensor<1x3x3x2xf32>) outs(%{{.*}} : tensor<1x2x3x3xf32>) permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
// filter[f][0][h][w] = (1 2 / 3 4), (5 6 / 7 8) becomes [h][w][0][f] = 1 5 2 6 3 7 4 8:
// CHECK: acnn_transposed: "0x040000000000803F0000A040000000400000C040000040400000E0400000804000000041"
func.func @conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]]> : tensor<2x1x2x2xf32>
  %bias = arith.constant dense<0.5> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %init = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<1x2x3x3xf32>) dimensions = [0, 2, 3]
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x1x4x4xf32>, tensor<2x1x2x2xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// A filter that is not a constant is transposed by a linalg.transpose.
// CHECK-LABEL: func @conv_runtime_filter
// CHECK: linalg.transpose ins(%arg1 : tensor<8x3x3x3xf32>) outs(%{{.*}} : tensor<3x3x3x8xf32>) permutation = [2, 3, 1, 0]
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @conv_runtime_filter(%x: tensor<1x3x9x9xf32>, %w: tensor<8x3x3x3xf32>, %init: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x3x9x9xf32>, tensor<8x3x3x3xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// A linear layer's constant [n, k] weight is read through a transposed copy.
// CHECK-LABEL: func @linear
// CHECK: %[[W:.*]] = arith.constant dense_resource<acnn_transposed{{.*}}> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%arg0, %[[W]] : tensor<5x3xf32>, tensor<3x2xf32>)
// CHECK-NOT: indexing_maps
// CHECK: acnn_transposed{{.*}}: "0x040000000000803F00008040000000400000A040000040400000C040"
func.func @linear(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5x2xf32>) -> tensor<5x2xf32>
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%x, %w : tensor<5x3xf32>, tensor<2x3xf32>) outs(%f : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %r : tensor<5x2xf32>
}

// -----

// A weight whose rows are an even number of cache lines long (64 floats, 4
// lines) is stored with a line more per row (5 lines, 80 floats, zeros) and
// read through a slice: rows 320 bytes apart use all the L1 sets.
// CHECK-LABEL: func @padded_rows
// CHECK: %[[W:.*]] = arith.constant dense_resource<acnn_transposed{{.*}}> : tensor<2x80xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[W]][0, 0] [2, 64] [1, 1] : tensor<2x80xf32> to tensor<2x64xf32>
// CHECK: linalg.matmul ins(%arg0, %[[S]] : tensor<8x2xf32>, tensor<2x64xf32>)
// Row 0 starts 0.0, 1.0, 2.0 and ends 63.0 and 16 zeros; row 1 starts 0.5:
// CHECK: acnn_transposed{{.*}}: "0x04000000000000000000803F00000040{{.*}}00007C42000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003F0000C03F{{.*}}00007E4200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
func.func @padded_rows(%x: tensor<8x2xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<[[0.0, 0.5], [1.0, 1.5], [2.0, 2.5], [3.0, 3.5], [4.0, 4.5], [5.0, 5.5], [6.0, 6.5], [7.0, 7.5], [8.0, 8.5], [9.0, 9.5], [10.0, 10.5], [11.0, 11.5], [12.0, 12.5], [13.0, 13.5], [14.0, 14.5], [15.0, 15.5], [16.0, 16.5], [17.0, 17.5], [18.0, 18.5], [19.0, 19.5], [20.0, 20.5], [21.0, 21.5], [22.0, 22.5], [23.0, 23.5], [24.0, 24.5], [25.0, 25.5], [26.0, 26.5], [27.0, 27.5], [28.0, 28.5], [29.0, 29.5], [30.0, 30.5], [31.0, 31.5], [32.0, 32.5], [33.0, 33.5], [34.0, 34.5], [35.0, 35.5], [36.0, 36.5], [37.0, 37.5], [38.0, 38.5], [39.0, 39.5], [40.0, 40.5], [41.0, 41.5], [42.0, 42.5], [43.0, 43.5], [44.0, 44.5], [45.0, 45.5], [46.0, 46.5], [47.0, 47.5], [48.0, 48.5], [49.0, 49.5], [50.0, 50.5], [51.0, 51.5], [52.0, 52.5], [53.0, 53.5], [54.0, 54.5], [55.0, 55.5], [56.0, 56.5], [57.0, 57.5], [58.0, 58.5], [59.0, 59.5], [60.0, 60.5], [61.0, 61.5], [62.0, 62.5], [63.0, 63.5]]> : tensor<64x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x64xf32>) -> tensor<8x64xf32>
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%x, %w : tensor<8x2xf32>, tensor<64x2xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}

// -----

// Attention's q * k^T reads k as [b, j, c]: it reads a [b, c, j] copy instead.
// CHECK-LABEL: func @scores
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<4x49x32xf32>) outs(%{{.*}} : tensor<4x32x49xf32>) permutation = [0, 2, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RHS:map[0-9]*]], #{{.*}}]
// CHECK-SAME: ins(%arg0, %[[KT]] : tensor<4x196x32xf32>, tensor<4x32x49xf32>)
func.func @scores(%q: tensor<4x196x32xf32>, %k: tensor<4x49x32xf32>, %o: tensor<4x196x49xf32>) -> tensor<4x196x49xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, i, j, c) -> (b, i, c)>, affine_map<(b, i, j, c) -> (b, j, c)>, affine_map<(b, i, j, c) -> (b, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
    ins(%q, %k : tensor<4x196x32xf32>, tensor<4x49x32xf32>) outs(%o : tensor<4x196x49xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x196x49xf32>
  return %r : tensor<4x196x49xf32>
}

// -----

// NCHW max pooling becomes NHWC pooling between transposes, its -inf fill
// rebuilt in NHWC.
// CHECK-LABEL: func @max_pool
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x8x18x18xf32>) outs(%{{.*}} : tensor<1x18x18x8xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x8x8x8xf32>)
// CHECK: %[[P:.*]] = linalg.pooling_nhwc_max {{.*}} ins(%[[X]], %{{.*}} : tensor<1x18x18x8xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x8x8x8xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[P]] : tensor<1x8x8x8xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
func.func @max_pool(%x: tensor<1x8x18x18xf32>) -> tensor<1x8x8x8xf32> {
  %lowest = arith.constant 0xFF800000 : f32
  %w = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %init = linalg.fill ins(%lowest : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x8x18x18xf32>, tensor<3x3xf32>) outs(%init : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// A depthwise conv becomes an NHWC/HWC one between transposes: its constant
// [C, KH, KW] filter is stored [KH, KW, C] at compile time (filter of channel
// c: c + 1 everywhere, so the stored rows read 1, 2, 3), its bias broadcast
// rebuilt in NHWC.
// CHECK-LABEL: func @depthwise
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<acnn_transposed> : tensor<2x2x3xf32>
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x3x5x5xf32>) outs(%{{.*}} : tensor<1x5x5x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%{{.*}} : tensor<3xf32>) outs(%{{.*}} : tensor<1x2x2x3xf32>) dimensions = [0, 1, 2]
// CHECK: %[[C:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<1x5x5x3xf32>, tensor<2x2x3xf32>) outs(%[[INIT]] : tensor<1x2x2x3xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[C]] : tensor<1x2x2x3xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
// CHECK: acnn_transposed: "0x040000000000803F00000040000040400000803F00000040000040400000803F00000040000040400000803F0000004000004040"
func.func @depthwise(%x: tensor<1x3x5x5xf32>) -> tensor<1x3x2x2xf32> {
  %w = arith.constant dense<[[[1.0, 1.0], [1.0, 1.0]], [[2.0, 2.0], [2.0, 2.0]], [[3.0, 3.0], [3.0, 3.0]]]> : tensor<3x2x2xf32>
  %b = arith.constant dense<[0.5, 1.5, 2.5]> : tensor<3xf32>
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %init = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<1x3x2x2xf32>) dimensions = [0, 2, 3]
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x3x5x5xf32>, tensor<3x2x2xf32>) outs(%init : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  return %r : tensor<1x3x2x2xf32>
}

// -----

// A grouped conv (2 groups of 2 channels, as the lowering splits the channel
// axes) becomes one NHWC/HWCF conv per group in a loop over the groups: each
// reads its group's 2 input channels and writes its 2 output channels in
// place. The filter is stored [G, KH, KW, C, F] at compile time.
// CHECK-LABEL: func @grouped
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<acnn_transposed> : tensor<2x1x1x2x2xf32>
// CHECK-DAG: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x4x3x3xf32>) outs(%{{.*}} : tensor<1x3x3x4xf32>) permutation = [0, 2, 3, 1]
// CHECK-DAG: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3x3x4xf32>)
// CHECK: %[[F:.*]] = scf.forall (%[[G:.*]]) in (2) shared_outs(%[[ACC:.*]] = %[[INIT]]) -> (tensor<1x3x3x4xf32>)
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[X]][0, 0, 0, %[[OFF:.*]]] [1, 3, 3, 2] [1, 1, 1, 1] : tensor<1x3x3x4xf32> to tensor<1x3x3x2xf32>
// CHECK: %[[WG:.*]] = tensor.extract_slice %[[W]][%[[G]], 0, 0, 0, 0] [1, 1, 1, 2, 2] [1, 1, 1, 1, 1] : tensor<2x1x1x2x2xf32> to tensor<1x1x2x2xf32>
// CHECK: %[[OFF2:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, 0, 0, %[[OFF2]]] [1, 3, 3, 2]
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IN]], %[[WG]] : tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>) outs(%[[OUT]] : tensor<1x3x3x2xf32>)
// CHECK: tensor.parallel_insert_slice %[[C]] into %[[ACC]][0, 0, 0, %[[OFF2]]] [1, 3, 3, 2]
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[F]] : tensor<1x3x3x4xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
func.func @grouped(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]], [[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]]> : tensor<2x2x2x1x1xf32>
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 3] : tensor<1x4x3x3xf32> into tensor<1x2x2x3x3xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 3] : tensor<1x4x3x3xf32> into tensor<1x2x2x3x3xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x2x3x3xf32>, tensor<2x2x2x1x1xf32>) outs(%ig : tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x3x3xf32> into tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// -----

// Without a bias the accumulator is a fill of the grouped shape (the
// canonicalizer folds the split of a fill into the fill): it becomes a fill
// of the NHWC result, and the conv is rewritten all the same.
// CHECK-LABEL: func @grouped_fill
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3x3x4xf32>)
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %[[INIT]]) -> (tensor<1x3x3x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} outs(%{{.*}} : tensor<1x3x3x2xf32>)
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
func.func @grouped_fill(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]], [[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]]> : tensor<2x2x2x1x1xf32>
  %e = tensor.empty() : tensor<1x2x2x3x3xf32>
  %ig = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 3] : tensor<1x4x3x3xf32> into tensor<1x2x2x3x3xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x2x3x3xf32>, tensor<2x2x2x1x1xf32>) outs(%ig : tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x3x3xf32> into tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// -----

// 3 groups do not share evenly among the target's 2 threads: the loop also
// runs over 2 blocks of 2 output rows, each reading its block's 5 input rows
// (stride 2, 3x3 window) from row 4 x block.
// CHECK-LABEL: func @grouped_rows
// CHECK: scf.forall (%[[G:.*]], %[[B:.*]]) in (3, 2) shared_outs(%[[ACC:.*]] = %{{.*}}) -> (tensor<1x4x4x3xf32>)
// CHECK-DAG: %[[IROW:.*]] = arith.muli %[[B]], %[[C4:.*]] : index
// CHECK-DAG: %[[OROW:.*]] = arith.muli %[[B]], %[[C2:.*]] : index
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, %[[IROW]], 0, %{{.*}}] [1, 5, 9, 1] [1, 1, 1, 1] : tensor<1x9x9x3xf32> to tensor<1x5x9x1xf32>
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, %[[OROW]], 0, %[[OC:.*]]] [1, 2, 4, 1]
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[IN]], %{{.*}} : tensor<1x5x9x1xf32>, tensor<3x3x1x1xf32>) outs(%[[OUT]] : tensor<1x2x4x1xf32>)
// CHECK: tensor.parallel_insert_slice %[[C]] into %[[ACC]][0, %[[OROW]], 0, %[[OC]]] [1, 2, 4, 1]
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288, l3_bytes = 33554432, threads = 2>} {
func.func @grouped_rows(%x: tensor<1x3x9x9xf32>) -> tensor<1x3x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]]> : tensor<3x1x1x3x3xf32>
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 3, 1, 9, 9] : tensor<1x3x9x9xf32> into tensor<1x3x1x9x9xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 3, 1, 4, 4] : tensor<1x3x4x4xf32> into tensor<1x3x1x4x4xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x3x1x9x9xf32>, tensor<3x1x1x3x3xf32>) outs(%ig : tensor<1x3x1x4x4xf32>) -> tensor<1x3x1x4x4xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x3x1x4x4xf32> into tensor<1x3x4x4xf32>
  return %r : tensor<1x3x4x4xf32>
}
}

// -----

// The input is 16 rows of 16 x 4 floats, 4 KiB; a thread's share, its group's
// 2 of the 4 channels, 2 KiB, is past half of this target's 3 KiB L2: the loop
// runs over 7 blocks of 2 output rows, each reading 4 input rows (1 KiB),
// outside the loop over the 2 groups, so both groups read a block's rows while
// they are cached.
// CHECK-LABEL: func @grouped_cached_rows
// CHECK: scf.forall (%[[B:.*]], %[[G:.*]]) in (7, 2) shared_outs(%[[ACC:.*]] = %{{.*}}) -> (tensor<1x14x14x4xf32>)
// CHECK: %[[IROW:.*]] = arith.muli %[[B]], %[[C2:.*]] : index
// CHECK: %[[OROW:.*]] = arith.muli %[[B]], %[[C2]] : index
// CHECK: %[[CH:.*]] = arith.muli %[[G]], %[[C2]] : index
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, %[[IROW]], 0, %[[CH]]] [1, 4, 16, 2] [1, 1, 1, 1] : tensor<1x16x16x4xf32> to tensor<1x4x16x2xf32>
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, %[[OROW]], 0, %{{.*}}] [1, 2, 14, 2]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IN]], %{{.*}} : tensor<1x4x16x2xf32>, tensor<3x3x2x2xf32>) outs(%[[OUT]] : tensor<1x2x14x2xf32>)
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 2048, l2_bytes = 3072, l3_bytes = 33554432, threads = 2>} {
func.func @grouped_cached_rows(%x: tensor<1x4x16x16xf32>) -> tensor<1x4x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]]> : tensor<2x2x2x3x3xf32>
  %e = tensor.empty() : tensor<1x4x14x14xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x14x14xf32>) -> tensor<1x4x14x14xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 16, 16] : tensor<1x4x16x16xf32> into tensor<1x2x2x16x16xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 14, 14] : tensor<1x4x14x14xf32> into tensor<1x2x2x14x14xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x2x16x16xf32>, tensor<2x2x2x3x3xf32>) outs(%ig : tensor<1x2x2x14x14xf32>) -> tensor<1x2x2x14x14xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x14x14xf32> into tensor<1x4x14x14xf32>
  return %r : tensor<1x4x14x14xf32>
}
}

// -----

// The same conv where each of the 2 threads takes one group: a thread reads its
// group's half of the input (2 KiB), which fits half of this target's 4 KiB
// L2, so the loop runs over the groups alone, the whole map a step. Each
// thread then reads the channels of the map that a producer cutting its
// output channels among the threads left in that thread's cache.
// CHECK-LABEL: func @grouped_thread_share
// CHECK: scf.forall (%[[G:.*]]) in (2) shared_outs(%[[ACC:.*]] = %{{.*}}) -> (tensor<1x14x14x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x16x16x2xf32>, tensor<3x3x2x2xf32>) outs(%{{.*}} : tensor<1x14x14x2xf32>)
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 2048, l2_bytes = 4096, l3_bytes = 33554432, threads = 2>} {
func.func @grouped_thread_share(%x: tensor<1x4x16x16xf32>) -> tensor<1x4x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]]> : tensor<2x2x2x3x3xf32>
  %e = tensor.empty() : tensor<1x4x14x14xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x14x14xf32>) -> tensor<1x4x14x14xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 16, 16] : tensor<1x4x16x16xf32> into tensor<1x2x2x16x16xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 14, 14] : tensor<1x4x14x14xf32> into tensor<1x2x2x14x14xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x2x16x16xf32>, tensor<2x2x2x3x3xf32>) outs(%ig : tensor<1x2x2x14x14xf32>) -> tensor<1x2x2x14x14xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x14x14xf32> into tensor<1x4x14x14xf32>
  return %r : tensor<1x4x14x14xf32>
}
}


// -----

// Even the 3 input rows one output row reads (768 B) are past half of this
// target's 1.25 KiB L2: the loop runs over blocks of one output row each, still
// outside the loop over the groups.
// CHECK-LABEL: func @grouped_row_blocks
// CHECK: scf.forall (%[[B:.*]], %[[G:.*]]) in (14, 2) shared_outs(%[[ACC:.*]] = %{{.*}}) -> (tensor<1x14x14x4xf32>)
// CHECK: %[[IROW:.*]] = arith.muli %[[B]], %[[C1:.*]] : index
// CHECK: %[[OROW:.*]] = arith.muli %[[B]], %[[C1]] : index
// CHECK: %[[CH:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, %[[IROW]], 0, %[[CH]]] [1, 3, 16, 2] [1, 1, 1, 1] : tensor<1x16x16x4xf32> to tensor<1x3x16x2xf32>
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[ACC]][0, %[[OROW]], 0, %{{.*}}] [1, 1, 14, 2]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IN]], %{{.*}} : tensor<1x3x16x2xf32>, tensor<3x3x2x2xf32>) outs(%[[OUT]] : tensor<1x1x14x2xf32>)
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 1024, l2_bytes = 1280, l3_bytes = 33554432, threads = 2>} {
func.func @grouped_row_blocks(%x: tensor<1x4x16x16xf32>) -> tensor<1x4x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]], [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]]> : tensor<2x2x2x3x3xf32>
  %e = tensor.empty() : tensor<1x4x14x14xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x14x14xf32>) -> tensor<1x4x14x14xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 16, 16] : tensor<1x4x16x16xf32> into tensor<1x2x2x16x16xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 14, 14] : tensor<1x4x14x14xf32> into tensor<1x2x2x14x14xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x2x16x16xf32>, tensor<2x2x2x3x3xf32>) outs(%ig : tensor<1x2x2x14x14xf32>) -> tensor<1x2x2x14x14xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x14x14xf32> into tensor<1x4x14x14xf32>
  return %r : tensor<1x4x14x14xf32>
}
}

// -----

// A grouped conv with one input channel a group and 2 filters each (a
// depthwise conv with channel multiplier 2; the lowering's split of 2
// channels into 2 groups of 1 groups the unit axis with H) becomes a
// depthwise NHWC conv over the input with each channel repeated twice:
// output channel g * 2 + f reads input channel g with filter [g, f], so the
// [KH, KW, C] filter's first tap holds 1, 5, 9, 13.
// CHECK-LABEL: func @depthwise_multiplier
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<acnn_transposed> : tensor<2x2x4xf32>
// CHECK-DAG: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x2x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[REP:.*]] = linalg.broadcast ins(%[[X]] : tensor<1x4x4x2xf32>) outs(%{{.*}} : tensor<1x4x4x2x2xf32>) dimensions = [4]
// CHECK: %[[WIDE:.*]] = tensor.collapse_shape %[[REP]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x4x4x2x2xf32> into tensor<1x4x4x4xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%{{.*}} : tensor<1x2x2x4xf32>) dimensions = [0, 1, 2]
// CHECK: %[[C:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[WIDE]], %[[W]] : tensor<1x4x4x4xf32>, tensor<2x2x4xf32>) outs(%[[INIT]] : tensor<1x2x2x4xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[C]] : tensor<1x2x2x4xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
// CHECK: acnn_transposed: "0x040000000000803F0000A0400000104100005041
func.func @depthwise_multiplier(%x: tensor<1x2x4x4xf32>, %b: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %w = arith.constant dense<[[[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]], [[[[9.0, 10.0], [11.0, 12.0]]], [[[13.0, 14.0], [15.0, 16.0]]]]]> : tensor<2x2x1x2x2xf32>
  %e = tensor.empty() : tensor<1x4x2x2xf32>
  %init = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x2x2xf32>) dimensions = [0, 2, 3]
  %xg = tensor.expand_shape %x [[0], [1], [2, 3], [4]] output_shape [1, 2, 1, 4, 4] : tensor<1x2x4x4xf32> into tensor<1x2x1x4x4xf32>
  %ig = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 2, 2] : tensor<1x4x2x2xf32> into tensor<1x2x2x2x2xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%xg, %w : tensor<1x2x1x4x4xf32>, tensor<2x2x1x2x2xf32>) outs(%ig : tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x2x2xf32> into tensor<1x4x2x2xf32>
  return %r : tensor<1x4x2x2xf32>
}
