// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-fuse-expand-into-depthwise),canonicalize,cse)" | FileCheck %s

// A 1x1 conv from 8 to 32 channels, relu, padded by 1 for a 3x3 depthwise
// conv: the padded map (34x34x32, 145 KiB) outgrows the 2 threads' 64 KiB
// L2s. Two blocks of 16 output rows (18 rows of the map each: 2 of 34 read
// twice), in channel blocks of 8 so that a band (18x34x8) fits half of L2.
// Each band: zero columns at both sides, the conv of x's rows (x padded with
// a zero row above and below) between them, and on the first block's top row
// and the last block's bottom row zeros again (the relu of a zero row's conv
// is its bias, not the padding).
// CHECK-LABEL: func @expand_depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x32x32x8xf32>, %[[W:.*]]: tensor<1x1x8x32xf32>, %[[B:.*]]: tensor<32xf32>, %[[T:.*]]: tensor<3x3x32xf32>, %[[D:.*]]: tensor<32xf32>)
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: tensor<1x32x32x8xf32> to tensor<1x34x32x8xf32>
// CHECK: %[[F:.*]] = scf.forall (%[[K:.*]]) in (2) shared_outs(%[[Z:.*]] = %{{.*}}) -> (tensor<1x32x32x32xf32>)
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[Z]][0, %{{.*}}, 0, 0] [1, 16, 32, 32]
// CHECK: %[[L:.*]] = scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ROWS]]) -> (tensor<1x16x32x32xf32>)
// CHECK: %[[BAND:.*]] = tensor.empty() : tensor<1x18x34x8xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x18x1x8xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x18x1x8xf32>
// CHECK: %[[S:.*]] = linalg.broadcast
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[XP]][0, %{{.*}}, 0, 0] [1, 18, 32, 8]
// CHECK: %[[WC:.*]] = tensor.extract_slice %[[W]][0, 0, 0, %[[C]]] [1, 1, 8, 8]
// CHECK: %[[E:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IN]], %[[WC]] : tensor<1x18x32x8xf32>, tensor<1x1x8x8xf32>) outs(%[[S]] : tensor<1x18x32x8xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[E]] : tensor<1x18x32x8xf32>) outs(%[[E]] : tensor<1x18x32x8xf32>)
// CHECK: arith.maximumf
// CHECK: %[[FULL:.*]] = tensor.insert_slice %[[R]] into %{{.*}}[0, 0, 1, 0] [1, 18, 32, 8]
// CHECK: %[[TOP:.*]] = scf.if %{{.*}} -> (tensor<1x18x34x8xf32>) {
// CHECK: linalg.fill {{.*}} -> tensor<1x1x34x8xf32>
// CHECK: } else {
// CHECK-NEXT: scf.yield %[[FULL]]
// CHECK: %[[BOTTOM:.*]] = scf.if %{{.*}} -> (tensor<1x18x34x8xf32>) {
// CHECK: tensor.insert_slice %{{.*}} into %[[TOP]][0, 17, 0, 0] [1, 1, 34, 8]
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[ACC]][0, 0, 0, %[[C]]] [1, 16, 32, 8]
// CHECK: %[[DS:.*]] = linalg.broadcast {{.*}} outs(%[[PLACE]] : tensor<1x16x32x8xf32>)
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[BOTTOM]], %{{.*}} : tensor<1x18x34x8xf32>, tensor<3x3x8xf32>) outs(%[[DS]] : tensor<1x16x32x8xf32>)
// CHECK: %[[DE:.*]] = linalg.generic {{.*}} ins(%[[DW]] : tensor<1x16x32x8xf32>) outs(%[[DW]] : tensor<1x16x32x8xf32>)
// CHECK: arith.minimumf
// CHECK: %[[NEXT:.*]] = tensor.insert_slice %[[DE]] into %[[ACC]][0, 0, 0, %[[C]]] [1, 16, 32, 8]
// CHECK: scf.yield %[[NEXT]]
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[L]] into %[[Z]][0, %{{.*}}, 0, 0] [1, 16, 32, 32]
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK: return %[[F]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 65536, l3_bytes = 33554432, threads = 2>} {
func.func @expand_depthwise(%x: tensor<1x32x32x8xf32>, %w: tensor<1x1x8x32xf32>, %b: tensor<32xf32>, %t: tensor<3x3x32xf32>, %d: tensor<32xf32>) -> tensor<1x32x32x32xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e0 = tensor.empty() : tensor<1x32x32x32xf32>
  %s0 = linalg.broadcast ins(%b : tensor<32xf32>) outs(%e0 : tensor<1x32x32x32xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x32x32x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %e1 = tensor.empty() : tensor<1x32x32x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x32x32x32xf32>) outs(%e1 : tensor<1x32x32x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x32x32xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x32x32xf32> to tensor<1x34x34x32xf32>
  %e2 = tensor.empty() : tensor<1x32x32x32xf32>
  %s1 = linalg.broadcast ins(%d : tensor<32xf32>) outs(%e2 : tensor<1x32x32x32xf32>) dimensions = [0, 1, 2]
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%p, %t : tensor<1x34x34x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %e3 = tensor.empty() : tensor<1x32x32x32xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%z : tensor<1x32x32x32xf32>) outs(%e3 : tensor<1x32x32x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.minimumf %a, %six : f32
    linalg.yield %m : f32
  } -> tensor<1x32x32x32xf32>
  return %g : tensor<1x32x32x32xf32>
}
}

