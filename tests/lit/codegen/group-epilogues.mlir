// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-group-epilogues{target=avx2}),cse)" | FileCheck %s

// A conv with a bias start and a relu: its schedule (6 x 16 register tiles
// on AVX2) splits its 56 output columns at 54, so the group is cut there
// into two groups, each computing its columns of the relu's result from its
// own start and conv. The relu writes a tensor.empty of the group's own
// (tagged, so CSE merges it with no other), the start in the same place,
// each part in what the part before it wrote.
// CHECK-LABEL: func @conv_bias_relu
// CHECK: %[[E:.*]] = tensor.empty() {acnn.group_destination = 0 : i64} : tensor<1x56x56x32xf32>
// CHECK: %[[P1:.*]] = tensor.extract_slice %[[E]][0, 0, 0, 0] [1, 56, 54, 32]
// CHECK: %[[S1:.*]] = linalg.broadcast ins(%{{.*}} : tensor<32xf32>) outs(%[[P1]] : tensor<1x56x54x32xf32>) dimensions = [0, 1, 2]  {acnn.group_start = [[G1:[0-9]+]] : i64}
// CHECK: %[[C1:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G1]] : i64{{.*}}} ins(%{{.*}}, %{{.*}} : tensor<1x58x56x16xf32>, tensor<3x3x16x32xf32>) outs(%[[S1]] : tensor<1x56x54x32xf32>)
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[C1]] : tensor<1x56x54x32xf32>) outs(%[[P1]] : tensor<1x56x54x32xf32>) attrs =  {acnn.group_epilogue = [[G1]] : i64}
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[R1]] into %[[E]][0, 0, 0, 0] [1, 56, 54, 32]
// CHECK: %[[P2:.*]] = tensor.extract_slice %[[I1]][0, 0, 54, 0] [1, 56, 2, 32]
// CHECK: %[[S2:.*]] = linalg.broadcast {{.*}} outs(%[[P2]] : tensor<1x56x2x32xf32>) {{.*}} {acnn.group_start = [[G2:[0-9]+]] : i64}
// CHECK: %[[C2:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G2]] : i64{{.*}}} ins(%{{.*}}, %{{.*}} : tensor<1x58x4x16xf32>, tensor<3x3x16x32xf32>) outs(%[[S2]] : tensor<1x56x2x32xf32>)
// CHECK: %[[R2:.*]] = linalg.generic {{.*}} ins(%[[C2]] : tensor<1x56x2x32xf32>) outs(%[[P2]] : tensor<1x56x2x32xf32>) attrs =  {acnn.group_epilogue = [[G2]] : i64}
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[R2]] into %[[I1]][0, 0, 54, 0] [1, 56, 2, 32]
// CHECK: return %[[I2]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @conv_bias_relu(%x: tensor<1x58x58x16xf32>, %w: tensor<3x3x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x56x56x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x56x56x32xf32>
  %start = linalg.broadcast ins(%b : tensor<32xf32>) outs(%e : tensor<1x56x56x32xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x58x58x16xf32>, tensor<3x3x16x32xf32>) outs(%start : tensor<1x56x56x32xf32>) -> tensor<1x56x56x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x56x56x32xf32>) outs(%e : tensor<1x56x56x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x56x56x32xf32>
  return %r : tensor<1x56x56x32xf32>
}

// -----

