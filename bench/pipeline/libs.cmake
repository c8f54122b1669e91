set(BENCH_LIBS keeper::core keeper::margin keeper::strategies keeper::chain keeper::oracles keeper::protocol_morpho_blue)
