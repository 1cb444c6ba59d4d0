// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-fuse-pool-into-conv{threads=2}),canonicalize,cse)" | FileCheck %s

// Squeeze-excite's pool of a conv's result: two blocks of 16 output rows (a
// multiple of the 2 threads; 16 x 32 x 16 floats fit L2), each computed by
// the conv (reading the 18 input rows it needs) and pooled at once; the
// blocks' partial sums are added after the loop. The full map still goes to
// its other reader. Every step writes in its block's place in the loop's
// results (the accumulator's fill too), so nothing is allocated per block.
// CHECK-LABEL: func @se_pool
// CHECK: %[[F:.*]]:2 = scf.forall (%[[K:.*]]) in (2) shared_outs(%[[Y:.*]] = %{{.*}}, %[[P:.*]] = %{{.*}}) -> (tensor<1x32x32x16xf32>, tensor<1x2x16xf32>)
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[Y]][0, %{{.*}}, 0, 0] [1, 16, 32, 16]
// CHECK: %[[ACC:.*]] = linalg.fill {{.*}} outs(%[[PLACE]] : tensor<1x16x32x16xf32>)
// CHECK: %[[B:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %arg1 : tensor<1x18x34x16xf32>, tensor<3x3x16x16xf32>) outs(%[[ACC]] : tensor<1x16x32x16xf32>)
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[P]][0, %[[K]], 0] [1, 1, 16] [1, 1, 1] : tensor<1x2x16xf32> to tensor<1x16xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<1x16x32x16xf32>) outs(%[[ROW]] : tensor<1x16xf32>)
// CHECK: arith.addf
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[B]] into %[[Y]][0, %{{.*}}, 0, 0] [1, 16, 32, 16] [1, 1, 1, 1]
// CHECK-NEXT: tensor.parallel_insert_slice %[[S]] into %[[P]][0, %[[K]], 0] [1, 1, 16] [1, 1, 1]
// CHECK: %[[M:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[F]]#1 : tensor<1x2x16xf32>)
// CHECK: arith.addf
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[F]]#0, %[[M]] :
// CHECK: return %[[G]], %[[M]]
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nc = affine_map<(n, c, h, w) -> (n, c)>
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bc = affine_map<(n, h, w, c) -> (n, c)>
func.func @se_pool(%x: tensor<1x34x34x16xf32>, %w: tensor<3x3x16x16xf32>) -> (tensor<1x32x32x16xf32>, tensor<1x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x32x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x34x34x16xf32>, tensor<3x3x16x16xf32>) outs(%acc : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %e2 = tensor.empty() : tensor<1x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16xf32>) -> tensor<1x16xf32>
  %p = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%y : tensor<1x32x32x16xf32>) outs(%init : tensor<1x16xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x16xf32>
  %g = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y, %p : tensor<1x32x32x16xf32>, tensor<1x16xf32>) outs(%e : tensor<1x32x32x16xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %r = arith.mulf %a, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x32x32x16xf32>
  return %g, %p : tensor<1x32x32x16xf32>, tensor<1x16xf32>
}

// -----

// CBAM's mean and max pools of a conv's relu epilogue: the epilogue runs on
// each block too, both pools pool it, and the conv's own result never leaves
// the loop.
// CHECK-LABEL: func @cbam_pools
// CHECK: %[[F:.*]]:3 = scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x32x32x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK: arith.maximumf %in, %cst
// CHECK: linalg.generic {{.*}}"reduction", "reduction"
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}}"reduction", "reduction"
// CHECK: arith.maximumf
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK: return %[[F]]#0
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nc = affine_map<(n, c, h, w) -> (n, c)>
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @cbam_pools(%x: tensor<1x34x34x16xf32>, %w: tensor<3x3x16x16xf32>) -> (tensor<1x32x32x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x32x32x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x34x34x16xf32>, tensor<3x3x16x16xf32>) outs(%acc : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x32x32x16xf32>) outs(%e : tensor<1x32x32x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x32x32x16xf32>
  %e2 = tensor.empty() : tensor<1x16xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16xf32>) -> tensor<1x16xf32>
  %lows = linalg.fill ins(%lowest : f32) outs(%e2 : tensor<1x16xf32>) -> tensor<1x16xf32>
  %sum = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%relu : tensor<1x32x32x16xf32>) outs(%zeros : tensor<1x16xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x16xf32>
  %max = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%relu : tensor<1x32x32x16xf32>) outs(%lows : tensor<1x16xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.maximumf %s, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x16xf32>
  return %relu, %sum, %max : tensor<1x32x32x16xf32>, tensor<1x16xf32>, tensor<1x16xf32>
}