// A matmul whose tiles divide its loops (192 rows by 6, 64 columns by 16),
// with a residual add: one group, not cut; its start is a fill.
// CHECK-LABEL: func @matmul_residual
// CHECK: linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: linalg.matmul {acnn.group_body = [[G]] : i64}
// CHECK: linalg.generic {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK-NOT: acnn.group
#mn = affine_map<(m, n) -> (m, n)>
func.func @matmul_residual(%a: tensor<192x96xf32>, %b: tensor<96x64xf32>, %res: tensor<192x64xf32>) -> tensor<192x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<192x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<192x64xf32>) -> tensor<192x64xf32>
  %y = linalg.matmul ins(%a, %b : tensor<192x96xf32>, tensor<96x64xf32>) outs(%f : tensor<192x64xf32>) -> tensor<192x64xf32>
  %r = linalg.generic {indexing_maps = [#mn, #mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%y, %res : tensor<192x64xf32>, tensor<192x64xf32>) outs(%e : tensor<192x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<192x64xf32>
  return %r : tensor<192x64xf32>
}

// -----

// A batched matmul (CCNet's criss-cross scores, an additive mask after
// them) groups as a matmul does: its tiles divide its loops (12 rows by 6,
// 32 columns by 16 on AVX2), so one group, its start a fill.
// CHECK-LABEL: func @batch_matmul_mask
// CHECK: linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: linalg.batch_matmul {acnn.group_body = [[G]] : i64}
// CHECK: linalg.generic {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK-NOT: acnn.group
#bmn = affine_map<(b, m, n) -> (b, m, n)>
func.func @batch_matmul_mask(%a: tensor<8x12x4xf32>, %b: tensor<8x4x32xf32>, %mask: tensor<8x12x32xf32>) -> tensor<8x12x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x12x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x12x32xf32>) -> tensor<8x12x32xf32>
  %y = linalg.batch_matmul ins(%a, %b : tensor<8x12x4xf32>, tensor<8x4x32xf32>) outs(%f : tensor<8x12x32xf32>) -> tensor<8x12x32xf32>
  %r = linalg.generic {indexing_maps = [#bmn, #bmn, #bmn], iterator_types = ["parallel", "parallel", "parallel"]}
    ins(%y, %mask : tensor<8x12x32xf32>, tensor<8x12x32xf32>) outs(%e : tensor<8x12x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<8x12x32xf32>
  return %r : tensor<8x12x32xf32>
}

// -----

// A matmul whose lhs is past L2 (ViT-B's MLP output: 195 x 3072 floats, in
// 5-row tiles) but whose 3072-deep strip of two vectors of b stays in half
// of L2 keeps k whole: one group.
// CHECK-LABEL: func @matmul_deep_lhs
// CHECK: linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: linalg.matmul {acnn.group_body = [[G]] : i64}
// CHECK: linalg.generic {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK-NOT: acnn.group
#mn2 = affine_map<(m, n) -> (m, n)>
func.func @matmul_deep_lhs(%a: tensor<195x3072xf32>, %b: tensor<3072x64xf32>, %res: tensor<195x64xf32>) -> tensor<195x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<195x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<195x64xf32>) -> tensor<195x64xf32>
  %y = linalg.matmul ins(%a, %b : tensor<195x3072xf32>, tensor<3072x64xf32>) outs(%f : tensor<195x64xf32>) -> tensor<195x64xf32>
  %r = linalg.generic {indexing_maps = [#mn2, #mn2, #mn2], iterator_types = ["parallel", "parallel"]}
    ins(%y, %res : tensor<195x64xf32>, tensor<195x64xf32>) outs(%e : tensor<195x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<195x64xf32>
  return %r : tensor<195x64xf32>
}

// -----

// A conv with a start but more than one reader: its readers read a copy,
// which is the group's epilogue (each tile's one store), written where the
// start and the conv write.
// CHECK-LABEL: func @copy_for_readers
// CHECK: %[[D:.*]] = tensor.empty() {acnn.group_destination = 0 : i64}
// CHECK: %[[S:.*]] = linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64} ins(%{{.*}} : f32) outs(%[[D]] : tensor<1x8x8x8xf32>)
// CHECK-NEXT: %[[Y:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G]] : i64{{.*}}} ins(%arg0, %arg1 : tensor<1x10x10x8xf32>, tensor<3x3x8x8xf32>) outs(%[[S]] : tensor<1x8x8x8xf32>)
// CHECK: %[[C:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<1x8x8x8xf32>) outs(%[[D]] : tensor<1x8x8x8xf32>) attrs =  {acnn.group_epilogue = [[G]] : i64} {
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<1x8x8x8xf32>)
// CHECK: return %[[C]], %[[R]]
func.func @copy_for_readers(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x8xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x8xf32>) outs(%f : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x8x8x8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%p: f32, %o: f32):
    %m = arith.maximumf %p, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x8xf32>
  return %y, %r : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
}

// -----

// An epilogue that gathers (an FPN's lateral conv plus its top-down map
// resized along w, the taps' indices from a constant): not the conv's, the
// vectoriser takes no gather and would leave the conv scalar with it. The
// conv with its start is grouped with a copy, which the gather reads.
// CHECK-LABEL: func @gathering_epilogue
// CHECK: linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: %[[Y:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G]] : i64
// CHECK: %[[C:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<1x8x8x8xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]], %{{.*}} : tensor<1x8x8x8xf32>, tensor<8xi64>)
// CHECK-NOT: acnn.group
// CHECK: tensor.extract
// CHECK: return %[[R]]
#x4 = affine_map<(n, h, w, c) -> (n, h, w, c)>
#w4 = affine_map<(n, h, w, c) -> (w)>
func.func @gathering_epilogue(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x8xf32>, %top: tensor<1x8x4x8xf32>) -> tensor<1x8x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %taps = arith.constant dense<[0, 0, 1, 1, 2, 2, 3, 3]> : tensor<8xi64>
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x8xf32>) outs(%f : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.generic {indexing_maps = [#x4, #w4, #x4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y, %taps : tensor<1x8x8x8xf32>, tensor<8xi64>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%p: f32, %t: i64, %o: f32):
    %h = linalg.index 1 : index
    %c = linalg.index 3 : index
    %i = arith.index_cast %t : i64 to index
    %c0 = arith.constant 0 : index
    %g = tensor.extract %top[%c0, %h, %i, %c] : tensor<1x8x4x8xf32>
    %s = arith.addf %p, %g : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// Attention's scores: a contraction generic (b, i, j parallel, c reduced)
// from zeros, scaled: one group.
// CHECK-LABEL: func @scores
// CHECK: linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}} attrs =  {acnn.group_body = [[G]] : i64}
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
func.func @scores(%q: tensor<2x48x32xf32>, %kt: tensor<2x32x64xf32>) -> tensor<2x48x64xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.125 : f32
  %e = tensor.empty() : tensor<2x48x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x48x64xf32>) -> tensor<2x48x64xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, i, j, c) -> (b, i, c)>, affine_map<(b, i, j, c) -> (b, c, j)>, affine_map<(b, i, j, c) -> (b, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
    ins(%q, %kt : tensor<2x48x32xf32>, tensor<2x32x64xf32>) outs(%f : tensor<2x48x64xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x48x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(b, i, j) -> (b, i, j)>, affine_map<(b, i, j) -> (b, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]}
    ins(%s : tensor<2x48x64xf32>) outs(%e : tensor<2x48x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<2x48x64xf32>
  return %r : tensor<2x48x64xf32>
}

// -----

// An epilogue updating the conv's result in place (as in acnn-fuse-pool-
// into-conv's blocks) writes where the accumulator started instead.
// CHECK-LABEL: func @in_place_epilogue
// CHECK: %[[S:.*]] = linalg.broadcast ins(%{{.*}}) outs(%arg2 : tensor<1x8x12x16xf32>) {{.*}} {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: %[[Y:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G]] : i64{{.*}}} {{.*}} outs(%[[S]] : tensor<1x8x12x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<1x8x12x16xf32>) outs(%arg2 : tensor<1x8x12x16xf32>) attrs =  {acnn.group_epilogue = [[G]] : i64}
func.func @in_place_epilogue(%x: tensor<1x10x14x8xf32>, %w: tensor<3x3x8x16xf32>, %place: tensor<1x8x12x16xf32>, %b: tensor<16xf32>) -> tensor<1x8x12x16xf32> {
  %zero = arith.constant 0.0 : f32
  %start = linalg.broadcast ins(%b : tensor<16xf32>) outs(%place : tensor<1x8x12x16xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x14x8xf32>, tensor<3x3x8x16xf32>) outs(%start : tensor<1x8x12x16xf32>) -> tensor<1x8x12x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x8x12x16xf32>) outs(%y : tensor<1x8x12x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %m = arith.maximumf %p, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x12x16xf32>
  return %r : tensor<1x8x12x16xf32>
}

// -----

// Not grouped: a matmul whose k is blocked for the caches (197 x 8192 floats
// of its lhs are past L2, and so is half of it for an 8192-deep strip of two
// vectors of b: a tile is final only after the last block), and
// one without a start (it accumulates into an argument) whose reader
// transposes its result.
// CHECK-LABEL: func @not_grouped
// CHECK-NOT: acnn.group
#t = affine_map<(m, n) -> (n, m)>
#mn = affine_map<(m, n) -> (m, n)>
func.func @not_grouped(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %acc: tensor<16x16xf32>,
                       %big: tensor<197x8192xf32>, %bw: tensor<8192x64xf32>) -> (tensor<16x16xf32>, tensor<197x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<16x16xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%acc : tensor<16x16xf32>) -> tensor<16x16xf32>
  %tr = linalg.generic {indexing_maps = [#t, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%mm : tensor<16x16xf32>) outs(%e2 : tensor<16x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %s = arith.addf %p, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %e3 = tensor.empty() : tensor<197x64xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<197x64xf32>) -> tensor<197x64xf32>
  %bm = linalg.matmul ins(%big, %bw : tensor<197x8192xf32>, tensor<8192x64xf32>) outs(%f3 : tensor<197x64xf32>) -> tensor<197x64xf32>
  %br = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%bm : tensor<197x64xf32>) outs(%e3 : tensor<197x64xf32>) {
  ^bb0(%p: f32, %o: f32):
    %m = arith.maximumf %p, %zero : f32
    linalg.yield %m : f32
  } -> tensor<197x64xf32>
  return %tr, %br : tensor<16x16xf32>, tensor<197x64xf32>
}

// -----

// A residual add reading two convs' results, as a bottleneck that
// downsamples ends (RegNetY, ResNeXt: the block's last conv and its
// projection shortcut's): an op is in one group at most, so the add is the
// epilogue of the first conv only and the projection gets a copy of its
// result, which the add reads. Both groups are cut at column 10 of 13 on
// AVX2 (tiles of at most 6 columns, as even as they can be: 5 + 5 + 3); the
// add used to be both groups' epilogue, and cutting one group erased it
// under the other (SIGSEGV).
// CHECK-LABEL: func @two_convs_one_epilogue
// The projection, each piece's epilogue a copy:
// CHECK: linalg.broadcast {{.*}} outs(%{{.*}} : tensor<1x4x10x16xf32>) {{.*}} {acnn.group_start = [[P1:[0-9]+]] : i64}
// CHECK: %[[CP1:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[P1]] : i64, {{.*}}strides = dense<2>
// CHECK: linalg.generic {{.*}} ins(%[[CP1]] : tensor<1x4x10x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[P1]] : i64} {
// CHECK-NEXT: ^bb0(%[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN1]] : f32
// CHECK: linalg.broadcast {{.*}} outs(%{{.*}} : tensor<1x4x3x16xf32>) {{.*}} {acnn.group_start = [[P2:[0-9]+]] : i64}
// CHECK: %[[CP2:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[P2]] : i64, {{.*}}strides = dense<2>
// CHECK: linalg.generic {{.*}} ins(%[[CP2]] : tensor<1x4x3x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[P2]] : i64} {
// CHECK-NEXT: ^bb0(%[[IN2:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN2]] : f32
// CHECK: %[[P:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 10, 0] [1, 4, 3, 16]
// The last conv, each piece's epilogue its piece of the add, reading the copy:
// CHECK: linalg.broadcast {{.*}} outs(%{{.*}} : tensor<1x4x10x16xf32>) {{.*}} {acnn.group_start = [[C1:[0-9]+]] : i64}
// CHECK: %[[CC1:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[C1]] : i64, {{.*}}strides = dense<1>
// CHECK: %[[PS1:.*]] = tensor.extract_slice %[[P]][0, 0, 0, 0] [1, 4, 10, 16]
// CHECK: linalg.generic {{.*}} ins(%[[PS1]], %[[CC1]] : tensor<1x4x10x16xf32>, tensor<1x4x10x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[C1]] : i64} {
// CHECK: arith.addf
// CHECK: linalg.broadcast {{.*}} outs(%{{.*}} : tensor<1x4x3x16xf32>) {{.*}} {acnn.group_start = [[C2:[0-9]+]] : i64}
// CHECK: %[[CC2:.*]] = linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[C2]] : i64, {{.*}}strides = dense<1>
// CHECK: %[[PS2:.*]] = tensor.extract_slice %[[P]][0, 0, 10, 0] [1, 4, 3, 16]
// CHECK: linalg.generic {{.*}} ins(%[[PS2]], %[[CC2]] : tensor<1x4x3x16xf32>, tensor<1x4x3x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[C2]] : i64} {
// CHECK: arith.addf
// CHECK-NOT: acnn.group
// CHECK: return
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @two_convs_one_epilogue(%y: tensor<1x4x13x16xf32>, %x: tensor<1x8x26x8xf32>, %wc: tensor<1x1x16x16xf32>,
                                  %wp: tensor<1x1x8x16xf32>, %bc: tensor<16xf32>, %bp: tensor<16xf32>) -> tensor<1x4x13x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x13x16xf32>
  %sc = linalg.broadcast ins(%bc : tensor<16xf32>) outs(%e : tensor<1x4x13x16xf32>) dimensions = [0, 1, 2]
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%y, %wc : tensor<1x4x13x16xf32>, tensor<1x1x16x16xf32>) outs(%sc : tensor<1x4x13x16xf32>) -> tensor<1x4x13x16xf32>
  %sp = linalg.broadcast ins(%bp : tensor<16xf32>) outs(%e : tensor<1x4x13x16xf32>) dimensions = [0, 1, 2]
  %p = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %wp : tensor<1x8x26x8xf32>, tensor<1x1x8x16xf32>) outs(%sp : tensor<1x4x13x16xf32>) -> tensor<1x4x13x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%p, %c : tensor<1x4x13x16xf32>, tensor<1x4x13x16xf32>) outs(%e : tensor<1x4x13x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x13x16xf32>
  return %r : tensor<1x4x13x16xf32>
}