// -----

// Stride 2, the map padded above and left only (the last row and column no
// output reads). Channel blocks of two vectors where they fit: 4 blocks of 4
// output rows, bands of 2 x 3 + 3 = 9 rows (3 of 33 read twice) and 16
// channels. x is padded above alone; no zero columns on the right and no zero
// rows at the bottom.
// CHECK-LABEL: func @expand_depthwise_stride2
// CHECK: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 0, 0, 0]
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK: scf.for
// CHECK: tensor.empty() : tensor<1x9x33x16xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x9x1x16xf32>
// CHECK-NOT: linalg.fill
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<1x9x32x16xf32>
// CHECK: scf.if
// CHECK: linalg.fill {{.*}} -> tensor<1x1x33x16xf32>
// CHECK-NOT: scf.if
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}}strides = dense<2> {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x9x33x16xf32>, tensor<3x3x16xf32>) outs(%{{.*}} : tensor<1x4x16x16xf32>)
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 65536, l3_bytes = 33554432, threads = 2>} {
func.func @expand_depthwise_stride2(%x: tensor<1x32x32x8xf32>, %w: tensor<1x1x8x32xf32>, %b: tensor<32xf32>, %t: tensor<3x3x32xf32>) -> tensor<1x16x16x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x32x32x32xf32>
  %s0 = linalg.broadcast ins(%b : tensor<32xf32>) outs(%e0 : tensor<1x32x32x32xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x32x32x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %p = tensor.pad %y low[0, 1, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x32x32xf32> to tensor<1x33x33x32xf32>
  %e2 = tensor.empty() : tensor<1x16x16x32xf32>
  %s1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%p, %t : tensor<1x33x33x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  return %z : tensor<1x16x16x32xf32>
}
}

// -----

// Left alone: a padded map that fits the threads' L2s (18x18x32 floats,
// 41 KiB); and a 1x1 conv whose result something else reads as well.
// CHECK-LABEL: func @fits_l2
// CHECK-NOT: scf.forall
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-LABEL: func @shared_expand
// CHECK-NOT: scf.forall
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 65536, l3_bytes = 33554432, threads = 2>} {
func.func @fits_l2(%x: tensor<1x16x16x8xf32>, %w: tensor<1x1x8x32xf32>, %t: tensor<3x3x32xf32>) -> tensor<1x16x16x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x16x16x32xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x16x16x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %p = tensor.pad %y low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x16x32xf32> to tensor<1x18x18x32xf32>
  %e2 = tensor.empty() : tensor<1x16x16x32xf32>
  %s1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%p, %t : tensor<1x18x18x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  return %z : tensor<1x16x16x32xf32>
}
func.func @shared_expand(%x: tensor<1x32x32x8xf32>, %w: tensor<1x1x8x32xf32>, %t: tensor<3x3x32xf32>) -> (tensor<1x32x32x32xf32>, tensor<1x32x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x32x32x32xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x32x32x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %p = tensor.pad %y low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x32x32xf32> to tensor<1x34x34x32xf32>
  %e2 = tensor.empty() : tensor<1x32x32x32xf32>
  %s1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%p, %t : tensor<1x34x34x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  return %z, %y : tensor<1x32x32x32xf32>, tensor<1x32x32x32xf32>
}
}

// -----