// -----

// A filter bigger than the conv's input: blocks of rows would each re-read
// it, so the pool stays a pass of its own.
// CHECK-LABEL: func @filter_heavy
// CHECK-NOT: scf.forall
// CHECK: linalg.conv_2d_nhwc_hwcf
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nc = affine_map<(n, c, h, w) -> (n, c)>
func.func @filter_heavy(%x: tensor<1x10x10x64xf32>, %w: tensor<3x3x64x64xf32>) -> tensor<1x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x10x64xf32>, tensor<3x3x64x64xf32>) outs(%acc : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %e2 = tensor.empty() : tensor<1x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x64xf32>) -> tensor<1x64xf32>
  %p = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%y : tensor<1x8x8x64xf32>) outs(%init : tensor<1x64xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x64xf32>
  return %p : tensor<1x64xf32>
}

// -----

// A depthwise conv's SiLU epilogue pooled (EfficientNet's and MobileNetV3's
// blocks): the depthwise conv, its epilogue and the pool run a block of rows
// at a time, like a conv's.
// CHECK-LABEL: func @depthwise_se_pool
// CHECK: %[[F:.*]]:2 = scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x32x32x16xf32>, tensor<1x2x16xf32>)
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%{{.*}}, %arg1 : tensor<1x18x34x16xf32>, tensor<3x3x16xf32>) outs(%{{.*}} : tensor<1x16x32x16xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}"reduction", "reduction"
// CHECK: scf.forall.in_parallel
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[F]]#1 : tensor<1x2x16xf32>)
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nc = affine_map<(n, c, h, w) -> (n, c)>
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @depthwise_se_pool(%x: tensor<1x34x34x16xf32>, %w: tensor<3x3x16xf32>) -> (tensor<1x32x32x16xf32>, tensor<1x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x32x32x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x34x34x16xf32>, tensor<3x3x16xf32>) outs(%acc : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %silu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x32x32x16xf32>) outs(%e : tensor<1x32x32x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %a, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x32x32x16xf32>
  %e2 = tensor.empty() : tensor<1x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16xf32>) -> tensor<1x16xf32>
  %p = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%silu : tensor<1x32x32x16xf32>) outs(%init : tensor<1x16xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x16xf32>
  return %silu, %p : tensor<1x32x32x16xf32>, tensor<1x16xf32>
}

// -----

// Two convs summed in one epilogue (a RepVGG-style block, RepViT's token
// mixer), pooled: the epilogue is both convs' candidate map, fused once with
// the first conv; the other conv's result is read a block at a time. (Taken
// twice, the second time read the erased epilogue: a crash or a failed
// compile, by chance.)
// CHECK-LABEL: func @two_convs_one_epilogue
// CHECK: %[[B:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%arg0, %arg2 : tensor<1x34x34x16xf32>, tensor<1x1x16x16xf32>)
// CHECK: %[[F:.*]]:2 = scf.forall (%{{.*}}) in (2)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %arg1 : tensor<1x18x34x16xf32>, tensor<3x3x16x16xf32>)
// CHECK: tensor.extract_slice %[[B]]
// CHECK: arith.addf
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
// CHECK: return %[[F]]#0
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nc = affine_map<(n, c, h, w) -> (n, c)>
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @two_convs_one_epilogue(%x: tensor<1x34x34x16xf32>, %w: tensor<3x3x16x16xf32>, %v: tensor<1x1x16x16xf32>) -> (tensor<1x32x32x16xf32>, tensor<1x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x32x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %a = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x34x34x16xf32>, tensor<3x3x16x16xf32>) outs(%acc : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %e1 = tensor.empty() : tensor<1x32x32x16xf32>
  %acc1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %b = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %v : tensor<1x34x34x16xf32>, tensor<1x1x16x16xf32>) outs(%acc1 : tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%a, %b : tensor<1x32x32x16xf32>, tensor<1x32x32x16xf32>) outs(%e : tensor<1x32x32x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.addf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<1x32x32x16xf32>
  %e2 = tensor.empty() : tensor<1x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16xf32>) -> tensor<1x16xf32>
  %p = linalg.generic {indexing_maps = [#nhwc, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%sum : tensor<1x32x32x16xf32>) outs(%init : tensor<1x16xf32>) {
  ^bb0(%a1: f32, %s: f32):
    %r = arith.addf %s, %a1 : f32
    linalg.yield %r : f32
  } -> tensor<1x16xf32>
  return %sum, %p : tensor<1x32x32x16xf32>, tensor<1x16xf32>
}
