set(UNIT_LIBS keeper::chain keeper::margin)
