// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2})" | FileCheck %s --check-prefix=SEL2
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-select-schedules{target=avx512})" | FileCheck %s --check-prefix=SEL5
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules)" | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-select-schedules{target=avx512},acnn-apply-schedules)" | FileCheck %s --check-prefixes=CHECK,AVX512
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules{print-scripts})" -o /dev/null | FileCheck %s --check-prefix=SCRIPT

// acnn-select-schedules gives each kernel its generated #acnn.schedule (its
// key and entry name beside it); acnn-apply-schedules renders and applies it.

// Direct conv: an ow x f register tile of 12 accumulators (6 x 2 vectors of 8)
// on AVX2, 16 (8 x 2 vectors of 16, the cap) on AVX-512, hoisted out of the kh,
// kw and c loops; output rows over threads. AVX2's 56 columns split 54 + 2
// inside the loop over blocks of output channels, so both pieces read each
// block's filter while it is cached.
// SEL2: linalg.conv_2d_nhwc_hwcf {acnn.kernel = 0 : i64, acnn.kernel_entry = "kernel", acnn.kernel_key = "linalg.conv_2d_nhwc_hwcf 1x56x56x64x3x3x64 pppprrr f32", acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, split = {{\[\[}}2, 54]], parallel = [1, 3, 2], tile = [1, 1, 6, 16, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>
// SEL5: acnn.schedule = #acnn.schedule<conv, vector = 16, unroll = 2, parallel = [1, 3, 2], tile = [1, 1, 8, 32, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>
// CHECK-LABEL: func @conv
// CHECK-NOT: linalg.conv
// CHECK: scf.forall (%{{.*}}) in (56)
// AVX2: scf.for %[[F:.*]] = %c0 to %c64 step %c16
// AVX2: scf.for {{.*}} to %c54 step %c6
// AVX2: vector.transfer_read {{.*}} : tensor<1x1x54x16xf32>, vector<6x16xf32>
// AVX512: vector.transfer_read {{.*}} : tensor<1x1x56x64xf32>, vector<8x32xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (vector<
// AVX2-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// AVX512-COUNT-32: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.yield
// CHECK-NOT: vector.transfer_write
// CHECK: scf.yield
// AVX2: vector.transfer_read {{.*}} : tensor<1x1x2x16xf32>, vector<2x16xf32>
// AVX2: scf.for
// AVX2: scf.for
// AVX2: scf.for {{.*}} -> (vector<1x2x16xf32>)
// AVX2: vector.transfer_read %arg1[%{{.*}}, %{{.*}}, %{{.*}}, %[[F]]]
// AVX2-COUNT-4: vector.fma {{.*}} : vector<16xf32>
// AVX2: tensor.insert_slice {{.*}} [1, 1, 2, 16]
// AVX2: scf.forall.in_parallel
// SCRIPT: transform.structured.match attributes{acnn.kernel = 0 : i64}
// SCRIPT: transform.structured.tile_using_forall %op tile_sizes [0, 1, 0, 0, 0, 0, 0]
// SCRIPT: transform.structured.tile_using_for %par{{[0-9]+}} tile_sizes [0, 0, 0, 16, 0, 0, 0] interchange = [3, 0, 1, 2, 4, 5, 6]
// SCRIPT: transform.structured.split %tiled{{[0-9]+}} after 54 {dimension = 2}
// SCRIPT: transform.structured.tile_using_for %main{{[0-9]+}} tile_sizes [0, 0, 6, 0, 1, 1, 4] interchange = [3, 0, 1, 2, 4, 5, 6]
// SCRIPT: transform.structured.decompose
// SCRIPT: transform.structured.vectorize
// SCRIPT: transform.structured.tile_using_for %rest{{[0-9]+}} tile_sizes [0, 0, 0, 0, 1, 1, 4] interchange = [3, 0, 1, 2, 4, 5, 6]
// SCRIPT: transform.structured.decompose
// SCRIPT: transform.structured.vectorize
func.func @conv(%x: tensor<1x58x58x64xf32>, %w: tensor<3x3x64x64xf32>, %o: tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %r : tensor<1x56x56x64xf32>
}

// -----