// -----

// A depthwise conv heads a group too: with its bias start and its relu6
// (12 output columns, 6-column tiles on AVX2, 16 channels: nothing to split).
// CHECK-LABEL: func @depthwise_relu6
// CHECK: %[[E:.*]] = tensor.empty() {acnn.group_destination = 0 : i64} : tensor<1x12x12x16xf32>
// CHECK: %[[S:.*]] = linalg.broadcast ins(%{{.*}} : tensor<16xf32>) outs(%[[E]] : tensor<1x12x12x16xf32>) dimensions = [0, 1, 2]  {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: %[[C:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {acnn.group_body = [[G]] : i64{{.*}}} ins(%{{.*}}, %{{.*}} : tensor<1x14x14x16xf32>, tensor<3x3x16xf32>) outs(%[[S]] : tensor<1x12x12x16xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<1x12x12x16xf32>) outs(%[[E]] : tensor<1x12x12x16xf32>) attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK: return %[[R]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @depthwise_relu6(%x: tensor<1x14x14x16xf32>, %w: tensor<3x3x16xf32>, %b: tensor<16xf32>) -> tensor<1x12x12x16xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x12x12x16xf32>
  %start = linalg.broadcast ins(%b : tensor<16xf32>) outs(%e : tensor<1x12x12x16xf32>) dimensions = [0, 1, 2]
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x14x14x16xf32>, tensor<3x3x16xf32>) outs(%start : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x12x12x16xf32>) outs(%e : tensor<1x12x12x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    %c = arith.minimumf %m, %six : f32
    linalg.yield %c : f32
  } -> tensor<1x12x12x16xf32>
  return %r : tensor<1x12x12x16xf32>
}

