// RUN: acnn-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// A schedule round-trips in the form the passes and schedule files print it
// (the kind may be quoted):
// empty lists, zero chunks and false flags left out.
// CHECK: acnn.other = #acnn.schedule<parallel_only, vector = 16, unroll = 1>
// CHECK-SAME: acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, split = {{\[\[}}2, 54], [3, 32]], parallel = [1, 3, 2], chunks = 4, cache = [0, 0, 0, 0, 1, 1, 32], cache_order = [0, 1, 2, 3, 4, 5, 6], tile = [1, 1, 6, 16, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>
module attributes {acnn.schedule = #acnn.schedule<conv, vector = 8, unroll = 2, split = [[2, 54], [3, 32]], parallel = [1, 3, 2], chunks = 4, cache = [0, 0, 0, 0, 1, 1, 32], cache_order = [0, 1, 2, 3, 4, 5, 6], tile = [1, 1, 6, 16, 1, 1, 4], order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>,
                   acnn.other = #acnn.schedule<"parallel_only", vector = 16>} {
}

// -----

// Fields come in any order after the kind.
// CHECK: #acnn.schedule<matmul, vector = 8, unroll = 2, tile = [6, 16, 1], vectorize, hoist>
module attributes {acnn.schedule = #acnn.schedule<matmul, hoist, tile = [6, 16, 1], vectorize, unroll = 2, vector = 8>} {
}

// -----

// A peeled loop (a matmul's rows, 197 in tiles of 6) prints after the splits.
// CHECK: #acnn.schedule<matmul, vector = 8, unroll = 2, peel = [0], parallel = [1, 0], tile = [6, 16, 1], order = [1, 0, 2], vectorize, hoist>
module attributes {acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 2, parallel = [1, 0], peel = [0], tile = [6, 16, 1], order = [1, 0, 2], vectorize, hoist>} {
}

// -----

// expected-error @+1 {{schedule peeled loops must be distinct loops >= 0}}
module attributes {acnn.schedule = #acnn.schedule<matmul, vector = 8, peel = [0, 0], tile = [6, 16, 1], vectorize>} {
}

// -----

// expected-error @+1 {{schedule peel needs vectorize (it peels register tiles)}}
module attributes {acnn.schedule = #acnn.schedule<matmul, vector = 8, peel = [0], tile = [6, 16, 1]>} {
}

// -----

// A whole 768-element row a step: 48 vectors (as the generator writes a
// LayerNorm's reduction, which a schedules file must read back).
// CHECK: #acnn.schedule<reduction, vector = 16, unroll = 48, tile = [1, 1, 768], vectorize, hoist>
module attributes {acnn.schedule = #acnn.schedule<reduction, vector = 16, unroll = 48, tile = [1, 1, 768], vectorize, hoist>} {
}

// -----

// expected-error @+1 {{schedule unroll 300 is not in [1, 256]}}
module attributes {acnn.schedule = #acnn.schedule<reduction, vector = 4, unroll = 300>} {
}

// -----

// expected-error @+1 {{unknown schedule kind 'winograd'}}
module attributes {acnn.schedule = #acnn.schedule<winograd, vector = 8>} {
}

// -----

// expected-error @+1 {{schedule vector width 12 is not 4, 8 or 16 lanes}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 12>} {
}

// -----

// expected-error @+1 {{a schedule needs its vector width (vector = N)}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, tile = [1, 8]>} {
}

// -----

// expected-error @+1 {{unknown schedule field 'tiles'}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, tiles = [1, 8]>} {
}

// -----

// expected-error @+1 {{schedule field 'tile' given twice}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, tile = [1, 8], tile = [1, 16]>} {
}

// -----

// expected-error @+1 {{a split is [loop, position]}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, split = [[1, 96, 3]]>} {
}

// -----

// expected-error @+1 {{schedule split [1, 0] needs a loop >= 0 and a position >= 1}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, split = [[1, 0]]>} {
}

// -----

// expected-error @+1 {{schedule parallel loops must be distinct loops >= 0}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, parallel = [1, 1]>} {
}

// -----

// expected-error @+1 {{schedule order must order the 3 loops of the register tile}}
module attributes {acnn.schedule = #acnn.schedule<matmul, vector = 8, tile = [6, 16, 1], order = [1, 0, 0]>} {
}

// -----

// expected-error @+1 {{schedule cache_order must order the 2 loops of the cache tile}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, cache = [4, 64]>} {
}

// -----

// expected-error @+1 {{schedule tile sizes must be >= 0 (0: the whole loop)}}
module attributes {acnn.schedule = #acnn.schedule<elementwise, vector = 8, tile = [-1, 8]>} {
}

// -----

// expected-error @+1 {{schedule decompose and hoist need vectorize}}
module attributes {acnn.schedule = #acnn.schedule<conv, vector = 8, tile = [1, 1, 6, 16, 1, 1, 4], decompose>} {
}

// -----

// expected-error @+1 {{only a conv, depthwise or pooling schedule can decompose}}
module attributes {acnn.schedule = #acnn.schedule<matmul, vector = 8, tile = [6, 16, 1], decompose, vectorize>} {
}

// -----

// expected-error @+1 {{a parallel_only schedule does not vectorize}}
module attributes {acnn.schedule = #acnn.schedule<parallel_only, vector = 8, tile = [1, 0], vectorize>} {
}