// A map 3 columns wide leaves AVX2's tile 6 accumulators (3 x 2 vectors),
// too few for the FMA latency: it takes 2 output rows too (12), the rows
// split 6 + 1. Such a tile does not decompose to 1-D: the tiled conv is
// generalised, its unit loops dropped, and vectorised as a contraction over
// rows, columns and channels, its accumulators hoisted as before. AVX-512's
// 3 x 4 vectors are 12 already.
// SEL2: acnn.kernel_key = "linalg.conv_2d_nhwc_hwcf 1x7x3x64x3x3x64 pppprrr f32", acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, split = {{\[\[}}1, 6]], parallel = [3, 1, 2], tile = [1, 2, 3, 16, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], vectorize, hoist>
// SEL5: acnn.schedule = #acnn.schedule<conv, vector = 16, unroll = 4, parallel = [3, 1, 2], tile = [1, 1, 3, 64, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>
// CHECK-LABEL: func @conv_rows
// CHECK-NOT: linalg.
// AVX2: scf.for {{.*}} step %c2
// AVX2: vector.transfer_read {{.*}} : tensor<1x6x3x16xf32>, vector<2x3x16xf32>
// AVX2: scf.for
// AVX2: scf.for
// AVX2: scf.for {{.*}} -> (vector<2x3x16xf32>)
// AVX2: vector.transfer_read {{.*}} : tensor<1x9x5x64xf32>, vector<2x3x4xf32>
// AVX2-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: vector.transfer_write
// AVX2: scf.yield
// SCRIPT: transform.structured.tile_using_forall %op tile_sizes [0, 0, 0, 16, 0, 0, 0]
// SCRIPT: transform.structured.split %par{{[0-9]+}} after 6 {dimension = 1}
// SCRIPT: %[[T:.*]], %[[L:.*]]:4 = transform.structured.tile_using_for %{{.*}} tile_sizes [0, 2, 0, 0, 1, 1, 4]
// SCRIPT-NOT: decompose
// SCRIPT: transform.structured.generalize %[[T]]
// SCRIPT: transform.apply_patterns to %[[L]]#3 {
// SCRIPT-NEXT: transform.apply_patterns.linalg.fold_unit_extent_dims_via_slices
// SCRIPT: %[[C:.*]] = transform.structured.match ops{["linalg.generic"]} in %[[L]]#3
// SCRIPT: transform.structured.vectorize %[[C]]
func.func @conv_rows(%x: tensor<1x9x5x64xf32>, %w: tensor<3x3x64x64xf32>, %o: tensor<1x7x3x64xf32>) -> tensor<1x7x3x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x9x5x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x7x3x64xf32>) -> tensor<1x7x3x64xf32>
  return %r : tensor<1x7x3x64xf32>
}

// -----

// Matmul: m x n register tile, k innermost, n-blocks over threads; the 197
// rows' last 5, which the tile leaves, peeled off the row loop inside each
// n-block: the partial step's tile reads the block of b the full ones read.
// SEL2: acnn.kernel_key = "linalg.matmul 197x768x192 ppr f32", acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 2, peel = [0], parallel = [1, 0], tile = [6, 16, 1], order = [1, 0, 2], vectorize, hoist>
// SEL5: acnn.schedule = #acnn.schedule<matmul, vector = 16, unroll = 2, peel = [0], parallel = [1, 0], tile = [8, 32, 1], order = [1, 0, 2], vectorize, hoist>
// SCRIPT: %[[T:.*]], %[[L:.*]]:2 = transform.structured.tile_using_for %par{{[0-9]+}} tile_sizes [6, 0, 1] interchange = [1, 0, 2]
// SCRIPT: %[[FOR:.*]] = transform.cast %[[L]]#0
// SCRIPT: %[[FULL:.*]], %[[PART:.*]] = transform.loop.peel %[[FOR]]
// SCRIPT: transform.loop.promote_if_one_iteration %[[PART]]
// SCRIPT: transform.apply_patterns.linalg.tiling_canonicalization
// SCRIPT: %[[F:.*]] = transform.structured.match attributes{acnn.kernel = 0 : i64, acnn.full_steps}
// SCRIPT: transform.structured.vectorize %[[F]]
// SCRIPT: %[[P:.*]] = transform.structured.match attributes{acnn.kernel = 0 : i64, acnn.partial_step}
// SCRIPT: transform.structured.vectorize %[[P]]
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (vector<{{6x16|8x32}}xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX512-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} -> (vector<5x{{16|32}}xf32>)
// AVX2-COUNT-5: vector.fma {{.*}} : vector<16xf32>
// AVX512-COUNT-5: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: = scf.forall
// CHECK: return
func.func @matmul(%a: tensor<197x192xf32>, %b: tensor<192x768xf32>, %c: tensor<197x768xf32>) -> tensor<197x768xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<197x192xf32>, tensor<192x768xf32>) outs(%c : tensor<197x768xf32>) -> tensor<197x768xf32>
  return %r : tensor<197x768xf32>
}