// -----

// A max pool heads a group with its -inf fill as the start (a splat in
// registers rather than a pass writing the output and another reading it);
// without an epilogue the group ends in a copy for its readers.
// CHECK-LABEL: func @max_pool
// CHECK: %[[S:.*]] = linalg.fill {acnn.group_start = [[G:[0-9]+]] : i64} ins(%{{.*}} : f32)
// CHECK: %[[P:.*]] = linalg.pooling_nhwc_max {acnn.group_body = [[G]] : i64{{.*}}} ins(%{{.*}}, %{{.*}} : tensor<1x14x14x16xf32>, tensor<3x3xf32>) outs(%[[S]] : tensor<1x12x12x16xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[P]] : tensor<1x12x12x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK: return %[[R]]
func.func @max_pool(%x: tensor<1x14x14x16xf32>, %win: tensor<3x3xf32>) -> tensor<1x12x12x16xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x12x12x16xf32>
  %start = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %win : tensor<1x14x14x16xf32>, tensor<3x3xf32>) outs(%start : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  return %p : tensor<1x12x12x16xf32>
}

// -----

// Two max pools reading one -inf fill (CSE merges equal fills): each gets a
// start of its own and heads its own group.
// CHECK-LABEL: func @shared_start
// CHECK: %[[S1:.*]] = linalg.fill {acnn.group_start = [[G1:[0-9]+]] : i64}
// CHECK: %[[S2:.*]] = linalg.fill {acnn.group_start = [[G2:[0-9]+]] : i64}
// CHECK: %[[P2:.*]] = linalg.pooling_nhwc_max {acnn.group_body = [[G2]] : i64{{.*}}} ins(%arg0, %arg2 : {{.*}}) outs(%[[S2]] : tensor<1x12x12x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P2]] : tensor<1x12x12x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[G2]] : i64}
// CHECK: %[[P1:.*]] = linalg.pooling_nhwc_max {acnn.group_body = [[G1]] : i64{{.*}}} ins(%arg1, %arg2 : {{.*}}) outs(%[[S1]] : tensor<1x12x12x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P1]] : tensor<1x12x12x16xf32>) {{.*}} attrs =  {acnn.group_epilogue = [[G1]] : i64}
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @shared_start(%x: tensor<1x14x14x16xf32>, %y: tensor<1x14x14x16xf32>, %win: tensor<3x3xf32>) -> (tensor<1x12x12x16xf32>, tensor<1x12x12x16xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x12x12x16xf32>
  %start = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %win : tensor<1x14x14x16xf32>, tensor<3x3xf32>) outs(%start : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  %q = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%y, %win : tensor<1x14x14x16xf32>, tensor<3x3xf32>) outs(%start : tensor<1x12x12x16xf32>) -> tensor<1x12x12x16xf32>
  return %p, %q : tensor<1x12x12x16xf32>, tensor<1x12x12x16xf32>
}

