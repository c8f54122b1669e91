set(BENCH_LIBS keeper::core keeper::chain)