// -----

// Elementwise with exp: vectorised along the contiguous dim, exp as a
// polynomial (no libm call a lane).
// SEL2: acnn.kernel_key = "linalg.generic 4x100 pp f32 maps(d0,d1)(d0,d1) body(math.exp)", acnn.schedule = #acnn.schedule<elementwise, vector = 8, unroll = 4, split = {{\[\[}}1, 96]], tile = [1, 32], vectorize>
// CHECK-LABEL: func @exp
// CHECK-NOT: linalg.generic
// CHECK-NOT: math.exp
// AVX2: vector<32xf32>
// AVX2: vector<4xf32>
func.func @exp(%x: tensor<4x100xf32>, %o: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<4x100xf32>) outs(%o : tensor<4x100xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<4x100xf32>
  return %r : tensor<4x100xf32>
}

// -----

// A channel pool of exp (a global average pool of a SiLU): vectorised along
// the channels, which are not the innermost loop; the element-wise ops in
// the body stay whole vectors (vector<64x1x1xf32> unrolled one lane at a
// time ran EfficientNet's last pool 12x slower).
// SEL2: acnn.kernel_key = "linalg.generic 1x64x7x7 pprr f32 maps(d0,d2,d3,d1)(d0,d1) body(math.exp,arith.addf)", acnn.schedule = #acnn.schedule<reduction, vector = 8, unroll = 4, tile = [1, 32, 1, 1], vectorize, hoist>
// CHECK-LABEL: func @pool_of_exp
// CHECK-NOT: vector<1x1x1xf32>
// CHECK: math.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector<1x1x1xf32>
// CHECK: return
func.func @pool_of_exp(%x: tensor<1x7x7x64xf32>, %o: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, h, w, c)>, affine_map<(n, c, h, w) -> (n, c)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%x : tensor<1x7x7x64xf32>) outs(%o : tensor<1x64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %e = math.exp %in : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  } -> tensor<1x64xf32>
  return %r : tensor<1x64xf32>
}

// -----

// CBAM's spatial pool: each pixel's 64 channels (its contiguous row) summed
// into one value. The whole vector reduces as one vector.reduction that may
// reassociate (a tree), not as 64 scalar adds one after the other.
// CHECK-LABEL: func @pixel_channel_sum
// CHECK-NOT: arith.addf {{.*}} : vector<1xf32>
// CHECK: vector.reduction <add>, %{{.*}}, %{{.*}} fastmath<reassoc> : vector<64xf32> into f32
// CHECK-NOT: arith.addf {{.*}} : vector<1xf32>
// CHECK: return
func.func @pixel_channel_sum(%x: tensor<1x8x8x64xf32>, %o: tensor<1x8x8xf32>) -> tensor<1x8x8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, h, w, c)>, affine_map<(n, c, h, w) -> (n, h, w)>], iterator_types = ["parallel", "reduction", "parallel", "parallel"]}
    ins(%x : tensor<1x8x8x64xf32>) outs(%o : tensor<1x8x8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8xf32>
  return %r : tensor<1x8x8xf32>
}

// -----