// -----

// A 1x1 conv from 2048 to 2048 channels on a 7x7 map: its schedule splits
// the 7 columns 4 + 3, but its filter (16 MiB) is past 8 times L2, which two
// groups would each read again: the group stays whole, for its script to
// split inside its thread loop.
// CHECK-LABEL: func @conv_filter_past_l2
// CHECK: linalg.broadcast {{.*}} outs(%{{.*}} : tensor<1x7x7x2048xf32>) {{.*}} {acnn.group_start = [[G:[0-9]+]] : i64}
// CHECK: linalg.conv_2d_nhwc_hwcf {acnn.group_body = [[G]] : i64{{.*}}} {{.*}} outs(%{{.*}} : tensor<1x7x7x2048xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x7x7x2048xf32>) attrs =  {acnn.group_epilogue = [[G]] : i64}
// CHECK-NOT: tensor.insert_slice
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @conv_filter_past_l2(%x: tensor<1x7x7x2048xf32>, %w: tensor<1x1x2048x2048xf32>, %b: tensor<2048xf32>) -> tensor<1x7x7x2048xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x2048xf32>
  %start = linalg.broadcast ins(%b : tensor<2048xf32>) outs(%e : tensor<1x7x7x2048xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x7x2048xf32>, tensor<1x1x2048x2048xf32>) outs(%start : tensor<1x7x7x2048xf32>) -> tensor<1x7x7x2048xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x7x7x2048xf32>) outs(%e : tensor<1x7x7x2048xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x2048xf32>
  return %r : tensor<1x7x7x2048xf32>
}

// -----

// The same conv from 512 to 512 channels: its filter (1 MiB) is read again
// from L3 by a group of its own at less cost than the whole group's register
// tile, clamped, takes on the remainder: groups of their own, 4 columns,
// then the 3 in 6 + 1 rows.
// CHECK-LABEL: func @conv_filter_in_l3
// CHECK: linalg.conv_2d_nhwc_hwcf {acnn.group_body = {{.*}} outs(%{{.*}} : tensor<1x7x4x512xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {acnn.group_body = {{.*}} outs(%{{.*}} : tensor<1x6x3x512xf32>)
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @conv_filter_in_l3(%x: tensor<1x7x7x512xf32>, %w: tensor<1x1x512x512xf32>, %b: tensor<512xf32>) -> tensor<1x7x7x512xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x512xf32>
  %start = linalg.broadcast ins(%b : tensor<512xf32>) outs(%e : tensor<1x7x7x512xf32>) dimensions = [0, 1, 2]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x7x512xf32>, tensor<1x1x512x512xf32>) outs(%start : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y : tensor<1x7x7x512xf32>) outs(%e : tensor<1x7x7x512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x512xf32>
  return %r : tensor<1x7x7x512xf32>
}
