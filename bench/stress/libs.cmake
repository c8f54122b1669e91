set(BENCH_LIBS keeper::core keeper::margin)