// A group of acnn-group-epilogues: the relu (the root) is tiled for threads
// and registers, the conv and its bias start are fused into both levels,
// then the conv's reductions are tiled inside the register tile. Nothing of
// the tile goes through memory: the accumulators start as the bias vector,
// the relu takes them from the loop, one write.
// The group's tags now carry the kernel's number; its schedule, on the root,
// is its conv's, and its key names the epilogue and the start.
// SEL2-LABEL: func @conv_group
// SEL2: linalg.broadcast {{.*}} {acnn.group_start = 0 : i64}
// SEL2: linalg.conv_2d_nhwc_hwcf {acnn.group_body = 0 : i64
// SEL2: linalg.generic {{.*}} attrs =  {acnn.kernel = 0 : i64, acnn.kernel_entry = "kernel", acnn.kernel_key = "linalg.conv_2d_nhwc_hwcf 1x8x24x16x3x3x8 pppprrr f32 epilogue(arith.maximumf) start", acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, parallel = [1, 3, 2], tile = [1, 1, 6, 16, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>}
// CHECK-LABEL: func @conv_group
// AVX2-NOT: linalg.
// AVX2: scf.forall (%{{.*}}) in (8)
// AVX2: scf.for
// AVX2-NOT: vector.transfer_write
// AVX2: %[[B:.*]] = vector.transfer_read %arg2[%c0], %{{.*}} : tensor<16xf32>, vector<16xf32>
// AVX2: %[[ACC:.*]] = scf.for {{.*}} -> (vector<1x6x16xf32>)
// AVX2-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: vector.transfer_write
// AVX2: %[[V:.*]] = vector.extract %[[ACC]][0] : vector<6x16xf32> from vector<1x6x16xf32>
// The epilogue one vector register at a time (the target's 8 lanes), its
// max without signed zeros (one vmaxps, not a sign test and two blends).
// AVX2-COUNT-12: arith.maximumf %{{.*}}, %{{.*}} fastmath<nsz> : vector<1x8xf32>
// AVX2: vector.transfer_write
// SCRIPT: %op = transform.structured.match attributes{acnn.kernel = 0 : i64}
// SCRIPT: %body = transform.structured.match attributes{acnn.group_body = 0 : i64}
// SCRIPT: %start = transform.structured.match attributes{acnn.group_start = 0 : i64}
// SCRIPT: %[[P:.*]], %[[F:.*]] = transform.structured.tile_using_forall %op tile_sizes [0, 1, 0, 0]
// SCRIPT: %[[B1:.*]], %[[F1:.*]] = transform.structured.fuse_into_containing_op %body into %[[F]]
// SCRIPT: %[[S1:.*]], %{{.*}} = transform.structured.fuse_into_containing_op %start into %[[F1]]
// SCRIPT: %[[T:.*]], %[[L:.*]] = transform.structured.tile_using_for %[[P]] tile_sizes [0, 0, 6, 0] interchange = [3, 0, 1, 2]
// SCRIPT: %[[B2:.*]], %[[L1:.*]] = transform.structured.fuse_into_containing_op %[[B1]] into %[[L]] 
// SCRIPT: %[[S2:.*]], %{{.*}} = transform.structured.fuse_into_containing_op %[[S1]] into %[[L1]]
// SCRIPT: %[[B3:.*]], %{{.*}} = transform.structured.tile_using_for %[[B2]] tile_sizes [0, 0, 0, 0, 1, 1, 4]
// SCRIPT: %[[D:.*]] = transform.structured.decompose %[[B3]]
// SCRIPT: transform.structured.vectorize %[[D]]
// SCRIPT: transform.structured.vectorize %[[T]]
// SCRIPT: transform.structured.vectorize %[[S2]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @conv_group(%x: tensor<1x10x26x8xf32>, %w: tensor<3x3x8x16xf32>, %b: tensor<16xf32>) -> tensor<1x8x24x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x24x16xf32>
  %start = linalg.broadcast ins(%b : tensor<16xf32>) outs(%e : tensor<1x8x24x16xf32>) dimensions = [0, 1, 2] {acnn.group_start = 3 : i64}
  %y = linalg.conv_2d_nhwc_hwcf {acnn.group_body = 3 : i64, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x26x8xf32>, tensor<3x3x8x16xf32>) outs(%start : tensor<1x8x24x16xf32>) -> tensor<1x8x24x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x8x24x16xf32>) outs(%e : tensor<1x8x24x16xf32>) attrs = {acnn.group_epilogue = 3 : i64} {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x24x16xf32>
  return %r : tensor<1x8x24x16xf32>
}

// -----