// Squeeze-excite's mean of the depthwise conv's result: each step pools its
// block into its row block's row of partial sums, added up after the loop.
// CHECK-LABEL: func @expand_depthwise_pool
// CHECK: %[[F:.*]]:2 = scf.forall (%[[K:.*]]) in (4) shared_outs(%[[Z:.*]] = %{{.*}}, %[[P:.*]] = %{{.*}}) -> (tensor<1x16x16x32xf32>, tensor<1x4x32xf32>)
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[P]][0, %[[K]], 0] [1, 1, 32] [1, 1, 1] : tensor<1x4x32xf32> to tensor<1x32xf32>
// CHECK: %[[L:.*]]:2 = scf.for %[[C:.*]] = {{.*}} iter_args(%{{.*}} = %{{.*}}, %[[R:.*]] = %[[ROW]]) -> (tensor<1x4x16x32xf32>, tensor<1x32xf32>)
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc
// CHECK: %[[INIT:.*]] = tensor.extract_slice %[[R]][0, %[[C]]] [1, 16] [1, 1] : tensor<1x32xf32> to tensor<1x16xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[DW]] : tensor<1x4x16x16xf32>) outs(%[[INIT]] : tensor<1x16xf32>)
// CHECK: tensor.insert_slice %[[S]] into %[[R]][0, %[[C]]] [1, 16] [1, 1]
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %[[L]]#1 into %[[P]][0, %[[K]], 0] [1, 1, 32] [1, 1, 1]
// CHECK: %[[M:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[F]]#1 : tensor<1x4x32xf32>)
// CHECK: return %[[F]]#0, %[[M]]
#pool = affine_map<(n, h, w, c) -> (n, c)>
#ident = affine_map<(n, h, w, c) -> (n, h, w, c)>
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 65536, l3_bytes = 33554432, threads = 2>} {
func.func @expand_depthwise_pool(%x: tensor<1x32x32x8xf32>, %w: tensor<1x1x8x32xf32>, %b: tensor<32xf32>, %t: tensor<3x3x32xf32>) -> (tensor<1x16x16x32xf32>, tensor<1x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x32x32x32xf32>
  %s0 = linalg.broadcast ins(%b : tensor<32xf32>) outs(%e0 : tensor<1x32x32x32xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x32x32x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %p = tensor.pad %y low[0, 1, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x32x32xf32> to tensor<1x33x33x32xf32>
  %e2 = tensor.empty() : tensor<1x16x16x32xf32>
  %s1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%p, %t : tensor<1x33x33x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %e3 = tensor.empty() : tensor<1x32xf32>
  %i0 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x32xf32>) -> tensor<1x32xf32>
  %m = linalg.generic {indexing_maps = [#ident, #pool], iterator_types = ["parallel", "reduction", "reduction", "parallel"]}
    ins(%z : tensor<1x16x16x32xf32>) outs(%i0 : tensor<1x32xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %a, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x32xf32>
  return %z, %m : tensor<1x16x16x32xf32>, tensor<1x32xf32>
}
}

// -----

// Left alone: an epilogue of many ops an element (SiLU's exponential and
// division here, 10 ops): computing it, not moving the map, bounds the convs.
// CHECK-LABEL: func @costly_epilogue
// CHECK-NOT: scf.forall
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
#same = affine_map<(n, h, w, c) -> (n, h, w, c)>
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 65536, l3_bytes = 33554432, threads = 2>} {
func.func @costly_epilogue(%x: tensor<1x32x32x8xf32>, %w: tensor<1x1x8x32xf32>, %t: tensor<3x3x32xf32>) -> tensor<1x32x32x32xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e0 = tensor.empty() : tensor<1x32x32x32xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x32x32x8xf32>, tensor<1x1x8x32xf32>) outs(%s0 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %e1 = tensor.empty() : tensor<1x32x32x32xf32>
  %r = linalg.generic {indexing_maps = [#same, #same], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x32x32x32xf32>) outs(%e1 : tensor<1x32x32x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %m = arith.mulf %n, %one : f32
    %q = arith.mulf %m, %m : f32
    %u = arith.addf %q, %m : f32
    %v = arith.mulf %u, %q : f32
    %g = arith.addf %v, %one : f32
    %h = arith.maximumf %g, %one : f32
    %i = arith.addf %h, %one : f32
    %d = arith.divf %a, %i : f32
    linalg.yield %d : f32
  } -> tensor<1x32x32x32xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x32x32xf32> to tensor<1x34x34x32xf32>
  %e2 = tensor.empty() : tensor<1x32x32x32xf32>
  %s1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %z = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%p, %t : tensor<1x34x34x32xf32>, tensor<3x3x32xf32>) outs(%s1 : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  return %z : tensor<1x32x32x32xf32>
}
}