// A group whose 7 output columns split 4 + 3 stays one kernel when its
// filter is far past L2 (acnn-group-epilogues; here the group is given, its
// filter small to keep the test short): the script splits the residual
// add (which reads the conv second) inside the threads' blocks of output
// channels and each output row, tiles each piece, and fuses the conv and
// its bias start into each: a 4 x 16 and a 3 x 16 FMA tile in one loop nest.
// SEL2-LABEL: func @conv_group_split
// SEL2: acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, split = {{\[\[}}2, 4]], parallel = [3, 1, 2], tile = [1, 1, 4, 16, 1, 1, 4]
// CHECK-LABEL: func @conv_group_split
// AVX2-NOT: linalg.
// AVX2: scf.forall (%{{.*}}) in (32)
// AVX2-NOT: scf.forall
// AVX2: scf.for {{.*}} to %c7 step %c1
// AVX2: scf.for {{.*}} -> (vector<1x4x16xf32>)
// AVX2-COUNT-8: vector.fma {{.*}} : vector<16xf32>
// AVX2: arith.addf {{.*}} : vector<1x8xf32>
// AVX2: scf.for {{.*}} -> (vector<1x3x16xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2: arith.addf {{.*}} : vector<1x8xf32>
// AVX2: scf.forall.in_parallel
// SCRIPT: %[[P:.*]], %[[F:.*]] = transform.structured.tile_using_forall %op tile_sizes [0, 0, 0, 16]
// SCRIPT: %[[T:.*]], %[[L:.*]] = transform.structured.tile_using_for %[[P]] tile_sizes [0, 1, 0, 0] interchange = [3, 0, 1, 2]
// SCRIPT: %[[A:.*]] = transform.get_parent_op %[[T]]
// SCRIPT: transform.structured.split %[[T]] after 4 {dimension = 2}
// SCRIPT: tile_using_for %main{{[0-9]+}} tile_sizes [0, 0, 4, 0] interchange = [3, 0, 1, 2]
// SCRIPT: %[[T2:.*]], %{{.*}} = transform.structured.tile_using_for %rest{{[0-9]+}} tile_sizes [0, 0, 3, 0] interchange = [3, 0, 1, 2]
// SCRIPT: transform.apply_patterns to %[[A]]
// SCRIPT-NEXT: transform.apply_patterns.tensor.merge_consecutive_insert_extract_slice
// SCRIPT: %[[S:.*]] = transform.get_producer_of_operand %[[T2]][1]
// SCRIPT: %[[B:.*]] = transform.get_producer_of_operand %[[S]][0]
// SCRIPT: %[[FB:.*]], %{{.*}} = transform.structured.fuse_into_containing_op %[[B]]
// SCRIPT: %[[S2:.*]] = transform.get_producer_of_operand %[[FB]][2]
// SCRIPT: %[[ST:.*]] = transform.get_producer_of_operand %[[S2]][0]
// SCRIPT: transform.structured.fuse_into_containing_op %[[ST]]
#id4 = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @conv_group_split(%x: tensor<1x7x7x512xf32>, %w: tensor<1x1x512x512xf32>, %b: tensor<512xf32>, %res: tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32> {
  %e = tensor.empty() : tensor<1x7x7x512xf32>
  %start = linalg.broadcast ins(%b : tensor<512xf32>) outs(%e : tensor<1x7x7x512xf32>) dimensions = [0, 1, 2] {acnn.group_start = 5 : i64}
  %y = linalg.conv_2d_nhwc_hwcf {acnn.group_body = 5 : i64, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x7x512xf32>, tensor<1x1x512x512xf32>) outs(%start : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%res, %y : tensor<1x7x7x512xf32>, tensor<1x7x7x512xf32>) outs(%e : tensor<1x7x7x512xf32>) attrs = {acnn.group_epilogue = 5 : i64} {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<1x7x7x512xf32>
  return %r : tensor<1x7x7x512xf32>
}

// -----

// A conv tagged as a group's but without the group's consumer (canonicalised
// away) is a kernel of its own, as is its start.
// SEL2-LABEL: func @orphan_group
// SEL2: linalg.fill {acnn.kernel = 0 : i64, acnn.kernel_entry = "kernel", acnn.kernel_key = "linalg.fill 1x8x24x16 pppp f32"
// SEL2: linalg.conv_2d_nhwc_hwcf {acnn.kernel = 1 : i64, acnn.kernel_entry = "kernel#2", acnn.kernel_key = "linalg.conv_2d_nhwc_hwcf 1x8x24x16x3x3x8 pppprrr f32", acnn.schedule
// CHECK-LABEL: func @orphan_group
// CHECK-NOT: linalg.
// CHECK-NOT: acnn.group
func.func @orphan_group(%x: tensor<1x10x26x8xf32>, %w: tensor<3x3x8x16xf32>) -> tensor<1x8x24x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x24x16xf32>
  %start = linalg.fill {acnn.group_start = 7 : i64} ins(%zero : f32) outs(%e : tensor<1x8x24x16xf32>) -> tensor<1x8x24x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {acnn.group_body = 7 : i64, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x26x8xf32>, tensor<3x3x8x16xf32>) outs(%start : tensor<1x8x24x16xf32>) -> tensor<1x8x24x16xf32>
  return %y : tensor<1x8x24x16xf32>
}
